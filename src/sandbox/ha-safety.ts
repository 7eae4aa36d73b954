/**
 * Whether rules and routing are safe to run on replicated Prometheus and Alertmanager: the replicas'
 * alerts must be identical (Alertmanager deduplicates by labels) and must group alike (the nodes
 * deduplicate notifications by group key). Pure: reads the generated objects and received payloads.
 */
import type { AlertmanagerYaml, RouteConfig } from "../operator-merge/index.js";
import type { RuleGroup } from "../rules/index.js";
import type { Notification, WebhookPayload } from "./webhook-receiver.js";

/** Label names whose values differ between the replicas' external label sets (e.g. `prometheus_replica`). */
export function replicaVaryingLabels(sets: readonly Readonly<Record<string, string>>[]): string[] {
  const names = new Set(sets.flatMap((s) => Object.keys(s)));
  return [...names].filter((n) => new Set(sets.map((s) => s[n])).size > 1).sort();
}

/** Template references that evaluate differently on each replica. */
const PER_REPLICA_TEMPLATE = /\$externalLabels|\$externalURL|\.ExternalLabels|\.ExternalURL/;

function* routes(r: RouteConfig, path: string): Generator<[string, RouteConfig]> {
  yield [path, r];
  for (const [i, c] of (r.routes ?? []).entries()) yield* routes(c, `${path}.routes[${i}]`);
}

/**
 * Where the rules or the routing would tell the replicas' alerts apart: an alerting rule label that
 * reads the external labels or URL (it differs per replica, so each replica's alert would be a
 * different alert), and a `group_by` or inhibition `equal` naming a label in `varying`. Empty when
 * safe.
 */
export function haConfigProblems(
  groups: readonly RuleGroup[],
  am: AlertmanagerYaml,
  varying: readonly string[],
): string[] {
  const out: string[] = [];
  for (const g of groups)
    for (const r of g.rules) {
      if (!("alert" in r)) continue;
      for (const [k, v] of Object.entries(r.labels ?? {}))
        if (PER_REPLICA_TEMPLATE.test(v) || varying.includes(k))
          out.push(`rule ${g.name}/${r.alert}: label ${k}=${JSON.stringify(v)} differs per replica`);
    }
  for (const [path, r] of routes(am.route, "route"))
    for (const l of r.group_by ?? [])
      if (varying.includes(l)) out.push(`${path}.group_by names ${l}, which differs per replica`);
  for (const [i, rule] of (am.inhibit_rules ?? []).entries())
    for (const l of rule.equal ?? [])
      if (varying.includes(l)) out.push(`inhibit_rules[${i}].equal names ${l}, which differs per replica`);
  return out;
}

const LABEL_PAIR = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/**
 * The group labels at the end of an Alertmanager group key, `<route path>:{a="x", b="y"}`.
 * Throws when the key does not end in a label set.
 */
export function groupKeyLabels(groupKey: string): Record<string, string> {
  const m = /:\{((?:[^"{}]|"(?:[^"\\]|\\.)*")*)\}$/.exec(groupKey);
  if (!m) throw new Error(`not an Alertmanager group key: ${groupKey}`);
  const out: Record<string, string> = {};
  for (const [, k, v] of (m[1] ?? "").matchAll(LABEL_PAIR))
    out[k as string] = (v as string).replace(/\\(.)/g, "$1");
  return out;
}

/** The labels of `varying` that a received payload carries: in its group key, group, common or alert labels. */
export function payloadProblems(p: WebhookPayload, varying: readonly string[]): string[] {
  const out: string[] = [];
  const check = (where: string, labels: Readonly<Record<string, string>>): void => {
    for (const l of varying) if (l in labels) out.push(`${where} carries ${l}=${labels[l]}`);
  };
  check(`group key ${p.groupKey}`, groupKeyLabels(p.groupKey));
  check("groupLabels", p.groupLabels);
  check("commonLabels", p.commonLabels);
  for (const a of p.alerts) check(`alert ${a.labels.alertname ?? "?"} ${a.fingerprint}`, a.labels);
  return out;
}

/** One alert's firing deliveries to one receiver. */
export interface FiringDeliveries {
  /** The recorder name of the receiver (`<namespace>/<object>/<receiver>` for a merged config). */
  readonly receiver: string;
  readonly fingerprint: string;
  readonly labels: Readonly<Record<string, string>>;
  /** The notifications that carried it as firing, in arrival order. */
  readonly notifications: readonly Notification[];
}

/** Per receiver and alert (fingerprint), the notifications that carried the alert as firing. */
export function firingDeliveries(list: readonly Notification[]): FiringDeliveries[] {
  const by = new Map<
    string,
    { receiver: string; fingerprint: string; labels: Record<string, string>; notifications: Notification[] }
  >();
  for (const n of list) {
    const receiver = n.name ?? n.path;
    for (const a of n.payload.alerts) {
      if (a.status !== "firing") continue;
      const key = `${receiver}\u0000${a.fingerprint}`;
      let d = by.get(key);
      if (!d)
        by.set(key, (d = { receiver, fingerprint: a.fingerprint, labels: a.labels, notifications: [] }));
      if (!d.notifications.includes(n)) d.notifications.push(n);
    }
  }
  return [...by.values()];
}

/** The Alertmanager that sent a notification: the port of its external URL (`http://host:port`). */
export function sentBy(n: Notification): number | undefined {
  const port = /:(\d+)\/?$/.exec(n.payload.externalURL)?.[1];
  return port !== undefined ? Number(port) : undefined;
}
