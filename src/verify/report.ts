/**
 * The result of `verify`: one row per check, as a readable table or as JSON. Each detail line has a
 * level, so that the table says which lines are problems (they fail the check) and which are
 * warnings, and the footer counts exactly the lines the table lists.
 */

export type CheckStatus = "pass" | "fail" | "warn" | "skip";

/** What one detail line is: a problem (fails its check), a warning, or a note (a hint, tool output). */
export type DetailLevel = "problem" | "warning" | "note";

/** One check: pass/fail at a glance, and the details that explain it. */
export interface Check {
  readonly id: string;
  readonly title: string;
  readonly status: CheckStatus;
  /** One line: what was checked and the outcome. */
  readonly summary: string;
  /** One line per finding, each naming the cause and the fix. */
  readonly details: readonly string[];
  /**
   * The level of each line of `details`, in the same order. Without it every line takes the
   * check's status: a failing check's lines are problems, a warning check's are warnings, and the
   * lines of a passing or skipped check are notes.
   */
  readonly levels?: readonly DetailLevel[];
}

/** A detail line with its level, to build a check from (see {@link detailFields}). */
export interface Finding {
  readonly level: DetailLevel;
  readonly text: string;
}

/** Whether a report fails (any check failed; warnings and skips do not fail). */
export function failed(checks: readonly Check[]): boolean {
  return checks.some((c) => c.status === "fail");
}

/** `details` and `levels` of a check, from its findings in order. */
export function detailFields(findings: readonly Finding[]): { details: string[]; levels: DetailLevel[] } {
  return { details: findings.map((f) => f.text), levels: findings.map((f) => f.level) };
}

/** The status findings give: fail with a problem, warn with a warning, else pass. */
export function statusOf(findings: readonly Finding[]): "pass" | "warn" | "fail" {
  if (findings.some((f) => f.level === "problem")) return "fail";
  return findings.some((f) => f.level === "warning") ? "warn" : "pass";
}

/** `1 problem`, `2 warnings`. */
export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

const STATUS_LEVEL: Record<CheckStatus, DetailLevel> = {
  fail: "problem",
  warn: "warning",
  pass: "note",
  skip: "note",
};

/**
 * The lines listed under a check, with their levels. A failing check always lists a problem and a
 * warning check a warning: when its details have none (raw tool output, a hint), its summary is
 * listed at that level first, so that the footer's counts and the rows agree.
 */
export function listedLines(c: Check, details: "problems" | "all" = "problems"): Finding[] {
  if (details !== "all" && c.status !== "fail" && c.status !== "warn") return [];
  const lines = c.details.map((text, i): Finding => ({
    level: c.levels?.[i] ?? STATUS_LEVEL[c.status],
    text,
  }));
  const own = STATUS_LEVEL[c.status];
  if (own !== "note" && !lines.some((l) => l.level === own)) lines.unshift({ level: own, text: c.summary });
  return lines;
}

const MARK: Record<CheckStatus, string> = { pass: "PASS", fail: "FAIL", warn: "WARN", skip: "SKIP" };
const TAG: Record<DetailLevel, string> = { problem: "PROBLEM: ", warning: "WARNING: ", note: "" };

/**
 * The report as a table: status, check, summary; under failing and warning rows (every row with
 * `all`) their lines, each marked PROBLEM or WARNING unless it is a note. The footer counts the
 * checks by status and the problem and warning lines listed.
 */
export function formatReport(checks: readonly Check[], details: "problems" | "all" = "problems"): string {
  const width = Math.max(...checks.map((c) => c.title.length), 5);
  const lines = [`${"RESULT".padEnd(6)}  ${"CHECK".padEnd(width)}  SUMMARY`];
  const listed: Finding[] = [];
  for (const c of checks) {
    lines.push(`${MARK[c.status].padEnd(6)}  ${c.title.padEnd(width)}  ${c.summary}`);
    for (const l of listedLines(c, details)) {
      lines.push(`${" ".repeat(8)}- ${TAG[l.level]}${l.text}`);
      listed.push(l);
    }
  }
  const n = (s: CheckStatus) => checks.filter((c) => c.status === s).length;
  const problems = listed.filter((l) => l.level === "problem").length;
  const warnings = listed.filter((l) => l.level === "warning").length;
  lines.push(
    "",
    `${failed(checks) ? "FAILED" : "OK"}: ${count(checks.length, "check")}: ${n("pass")} passed, ${n("fail")} failed, ${n("warn")} with warnings, ${n("skip")} skipped; ${count(problems, "problem")} and ${count(warnings, "warning")} listed above`,
  );
  return `${lines.join("\n")}\n`;
}
