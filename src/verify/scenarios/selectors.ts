/**
 * Labels that satisfy the config's selectors (`monitoring.kubeStateMetricsSelector`,
 * `cadvisorSelector`, `gpu.selector`, ...): the generated input series must be selected by them
 * exactly as the user's real series are.
 */

/** A test input cannot be built for this config (e.g. a selector no label value can satisfy). */
export class UnitTestInputError extends Error {
  override name = "UnitTestInputError";
}

export interface Matcher {
  readonly name: string;
  readonly op: "=" | "!=" | "=~" | "!~";
  readonly value: string;
}

const MATCHER_RE =
  /\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`)\s*(,|$)/y;

function unquote(lit: string): string {
  if (lit.startsWith("`")) return lit.slice(1, -1);
  const body = lit.slice(1, -1);
  const dq = lit.startsWith("'") ? body.replace(/\\'/g, "'").replace(/"/g, '\\"') : body;
  try {
    return JSON.parse(`"${dq}"`) as string;
  } catch {
    throw new UnitTestInputError(`cannot read the string ${lit} in a selector`);
  }
}

/** Parses a matcher list such as `job="kube-state-metrics", cluster=~"a|b"`. */
export function parseMatchers(selector: string): Matcher[] {
  const out: Matcher[] = [];
  const s = selector.trim();
  MATCHER_RE.lastIndex = 0;
  while (MATCHER_RE.lastIndex < s.length) {
    const start = MATCHER_RE.lastIndex;
    const m = MATCHER_RE.exec(s);
    if (!m)
      throw new UnitTestInputError(
        `cannot read the selector ${JSON.stringify(selector)} near offset ${start}`,
      );
    out.push({ name: m[1] as string, op: m[2] as Matcher["op"], value: unquote(m[3] as string) });
    if (m[4] === "") break;
  }
  return out;
}

function fullMatch(re: string, v: string): boolean {
  let flags = "";
  let body = re;
  if (body.startsWith("(?i)")) {
    flags = "i";
    body = body.slice(4);
  }
  try {
    return new RegExp(`^(?:${body})$`, flags).test(v);
  } catch {
    throw new UnitTestInputError(
      `cannot evaluate the regular expression ${JSON.stringify(re)} of a selector`,
    );
  }
}

/** Whether a label value (empty = absent) satisfies a matcher. */
export function matches(m: Matcher, v: string): boolean {
  switch (m.op) {
    case "=":
      return v === m.value;
    case "!=":
      return v !== m.value;
    case "=~":
      return fullMatch(m.value, v);
    case "!~":
      return !fullMatch(m.value, v);
  }
}

/** Top-level alternatives of a regular expression. */
function alternatives(re: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = "";
  for (let i = 0; i < re.length; i++) {
    const c = re[i] as string;
    if (c === "\\") {
      cur += c + (re[i + 1] ?? "");
      i++;
      continue;
    }
    if (c === "(") depth++;
    if (c === ")") depth--;
    if (c === "|" && depth === 0) {
      out.push(cur);
      cur = "";
      continue;
    }
    cur += c;
  }
  out.push(cur);
  return out;
}

/** Plausible strings a regular expression matches: each alternative with its wildcards filled. */
function regexCandidates(re: string): string[] {
  return alternatives(re.replace(/^\(\?i\)/, "")).map((alt) =>
    alt
      .replace(/^\^|\$$/g, "")
      .replace(/\.\*/g, "")
      .replace(/\.\+/g, "x")
      .replace(/\\(.)/g, "$1")
      .replace(/[()?]/g, ""),
  );
}

/**
 * Labels for a series that the matchers select, with the `fixed` labels the test needs (a fixed
 * label the matchers reject is an error) and `decoys` (labels real series carry that must not be
 * read, e.g. the exporter's own namespace) where the matchers leave them free.
 */
export function labelsFor(
  matchers: readonly Matcher[],
  fixed: Readonly<Record<string, string>>,
  decoys: Readonly<Record<string, string>> = {},
  what = "series",
): Record<string, string> {
  const out: Record<string, string> = {};
  const byName = new Map<string, Matcher[]>();
  for (const m of matchers) byName.set(m.name, [...(byName.get(m.name) ?? []), m]);
  for (const [name, ms] of byName) {
    if (name in fixed) continue;
    const candidates = [
      ...ms.flatMap((m) => (m.op === "=" ? [m.value] : m.op === "=~" ? regexCandidates(m.value) : [])),
      "",
      decoys[name] ?? "verify",
    ];
    const v = candidates.find((c) => ms.every((m) => matches(m, c)));
    if (v === undefined) {
      throw new UnitTestInputError(
        `no value of label ${name} satisfies ${ms.map((m) => `${m.name}${m.op}${JSON.stringify(m.value)}`).join(", ")} (${what})`,
      );
    }
    if (v !== "") out[name] = v;
  }
  for (const [name, v] of Object.entries(fixed)) {
    const bad = byName.get(name)?.find((m) => !matches(m, v));
    if (bad) {
      throw new UnitTestInputError(
        `the ${what} selector's ${bad.name}${bad.op}${JSON.stringify(bad.value)} rejects ${name}=${JSON.stringify(v)}, which the rules need`,
      );
    }
    out[name] = v;
  }
  for (const [name, v] of Object.entries(decoys)) if (!byName.has(name) && !(name in out)) out[name] = v;
  return out;
}
