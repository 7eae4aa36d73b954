/**
 * Counting a notification storm: per receiver, how many notifications and groups carried which
 * alerts, the bound the routing's grouping puts on them, and which expected alerts none carried.
 * Pure: works on recorded notifications.
 */
import { matchRoutes, type AlertmanagerYaml, type RouteConfig } from "../operator-merge/index.js";
import { durationSeconds } from "../config/primitives.js";
import { configReceiverName } from "./redirect.js";
import type { Notification } from "./webhook-receiver.js";

/** How a route an alert ends at groups it: its settings as inherited down the routing tree. */
export interface EffectiveGrouping {
  /** The receiver's config name. */
  readonly receiver: string;
  readonly groupBy: readonly string[];
  readonly groupWaitSeconds: number;
  readonly groupIntervalSeconds: number;
}

/**
 * The grouping of every route an alert with these labels ends at: `group_by`, `group_wait` and
 * `group_interval` inherited from the closest ancestor that sets them (Alertmanager's defaults:
 * no grouping, 30s, 5m).
 */
export function effectiveGrouping(
  am: AlertmanagerYaml,
  labels: Readonly<Record<string, string>>,
): EffectiveGrouping[] {
  return matchRoutes(am.route, labels).map((m) => {
    let node: RouteConfig = am.route;
    let groupBy: readonly string[] = node.group_by ?? [];
    let wait = node.group_wait ?? "30s";
    let interval = node.group_interval ?? "5m";
    for (const i of m.path) {
      node = node.routes?.[i] as RouteConfig;
      groupBy = node.group_by ?? groupBy;
      wait = node.group_wait ?? wait;
      interval = node.group_interval ?? interval;
    }
    return {
      receiver: configReceiverName(m.receiver),
      groupBy,
      groupWaitSeconds: durationSeconds(wait),
      groupIntervalSeconds: durationSeconds(interval),
    };
  });
}

/** What one receiver got for one alert name. */
export interface ReceiverCount {
  /** The receiver's config name (`team-slack`), the same for every namespace's copy of it. */
  readonly receiver: string;
  readonly alertname: string;
  /** Notifications that carried at least one firing alert of `alertname`. */
  readonly notifications: number;
  /** Distinct group keys among them (one Alertmanager group per value of the route's group_by). */
  readonly groups: number;
  /** Distinct firing alerts (fingerprints) they carried. */
  readonly alerts: number;
}

/**
 * Per receiver (config name: the copies of a receiver in each namespace's AlertmanagerConfig
 * point at the same channel) and alert name: the notifications with firing alerts of that name
 * among `list`, their group keys and alerts. Sorted by receiver, then alert name.
 */
export function countByReceiver(list: readonly Notification[]): ReceiverCount[] {
  const by = new Map<
    string,
    { receiver: string; alertname: string; n: number; groups: Set<string>; alerts: Set<string> }
  >();
  for (const n of list) {
    const receiver = configReceiverName(n.name ?? n.path);
    const names = new Set<string>();
    for (const a of n.payload.alerts) {
      if (a.status !== "firing") continue;
      const alertname = a.labels.alertname ?? "";
      const key = `${receiver}\u0000${alertname}`;
      let c = by.get(key);
      if (!c) by.set(key, (c = { receiver, alertname, n: 0, groups: new Set(), alerts: new Set() }));
      c.alerts.add(a.fingerprint);
      c.groups.add(`${n.name ?? n.path}\u0000${n.payload.groupKey}`);
      if (!names.has(alertname)) {
        names.add(alertname);
        c.n++;
      }
    }
  }
  return [...by.values()]
    .map((c) => ({
      receiver: c.receiver,
      alertname: c.alertname,
      notifications: c.n,
      groups: c.groups.size,
      alerts: c.alerts.size,
    }))
    .sort((a, b) => a.receiver.localeCompare(b.receiver) || a.alertname.localeCompare(b.alertname));
}

/**
 * How many Alertmanager groups a set of alerts falls into under `groupBy`: the distinct tuples of
 * those labels (a missing label counts as empty, as in Alertmanager). A storm whose alerts all
 * reach Alertmanager within the route's group_wait is notified once per group and receiver, so this
 * is the number of notifications each receiver gets.
 */
export function groupCount(
  alerts: readonly Readonly<Record<string, string>>[],
  groupBy: readonly string[],
): number {
  return new Set(alerts.map((a) => JSON.stringify(groupBy.map((l) => a[l] ?? "")))).size;
}

/**
 * The most notifications a receiver gets from `groups` groups whose alerts keep arriving for
 * `spreadSeconds`: each group's first notification goes out group_wait after its first alert, and
 * after that at most one per group_interval while alerts keep changing.
 */
export function notificationBound(
  groups: number,
  spreadSeconds: number,
  groupWaitSeconds: number,
  groupIntervalSeconds: number,
): number {
  const later = Math.max(0, spreadSeconds - groupWaitSeconds);
  return groups * (1 + Math.ceil(later / groupIntervalSeconds));
}

/** The expected alerts (label subsets) that no firing alert of `list` sent to `receiver` matches. */
export function missingAlerts(
  list: readonly Notification[],
  receiver: string,
  expected: readonly Readonly<Record<string, string>>[],
): Readonly<Record<string, string>>[] {
  const key = (l: Readonly<Record<string, string>>): string =>
    `${l.alertname}\u0000${l.namespace}\u0000${l.workload}`;
  const got = new Map<string, Readonly<Record<string, string>>[]>();
  for (const n of list) {
    if (configReceiverName(n.name ?? n.path) !== receiver) continue;
    for (const a of n.payload.alerts) {
      if (a.status !== "firing") continue;
      const k = key(a.labels);
      got.set(k, [...(got.get(k) ?? []), a.labels]);
    }
  }
  return expected.filter(
    (e) => !(got.get(key(e)) ?? []).some((l) => Object.entries(e).every(([k, v]) => l[k] === v)),
  );
}
