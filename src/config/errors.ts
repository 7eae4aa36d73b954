/** Turning validation problems into one readable line each: `path: what was expected`. */
import type { z } from "zod";

/** One problem found in a config, with the path of the offending field. */
export interface ConfigProblem {
  /** Field path in the config, e.g. `workloads[0].autoscaling.maxReplicas` (empty for the root). */
  readonly path: string;
  readonly message: string;
}

/** Thrown (and caught by the CLI) when a config is invalid; carries every problem found. */
export class ConfigError extends Error {
  constructor(
    readonly problems: readonly ConfigProblem[],
    readonly source?: string,
  ) {
    super(formatProblems(problems, source));
    this.name = "ConfigError";
  }
}

/** Formats a path array as `a.b[0].c`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else out += out === "" ? String(seg) : `.${String(seg)}`;
  }
  return out;
}

/** Formats problems one per line, prefixed with the source file when known. */
export function formatProblems(problems: readonly ConfigProblem[], source?: string): string {
  const head = source ? `${source}: ` : "";
  const lines = problems.map((p) => `  ${p.path || "(config)"}: ${p.message}`);
  const noun = problems.length === 1 ? "problem" : "problems";
  return `${head}invalid config, ${problems.length} ${noun}:\n${lines.join("\n")}`;
}

/** Converts zod issues into problems, expanding unions and unknown keys into plain words. */
export function zodProblems(
  issues: readonly z.core.$ZodIssue[],
  basePath: readonly PropertyKey[] = [],
): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  for (const issue of issues) {
    const path = [...basePath, ...issue.path];
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        out.push({
          path: formatPath([...path, key]),
          message: "unknown key (check the spelling; see the config reference)",
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
    out.push({ path: formatPath(path), message });
  }
  return dedupe(out);
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
    .replace(/^Too big: expected (\w+) to (have )?/, "must ");
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
