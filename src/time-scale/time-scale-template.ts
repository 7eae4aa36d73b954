/**
 * The PromQL inside Go templates (annotations, labels) on the time scale (see `time-scale.ts`):
 * the strings handed to `query` are found with a small lexer of template actions, and their
 * durations rewritten in place.
 */
import { applyEdits, checkFactor, exprEdits, type Edit } from "./time-scale-promql.js";

type Token =
  | { readonly kind: "string"; readonly from: number; readonly to: number }
  | { readonly kind: "word"; readonly text: string }
  | { readonly kind: "pipe" | "open" | "close" };

/** The end (exclusive) of a quoted Go token starting at `from`; throws when it is not closed. */
function quotedEnd(text: string, from: number): number {
  const quote = text[from];
  for (let i = from + 1; i < text.length; i++) {
    if (quote !== "`" && text[i] === "\\") i++;
    else if (text[i] === quote) return i + 1;
  }
  throw new Error(`unterminated ${quote ?? ""} string in template: ${text}`);
}

/** Tokens of the action starting at `from` (just after `{{`), and where its `}}` starts. */
function lexAction(text: string, from: number): { tokens: Token[]; end: number } {
  const tokens: Token[] = [];
  let i = from;
  while (i < text.length) {
    const c = text[i] ?? "";
    if (text.startsWith("}}", i)) return { tokens, end: i };
    if (text.startsWith("/*", i)) {
      const close = text.indexOf("*/", i + 2);
      if (close < 0) break;
      i = close + 2;
    } else if (c === '"' || c === "`" || c === "'") {
      const to = quotedEnd(text, i);
      if (c !== "'") tokens.push({ kind: "string", from: i, to });
      else tokens.push({ kind: "word", text: text.slice(i, to) });
      i = to;
    } else if (c === "|" || c === "(" || c === ")") {
      tokens.push({ kind: c === "|" ? "pipe" : c === "(" ? "open" : "close" });
      i++;
    } else if (/\s/.test(c)) i++;
    else {
      let j = i;
      while (j < text.length && !/[\s|()"`']/.test(text[j] ?? "") && !text.startsWith("}}", j)) j++;
      tokens.push({ kind: "word", text: text.slice(i, j) });
      i = j;
    }
  }
  throw new Error(`unterminated action in template: ${text}`);
}

const KEYWORDS = new Set(["-", "range", "with", "if", "else", "end", ":=", "="]);

/** The string a command hands to `query`: `printf FORMAT args...` or a bare string. */
function commandString(cmd: readonly Token[]): { token: Token; printf: boolean } | undefined {
  // Drop leading keywords and variable declarations (`range $i, $x := printf ...`).
  let k = 0;
  while (k < cmd.length) {
    const t = cmd[k];
    if (t?.kind !== "word" || !(KEYWORDS.has(t.text) || t.text.startsWith("$"))) break;
    k++;
  }
  const rest = cmd.slice(k);
  const [head, arg] = rest;
  if (head?.kind === "word" && head.text === "printf" && arg?.kind === "string")
    return { token: arg, printf: true };
  if (rest.length === 1 && head?.kind === "string") return { token: head, printf: false };
  return undefined;
}

/**
 * The string tokens of one action that `query` evaluates as PromQL: `printf FORMAT ... | query`,
 * `STRING | query`, `query STRING`, `query (printf FORMAT ...)`. Throws when `query` is fed in any
 * other way (a variable, say), rather than leave its durations unscaled.
 */
function queryStrings(tokens: readonly Token[], text: string): { token: Token; printf: boolean }[] {
  const found: { token: Token; printf: boolean }[] = [];
  tokens.forEach((t, i) => {
    if (t.kind !== "word" || t.text !== "query") return;
    let hit: { token: Token; printf: boolean } | undefined;
    const next = tokens[i + 1];
    if (next?.kind === "string") hit = { token: next, printf: false };
    else if (next?.kind === "open") {
      const close = tokens.findIndex((x, j) => j > i + 1 && x.kind === "close");
      hit = commandString(tokens.slice(i + 2, close < 0 ? undefined : close));
    } else if (tokens[i - 1]?.kind === "pipe") {
      let start = i - 1;
      while (start > 0 && !["pipe", "open", "close"].includes(tokens[start - 1]?.kind ?? "")) start--;
      hit = commandString(tokens.slice(start, i - 1));
    }
    if (!hit)
      throw new Error(`cannot find the PromQL handed to query, to scale its durations, in template: ${text}`);
    found.push(hit);
  });
  return found;
}

