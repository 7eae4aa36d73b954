/**
 * Durations of the time scale (see `time-scale.ts`): a Prometheus duration divided by a factor, and
 * every duration of a PromQL expression, found with the official grammar and rewritten in place.
 */
import { parser } from "@prometheus-io/lezer-promql";

const MS: Readonly<Record<string, number>> = {
  y: 365 * 24 * 3600 * 1000,
  w: 7 * 24 * 3600 * 1000,
  d: 24 * 3600 * 1000,
  h: 3600 * 1000,
  m: 60 * 1000,
  s: 1000,
  ms: 1,
};
/** Prometheus' `model.ParseDuration` grammar (at least one component), plus its special `0`. */
const DURATION_RE = /^(?:\d+y)?(?:\d+w)?(?:\d+d)?(?:\d+h)?(?:\d+m)?(?:\d+s)?(?:\d+ms)?$/;

/** Throws unless `factor` is a finite number >= 1. */
export function checkFactor(factor: number): void {
  if (typeof factor !== "number" || !Number.isFinite(factor) || factor < 1)
    throw new Error(`time-scale factor must be a finite number >= 1, got ${String(factor)}`);
}

/** Milliseconds of a Prometheus duration; throws when `text` is not one. */
function durationMs(text: string): number {
  if (text === "0") return 0;
  if (text === "" || !DURATION_RE.test(text))
    throw new Error(
      `not a Prometheus duration: ${JSON.stringify(text)} (expected e.g. 90s, 5m, 1h30m, 250ms)`,
    );
  let total = 0;
  for (const [, n, unit] of text.matchAll(/(\d+)(ms|[ywdhms])/g)) total += Number(n) * (MS[unit ?? ""] ?? 0);
  if (!Number.isSafeInteger(total)) throw new Error(`duration ${text} is too long`);
  return total;
}

/**
 * A millisecond count written as Prometheus writes durations (`model.Duration.String`): largest
 * units first, zero components left out, years and weeks only when exact ("90d", not "12w6d").
 */
function formatMs(ms: number): string {
  if (ms === 0) return "0s";
  let rest = ms;
  let out = "";
  for (const [unit, exactOnly] of [
    ["y", true],
    ["w", true],
    ["d", false],
    ["h", false],
    ["m", false],
    ["s", false],
    ["ms", false],
  ] as const) {
    const size = MS[unit] ?? 1;
    if (exactOnly && rest % size !== 0) continue;
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}

/** `ms / factor` in whole milliseconds, never rounding a non-zero duration down to 0. */
function scaleMs(ms: number, factor: number): number {
  return ms === 0 ? 0 : Math.max(1, Math.round(ms / factor));
}

/**
 * A Prometheus / Alertmanager duration divided by `factor`, in whole milliseconds (at least 1ms
 * when the input is not zero), written in Prometheus' canonical form: `5m`/30 is `10s`, `30s`/60
 * is `500ms`, `1h`/40 is `1m30s`. When the value does not change (factor 1, or a zero duration)
 * the text is returned as given. Throws on a text that is not a duration, or a factor that is not
 * a finite number >= 1.
 */
export function scaleDuration(text: string, factor: number): string {
  checkFactor(factor);
  const ms = durationMs(text);
  const scaled = scaleMs(ms, factor);
  return scaled === ms ? text : formatMs(scaled);
}

/** A replacement of `text[from, to)`. */
export interface Edit {
  readonly from: number;
  readonly to: number;
  readonly text: string;
}

/** `text` with the (non-overlapping) edits applied. */
export function applyEdits(text: string, edits: readonly Edit[]): string {
  let out = "";
  let at = 0;
  for (const e of [...edits].sort((a, b) => a.from - b.from)) {
    out += text.slice(at, e.from) + e.text;
    at = e.to;
  }
  return out + text.slice(at);
}

type SyntaxNode = ReturnType<typeof parser.parse>["topNode"];

const DURATION_NODES = new Set(["DurationExpr", "OffsetDurationExpr"]);
const HAS_UNIT_RE = /^(?:\d+(?:ms|[ywdhms]))+$/;

function children(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) out.push(c);
  return out;
}

