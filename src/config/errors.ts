/**
 * Turning validation problems into one readable line each: `path: what was expected`. Every
 * problem is made safe to print here, whatever produced it: values quoted in a message are cut to
 * {@link LIMITS.echoChars} characters, control and bidirectional-override characters are escaped (a
 * config cannot repaint the terminal), and at most {@link LIMITS.problems} problems are listed.
 */
import type { z } from "zod";
import { LIMITS } from "./limits.js";

/** One problem found in a config, with the path of the offending field. */
export interface ConfigProblem {
  /** Field path in the config, e.g. `workloads[0].autoscaling.maxReplicas` (empty for the root). */
  readonly path: string;
  readonly message: string;
}

/** Thrown (and caught by the CLI) when a config is invalid; carries every problem found, made printable. */
export class ConfigError extends Error {
  readonly problems: readonly ConfigProblem[];
  readonly source?: string;
  constructor(problems: readonly ConfigProblem[], source?: string) {
    const safe = problems.map((p) => ({ path: printable(p.path), message: printable(p.message) }));
    const src = source === undefined ? undefined : printable(source);
    super(formatProblems(safe, src));
    this.name = "ConfigError";
    this.problems = safe;
    if (src !== undefined) this.source = src;
  }
}

// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

/** `s` cut to `max` characters, ending in "..." when cut (never inside a surrogate pair). */
export function truncate(s: string, max: number = LIMITS.echoChars): string {
  if (s.length <= max) return s;
  let cut = s.slice(0, max - 3);
  if (/[\ud800-\udbff]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}...`;
}

/**
 * A message or path made safe to print: quoted strings (JSON literals) and unbroken runs longer than
 * {@link LIMITS.echoChars} cut with "...", unprintable characters escaped as `\uXXXX`, tabs and
 * newlines as `\t` and `\n`, and the whole at most {@link LIMITS.messageChars} characters.
 */
export function printable(text: string): string {
  const escaped = text.replace(UNPRINTABLE, (c) =>
    c === "\n" ? "\\n" : c === "\t" ? "\\t" : `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, "0")}`,
  );
  const quoted = escaped.replace(/"(?:[^"\\]|\\.)*"/g, (q) =>
    q.length <= LIMITS.echoChars + 2 ? q : `"${cutEscaped(q.slice(1, -1))}..."`,
  );
  const runs = quoted.replace(/[^\s"]{121,}/g, (run) => truncate(run));
  return truncate(runs, LIMITS.messageChars);
}

/** The body of a JSON string literal cut for "...", never inside an escape sequence. */
function cutEscaped(body: string): string {
  let cut = body.slice(0, LIMITS.echoChars - 3);
  const escape = /\\+(u[0-9a-fA-F]{0,3})?$/.exec(cut);
  if (escape) {
    const slashes = escape[0].length - (escape[1]?.length ?? 0);
    // An odd run of backslashes starts an escape that the cut broke: drop it.
    if (slashes % 2 === 1) cut = cut.slice(0, cut.length - (escape[1]?.length ?? 0) - 1);
  }
  return /[\ud800-\udbff]$/.test(cut) ? cut.slice(0, -1) : cut;
}

/** Formats a path array as `a.b[0].c` (each key cut to {@link LIMITS.echoChars} characters). */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else out += out === "" ? truncate(String(seg)) : `.${truncate(String(seg))}`;
  }
  return out;
}

/**
 * Formats problems one per line, prefixed with the source file when known; beyond
 * {@link LIMITS.problems}, the rest are counted on a last line.
 */
export function formatProblems(problems: readonly ConfigProblem[], source?: string): string {
  const head = source ? `${source}: ` : "";
  const [only] = problems;
  if (problems.length === 1 && only?.path === "(file)") return `${head}${only.message}`;
  const shown = problems.slice(0, LIMITS.problems);
  const lines = shown.map((p) => `  ${p.path || "(config)"}: ${p.message}`);
  if (problems.length > shown.length) lines.push(`  ... and ${problems.length - shown.length} more`);
  const noun = problems.length === 1 ? "problem" : "problems";
  return `${head}invalid config, ${problems.length} ${noun}:\n${lines.join("\n")}`;
}

/** Converts zod issues into problems, expanding unions and unknown keys into plain words. */
export function zodProblems(
  issues: readonly z.core.$ZodIssue[],
  basePath: readonly PropertyKey[] = [],
): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const safeIntPaths = new Set<string>();
  for (const issue of issues) {
    const path = [...basePath, ...issue.path];
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        out.push({
          path: formatPath([...path, key]),
          message:
            key === "<<"
              ? "YAML merge keys (<<) are not supported: write the keys out"
              : "unknown key (check the spelling; see the config reference)",
        });
      }
      continue;
    }
    if (
      issue.code === "invalid_union" &&
      issue.errors.length > 0 &&
      issue.message.startsWith("Invalid input")
    ) {
      // A union where every branch failed: report the branch that got furthest.
      const best = issue.errors.reduce((a, b) => (deepest(b) > deepest(a) ? b : a));
      out.push(...zodProblems(best, path));
      continue;
    }
    if (issue.code === "invalid_key" && issue.issues.length > 0) {
      out.push({ path: formatPath(path), message: plain(issue.issues[0]?.message ?? issue.message) });
      continue;
    }
    let message = plain(issue.message);
    if (/, received undefined$/.test(message))
      message = `required: ${message.replace(/, received undefined$/, "")}`;
    const input = "input" in issue ? issue.input : undefined;
    const scalar = typeof input === "number" || typeof input === "boolean";
    message = message.replace(
      /expected (\w+), received (\w+)$/,
      (_, a: string, b: string) =>
        `expected ${typeWord(a)}, got ${scalar ? describeValue(input) : typeWord(b)}`,
    );
    message = message.replace(
      /^(required: )?expected (\w+)$/,
      (_, r = "", a: string) => `${r}expected ${typeWord(a)}`,
    );
    if ("input" in issue && issue.input !== undefined && !/\bgot\b|received|required/.test(message)) {
      if (issue.code === "invalid_type") {
        // A custom message names what was expected; say what came instead (a string by its kind
        // only: it may be a credential written inline).
        if (!/^expected\b/.test(message)) message = `expected ${message}`;
        message += `, got ${typeof issue.input === "string" ? "a string" : describeValue(issue.input)}`;
      } else if (issue.code === "invalid_value") message += `, got ${describeValue(issue.input)}`;
    }
    if (issue.code === "too_big" && issue.maximum === Number.MAX_SAFE_INTEGER) {
      // zod's own bound on whole numbers: reported only when no limit of ours is (see below).
      message = `must be at most ${Number.MAX_SAFE_INTEGER}`;
      safeIntPaths.add(formatPath(path));
    }
    out.push({ path: formatPath(path), message });
  }
  const generic = `must be at most ${Number.MAX_SAFE_INTEGER}`;
  const others = new Set(out.filter((p) => p.message !== generic).map((p) => p.path));
  return dedupe(
    out.filter((p) => !(p.message === generic && safeIntPaths.has(p.path) && others.has(p.path))),
  );
}

/** How a type is said in YAML terms. */
const TYPE_WORDS: Readonly<Record<string, string>> = {
  string: "a string",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  object: "a mapping",
  record: "a mapping",
  map: "a mapping",
  array: "a list",
  tuple: "a list",
  null: "null",
  undefined: "nothing",
  nan: ".nan (not a number)",
  NaN: ".nan (not a number)",
  Infinity: ".inf (infinity)",
  bigint: "a number",
  never: "nothing",
};
const typeWord = (t: string): string => TYPE_WORDS[t] ?? t;

/** The YAML kind of a value, as zod names types. */
function kindOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isNaN(v) ? "NaN" : Number.isFinite(v) ? "number" : "Infinity";
  return typeof v;
}

/** A scalar as JSON (cut later by {@link printable}); anything else by its kind. */
function describeValue(v: unknown): string {
  if (typeof v === "string" || typeof v === "boolean" || (typeof v === "number" && Number.isFinite(v)))
    return JSON.stringify(v);
  return typeWord(kindOf(v));
}

function deepest(issues: readonly z.core.$ZodIssue[]): number {
  return Math.max(0, ...issues.map((i) => i.path.length));
}

/** zod's default messages start with "Invalid input: expected ..."; keep only the useful part. */
function plain(message: string): string {
  return message
    .replace(/^Invalid input: /, "")
    .replace(/^Invalid option: expected one of /, "expected one of ")
    .replace(/^Too small: expected (\w+) to (have )?/, "must ")
    .replace(/^Too big: expected (\w+) to (have )?/, "must ")
    .replace(/^must be >=(-?[\d.e+]+)$/, "must be at least $1")
    .replace(/^must be <=(-?[\d.e+]+)$/, "must be at most $1")
    .replace(/^must be >(-?[\d.e+]+)$/, "must be more than $1")
    .replace(/^must be <(-?[\d.e+]+)$/, "must be less than $1")
    .replace(/^Invalid string: must match pattern (.*)$/, "must match $1");
}

function dedupe(problems: ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const k = `${p.path}\0${p.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
