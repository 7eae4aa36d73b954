/**
 * Reading Prometheus's log: go-kit logfmt lines such as
 * `ts=… caller=main.go:1218 level=error msg="Failed to apply configuration" err="error loading rules"`.
 * Pure functions over the captured text.
 */

function unescape(value: string): string {
  return value
    .replace(/\\n/g, "\n")
    .replace(/\\t/g, "\t")
    .replace(/\\(["\\])/g, "$1");
}

/**
 * The value of `key` in one logfmt line, unescaped (`key="quoted \"text\""` or `key=bare`), or
 * undefined when the line has no such field.
 */
export function logField(line: string, key: string): string | undefined {
  const k = key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const quoted = new RegExp(`(?:^|\\s)${k}="((?:[^"\\\\]|\\\\.)*)"`).exec(line);
  if (quoted?.[1] !== undefined) return unescape(quoted[1]);
  return new RegExp(`(?:^|\\s)${k}=([^\\s"]\\S*)`).exec(line)?.[1];
}

/** The `err=` values of the `level=error` lines, in log order (Prometheus's own words on what failed). */
export function loggedErrors(log: string): string[] {
  const errors: string[] = [];
  for (const line of log.split("\n")) {
    if (!/(?:^|\s)level=error\b/.test(line)) continue;
    const err = logField(line, "err");
    if (err !== undefined) errors.push(err);
  }
  return errors;
}

/**
 * The distinct warnings and errors of the log, each as `"<count>x <msg>: rule <name>: <err>"` (the
 * parts a line has), at most 400 characters of message, in order of first appearance.
 */
export function logProblems(log: string): string[] {
  const counts = new Map<string, number>();
  for (const line of log.split("\n")) {
    if (!/(?:^|\s)level=(?:warn|error)\b/.test(line)) continue;
    const rule = logField(line, "name");
    const message = [logField(line, "msg"), rule ? `rule ${rule}` : "", logField(line, "err")]
      .filter(Boolean)
      .join(": ")
      .slice(0, 400);
    counts.set(message, (counts.get(message) ?? 0) + 1);
  }
  return [...counts.entries()].map(([message, count]) => `${count}x ${message}`);
}

/**
 * The part of `after` that was logged after `before` was read, for a bounded log buffer that may
 * have dropped its oldest text in between: located by `before`'s last line. The whole of `after`
 * when that line is no longer there.
 */
export function logSince(before: string, after: string): string {
  if (after.startsWith(before)) return after.slice(before.length);
  const trimmed = before.trimEnd();
  const lastLine = trimmed.slice(trimmed.lastIndexOf("\n") + 1);
  if (lastLine === "") return after;
  const at = after.lastIndexOf(lastLine);
  return at < 0 ? after : after.slice(at + lastLine.length).replace(/^\n/, "");
}
