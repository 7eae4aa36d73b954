/**
 * The HorizontalPodAutoscaler (autoscaling/v2) generated for a workload with `autoscaling`. Pure:
 * a resolved workload in, a plain JSON object out, ready to be serialised or handed to a deployer.
 */
import { QUEUE_METRICS, type ResolvedWorkload } from "../config/resolve.js";
import type { AutoscalingMetric, ScalingRules } from "../config/schema.js";
import { presetHpaMetricName } from "../presets/ai-metrics.js";

/** Names a metric of the custom- or external-metrics API, optionally narrowed by labels. */
export interface MetricIdentifier {
  name: string;
  selector?: { matchLabels: Record<string, string> };
}
/** The target value of a metric; quantities are always strings. */
export type MetricTarget =
  | { type: "Utilization"; averageUtilization: number }
  | { type: "AverageValue"; averageValue: string }
  | { type: "Value"; value: string };
/** One entry of `spec.metrics`. */
export type MetricSpec =
  | { type: "Resource"; resource: { name: "cpu" | "memory"; target: MetricTarget } }
  | { type: "Pods"; pods: { metric: MetricIdentifier; target: MetricTarget } }
  | {
      type: "Object";
      object: {
        metric: MetricIdentifier;
        describedObject: { apiVersion: string; kind: string; name: string };
        target: MetricTarget;
      };
    }
  | { type: "External"; external: { metric: MetricIdentifier; target: MetricTarget } };
/** One scaling policy: change by at most `value` pods (or percent) per `periodSeconds`. */
export interface HPAScalingPolicy {
  type: "Pods" | "Percent";
  value: number;
  periodSeconds: number;
}
/** Scaling rules for one direction, every field set. */
export interface HPAScalingRules {
  stabilizationWindowSeconds: number;
  selectPolicy: "Max" | "Min" | "Disabled";
  policies: HPAScalingPolicy[];
}
/** `spec.behavior` of the generated HPA. */
export interface HPABehavior {
  scaleUp: HPAScalingRules;
  scaleDown: HPAScalingRules;
}
/** The generated `autoscaling/v2` HorizontalPodAutoscaler, as plain JSON. */
export interface HorizontalPodAutoscalerObject {
  apiVersion: "autoscaling/v2";
  kind: "HorizontalPodAutoscaler";
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  spec: {
    scaleTargetRef: { apiVersion: "apps/v1"; kind: "Deployment" | "StatefulSet"; name: string };
    minReplicas: number;
    maxReplicas: number;
    metrics: MetricSpec[];
    behavior: HPABehavior;
  };
}

function deepFreeze<T extends object>(o: T): T {
  for (const v of Object.values(o)) if (typeof v === "object" && v !== null) deepFreeze(v);
  return Object.freeze(o);
}

/**
 * The scaling behaviour AI inference workloads get unless the config overrides it.
 *
 * Scale up fast: a new replica of a model server takes minutes to become ready (image pull, model
 * weights loaded into GPU memory, warm-up), so the HPA must act on the first sample of a burst
 * (no stabilisation window) and may double the replicas, or add 4, every 30 s, whichever is more.
 *
 * Scale down slowly: every replica removed throws away weights that cost that same cold start to
 * load again, and inference traffic is bursty. A 10-minute stabilisation window and at most one
 * pod removed every 2 minutes keep the HPA from flapping and from giving back scarce GPU nodes
 * that the next burst needs. (The Kubernetes defaults are 15 s scale-up periods and a 5-minute
 * window with scale-down of up to 100 % every 15 s.)
 */
export const AI_DEFAULT_BEHAVIOR: Readonly<HPABehavior> = deepFreeze({
  scaleUp: {
    stabilizationWindowSeconds: 0,
    selectPolicy: "Max",
    policies: [
      { type: "Percent", value: 100, periodSeconds: 30 },
      { type: "Pods", value: 4, periodSeconds: 30 },
    ],
  },
  scaleDown: {
    stabilizationWindowSeconds: 600,
    selectPolicy: "Max",
    policies: [{ type: "Pods", value: 1, periodSeconds: 120 }],
  },
});

/** Default custom-metrics name of the per-pod GPU utilisation (DCGM, via prometheus-adapter). */
export const DEFAULT_GPU_HPA_METRIC = "DCGM_FI_DEV_GPU_UTIL";

/**
 * Formats a quantity for the Kubernetes API. Strings pass through; integers are written in plain
 * digits; other numbers in milli-units (0.5 -> "500m"), the precision the HPA controller computes
 * with, which also avoids float noise (0.1 + 0.2 -> "300m"). Throws for numbers that are not
 * positive and finite or that need finer precision than 1m.
 */
export function toQuantity(v: number | string): string {
  if (typeof v === "string") return v;
  if (!Number.isFinite(v) || v <= 0) throw new RangeError(`expected a positive quantity, got ${v}`);
  if (Number.isInteger(v)) return BigInt(v).toString();
  const milli = Math.round(v * 1000);
  if (milli === 0 || Math.abs(v * 1000 - milli) > 1e-6) {
    throw new RangeError(`quantity ${v} needs finer precision than 1m (0.001); give it as a string`);
  }
  return `${milli}m`;
}

