/**
 * Resolving a validated config into the model the generators use: every default applied, each
 * workload's effective alert settings computed (catalog <- config.alerts <- workload.alerts), and
 * the data each workload exposes (GPU, queue) derived from its autoscaling metrics and signals.
 */
import { ALERT_NAMES, CATALOG, type AlertName, type Severity } from "../catalog/catalog.js";
import type { AlertOverrides, Autoscaling, Config, Notifications, QueueServer } from "./schema.js";

/** The Prometheus series that reports each inference server's queue depth. */
export const QUEUE_METRICS: Readonly<Record<QueueServer, string>> = {
  vllm: "vllm:num_requests_waiting",
  triton: "nv_inference_pending_request_count",
  tgi: "tgi_queue_size",
  sglang: "sglang:num_queue_reqs",
};

/** The settings an alert has for one workload. */
export interface EffectiveAlert {
  readonly name: AlertName;
  /** Whether the workload has the data the alert needs (GPU, queue). */
  readonly applies: boolean;
  readonly enabled: boolean;
  readonly for: string;
  readonly severity: Severity;
  readonly threshold?: number;
  readonly window?: string;
}

export interface ResolvedQueue {
  readonly server: QueueServer;
  readonly targetPerReplica: number;
  /** Prometheus series of the queue depth per pod. */
  readonly metric: string;
}

export interface ResolvedWorkload {
  readonly name: string;
  readonly namespace: string;
  readonly kind: "Deployment" | "StatefulSet";
  readonly hpaName: string;
  /** Present when we generate the HPA; absent when one already exists. */
  readonly autoscaling?: Autoscaling;
  readonly gpu: boolean;
  readonly queue?: ResolvedQueue;
  readonly labels: Readonly<Record<string, string>>;
  readonly alerts: Readonly<Record<AlertName, EffectiveAlert>>;
}

export interface ResolvedConfig {
  readonly name: string;
  readonly namespace: string;
  readonly monitoring: Config["monitoring"];
  /** Settings every workload gets unless it overrides them (catalog + config.alerts). */
  readonly alertDefaults: Readonly<Record<AlertName, EffectiveAlert>>;
  readonly workloads: readonly ResolvedWorkload[];
  readonly notifications?: Notifications;
  /** Names of every extra label any workload sets, sorted. */
  readonly extraLabelNames: readonly string[];
}

function applyOverrides(base: EffectiveAlert, o: AlertOverrides[AlertName] | undefined): EffectiveAlert {
  if (!o) return base;
  return {
    ...base,
    enabled: o.enabled ?? base.enabled,
    for: o.for ?? base.for,
    severity: o.severity ?? base.severity,
    threshold: o.threshold ?? base.threshold,
    window: o.window ?? base.window,
  };
}

function catalogDefaults(overrides: AlertOverrides | undefined): Record<AlertName, EffectiveAlert> {
  const out = {} as Record<AlertName, EffectiveAlert>;
  for (const name of ALERT_NAMES) {
    const spec = CATALOG[name];
    const base: EffectiveAlert = {
      name,
      applies: true,
      enabled: true,
      for: spec.for,
      severity: spec.severity,
      threshold: spec.threshold?.default,
      window: spec.window,
    };
    out[name] = applyOverrides(base, overrides?.[name]);
  }
  return out;
}

/** Resolves a validated config. Pure: the same config always gives the same model. */
export function resolveConfig(config: Config): ResolvedConfig {
  const alertDefaults = catalogDefaults(config.alerts);
  const workloads = config.workloads.map((w): ResolvedWorkload => {
    const metrics = w.autoscaling?.metrics ?? [];
    const gpu = metrics.some((m) => m.type === "gpu") || w.signals?.gpu === true;
    const qm = metrics.find((m) => m.type === "queue");
    const qs = qm ?? w.signals?.queue;
    const queue: ResolvedQueue | undefined = qs
      ? {
          server: qs.server,
          targetPerReplica: qs.targetPerReplica,
          metric: qs.metric ?? QUEUE_METRICS[qs.server],
        }
      : undefined;
    const alerts = {} as Record<AlertName, EffectiveAlert>;
    for (const name of ALERT_NAMES) {
      const req = CATALOG[name].requires;
      const applies = req === "always" || (req === "gpu" && gpu) || (req === "queue" && queue !== undefined);
      alerts[name] = { ...applyOverrides(alertDefaults[name], w.alerts?.[name]), applies };
    }
    return {
      name: w.name,
      namespace: w.namespace ?? config.namespace,
      kind: w.kind,
      hpaName: w.hpaName ?? w.name,
      autoscaling: w.autoscaling,
      gpu,
      queue,
      labels: w.labels ?? {},
      alerts,
    };
  });
  const extraLabelNames = [...new Set(workloads.flatMap((w) => Object.keys(w.labels)))].sort();
  return {
    name: config.name,
    namespace: config.namespace,
    monitoring: config.monitoring,
    alertDefaults,
    workloads,
    notifications: config.notifications,
    extraLabelNames,
  };
}

/** Whether an alert is on for a workload (it applies and is enabled). */
export function isActive(a: EffectiveAlert): boolean {
  return a.applies && a.enabled;
}
