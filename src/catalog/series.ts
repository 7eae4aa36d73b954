/**
 * The series names the generated rules and dashboard share: the recorded series of the rules
 * (`src/rules`) and the kube-state-metrics HPA metrics they read. One vocabulary, so the dashboard
 * reads what the rules record.
 */
/**
 * Names of the recorded series, `level:metric:operation` as kubernetes-mixin names them. The level
 * `workload_hpa` carries the HPA's identity (cluster?, namespace, horizontalpodautoscaler) and the
 * workload's labels (workload and the config's extra labels), so an alert that reads
 * them carries those labels without a join. They cover the configured workloads only.
 */
export const SERIES = {
  /** kube_horizontalpodautoscaler_info of the configured HPAs, with the workload's labels (value 1). */
  hpaInfo: "workload_hpa:info:configured",
  /** Desired replicas (kube_horizontalpodautoscaler_status_desired_replicas). */
  desired: "workload_hpa:status_desired_replicas:max",
  /** Current replicas (kube_horizontalpodautoscaler_status_current_replicas). */
  current: "workload_hpa:status_current_replicas:max",
  /** minReplicas (kube_horizontalpodautoscaler_spec_min_replicas). */
  min: "workload_hpa:spec_min_replicas:max",
  /** maxReplicas (kube_horizontalpodautoscaler_spec_max_replicas). */
  max: "workload_hpa:spec_max_replicas:max",
  /** spec.replicas of the HPA's scale target (Deployment or StatefulSet). */
  targetSpecReplicas: "workload_hpa:target_spec_replicas:max",
  /** Available replicas of the HPA's scale target. */
  targetAvailableReplicas: "workload_hpa:target_available_replicas:max",
  /**
   * The HPA's conditions that hold now: one series (value 1) per condition and its status, only
   * for AbleToScale, ScalingActive and ScalingLimited, only where the status is the current one.
   */
  condition: "workload_hpa:condition:max",
  /** Each metric the HPA scales on: the current value, with the target in the label `target`. */
  targetMetric: "workload_hpa:target_metric:max",
  /** Desired replicas as the previous evaluation of the facts group recorded them. */
  desiredLastEvaluation: "workload_hpa:desired_replicas:last_evaluation",
  /**
   * A step up of desired replicas since the previous evaluation: recorded at the step only, valued
   * the count before it, labelled `replicas` with the count after it.
   */
  scaleUp: "workload_hpa:scale_up:from",
  /** A step down; as {@link SERIES.scaleUp}. */
  scaleDown: "workload_hpa:scale_down:from",
  /**
   * The direction of each step (1 up, -1 down), recorded only at steps between non-zero counts:
   * `changes()` over it counts the reversals of direction.
   */
  scaleDirection: "workload_hpa:scale_direction:sgn",
  /** A workload whose settings for an alert differ from the rule's default: `variant` says which. */
  alertVariant: "workload_hpa:alert_variant:configured",
  /** The threshold of an alert (label `alert`) per HPA, where some workload overrides it. */
  alertThreshold: "workload_hpa:alert_threshold:configured",
  /** Queue-depth target per replica of each queue-serving workload. */
  queueTarget: "workload_hpa:queue_target_per_replica:configured",
  /** The KEDA ScaledObject (label `scaledObject`, as in KEDA's metrics) behind each KEDA-driven HPA. */
  kedaScaledObject: "workload_hpa:keda_scaled_object:configured",
  /** Pods of the configured workloads, with their HPA and the workload's labels. */
  podWorkload: "workload_hpa_pod:info:configured",
  /** Mean GPU utilisation (%) over the workload's GPUs. */
  gpuUtilization: "workload_hpa:gpu_utilization:avg",
  /** Inference requests waiting, per current replica. */
  queuePerReplica: "workload_hpa:queue_waiting_per_replica:ratio",
  /** CPU used as a percentage of CPU requested, over the workload's running pods. */
  cpuUtilization: "workload_hpa:cpu_utilization:ratio",
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
