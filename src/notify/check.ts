/**
 * What the running Alertmanager made of the test alerts, from its `GET /api/v2/alerts` answer
 * (each alert with the receivers its routing tree gives it and whether it is silenced or
 * inhibited), compared with what the configuration predicts. A predicted receiver the Alertmanager
 * does not route to means it does not run this configuration. Pure.
 */
import { sameReceiver, type TestAlert, type TestPlan } from "./test-alerts.js";

/** The parts of an alert of `GET /api/v2/alerts` that the check reads. */
export interface ObservedAlert {
  readonly labels: Readonly<Record<string, string>>;
  readonly receivers: readonly { readonly name: string }[];
  readonly status: {
    readonly state: string;
    readonly silencedBy: readonly string[];
    readonly inhibitedBy: readonly string[];
  };
}

/** How one test alert fared. */
export interface AlertOutcome {
  readonly alert: TestAlert;
  /** Whether the Alertmanager holds it. */
  readonly found: boolean;
  /** The receivers the Alertmanager routes it to. */
  readonly receivers: readonly string[];
  /** Predicted receivers the Alertmanager does not route it to. */
  readonly missing: readonly string[];
  /** Receivers it reaches that the configuration does not predict (other configuration in that Alertmanager). */
  readonly extra: readonly string[];
  readonly silencedBy: readonly string[];
  readonly inhibitedBy: readonly string[];
}

/** The verdict for one receiver under test. */
export type ReceiverResult =
  /** The alert is routed to it and nothing suppresses it: a notification is on its way. */
  | "routed"
  /** The Alertmanager does not route the alert to it: it runs another configuration. */
  | "not-routed"
  /** The Alertmanager does not hold the alert at all. */
  | "not-found"
  /** A silence or an inhibition mutes the alert. */
  | "suppressed"
  /** No alert of the catalog routes to it: nothing was sent. */
  | "no-alert";

export interface ReceiverOutcome {
  readonly receiver: string;
  readonly result: ReceiverResult;
  /** Index into {@link NotifyCheck.alerts}. */
  readonly alert?: number;
  /** Why it will not be notified now although everything else is right (a time interval). */
  readonly muted?: string;
}

export interface NotifyCheck {
  /** False when a receiver is not routed, an alert is missing, or one is suppressed. */
  readonly ok: boolean;
  readonly alerts: readonly AlertOutcome[];
  readonly receivers: readonly ReceiverOutcome[];
}

function sameLabels(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

function outcome(alert: TestAlert, observed: readonly ObservedAlert[]): AlertOutcome {
  const o = observed.find((x) => sameLabels(x.labels, alert.labels));
  const receivers = o ? [...new Set(o.receivers.map((r) => r.name))] : [];
  const predicted = [...new Set(alert.predicted)];
  return {
    alert,
    found: o !== undefined,
    receivers,
    missing: o ? predicted.filter((p) => !receivers.some((r) => sameReceiver(p, r))) : predicted,
    extra: receivers.filter((r) => !predicted.some((p) => sameReceiver(p, r))),
    silencedBy: o?.status.silencedBy ?? [],
    inhibitedBy: o?.status.inhibitedBy ?? [],
  };
}

/** Compares the Alertmanager's view of the test alerts with the plan. */
export function checkNotifications(plan: TestPlan, observed: readonly ObservedAlert[]): NotifyCheck {
  const alerts = plan.alerts.map((a) => outcome(a, observed));
  const receivers = plan.targets.map((t): ReceiverOutcome => {
    const base = {
      receiver: t.receiver,
      ...(t.alert !== undefined ? { alert: t.alert } : {}),
      ...(t.muted ? { muted: t.muted } : {}),
    };
    const a = t.alert !== undefined ? alerts[t.alert] : undefined;
    if (!a) return { ...base, result: "no-alert" };
    if (!a.found) return { ...base, result: "not-found" };
    if (!a.receivers.some((r) => sameReceiver(t.receiver, r))) return { ...base, result: "not-routed" };
    if (a.silencedBy.length > 0 || a.inhibitedBy.length > 0) return { ...base, result: "suppressed" };
    return { ...base, result: "routed" };
  });
  const ok =
    receivers.every((r) => r.result === "routed" || r.result === "no-alert") &&
    alerts.every((a) => a.found && a.missing.length === 0);
  return { ok, alerts, receivers };
}
