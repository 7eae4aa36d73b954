/**
 * The KEDA ScaledObject (keda.sh/v1alpha1) generated for a workload with `engine: keda`. KEDA then
 * creates and drives an HPA (`keda-hpa-<name>` unless named), which the alerts watch; it can also
 * scale the workload to zero, which the HPA alone cannot. Pure: plain objects out.
 */
import type { ResolvedConfig, ResolvedWorkload } from "../config/resolve.js";
import type { AutoscalingMetric } from "../config/schema.js";
import { METRIC_PRESETS, QUEUE_PRESET_OF_SERVER } from "../presets/ai-metrics.js";
import { escapeRegex, formatNumber, labels, str } from "../promql/text.js";
import { mergeBehavior, scalerMetadata, scaleTargetRef, type HPABehavior } from "./hpa.js";

/** One KEDA trigger. Metadata values are strings, as the CRD requires. */
export interface ScaledObjectTrigger {
  type: "prometheus" | "cpu" | "memory";
  name: string;
  metricType: "AverageValue" | "Value" | "Utilization";
  metadata: Record<string, string>;
}

/** A `keda.sh/v1alpha1` ScaledObject, as plain JSON. */
export interface ScaledObjectObject {
  apiVersion: "keda.sh/v1alpha1";
  kind: "ScaledObject";
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  spec: {
    scaleTargetRef: { apiVersion: "apps/v1"; kind: "Deployment" | "StatefulSet"; name: string };
    pollingInterval: number;
    cooldownPeriod: number;
    initialCooldownPeriod?: number;
    minReplicaCount: number;
    maxReplicaCount: number;
    fallback?: { failureThreshold: number; replicas: number };
    advanced: { horizontalPodAutoscalerConfig: { name?: string; behavior: HPABehavior } };
    triggers: ScaledObjectTrigger[];
  };
}

/**
 * A regex for the names of a workload's pods: `<name>-<replicaset hash>-<pod hash>` for a
 * Deployment, `<name>-<ordinal>` for a StatefulSet. Tighter than `<name>-.*`, which would also take
 * the pods of a Deployment called `<name>-canary`.
 */
export function podNamePattern(w: Pick<ResolvedWorkload, "name" | "kind">): string {
  const name = escapeRegex(w.name);
  return w.kind === "StatefulSet" ? `${name}-[0-9]+` : `${name}-[a-z0-9]+-[a-z0-9]+`;
}

/** The PromQL a pod-level metric becomes: the per-pod values of the workload's pods, summed. */
function podQuery(
  rc: ResolvedConfig,
  w: ResolvedWorkload,
  source: "gpu" | "queue",
  perPod: (matchers: string, by: string) => string,
): string {
  const m = source === "gpu" ? rc.monitoring.gpu : rc.monitoring.queue;
  const matchers = [
    `${m.namespaceLabel}=${str(w.namespace)}`,
    `${m.podLabel}=~${str(podNamePattern(w))}`,
    m.selector.trim(),
  ]
    .filter((x) => x !== "")
    .join(", ");
  const by = labels([m.namespaceLabel, m.podLabel]);
  // GPU: the mean over each pod's GPUs, so the target is per pod whatever its GPU count.
  const value = source === "gpu" ? `avg by (${by}) (${perPod(matchers, by)})` : perPod(matchers, by);
  return `sum(${value})`;
}

function trigger(
  rc: ResolvedConfig,
  w: ResolvedWorkload,
  m: AutoscalingMetric,
  index: number,
): ScaledObjectTrigger {
  const server = w.keda?.prometheusServerAddress ?? "";
  const prom = (name: string, query: string, threshold: number, activation?: number) => ({
    type: "prometheus" as const,
    name,
    metricType: "AverageValue" as const,
    metadata: {
      serverAddress: server,
      query,
      threshold: formatNumber(threshold),
      ...(activation !== undefined ? { activationThreshold: formatNumber(activation) } : {}),
    },
  });
  switch (m.type) {
    case "cpu":
    case "memory":
      return {
        type: m.type,
        name: m.type,
        metricType: "Utilization",
        metadata: { value: String(m.targetUtilization) },
      };
    case "gpu": {
      const series = rc.monitoring.gpu.metric;
      return prom(
        "gpu-utilization",
        podQuery(rc, w, "gpu", (s) => `${series}{${s}}`),
        m.targetUtilization,
      );
    }
    case "queue": {
      const preset = METRIC_PRESETS[QUEUE_PRESET_OF_SERVER[m.server]];
      const perPod = m.metric ? (s: string) => `${m.metric}{${s}}` : preset.perPod;
      return prom(`${m.server}-queue`, podQuery(rc, w, "queue", perPod), m.targetPerReplica);
    }
    case "preset": {
      const preset = METRIC_PRESETS[m.preset];
      const source = preset.kind === "gpu" ? "gpu" : "queue";
      return prom(m.preset, podQuery(rc, w, source, preset.perPod), m.targetPerReplica);
    }
    case "prometheus":
      return {
        ...prom(m.name ?? `trigger-${index}`, m.query, m.threshold, m.activationThreshold),
        metricType: m.metricType,
      };
    case "pods":
    case "object":
    case "external":
      // Rejected by the config schema for engine keda.
      throw new Error(`metric type ${m.type} has no KEDA trigger`);
  }
}

/**
 * Builds the ScaledObject of a workload with `engine: keda`, or undefined for any other workload.
 * Pod-level metrics (gpu, queue, presets) become Prometheus triggers summing the per-pod values of
 * the workload's pods with `metricType: AverageValue`, so the threshold is per replica as with the
 * HPA; cpu/memory become KEDA's resource triggers. The HPA behaviour (AI defaults merged with the
 * user's) goes to `advanced.horizontalPodAutoscalerConfig`.
 */
export function buildScaledObject(
  rc: ResolvedConfig,
  w: ResolvedWorkload,
  common: { labels: Readonly<Record<string, string>> },
): ScaledObjectObject | undefined {
  const a = w.autoscaling;
  const k = w.keda;
  if (!a || !k || a.engine !== "keda") return undefined;
  return {
    apiVersion: "keda.sh/v1alpha1",
    kind: "ScaledObject",
    metadata: scalerMetadata(w, k.scaledObjectName, common),
    spec: {
      scaleTargetRef: scaleTargetRef(w),
      pollingInterval: k.pollingInterval,
      cooldownPeriod: k.cooldownPeriod,
      ...(k.initialCooldownPeriod !== undefined ? { initialCooldownPeriod: k.initialCooldownPeriod } : {}),
      minReplicaCount: a.minReplicas,
      maxReplicaCount: a.maxReplicas,
      ...(k.fallback ? { fallback: { ...k.fallback } } : {}),
      advanced: {
        horizontalPodAutoscalerConfig: {
          ...(k.hpaName !== undefined ? { name: k.hpaName } : {}),
          behavior: mergeBehavior(a.behavior),
        },
      },
      triggers: a.metrics.map((m, i) => trigger(rc, w, m, i)),
    },
  };
}
