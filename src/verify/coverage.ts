/**
 * Route coverage: for every alert of every workload, with the labels it really carries, the
 * receivers it reaches through the merged routing tree, compared with the intent: critical alerts
 * page someone, nothing falls through to a receiver that drops it, and every route can be reached.
 */
import { matchesAll, receiversFor, routeMatchers, unreachableRoutes } from "../operator-merge/index.js";
import type { AlertmanagerYaml, ReceiverConfig, RouteConfig } from "../operator-merge/index.js";
import type { AlertInstance } from "./alert-labels.js";

/** What a receiver does with what reaches it. */
export type ReceiverKind = "pager" | "notify" | "drop";

/** The kind of a receiver: `drop` without integrations, `pager` with PagerDuty or Opsgenie. */
export function receiverKind(r: ReceiverConfig | undefined): ReceiverKind {
  if (!r) return "drop";
  const integrations = Object.entries(r).filter(
    ([k, v]) => k.endsWith("_configs") && Array.isArray(v) && v.length > 0,
  );
  if (integrations.length === 0) return "drop";
  return integrations.some(([k]) => k === "pagerduty_configs" || k === "opsgenie_configs")
    ? "pager"
    : "notify";
}

/** Where one alert instance goes. */
export interface AlertRouting {
  readonly instance: AlertInstance;
  /** Receivers reached, in order (as `amtool config routes test` prints them). */
  readonly receivers: readonly string[];
  /** Those of them that deliver (have integrations). */
  readonly delivered: readonly string[];
  readonly paged: boolean;
}

/** A finding of the coverage check. */
export interface CoverageFinding {
  readonly status: "fail" | "warn";
  readonly code:
    "falls-through" | "no-pager" | "no-pager-configured" | "unreachable-route" | "namespace-pinned";
  readonly message: string;
}

export interface CoverageResult {
  readonly routings: readonly AlertRouting[];
  readonly findings: readonly CoverageFinding[];
}

function byName(config: AlertmanagerYaml): Map<string, ReceiverConfig> {
  return new Map(config.receivers.map((r) => [r.name, r]));
}

/** `ns/name` of the AlertmanagerConfig a merged receiver name comes from (`ns/name/receiver`). */
function objectOf(receiver: string | undefined): string | undefined {
  const parts = receiver?.split("/");
  return parts && parts.length === 3 ? `${parts[0]}/${parts[1]}` : undefined;
}

/**
 * For an alert that reaches nobody: first-level routes of an AlertmanagerConfig that would take it
 * if it were in the object's namespace, i.e. the object is pinned to another namespace.
 */
function pinnedElsewhere(
  config: AlertmanagerYaml,
  receivers: ReadonlyMap<string, ReceiverConfig>,
  labels: Readonly<Record<string, string>>,
): string[] {
  const out: string[] = [];
  for (const route of config.route.routes ?? []) {
    const object = objectOf(route.receiver);
    const ns = object?.split("/")[0];
    if (!object || !ns || ns === labels.namespace) continue;
    const moved = { ...labels, namespace: ns };
    if (!matchesAll(routeMatchers(route), moved)) continue;
    const reached = receiversFor({ route: { ...route, continue: false } as RouteConfig }, moved);
    if (reached.some((r) => receiverKind(receivers.get(r)) !== "drop")) out.push(object);
  }
  return out;
}

/** Routes every alert instance and judges the result. */
export function checkCoverage(config: AlertmanagerYaml, instances: readonly AlertInstance[]): CoverageResult {
  const receivers = byName(config);
  const anyPager = config.receivers.some((r) => receiverKind(r) === "pager");
  const findings: CoverageFinding[] = [];
  const routings = instances.map((instance): AlertRouting => {
    const reached = receiversFor(config, instance.labels);
    const delivered = reached.filter((r) => receiverKind(receivers.get(r)) !== "drop");
    return {
      instance,
      receivers: reached,
      delivered: [...new Set(delivered)],
      paged: delivered.some((r) => receiverKind(receivers.get(r)) === "pager"),
    };
  });
  const who = (r: AlertRouting) =>
    `${r.instance.alert}${r.instance.workload ? ` of ${r.instance.workload}` : ""}`;
  for (const r of routings) {
    const severity = r.instance.labels.severity;
    if (r.delivered.length === 0) {
      const pinned = pinnedElsewhere(config, receivers, r.instance.labels);
      if (pinned.length > 0) {
        findings.push({
          status: "fail",
          code: "namespace-pinned",
          message: `${who(r)} (namespace ${r.instance.labels.namespace}) reaches no receiver, but AlertmanagerConfig ${pinned.join(", ")} would take it: the operator's OnNamespace strategy pins each object's route to its own namespace. Put an AlertmanagerConfig in ${r.instance.labels.namespace}, or use matcherStrategy None`,
        });
        continue;
      }
      const dropped = `${who(r)} (severity ${severity}) falls through to ${r.receivers.join(", ") || "no receiver"}, which delivers nowhere`;
      if (severity === "critical" || severity === "warning") {
        findings.push({
          status: "fail",
          code: "falls-through",
          message: `${dropped}: give a receiver receive: [${severity}] or a route for it`,
        });
      } else {
        findings.push({
          status: "warn",
          code: "falls-through",
          message: `${dropped}${severity === "none" ? ": route the heartbeat to a dead man's switch (a receiver with receive: [none])" : ` (add receive: [${severity}] to a receiver to get these)`}`,
        });
      }
    } else if (severity === "critical" && anyPager && !r.paged) {
      findings.push({
        status: "fail",
        code: "no-pager",
        message: `${who(r)} is critical but reaches only ${r.delivered.join(", ")}: no pager (PagerDuty/Opsgenie) receiver is woken. Check the pager's receive list and routes`,
      });
    }
  }
  if (!anyPager && routings.some((r) => r.instance.labels.severity === "critical")) {
    findings.push({
      status: "warn",
      code: "no-pager-configured",
      message: "no pager-type receiver (pagerduty, opsgenie) is configured: critical alerts page no one",
    });
  }
  for (const u of unreachableRoutes(config)) {
    findings.push({
      status: "fail",
      code: "unreachable-route",
      message: `route ${u.path.map((i) => `routes[${i}]`).join(".")} (receiver ${u.receiver ?? "inherited"}) can never be reached: ${u.reason}`,
    });
  }
  return { routings, findings };
}