/**
 * The custom-metrics API name the HPA reads for a gpu or queue metric: `hpaMetricName` when given,
 * else the GPU metric, or the queue series (the server's default unless `metric` is given) with
 * ':' replaced by '_', as prometheus-adapter rules usually rename recording-rule style names.
 */
export function hpaMetricNameFor(
  m: Extract<AutoscalingMetric, { type: "gpu" | "queue" | "preset" }>,
): string {
  if (m.hpaMetricName !== undefined) return m.hpaMetricName;
  if (m.type === "gpu") return DEFAULT_GPU_HPA_METRIC;
  if (m.type === "preset") return presetHpaMetricName(m.preset);
  return (m.metric ?? QUEUE_METRICS[m.server]).replaceAll(":", "_");
}

function identifier(name: string, selector: MetricIdentifier["selector"]): MetricIdentifier {
  return selector ? { name, selector: { matchLabels: { ...selector.matchLabels } } } : { name };
}

function valueTarget(m: { value?: number | string; averageValue?: number | string }): MetricTarget {
  if (m.value !== undefined) return { type: "Value", value: toQuantity(m.value) };
  if (m.averageValue !== undefined) return { type: "AverageValue", averageValue: toQuantity(m.averageValue) };
  throw new Error("metric needs value or averageValue");
}

/** Maps one metric of the config to an `autoscaling/v2` MetricSpec. */
export function toMetricSpec(m: AutoscalingMetric): MetricSpec {
  switch (m.type) {
    case "cpu":
    case "memory":
      return {
        type: "Resource",
        resource: { name: m.type, target: { type: "Utilization", averageUtilization: m.targetUtilization } },
      };
    case "gpu":
    case "queue":
    case "preset": {
      const target = toQuantity(m.type === "gpu" ? m.targetUtilization : m.targetPerReplica);
      return {
        type: "Pods",
        pods: {
          metric: { name: hpaMetricNameFor(m) },
          target: { type: "AverageValue", averageValue: target },
        },
      };
    }
    case "pods":
      return {
        type: "Pods",
        pods: {
          metric: identifier(m.name, m.selector),
          target: { type: "AverageValue", averageValue: toQuantity(m.averageValue) },
        },
      };
    case "object":
      return {
        type: "Object",
        object: {
          metric: identifier(m.name, m.selector),
          describedObject: { ...m.describedObject },
          target: valueTarget(m),
        },
      };
    case "external":
      return {
        type: "External",
        external: { metric: identifier(m.name, m.selector), target: valueTarget(m) },
      };
    case "prometheus":
      // Rejected by the config schema for engine hpa; KEDA turns it into a trigger.
      throw new Error("a prometheus trigger has no HPA metric (engine keda only)");
  }
}

function mergeRules(base: HPAScalingRules, user: ScalingRules | undefined): HPAScalingRules {
  return {
    stabilizationWindowSeconds: user?.stabilizationWindowSeconds ?? base.stabilizationWindowSeconds,
    selectPolicy: user?.selectPolicy ?? base.selectPolicy,
    policies: (user?.policies ?? base.policies).map((p) => ({ ...p })),
  };
}

/**
 * Merges the user's `autoscaling.behavior` over {@link AI_DEFAULT_BEHAVIOR}, field by field: each
 * field the user sets wins; a user `policies` list replaces the default list as a whole.
 */
export function mergeBehavior(user?: { scaleUp?: ScalingRules; scaleDown?: ScalingRules }): HPABehavior {
  return {
    scaleUp: mergeRules(AI_DEFAULT_BEHAVIOR.scaleUp, user?.scaleUp),
    scaleDown: mergeRules(AI_DEFAULT_BEHAVIOR.scaleDown, user?.scaleDown),
  };
}

/** Metadata of the object that scales a workload (its HPA or ScaledObject). */
export function scalerMetadata(
  w: ResolvedWorkload,
  name: string,
  common: { labels: Readonly<Record<string, string>> },
): { name: string; namespace: string; labels: Record<string, string> } {
  return { name, namespace: w.namespace, labels: { ...common.labels, "app.kubernetes.io/name": w.name } };
}

/** The `scaleTargetRef` of a workload's HPA or ScaledObject. */
export function scaleTargetRef(w: ResolvedWorkload): {
  apiVersion: "apps/v1";
  kind: "Deployment" | "StatefulSet";
  name: string;
} {
  return { apiVersion: "apps/v1", kind: w.kind, name: w.name };
}

/**
 * Builds the HPA for a workload, or returns undefined when the workload has no `autoscaling`
 * (an HPA already exists and is only alerted on) or uses KEDA (which creates its own HPA). Labels: `common.labels` plus
 * `app.kubernetes.io/name: <workload name>`.
 */
export function buildHorizontalPodAutoscaler(
  w: ResolvedWorkload,
  common: { labels: Readonly<Record<string, string>> },
): HorizontalPodAutoscalerObject | undefined {
  const a = w.autoscaling;
  if (!a || a.engine === "keda") return undefined;
  return {
    apiVersion: "autoscaling/v2",
    kind: "HorizontalPodAutoscaler",
    metadata: scalerMetadata(w, w.hpaName, common),
    spec: {
      scaleTargetRef: scaleTargetRef(w),
      minReplicas: a.minReplicas,
      maxReplicas: a.maxReplicas,
      metrics: a.metrics.map(toMetricSpec),
      behavior: mergeBehavior(a.behavior),
    },
  };
}
