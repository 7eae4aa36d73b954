/**
 * The label sets the alerts of a config really carry when they fire, per workload: what
 * Alertmanager routes on. Derived from the same plan the rules are written from, so a variant's
 * `alert_variant` label and each workload's severity are exactly the rules'.
 */
import { ALERT_NAMES, CATALOG, type AlertName } from "../catalog/catalog.js";
import type { ResolvedConfig, ResolvedWorkload } from "../config/resolve.js";
import { ruleContext } from "../rules/context.js";
import { heartbeatNamespace } from "../rules/heartbeat.js";
import { planCatalog } from "../rules/variants.js";

/** One alert of one workload (or one about the alerting itself, with no workload), with its labels. */
export interface AlertInstance {
  readonly alert: AlertName;
  /** `<namespace>/<workload>`, or undefined for the heartbeat and AIScalingAlertsMetricsAbsent. */
  readonly workload?: string;
  readonly labels: Readonly<Record<string, string>>;
}

function workloadLabels(w: ResolvedWorkload, clusterLabel: string | undefined): Record<string, string> {
  return {
    ...(clusterLabel ? { [clusterLabel]: "<cluster>" } : {}),
    namespace: w.namespace,
    horizontalpodautoscaler: w.hpaName,
    workload: w.name,
    ...w.labels,
  };
}

/**
 * Every alert every workload can raise (active ones only), plus the heartbeat and
 * AIScalingAlertsMetricsAbsent when enabled.
 */
export function alertInstances(rc: ResolvedConfig): AlertInstance[] {
  const plan = planCatalog(rc);
  const out: AlertInstance[] = [];
  for (const p of plan.alerts) {
    for (const v of p.variants) {
      for (const w of v.workloads) {
        out.push({
          alert: p.alert,
          workload: `${w.namespace}/${w.name}`,
          labels: {
            alertname: p.alert,
            severity: v.severity,
            event: CATALOG[p.alert].event,
            ...workloadLabels(w, rc.monitoring.clusterLabel),
            ...(v.isDefault ? {} : { alert_variant: v.id }),
          },
        });
      }
    }
  }
  // The alerts about the alerting itself: severity, event and the heartbeat's namespace only.
  for (const alert of ["AIScalingAlertsMetricsAbsent", "AIScalingAlertsHeartbeat"] as const) {
    const e = rc.alertDefaults[alert];
    if (!e.enabled) continue;
    out.push({
      alert,
      labels: {
        alertname: alert,
        severity: e.severity,
        event: CATALOG[alert].event,
        namespace: heartbeatNamespace(ruleContext(rc)),
      },
    });
  }
  const order = new Map(ALERT_NAMES.map((a, i) => [a, i]));
  // Per-workload alerts by workload, in catalog order; those without a workload last.
  const key = (i: AlertInstance) =>
    [i.workload === undefined ? 1 : 0, i.workload ?? "", order.get(i.alert) ?? 0] as const;
  return out.sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    return x[0] - y[0] || (x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0) || x[2] - y[2];
  });
}
