/**
 * Resolving a validated config into the model the generators use: every default applied, each
 * workload's effective alert settings computed (catalog <- config.alerts <- workload.alerts), and
 * the data each workload exposes (GPU, queue) derived from its autoscaling metrics and signals.
 */
import { ALERT_NAMES, CATALOG, type AlertName, type Severity } from "../catalog/catalog.js";
import { METRIC_PRESETS, QUEUE_PRESET_OF_SERVER, type PresetId } from "../presets/ai-metrics.js";
import {
  KEDA_DEFAULTS,
  type AlertOverrides,
  type Autoscaling,
  type Config,
  type KedaSettings,
  type Notifications,
  type QueueServer,
} from "./schema.js";

/** The Prometheus series that reports each inference server's queue depth. */
export const QUEUE_METRICS: Readonly<Record<QueueServer, string>> = {
  vllm: METRIC_PRESETS[QUEUE_PRESET_OF_SERVER.vllm].series,
  triton: METRIC_PRESETS[QUEUE_PRESET_OF_SERVER.triton].series,
  tgi: METRIC_PRESETS[QUEUE_PRESET_OF_SERVER.tgi].series,
  sglang: METRIC_PRESETS[QUEUE_PRESET_OF_SERVER.sglang].series,
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
  /** The preset the queue depth comes from. */
  readonly preset: PresetId;
  readonly targetPerReplica: number;
  /** Prometheus series of the queue depth per pod. */
  readonly metric: string;
}

export interface ResolvedWorkload {
  readonly name: string;
  readonly namespace: string;
  readonly kind: "Deployment" | "StatefulSet";
  /** The HPA the alerts watch: ours, the existing one, or the one KEDA creates. */
  readonly hpaName: string;
  /** Present when we generate the HPA or ScaledObject; absent when one already exists. */
  readonly autoscaling?: Autoscaling;
  /** Present with `engine: keda`: the ScaledObject's settings, defaults applied. */
  readonly keda?: ResolvedKeda;
  /** The KEDA ScaledObject that drives the HPA (generated or existing), if any. */
  readonly scaledObjectName?: string;
  /** Whether the workload may be scaled to zero replicas on purpose (KEDA, minReplicas 0). */
  readonly scaleToZero: boolean;
  readonly gpu: boolean;
  readonly queue?: ResolvedQueue;
  readonly labels: Readonly<Record<string, string>>;
  readonly alerts: Readonly<Record<AlertName, EffectiveAlert>>;
}

export interface ResolvedKeda extends Omit<KedaSettings, "scaledObjectName" | "hpaName"> {
  readonly scaledObjectName: string;
  /** Set when the HPA's name is not KEDA's default `keda-hpa-<scaledObjectName>`. */
  readonly hpaName?: string;
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

/**
 * The queue a workload serves: from a queue metric, a queue-kind preset metric, or its signals
 * (the first that exists).
 */
function resolveQueue(w: Config["workloads"][number]): ResolvedQueue | undefined {
  const metrics = w.autoscaling?.metrics ?? [];
  for (const m of metrics) {
    if (m.type === "queue" || (m.type === "preset" && METRIC_PRESETS[m.preset].kind === "queue")) {
      return queueOf(m);
    }
  }
  return w.signals?.queue ? queueOf(w.signals.queue) : undefined;
}

function queueOf(
  q:
    | { type?: "queue"; server: QueueServer; targetPerReplica: number; metric?: string }
    | { type: "preset"; preset: PresetId; targetPerReplica: number },
): ResolvedQueue {
  const preset = "preset" in q ? q.preset : QUEUE_PRESET_OF_SERVER[q.server];
  const metric = ("metric" in q ? q.metric : undefined) ?? METRIC_PRESETS[preset].series;
  return { preset, targetPerReplica: q.targetPerReplica, metric };
}

/** Resolves a validated config. Pure: the same config always gives the same model. */
export function resolveConfig(config: Config): ResolvedConfig {
  const alertDefaults = catalogDefaults(config.alerts);
  const workloads = config.workloads.map((w): ResolvedWorkload => {
    const metrics = w.autoscaling?.metrics ?? [];
    const gpu = metrics.some((m) => m.type === "gpu") || w.signals?.gpu === true;
    const queue = resolveQueue(w);
    const keda: ResolvedKeda | undefined =
      w.autoscaling?.engine === "keda"
        ? {
            ...KEDA_DEFAULTS,
            ...w.autoscaling.keda,
            scaledObjectName: w.autoscaling.keda?.scaledObjectName ?? w.name,
          }
        : undefined;
    const scaledObjectName = keda?.scaledObjectName ?? w.signals?.keda?.scaledObject;
    const scaleToZero = keda ? w.autoscaling?.minReplicas === 0 : (w.signals?.keda?.scaleToZero ?? false);
    const alerts = {} as Record<AlertName, EffectiveAlert>;
    for (const name of ALERT_NAMES) {
      const req = CATALOG[name].requires;
      const applies =
        req === "always" ||
        (req === "gpu" && gpu) ||
        (req === "queue" && queue !== undefined) ||
        (req === "scaleToZero" && scaleToZero) ||
        (req === "keda" && scaledObjectName !== undefined);
      alerts[name] = { ...applyOverrides(alertDefaults[name], w.alerts?.[name]), applies };
    }
    return {
      name: w.name,
      namespace: w.namespace ?? config.namespace,
      kind: w.kind,
      hpaName: keda
        ? (keda.hpaName ?? `keda-hpa-${keda.scaledObjectName}`)
        : (w.hpaName ?? (w.signals?.keda ? `keda-hpa-${w.signals.keda.scaledObject}` : w.name)),
      autoscaling: w.autoscaling,
      ...(keda ? { keda } : {}),
      ...(scaledObjectName ? { scaledObjectName } : {}),
      scaleToZero,
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
