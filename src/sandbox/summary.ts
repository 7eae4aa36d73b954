/** The sandbox's closing table: expected vs received notifications, and what else arrived. */
import type { SandboxTimeline } from "./timeline.js";

const m = (s: number | undefined): string => {
  if (s === undefined) return "-";
  const a = Math.round(s);
  return `${Math.floor(a / 60)}:${String(a % 60).padStart(2, "0")}`;
};

function table(rows: string[][]): string[] {
  const widths = (rows[0] ?? []).map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  return rows.map((r) =>
    r
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd(),
  );
}

/** Lines of the closing summary of a run. */
export function summaryTable(t: SandboxTimeline): string[] {
  const out: string[] = [];
  out.push(
    `Expected notifications (${t.scenario.name}, speed ${t.scenario.speed}; times are scenario time):`,
  );
  if (t.expectations.length === 0) out.push("  none: nothing but the heartbeat may arrive");
  else {
    const rows = [["", "receiver", "alert", "workload", "status", "window", "received", "latency"]];
    for (const e of t.expectations) {
      rows.push([
        e.optional
          ? e.receivedAt !== undefined
            ? "ok (optional)"
            : "- (optional)"
          : e.ok
            ? "ok"
            : "MISSING",
        e.receiver,
        e.alertname,
        e.workload ?? "",
        e.status,
        `${m(e.window[0])}-${m(e.window[1])}`,
        m(e.receivedAt),
        e.receivedAt !== undefined ? `+${Math.round(e.receivedAt - e.window[0])}s` : "",
      ]);
    }
    out.push(...table(rows).map((l) => `  ${l}`));
  }
  const unexpected = t.notifications.filter((n) => !n.expected);
  if (unexpected.length > 0) {
    out.push("Unexpected notifications:");
    const rows = [["at", "receiver", "alerts"]];
    for (const n of unexpected)
      rows.push([
        m(n.t),
        n.receiver,
        n.alerts.map((a) => `${a.alertname} ${a.workload ?? ""} (${a.status})`).join(", "),
      ]);
    out.push(...table(rows).map((l) => `  ${l}`));
  }
  if (t.forbiddenAlerts && t.forbiddenAlerts.length > 0) {
    out.push("Alerts that must not fire, fired:");
    for (const a of t.forbiddenAlerts)
      out.push(`  ${m(a.firingAt)}  ${a.alertname} ${a.workload ?? ""} ${JSON.stringify(a.labels)}`);
  }
  const heartbeats = t.notifications.filter((n) =>
    n.alerts.every((a) => a.alertname === "AIScalingAlertsHeartbeat"),
  );
  if (heartbeats.length > 0) {
    const times = heartbeats.map((n) => n.t);
    const gaps = times.slice(1).map((x, i) => x - (times[i] ?? 0));
    const period =
      gaps.length > 0 ? ` every ${Math.round(gaps.reduce((a, b) => a + b, 0) / gaps.length)}s` : "";
    out.push(
      `Heartbeat: ${heartbeats.length} pings to ${[...new Set(heartbeats.map((n) => n.receiver))].join(", ")}${period}`,
    );
  }
  out.push(t.passed ? "PASS: every expected notification arrived in its window, and nothing else." : "FAIL");
  return out;
}
