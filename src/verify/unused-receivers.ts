/**
 * Receivers of the config that no alert reaches: the config's own receivers whose copies, in every
 * generated AlertmanagerConfig, get none of this config's alerts through the merged routing tree.
 * Alertmanager and the operator accept such a receiver, so validation does too. It loses no alert
 * (every alert still reaches the receivers the routes give it), but it is often a mistake (a
 * `receive` list that names no severity any alert has, a route whose matchers never hold or that an
 * earlier route shadows, an alert turned off): `verify` lists it as a warning that names it.
 */
import type { GeneratedObjects } from "../build.js";
import { receiverSeverities } from "../alertmanager-config/defaults.js";
import type { AlertRouting } from "./coverage.js";

/** One receiver that nothing reaches, with why it was expected to get something. */
export interface UnusedReceiver {
  readonly receiver: string;
  readonly message: string;
}

/** The config's receivers that none of `routings` delivers to (see the module comment). */
export function unusedReceivers(g: GeneratedObjects, routings: readonly AlertRouting[]): UnusedReceiver[] {
  const n = g.resolved.notifications;
  if (!n) return [];
  const delivered = new Set(routings.flatMap((r) => r.delivered));
  const out: UnusedReceiver[] = [];
  for (const r of n.receivers) {
    const copies = g.alertmanagerConfigs.map((o) => `${o.metadata.namespace}/${o.metadata.name}/${r.name}`);
    if (copies.some((c) => delivered.has(c))) continue;
    const routed = n.routes.some((x) => x.receiver === r.name);
    const why = routed
      ? "the routes that name it never match one of this config's alerts, or an earlier route with continue: false takes them first"
      : n.defaultRoutes
        ? `no route names it, and no active alert has a severity it receives (${receiverSeverities(r).join(", ") || "receive is empty"})`
        : "no route names it (defaultRoutes is false)";
    out.push({
      receiver: r.name,
      message: `receiver ${r.name} gets no alert: ${why}. Route something to it, or remove it`,
    });
  }
  return out;
}
