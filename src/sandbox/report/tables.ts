/**
 * The text of the report as HTML: the header with the verdict, and the tables of expected and
 * unexpected notifications, alerts and steps. Everything here is readable without the charts.
 */
import type { SandboxTimeline, TimelineNotification } from "../timeline.js";
import { escapeHtml as h } from "./escape.js";
import { clock, latency, timeWindow } from "./format.js";

function table(testId: string, caption: string, head: readonly string[], rows: readonly string[]): string {
  return [
    `<table data-testid="${h(testId)}">`,
    `<caption>${h(caption)}</caption>`,
    `<thead><tr>${head.map((c) => `<th scope="col">${h(c)}</th>`).join("")}</tr></thead>`,
    `<tbody>${rows.join("\n")}</tbody>`,
    `</table>`,
  ].join("\n");
}

function cells(values: readonly string[]): string {
  return values.map((v) => `<td>${h(v)}</td>`).join("");
}

function speed(x: number): string {
  return x === 1 ? "1× (real time)" : `${x}×`;
}

/** One sentence that says why a run failed (or that it passed). */
export function verdict(t: SandboxTimeline): string {
  const missed = t.expectations.filter((e) => !e.ok).length;
  const unexpected = t.notifications.filter((n) => !n.expected).length;
  const met = `${t.expectations.length - missed} of ${t.expectations.length} expected notifications arrived in their window`;
  return `${met}; ${unexpected} unexpected notification${unexpected === 1 ? "" : "s"}.`;
}

/** The page header: scenario, description, run facts and PASS/FAIL in words. */
export function headerHtml(t: SandboxTimeline): string {
  const result = t.passed ? "PASS" : "FAIL";
  return `<header>
<h1>Sandbox scenario: ${h(t.scenario.name)}</h1>
<p class="description">${h(t.scenario.description)}</p>
<p class="verdict ${t.passed ? "pass" : "fail"}" data-testid="verdict" role="status"><strong>${result}</strong> ${h(verdict(t))}</p>
<dl class="facts">
<div><dt>Config</dt><dd>${h(t.config)}</dd></div>
<div><dt>Started</dt><dd>${h(t.startedAt)}</dd></div>
<div><dt>Duration</dt><dd>${h(clock(t.durationSeconds))} scenario time</dd></div>
<div><dt>Speed</dt><dd>${h(speed(t.scenario.speed))}</dd></div>
</dl>
</header>`;
}

/** Expected notifications: receiver, alert, workload, status, window, received at, ok. */
export function expectationsHtml(t: SandboxTimeline): string {
  const rows = t.expectations.map((e) => {
    const received = e.receivedAt === undefined ? "not received" : clock(e.receivedAt);
    const ok = e.ok ? "✔ ok" : "✘ FAILED";
    return `<tr class="${e.ok ? "ok" : "failed"}" data-ok="${e.ok}">${cells([
      e.receiver,
      e.alertname,
      e.workload ?? "—",
      e.status,
      timeWindow(e.window),
      received,
    ])}<td class="result">${h(ok)}</td></tr>`;
  });
  if (rows.length === 0) return `<p data-testid="expectations">The scenario expects no notification.</p>`;
  return table(
    "expectations",
    "Expected notifications",
    ["Receiver", "Alert", "Workload", "Status", "Window", "Received at", "Result"],
    rows,
  );
}

function alertsOf(n: TimelineNotification): string {
  return n.alerts.map((a) => (a.workload ? `${a.alertname} (${a.workload})` : a.alertname)).join(", ");
}

/** Notifications no expectation accounts for. */
export function unexpectedHtml(t: SandboxTimeline): string {
  const unexpected = t.notifications.filter((n) => !n.expected);
  if (unexpected.length === 0)
    return `<p data-testid="unexpected" class="none">No unexpected notification arrived.</p>`;
  const rows = unexpected.map(
    (n) => `<tr class="failed">${cells([clock(n.t), n.receiver, n.status, alertsOf(n)])}</tr>`,
  );
  return table(
    "unexpected",
    "Unexpected notifications",
    ["Received at", "Receiver", "Status", "Alerts"],
    rows,
  );
}

/** Every notification, in time order, with its latency. */
export function notificationsHtml(t: SandboxTimeline): string {
  const rows = [...t.notifications]
    .sort((a, b) => a.t - b.t)
    .map((n) =>
      cells([
        clock(n.t),
        n.receiver,
        n.status,
        alertsOf(n),
        n.latencySeconds === undefined ? "—" : latency(n.latencySeconds),
        n.expected ? "expected" : "UNEXPECTED",
      ]),
    )
    .map((c) => `<tr>${c}</tr>`);
  return table(
    "notifications",
    "All notifications",
    ["Received at", "Receiver", "Status", "Alerts", "Latency", "Expected"],
    rows,
  );
}

/** Every alert with its pending, firing and end times. */
export function alertsHtml(t: SandboxTimeline): string {
  const at = (s: number | undefined, none: string) => (s === undefined ? none : clock(s));
  const rows = t.alerts.map(
    (a) =>
      `<tr>${cells([
        a.alertname,
        a.namespace && a.workload ? `${a.namespace}/${a.workload}` : (a.workload ?? "—"),
        a.severity,
        at(a.pendingAt, "—"),
        at(a.firingAt, "never"),
        a.firingAt === undefined && a.pendingAt === undefined ? "—" : at(a.endedAt, "still active"),
      ])}</tr>`,
  );
  return table(
    "alerts",
    "Alerts",
    ["Alert", "Workload", "Severity", "Pending at", "Firing at", "Ended at"],
    rows,
  );
}

/** The scenario's steps, numbered as on the charts. */
export function stepsHtml(t: SandboxTimeline): string {
  const rows = t.steps.map(
    (s, i) => `<tr>${cells([String(i + 1), clock(s.t), s.workload ?? "all", s.label])}</tr>`,
  );
  return table("steps", "Scenario steps", ["#", "At", "Workload", "What happened"], rows);
}
