/**
 * What a scenario must produce, and whether it did: the receivers an alert is routed to at the
 * time of the run (routing tree and time intervals, as Alertmanager decides them), and the
 * matching of the notifications the recorder received against the scenario's expectations.
 */
import { matchRoutes, type AlertmanagerYaml } from "../operator-merge/index.js";
import { CATALOG, type AlertName } from "../catalog/catalog.js";
import { durationSeconds } from "../config/primitives.js";
import type { ResolvedWorkload } from "../config/resolve.js";
import { UNCONFIGURED_WORKLOAD } from "./cluster/model.js";
import type { Scenario } from "./scenario/schema.js";
import { configReceiverName, sendsResolved } from "./redirect.js";
import { routeHeldBack } from "./time-intervals.js";
import type { TimelineAlert, TimelineExpectation, TimelineNotification } from "./timeline.js";

/**
 * The config names of the receivers that get an alert with these labels at `at`: the routes it
 * ends at, less those whose own mute intervals contain `at` or whose active intervals do not
 * (Alertmanager does not inherit either from the parent route), less receivers without
 * integrations.
 */
export function routedReceivers(am: AlertmanagerYaml, labels: Record<string, string>, at: Date): string[] {
  const out = new Set<string>();
  for (const m of matchRoutes(am.route, labels)) {
    const r = m.route;
    if (routeHeldBack(am, r, at) !== undefined) continue;
    const receiver = am.receivers.find((x) => x.name === m.receiver);
    if (!receiver || !Object.keys(receiver).some((k) => k.endsWith("_configs"))) continue;
    out.add(configReceiverName(m.receiver));
  }
  return [...out];
}

/** Whether the receiver (config name) is told about resolutions. */
export function receiverSendsResolved(am: AlertmanagerYaml, receiver: string): boolean {
  const r = am.receivers.find(
    (x) => configReceiverName(x.name) === receiver && Object.keys(x).some((k) => k.endsWith("_configs")),
  );
  return r ? sendsResolved(r) : false;
}

/** One expected notification, resolved to one receiver, in scenario seconds. */
export interface ExpectedItem {
  readonly alertname: string;
  readonly workload?: string;
  readonly receiver: string;
  readonly status: "firing" | "resolved";
  readonly labels: Readonly<Record<string, string>>;
  readonly from: number;
  readonly to: number;
  /** Accounts for a matching notification but is not required. */
  readonly optional?: boolean;
}

/** One alert of one received notification, in scenario seconds. */
export interface ReceivedItem {
  readonly t: number;
  readonly receiver: string;
  readonly alertname: string;
  readonly workload?: string;
  readonly status: "firing" | "resolved";
  readonly labels: Readonly<Record<string, string>>;
  readonly fingerprint: string;
}

export interface Verdict {
  readonly expectations: TimelineExpectation[];
  /** The received items no expectation accounts for. */
  readonly unexpected: ReceivedItem[];
  /** Per received item (same order), the expectation it met (index), or -1. */
  readonly matchedBy: number[];
}

const HEARTBEAT = "AIScalingAlertsHeartbeat";

function labelsMatch(want: Readonly<Record<string, string>>, got: Readonly<Record<string, string>>): boolean {
  return Object.entries(want).every(([k, v]) => got[k] === v);
}

/**
 * Matches received items against expected ones. An expectation is met by the items of its
 * receiver, alert, workload, status and labels that arrived inside its window (several when the
 * alert exists once per pod); the first one dates it. A received item is
 * accounted for when it met an expectation, or is the heartbeat, or repeats (same fingerprint) or
 * resolves an alert this receiver was already notified of, or a firing that an expectation of the
 * same alert to the same receiver met: anything else is unexpected.
 */
export function judge(expected: readonly ExpectedItem[], received: readonly ReceivedItem[]): Verdict {
  const matchedBy = received.map(() => -1);
  const expectations = expected.map((e, ei): TimelineExpectation => {
    const meets = (r: ReceivedItem): boolean =>
      r.receiver === e.receiver &&
      r.alertname === e.alertname &&
      r.status === e.status &&
      (e.workload === undefined || r.workload === e.workload) &&
      labelsMatch(e.labels, r.labels) &&
      r.t >= e.from &&
      r.t <= e.to;
    // Every matching item is accounted for (an alert per pod arrives as several), the first one
    // dates the expectation.
    received.forEach((r, i) => {
      if (matchedBy[i] === -1 && meets(r)) matchedBy[i] = ei;
    });
    const hit = received.findIndex(meets);
    return {
      alertname: e.alertname,
      ...(e.workload !== undefined ? { workload: e.workload } : {}),
      receiver: e.receiver,
      status: e.status,
      window: [e.from, e.to],
      ...(hit >= 0 ? { receivedAt: (received[hit] as ReceivedItem).t } : {}),
      ...(e.optional ? { optional: true } : {}),
      ok: hit >= 0 || e.optional === true,
    };
  });
  const notified = new Set<string>();
  const unexpected: ReceivedItem[] = [];
  received.forEach((r, i) => {
    const key = `${r.receiver}\0${r.fingerprint}`;
    if (matchedBy[i] !== -1 || r.alertname === HEARTBEAT) {
      notified.add(key);
      return;
    }
    if (notified.has(key)) return;
    const expectedAlert = expected.some(
      (e) =>
        e.receiver === r.receiver &&
        e.alertname === r.alertname &&
        e.workload === r.workload &&
        e.status === "firing",
    );
    if (r.status === "resolved" && expectedAlert) return;
    unexpected.push(r);
  });
  return { expectations, unexpected, matchedBy };
}