/** Whether a duration expression's value carries time (a literal with a unit, `step()`, `range()`). */
function carriesTime(node: SyntaxNode, expr: string): boolean {
  if (node.name === "DurationStep" || node.name === "DurationRange") return true;
  if (node.name === "NumberDurationLiteralInDurationContext")
    return HAS_UNIT_RE.test(expr.slice(node.from, node.to));
  return children(node).some((c) => carriesTime(c, expr));
}

/** The edit dividing one duration literal (with a unit, or a bare number of seconds) by `factor`. */
function literalEdit(node: SyntaxNode, expr: string, factor: number): Edit {
  const text = expr.slice(node.from, node.to);
  let ms: number;
  if (HAS_UNIT_RE.test(text)) ms = durationMs(text);
  else {
    const seconds = Number(text);
    if (!Number.isFinite(seconds) || seconds < 0)
      throw new Error(`cannot scale the duration ${JSON.stringify(text)} in: ${expr}`);
    ms = Math.round(seconds * 1000);
  }
  const scaled = scaleMs(ms, factor);
  return { from: node.from, to: node.to, text: scaled === ms ? text : formatMs(scaled) };
}

/**
 * Edits that divide the value of a duration expression (a range, offset or subquery duration) by
 * `factor`. Sums, differences and remainders scale every operand; a product scales the operand
 * that carries time; a quotient scales its dividend. `step()` and `range()` are left alone: they
 * follow the evaluation interval, which the runner scales.
 */
function durationEdits(node: SyntaxNode, expr: string, factor: number): Edit[] {
  const kids = children(node);
  const [first, op, second] = kids;
  if (node.name === "NumberDurationLiteralInDurationContext") return [literalEdit(node, expr, factor)];
  if (node.name === "DurationStep" || node.name === "DurationRange") return [];
  if (!DURATION_NODES.has(node.name) || !first)
    throw new Error(
      `cannot scale ${node.name} ${JSON.stringify(expr.slice(node.from, node.to))} in: ${expr}`,
    );
  if (kids.length === 1) return durationEdits(first, expr, factor);
  if (kids.length === 2 && first.name === "UnaryOp" && op) return durationEdits(op, expr, factor);
  if (kids.length === 3 && op && second) {
    switch (op.name) {
      case "Add":
      case "Sub":
      case "Mod":
        return [...durationEdits(first, expr, factor), ...durationEdits(second, expr, factor)];
      case "Mul":
        return durationEdits(
          carriesTime(first, expr) || !carriesTime(second, expr) ? first : second,
          expr,
          factor,
        );
      case "Div":
        return durationEdits(first, expr, factor);
    }
  }
  throw new Error(
    `cannot scale the duration expression ${JSON.stringify(expr.slice(node.from, node.to))} in: ${expr}`,
  );
}

/** The edits scaling every duration of a PromQL expression; throws when it does not parse. */
export function exprEdits(expr: string, factor: number): Edit[] {
  const edits: Edit[] = [];
  let error: number | undefined;
  parser.parse(expr).iterate({
    enter(ref) {
      if (ref.type.isError) {
        error ??= ref.from;
        return false;
      }
      if (DURATION_NODES.has(ref.name)) {
        edits.push(...durationEdits(ref.node, expr, factor));
        return false;
      }
      // A literal with a unit where a number goes (`predict_linear(x[1h], 1h)`) is seconds too.
      if (ref.name === "NumberDurationLiteral" && HAS_UNIT_RE.test(expr.slice(ref.from, ref.to)))
        edits.push(literalEdit(ref.node, expr, factor));
      return undefined;
    },
  });
  if (error !== undefined) {
    const near = expr.slice(Math.max(0, error - 20), error + 20);
    throw new Error(
      `cannot scale a PromQL expression that does not parse (near ${JSON.stringify(near)}): ${expr}`,
    );
  }
  return edits.filter((e) => e.text !== expr.slice(e.from, e.to));
}

/**
 * A PromQL expression with every duration divided by `factor` (see {@link scaleDuration}): range
 * selectors `[5m]`, `offset 1m`, subqueries `[30m:1m]`, and literals written with a unit where a
 * number goes. Durations are found with the official grammar and rewritten in place: everything
 * else (comments, spacing, strings, `@` timestamps, plain numbers) is kept byte for byte. Throws
 * when the expression does not parse.
 */
export function scaleExpr(expr: string, factor: number): string {
  checkFactor(factor);
  return applyEdits(expr, exprEdits(expr, factor));
}
