/** Small helpers for writing PromQL text. They only build strings; nothing here evaluates. */

/** Quotes a string as a PromQL string literal. */
export function str(value: string): string {
  return JSON.stringify(value);
}

/** `metric{m1, m2}` with empty matcher strings dropped. */
export function sel(metric: string, ...matchers: string[]): string {
  const ms = matchers.map((m) => m.trim()).filter((m) => m !== "");
  return ms.length === 0 ? metric : `${metric}{${ms.join(", ")}}`;
}

/** `name="value"` */
export function eq(name: string, value: string): string {
  return `${name}=${str(value)}`;
}

/** `name=~"a|b"`, or `name="a"` for one value; values are regex-escaped. */
export function oneOf(name: string, values: readonly string[]): string {
  const uniq = [...new Set(values)].sort();
  if (uniq.length === 1) return eq(name, uniq[0] as string);
  return `${name}=~${str(uniq.map(escapeRegex).join("|"))}`;
}

export function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A comma-separated label list for `by (...)` / `on (...)`. */
export function labels(names: readonly string[]): string {
  return names.join(", ");
}

/**
 * The union of many vectors, as a balanced tree of `or` so that evaluation stays O(n log n)
 * rather than the O(n^2) of a left-deep chain.
 */
export function union(parts: readonly string[]): string {
  if (parts.length === 0) throw new Error("union of nothing");
  if (parts.length === 1) return parts[0] as string;
  const mid = Math.ceil(parts.length / 2);
  const wrap = (s: string) => (s.includes(" or ") ? `(${s})` : s);
  return `${wrap(union(parts.slice(0, mid)))}\n  or ${wrap(union(parts.slice(mid)))}`;
}

/** Formats a number for PromQL without float noise (0.1 + 0.2 -> 0.3). */
export function formatNumber(n: number): string {
  return String(Number(n.toPrecision(12)));
}

/** Escapes text for use inside a Go template raw string (backticks) passed to printf. */
export function printfLiteral(s: string): string {
  if (s.includes("`")) throw new Error(`backtick in PromQL selector: ${s}`);
  return s.replace(/%/g, "%%");
}
