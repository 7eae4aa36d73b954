/**
 * The alert catalog: what each scaling-event alert is called, which event it reports, and its
 * defaults. The PromQL lives in `src/rules/`, one module per alert area; this file is the single
 * source of the names, defaults and tunables that the config schema, the rule builders, the routing
 * defaults and the docs all share.
 */

/** Severity label values, in order of urgency. `none` is for the heartbeat (a dead man's switch). */
export const SEVERITIES = ["critical", "warning", "info", "none"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** What data an alert needs; a workload that lacks it does not get the alert. */
export type AlertRequirement = "always" | "gpu" | "queue" | "scaleToZero" | "keda";

/** A threshold a user may override, and what it is compared with. */
export interface ThresholdSpec {
  /** Default value. */
  readonly default: number;
  /** Unit shown in docs and error messages. */
  readonly unit: string;
  /** Inclusive bounds a configured value must stay within. */
  readonly min: number;
  readonly max: number;
}

/** One entry of the catalog. */
export interface AlertSpec {
  readonly name: AlertName;
  /** Value of the `event` label. */
  readonly event: string;
  readonly severity: Severity;
  /**
   * How long the condition must hold before the alert fires (Prometheus duration). For
   * `AIWorkloadScaleUpStalled` it is the length of the window over which the gap must persist.
   */
  readonly for: string;
  /** Window of a `changes()`-style count, for alerts that count events. */
  readonly window?: string;
  readonly threshold?: ThresholdSpec;
  readonly requires: AlertRequirement;
  /** Static summary annotation. */
  readonly summary: string;
  /**
   * Whether the alert is about one workload (false for the heartbeat and
   * AIScalingAlertsMetricsAbsent, which are about the alerting itself and are configured under the
   * top-level `alerts` only).
   */
  readonly perWorkload: boolean;
  /**
   * A point-in-time event of the scale-event feed: its condition holds for one
   * `SCALE_EVENT_LOOKBACK` only, so the routes flush it with the short
   * `notifications.scaleEventGroupInterval` rather than the group interval of lasting problems.
   */
  readonly scaleEvent?: boolean;
}

export const ALERT_NAMES = [
  "AIWorkloadScaledUp",
  "AIWorkloadScaledDown",
  "AIWorkloadAtMaxReplicas",
  "AIWorkloadScalingInactive",
  "AIWorkloadUnableToScale",
  "AIWorkloadScaleUpStalled",
  "AIWorkloadPodsUnschedulable",
  "AIWorkloadScalingFlapping",
  "AIWorkloadGpuSaturated",
  "AIWorkloadGpuUnderutilized",
  "AIWorkloadQueueBacklog",
  "AIWorkloadHighCpuUtilization",
  "AIWorkloadScaledToZero",
  "AIWorkloadColdStart",
  "AIWorkloadColdStartSlow",
  "AIWorkloadScalerErrors",
  "AIWorkloadHpaMissing",
  "AIScalingAlertsMetricsAbsent",
  "AIScalingAlertsHeartbeat",
] as const;
export type AlertName = (typeof ALERT_NAMES)[number];

const spec = (s: AlertSpec): AlertSpec => s;

/** The catalog, keyed by alert name. */
export const CATALOG: Readonly<Record<AlertName, AlertSpec>> = {
  AIWorkloadScaledUp: spec({
    name: "AIWorkloadScaledUp",
    event: "scaled_up",
    severity: "info",
    for: "0s",
    requires: "always",
    summary: "AI workload scaled up.",
    perWorkload: true,
    scaleEvent: true,
  }),
  AIWorkloadScaledDown: spec({
    name: "AIWorkloadScaledDown",
    event: "scaled_down",
    severity: "info",
    for: "0s",
    requires: "always",
    summary: "AI workload scaled down.",
    perWorkload: true,
    scaleEvent: true,
  }),
  AIWorkloadAtMaxReplicas: spec({
    name: "AIWorkloadAtMaxReplicas",
    event: "at_max",
    severity: "warning",
    for: "5m",
    requires: "always",
    summary: "AI workload is running at its maximum replicas and wants more.",
    perWorkload: true,
  }),
  AIWorkloadScalingInactive: spec({
    name: "AIWorkloadScalingInactive",
    event: "metrics_unavailable",
    severity: "critical",
    for: "5m",
    requires: "always",
    summary: "Autoscaler cannot read its metrics; the workload no longer scales.",
    perWorkload: true,
  }),
  AIWorkloadUnableToScale: spec({
    name: "AIWorkloadUnableToScale",
    event: "unable_to_scale",
    severity: "critical",
    for: "5m",
    requires: "always",
    summary: "Autoscaler is unable to change the workload's scale.",
    perWorkload: true,
  }),
  AIWorkloadScaleUpStalled: spec({
    name: "AIWorkloadScaleUpStalled",
    event: "scale_up_stalled",
    severity: "critical",
    for: "10m",
    requires: "always",
    summary: "AI workload scale-up is stalled: requested replicas are not becoming available.",
    perWorkload: true,
  }),
  AIWorkloadPodsUnschedulable: spec({
    name: "AIWorkloadPodsUnschedulable",
    event: "pods_unschedulable",
    severity: "warning",
    for: "2m",
    requires: "always",
    summary: "Pods of an AI workload cannot be scheduled.",
    perWorkload: true,
  }),
  AIWorkloadScalingFlapping: spec({
    name: "AIWorkloadScalingFlapping",
    event: "flapping",
    severity: "warning",
    for: "0s",
    window: "30m",
    // Reversals of the scaling direction (up then down, or down then up): 3 is up, down, up, down.
    threshold: {
      default: 3,
      unit: "reversals of the scaling direction in the window",
      min: 2,
      max: 1000,
    },
    requires: "always",
    summary: "AI workload autoscaling is flapping.",
    perWorkload: true,
  }),
  AIWorkloadGpuSaturated: spec({
    name: "AIWorkloadGpuSaturated",
    event: "gpu_saturated",
    severity: "warning",
    for: "10m",
    threshold: { default: 90, unit: "% mean GPU utilisation", min: 1, max: 100 },
    requires: "gpu",
    summary: "AI workload GPUs are saturated at maximum replicas.",
    perWorkload: true,
  }),
  AIWorkloadGpuUnderutilized: spec({
    name: "AIWorkloadGpuUnderutilized",
    event: "gpu_idle",
    severity: "info",
    for: "30m",
    threshold: { default: 20, unit: "% mean GPU utilisation", min: 0, max: 99 },
    requires: "gpu",
    summary: "AI workload GPUs are mostly idle above minimum replicas.",
    perWorkload: true,
  }),
  AIWorkloadQueueBacklog: spec({
    name: "AIWorkloadQueueBacklog",
    event: "queue_backlog",
    severity: "warning",
    for: "5m",
    threshold: { default: 2, unit: "x the queue target per replica", min: 1, max: 100 },
    requires: "queue",
    summary: "AI workload inference queue is backing up at maximum replicas.",
    perWorkload: true,
  }),
  AIWorkloadHighCpuUtilization: spec({
    name: "AIWorkloadHighCpuUtilization",
    event: "high_cpu",
    severity: "warning",
    for: "5m",
    threshold: { default: 80, unit: "% of requested CPU", min: 1, max: 1000 },
    requires: "always",
    summary: "AI workload is using most of its requested CPU.",
    perWorkload: true,
  }),
  AIWorkloadScaledToZero: spec({
    name: "AIWorkloadScaledToZero",
    event: "scaled_to_zero",
    severity: "info",
    for: "0s",
    requires: "scaleToZero",
    summary: "AI workload scaled to zero replicas.",
    perWorkload: true,
    scaleEvent: true,
  }),
  AIWorkloadColdStart: spec({
    name: "AIWorkloadColdStart",
    event: "cold_start",
    severity: "info",
    for: "0s",
    requires: "scaleToZero",
    summary: "AI workload woke from zero replicas (cold start).",
    perWorkload: true,
    scaleEvent: true,
  }),
  AIWorkloadColdStartSlow: spec({
    name: "AIWorkloadColdStartSlow",
    event: "cold_start_slow",
    severity: "warning",
    for: "5m",
    requires: "scaleToZero",
    summary: "AI workload woke from zero but no replica became available within the cold-start budget.",
    perWorkload: true,
  }),
  AIWorkloadScalerErrors: spec({
    name: "AIWorkloadScalerErrors",
    event: "scaler_error",
    severity: "critical",
    for: "5m",
    window: "2m",
    requires: "keda",
    summary: "KEDA cannot read the workload's scaling trigger; the workload cannot scale on it.",
    perWorkload: true,
  }),
  AIWorkloadHpaMissing: spec({
    name: "AIWorkloadHpaMissing",
    event: "hpa_missing",
    severity: "warning",
    for: "5m",
    requires: "always",
    summary:
      "kube-state-metrics does not report the workload's HPA: every scaling alert of the workload is blind.",
    perWorkload: true,
  }),
  AIScalingAlertsMetricsAbsent: spec({
    name: "AIScalingAlertsMetricsAbsent",
    event: "metrics_absent",
    severity: "critical",
    for: "5m",
    requires: "always",
    summary: "kube-state-metrics reports no HPA of the configured namespaces: every scaling alert is blind.",
    perWorkload: false,
  }),
  AIScalingAlertsHeartbeat: spec({
    name: "AIScalingAlertsHeartbeat",
    event: "heartbeat",
    severity: "none",
    for: "0s",
    requires: "always",
    summary: "Always firing: proves the alerting pipeline works end to end.",
    perWorkload: false,
  }),
};

/**
 * How far back a scale event compares: AIWorkloadScaledUp/Down fire at the first evaluation after
 * the scrape that shows the new desired replicas and resolve this long after, so each step is its
 * own notification.
 */
export const SCALE_EVENT_LOOKBACK = "1m";

/**
 * How often the slow rule groups are evaluated (group `interval`): the HPA state and config data,
 * the pod-level signals (GPU, queue, CPU), and every alert that holds for minutes anyway (the HPA's
 * health, flapping, GPU, queue, CPU, unschedulable pods, KEDA scaler errors, a slow cold start, the
 * blind spots and the heartbeat). It adds at most this interval, minus the global evaluation
 * interval, to when such an alert fires, twice for one that reads a slow recorded signal. The scale
 * events (steps, scale to zero, waking) stay at the global evaluation interval.
 */
export const SLOW_GROUP_INTERVAL = "1m";

/**
 * The label of AIWorkloadScaledUp/Down holding the new desired replicas: each step of a scale-up
 * or scale-down is an alert of its own (its own fingerprint), so Alertmanager notifies every step.
 */
export const REPLICAS_LABEL = "replicas";

/** The alerts of the scale-event feed (see {@link AlertSpec.scaleEvent}), in catalog order. */
export function scaleEventAlerts(): AlertName[] {
  return ALERT_NAMES.filter((a) => CATALOG[a].scaleEvent === true);
}

/** Anchor of an alert's entry in `docs/runbooks.md`. */
export function runbookAnchor(name: AlertName): string {
  return name.toLowerCase();
}

/**
 * The receiver of the AlertmanagerConfig's top route: it has no integrations, so an alert of the
 * catalog that no child route takes is dropped there. The name is reserved in configs.
 */
export const UNROUTED_RECEIVER = "ai-scaling-alerts-unrouted";
