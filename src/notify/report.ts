/** The `test-notify` report: what was sent to which receiver, and what the Alertmanager made of it. Pure. */
import type { NotifyCheck, ReceiverOutcome } from "./check.js";
import { TEST_LABEL, TEST_RUN_LABEL, type TestPlan } from "./test-alerts.js";

function result(r: ReceiverOutcome, check: NotifyCheck): string {
  const a = r.alert !== undefined ? check.alerts[r.alert] : undefined;
  switch (r.result) {
    case "routed":
      return r.muted ? `routed, but ${r.muted}: no notification before it resolves` : "routed";
    case "not-routed":
      return `NOT ROUTED: the Alertmanager sends it to ${a?.receivers.join(", ") || "no receiver"}`;
    case "not-found":
      return "NOT FOUND: the Alertmanager does not hold the alert";
    case "suppressed": {
      const why = [
        ...(a?.silencedBy.length ? [`silenced by ${a.silencedBy.join(", ")}`] : []),
        ...(a?.inhibitedBy.length ? [`inhibited by ${a.inhibitedBy.join(", ")}`] : []),
      ];
      return `SUPPRESSED (${why.join("; ")}): no notification`;
    }
    case "no-alert":
      return "nothing sent: no alert of the catalog routes here";
  }
}

function table(rows: readonly string[][]): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  return rows.map((r) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd(),
  );
}

/** The report as text, for the terminal. `where` is the Alertmanager's printable URL. */
export function formatNotifyReport(plan: TestPlan, check: NotifyCheck, where: string): string {
  const endsAt = plan.alerts[0]?.endsAt;
  const lines = [
    `Sent ${plan.alerts.length} test alert${plan.alerts.length === 1 ? "" : "s"} to ${where} ` +
      `(labels ${TEST_LABEL}="true", ${TEST_RUN_LABEL}="${plan.runId}")${endsAt ? `; they resolve by themselves at ${endsAt}` : ""}.`,
    "",
    ...table([
      ["RECEIVER", "SEVERITY", "TEST ALERT", "WORKLOAD", "ALERTMANAGER"],
      ...check.receivers.map((r) => {
        const a = r.alert !== undefined ? plan.alerts[r.alert] : undefined;
        return [r.receiver, a?.labels.severity ?? "-", a?.alert ?? "-", a?.workload ?? "-", result(r, check)];
      }),
    ]),
    "",
  ];
  for (const a of check.alerts) {
    if (a.extra.length > 0)
      lines.push(
        `note: ${a.alert.alert} also reaches ${a.extra.join(", ")}, which this config does not have ` +
          "(the Alertmanager's own configuration or other AlertmanagerConfigs; pass --base-config and --alertmanager-config to predict them)",
      );
  }
  if (check.alerts.some((a) => a.found && a.missing.length > 0)) {
    lines.push(
      "MISMATCH: the Alertmanager does not route the test alerts as this config predicts, so it does not run this configuration. " +
        "Apply it (with the Prometheus Operator: check that the Alertmanager selects the AlertmanagerConfig and has reloaded), or pass the merge options it was rendered with.",
    );
  } else if (!check.ok) {
    lines.push("FAILED: not every receiver will get its test message (see above).");
  } else {
    lines.push(
      `OK: every receiver marked "routed" gets its test message after its route's group_wait; ` +
        "check that each one arrived. Receivers that send resolved notifications get the resolution too.",
    );
  }
  return `${lines.join("\n")}\n`;
}
