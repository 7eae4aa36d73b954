/** The result of `verify`: one row per check, as a readable table or as JSON. */

export type CheckStatus = "pass" | "fail" | "warn" | "skip";

/** One check: pass/fail at a glance, and the details that explain it. */
export interface Check {
  readonly id: string;
  readonly title: string;
  readonly status: CheckStatus;
  /** One line: what was checked and the outcome. */
  readonly summary: string;
  /** One line per finding, each naming the cause and the fix. */
  readonly details: readonly string[];
}

/** Whether a report fails (any check failed; warnings and skips do not fail). */
export function failed(checks: readonly Check[]): boolean {
  return checks.some((c) => c.status === "fail");
}

const MARK: Record<CheckStatus, string> = { pass: "PASS", fail: "FAIL", warn: "WARN", skip: "SKIP" };

/** The report as a table: status, check, summary; details indented under failing and warning rows. */
export function formatReport(checks: readonly Check[], details: "problems" | "all" = "problems"): string {
  const width = Math.max(...checks.map((c) => c.title.length), 5);
  const lines = [`${"RESULT".padEnd(6)}  ${"CHECK".padEnd(width)}  SUMMARY`];
  for (const c of checks) {
    lines.push(`${MARK[c.status].padEnd(6)}  ${c.title.padEnd(width)}  ${c.summary}`);
    if (details === "all" || c.status === "fail" || c.status === "warn") {
      for (const d of c.details) lines.push(`${" ".repeat(8)}- ${d}`);
    }
  }
  const count = (s: CheckStatus) => checks.filter((c) => c.status === s).length;
  lines.push(
    "",
    `${failed(checks) ? "FAILED" : "OK"}: ${count("pass")} passed, ${count("fail")} failed, ${count("warn")} warnings, ${count("skip")} skipped`,
  );
  return `${lines.join("\n")}\n`;
}