/** The received items of recorder notifications, with their expectation (for the timeline). */
export function notificationsOf(
  received: readonly ReceivedItem[],
  verdict: Verdict,
  expected: readonly ExpectedItem[],
): TimelineNotification[] {
  const byCall = new Map<string, { t: number; receiver: string; items: number[] }>();
  received.forEach((r, i) => {
    const k = `${r.t}\0${r.receiver}`;
    const call = byCall.get(k) ?? { t: r.t, receiver: r.receiver, items: [] };
    call.items.push(i);
    byCall.set(k, call);
  });
  const unexpected = new Set(verdict.unexpected);
  return [...byCall.values()].map((c) => {
    const items = c.items.map((i) => received[i] as ReceivedItem);
    const firstExpected = c.items.map((i) => verdict.matchedBy[i] ?? -1).find((m) => m >= 0);
    const cause = firstExpected !== undefined ? expected[firstExpected] : undefined;
    return {
      t: c.t,
      receiver: c.receiver,
      status: items.some((x) => x.status === "firing") ? "firing" : "resolved",
      alerts: items.map((x) => ({
        alertname: x.alertname,
        ...(x.workload !== undefined ? { workload: x.workload } : {}),
        status: x.status,
        labels: x.labels,
      })),
      ...(cause ? { latencySeconds: Math.round((c.t - cause.from) * 10) / 10 } : {}),
      expected: !items.some((x) => unexpected.has(x)),
    };
  });
}

/** The labels an alert of the catalog would carry for a workload, when it never fired. */
function synthesizedLabels(
  w: ResolvedWorkload,
  alert: AlertName,
  extra: Readonly<Record<string, string>>,
): Record<string, string> {
  return {
    alertname: alert,
    namespace: w.namespace,
    horizontalpodautoscaler: w.hpaName,
    workload: w.name,
    severity: w.alerts[alert].severity,
    event: CATALOG[alert].event,
    ...w.labels,
    ...extra,
  };
}

/**
 * The scenario's expectations as one item per receiver: the receivers the configuration routes the
 * alert to at `at` (with the labels the alert really had when it fired, else those it would
 * carry), or the ones the expectation names; for `resolved`, only receivers told of resolutions.
 */
export function expectedItems(
  scenario: Scenario,
  workload: ResolvedWorkload,
  seen: readonly { readonly labels: Readonly<Record<string, string>> }[],
  am: AlertmanagerYaml,
  at: Date,
): ExpectedItem[] {
  return scenario.expect.flatMap((e) => {
    const perWorkload = CATALOG[e.alert].perWorkload;
    const fired = seen.find(
      (a) =>
        a.labels.alertname === e.alert &&
        (!perWorkload || a.labels.workload === workload.name) &&
        Object.entries(e.labels ?? {}).every(([k, v]) => a.labels[k] === v),
    );
    const labels = fired?.labels ?? synthesizedLabels(workload, e.alert, e.labels ?? {});
    let receivers = e.receivers ?? routedReceivers(am, { ...labels }, at);
    if (e.status === "resolved") receivers = receivers.filter((r) => receiverSendsResolved(am, r));
    return receivers.map((receiver) => ({
      alertname: e.alert,
      ...(perWorkload ? { workload: workload.name } : {}),
      receiver,
      status: e.status,
      labels: e.labels ?? {},
      from: durationSeconds(e.at),
      to: durationSeconds(e.at) + durationSeconds(e.within),
      ...(e.optional ? { optional: true } : {}),
    }));
  });
}

/** Alerts that fired although they must not: the scenario's `neverFires`, or any of the unconfigured HPA. */
export function forbiddenAlerts(
  alerts: readonly TimelineAlert[],
  scenario: Scenario,
  workload: string,
): TimelineAlert[] {
  const never: readonly string[] = scenario.neverFires;
  return alerts.filter(
    (a) =>
      a.firingAt !== undefined &&
      (a.workload === UNCONFIGURED_WORKLOAD || (a.workload === workload && never.includes(a.alertname))),
  );
}
