/**
 * What every rule builder needs to know about the monitoring conventions: selectors, the labels
 * that identify an HPA, and the names of the recorded series the catalog shares.
 */
import type { ResolvedConfig, ResolvedWorkload } from "../config/resolve.js";
import { labels, oneOf, sel } from "./promql.js";

/** Names of the recorded series (`level:metric:operations`, as the Prometheus docs recommend). */
export const SERIES = {
  /** A workload whose settings for an alert differ from the rule's default: `variant` says which. */
  alertVariant: "ai_scaling_alerts:alert:variant",
  /** A workload whose threshold for an alert differs from the rule's default; the value. */
  alertThreshold: "ai_scaling_alerts:alert:threshold",
  /** Queue-depth target per replica of each queue-serving workload. */
  queueTarget: "ai_scaling_alerts:queue:target_per_replica",
  /**
   * kube_horizontalpodautoscaler_info of the configured HPAs only, with `workload` (the scale
   * target), `workload_kind` and the workload's extra labels. Every alert joins it.
   */
  hpaInfo: "ai_scaling_alerts:hpa:info",
  /** spec.replicas of each configured HPA's scale target. */
  targetSpecReplicas: "ai_scaling_alerts:hpa:target_spec_replicas",
  /** Available replicas of each configured HPA's scale target. */
  targetAvailableReplicas: "ai_scaling_alerts:hpa:target_available_replicas",
  /** Pods of the configured workloads, with their workload and HPA. */
  podWorkload: "ai_scaling_alerts:pod:workload_info",
  /** Mean GPU utilisation (%) over the workload's GPUs. */
  gpuUtilization: "ai_scaling_alerts:hpa:gpu_utilization:avg",
  /** Inference requests waiting, per current replica. */
  queuePerReplica: "ai_scaling_alerts:hpa:queue_per_replica",
  /** Desired replicas of each HPA at the last evaluation of the settings group. */
  desiredReplicas: "ai_scaling_alerts:hpa:desired_replicas",
  /**
   * The direction (1 up, -1 down) of each change of desired replicas between two evaluations of
   * the settings group, recorded only when it changed and neither count is 0 (sleeping and waking
   * are not scaling steps): `changes()` over it counts the reversals of direction.
   */
  scaleDirection: "ai_scaling_alerts:hpa:scale_direction",
  /** The KEDA ScaledObject (label `scaledObject`, as in KEDA's metrics) behind each KEDA-driven HPA. */
  kedaScaledObject: "ai_scaling_alerts:hpa:keda_scaled_object",
  /** CPU used as a percentage of CPU requested, over the workload's running pods. */
  cpuUtilization: "ai_scaling_alerts:hpa:cpu_utilization:ratio",
} as const;

/** The HPA metrics of kube-state-metrics the rules read. */
export const KSM = {
  info: "kube_horizontalpodautoscaler_info",
  desired: "kube_horizontalpodautoscaler_status_desired_replicas",
  current: "kube_horizontalpodautoscaler_status_current_replicas",
  min: "kube_horizontalpodautoscaler_spec_min_replicas",
  max: "kube_horizontalpodautoscaler_spec_max_replicas",
  condition: "kube_horizontalpodautoscaler_status_condition",
  statusMetric: "kube_horizontalpodautoscaler_status_target_metric",
  specMetric: "kube_horizontalpodautoscaler_spec_target_metric",
} as const;

export interface RuleContext {
  readonly rc: ResolvedConfig;
  /** kube-state-metrics matchers. */
  readonly ksm: string;
  /** Matcher restricting to the configured workloads' namespaces. */
  readonly nsMatcher: string;
  /** Labels that identify one HPA across clusters: [cluster?, namespace, horizontalpodautoscaler]. */
  readonly id: readonly string[];
  /** The same, as text for `by (...)` / `on (...)`. */
  readonly idList: string;
  /** [cluster?] as a prefix for other label lists. */
  readonly clusterPrefix: readonly string[];
  /** `metric{ksm, namespace=~..., horizontalpodautoscaler=~... (for a narrowed context), extra...}` for HPA series. */
  hpaSel(metric: string, ...extra: string[]): string;
  /** `metric{ksm, extra...}` */
  ksmSel(metric: string, ...extra: string[]): string;
  /**
   * `max by (id) (metric{ksm, namespace=~..., ...})`: one series per HPA of the configured
   * namespaces, whatever the number of kube-state-metrics replicas.
   */
  perHpa(metric: string, ...extra: string[]): string;
}

export function ruleContext(rc: ResolvedConfig): RuleContext {
  const ksm = rc.monitoring.kubeStateMetricsSelector;
  const clusterPrefix = rc.monitoring.clusterLabel ? [rc.monitoring.clusterLabel] : [];
  const id = [...clusterPrefix, "namespace", "horizontalpodautoscaler"];
  const idList = labels(id);
  const ksmSel = (metric: string, ...extra: string[]) => sel(metric, ksm, ...extra);
  const nsMatcher = oneOf(
    "namespace",
    rc.workloads.map((w) => w.namespace),
  );
  return {
    rc,
    ksm,
    nsMatcher,
    id,
    idList,
    clusterPrefix,
    ksmSel,
    hpaSel: (metric, ...extra) => ksmSel(metric, nsMatcher, ...extra),
    perHpa: (metric, ...extra) => `max by (${idList}) (${ksmSel(metric, nsMatcher, ...extra)})`,
  };
}

/**
 * The same context with HPA selectors narrowed to some workloads, for a rule that covers only
 * them (an override variant): its conditions then read their HPAs' series, not every HPA's.
 */
export function narrowTo(ctx: RuleContext, workloads: readonly ResolvedWorkload[]): RuleContext {
  const nsMatcher = oneOf(
    "namespace",
    workloads.map((w) => w.namespace),
  );
  const hpaMatcher = oneOf(
    "horizontalpodautoscaler",
    workloads.map((w) => w.hpaName),
  );
  return {
    ...ctx,
    nsMatcher,
    hpaSel: (metric, ...extra) => ctx.ksmSel(metric, nsMatcher, hpaMatcher, ...extra),
    perHpa: (metric, ...extra) =>
      `max by (${ctx.idList}) (${ctx.ksmSel(metric, nsMatcher, hpaMatcher, ...extra)})`,
  };
}