/** A Go string literal's value, with the offset in the literal of each of its characters. */
function unquote(literal: string): { value: string; at: number[] } {
  if (literal.startsWith("`")) {
    const value = literal.slice(1, -1);
    return { value, at: [...value].map((_, i) => i + 1) };
  }
  const simple: Readonly<Record<string, string>> = {
    a: "\x07",
    b: "\b",
    f: "\f",
    n: "\n",
    r: "\r",
    t: "\t",
    v: "\v",
    "\\": "\\",
    '"': '"',
  };
  let value = "";
  const at: number[] = [];
  for (let i = 1; i < literal.length - 1; i++) {
    at.push(i);
    const c = literal[i] ?? "";
    if (c !== "\\") {
      value += c;
      continue;
    }
    const e = literal[i + 1] ?? "";
    const hex = { x: 2, u: 4, U: 8 }[e];
    if (simple[e] !== undefined) {
      value += simple[e];
      i++;
    } else if (hex !== undefined) {
      value += String.fromCodePoint(parseInt(literal.slice(i + 2, i + 2 + hex), 16));
      i += 1 + hex;
    } else if (/[0-7]/.test(e)) {
      value += String.fromCharCode(parseInt(literal.slice(i + 1, i + 4), 8));
      i += 3;
    } else throw new Error(`unknown escape \\${e} in template string ${literal}`);
  }
  return { value, at };
}

/** printf verbs (`%[1]q`, `%s`, `%.2f`) and `%%`. */
const VERB_RE = /%(?:%|[-+# 0]*(?:\[\d+\])?(?:\d+|\*)?(?:\.(?:\d+|\*)?)?(?:\[\d+\])?[a-zA-Z])/g;

/**
 * A printf format as parseable PromQL of the same length: `%q` verbs become string literals (they
 * print quoted strings), `%%` a `%`, other verbs digits. Returns the spans of the verbs too.
 */
function printfAsPromql(format: string): { promql: string; verbs: [number, number][] } {
  const verbs: [number, number][] = [];
  const promql = format.replace(VERB_RE, (v, offset: number) => {
    if (v === "%%") return "% ";
    verbs.push([offset, offset + v.length]);
    return v.endsWith("q") ? `"${"x".repeat(v.length - 2)}"` : "1".repeat(v.length);
  });
  return { promql, verbs };
}

/** The edits scaling the PromQL inside one string token of the template. */
function stringEdits(text: string, token: Token, printf: boolean, factor: number): Edit[] {
  if (token.kind !== "string") return [];
  const literal = text.slice(token.from, token.to);
  const { value, at } = unquote(literal);
  const { promql, verbs } = printf ? printfAsPromql(value) : { promql: value, verbs: [] };
  return exprEdits(promql, factor).map((e) => {
    if (verbs.some(([a, b]) => e.from < b && a < e.to))
      throw new Error(`a duration comes from a printf argument and cannot be scaled: ${literal}`);
    const from = at[e.from] ?? 0;
    const to = (at[e.to - 1] ?? 0) + 1;
    if (to - from !== e.to - e.from) throw new Error(`an escaped duration cannot be scaled: ${literal}`);
    return { from: token.from + from, to: token.from + to, text: e.text };
  });
}

/**
 * Template text (an annotation or label) with the durations of the PromQL it hands to `query`
 * divided by `factor`, as the generator writes them: `{{ range printf \`...%[1]q...\` $labels.x |
 * query }}`, the format in backticks or double quotes. The rest of the template, prose included, is
 * kept byte for byte. Throws when a `query` call is fed in a way this does not recognise, or its
 * PromQL does not parse.
 */
export function scaleTemplate(text: string, factor: number): string {
  checkFactor(factor);
  const edits: Edit[] = [];
  for (let open = text.indexOf("{{"); open >= 0;) {
    const { tokens, end } = lexAction(text, open + 2);
    for (const q of queryStrings(tokens, text)) edits.push(...stringEdits(text, q.token, q.printf, factor));
    open = text.indexOf("{{", end + 2);
  }
  return applyEdits(text, edits);
}
