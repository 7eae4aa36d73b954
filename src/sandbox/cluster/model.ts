/**
 * The simulated cluster's state: one {@link SimHpa} per HPA (the config's workloads, plus the
 * unconfigured HPA a scenario may drive), its pods, and how a scenario step changes it. Pure: time
 * is passed in (scenario milliseconds), nothing here reads a clock.
 */
import type { ResolvedWorkload } from "../../config/resolve.js";
import { durationSeconds } from "../../config/primitives.js";
import { REPLICAS_RE, type StepSet } from "../scenario/schema.js";

export interface SimPod {
  readonly name: string;
  /** When it becomes Running and available (scenario ms); Infinity: never (stuck). */
  readyAt: number;
  unschedulable: boolean;
  readonly node: string;
  /** Wall-clock ms its CPU counter starts at (counters grow in real seconds, as rate() reads them). */
  readonly startedWall: number;
  /** CPU seconds its counters start from (default 100), so that counters need not all start alike. */
  readonly cpuBase?: number;
}

/** One metric the HPA reports in kube-state-metrics (spec and status target metric). */
export interface SimHpaMetric {
  readonly name: string;
  readonly targetType: "utilization" | "average" | "value";
  readonly target: number;
  /** Which simulated value it reads. */
  readonly source: "gpu" | "queue" | "cpu" | "keda" | "other";
}

export interface SimHpa {
  readonly namespace: string;
  readonly hpa: string;
  /** Scale target name (the alerts' `workload`). */
  readonly target: string;
  readonly kind: "Deployment" | "StatefulSet";
  readonly replicaSet: string;
  /** Whether the workload is in the config (the unconfigured HPA must never alert). */
  readonly configured: boolean;
  readonly gpu: boolean;
  /** The inference server's queue series, when the workload serves a queue. */
  readonly queueMetric?: string;
  readonly queueTarget?: number;
  readonly gpuTarget?: number;
  readonly scaleToZero: boolean;
  /** The KEDA ScaledObject and its triggers' metric names (s0-prometheus...). */
  readonly keda?: { readonly scaledObject: string; readonly triggers: readonly string[] };
  readonly metrics: readonly SimHpaMetric[];
  min: number;
  max: number;
  desired: number;
  current: number;
  /** The scale target's spec.replicas. */
  specReplicas: number;
  /** Explicitly set available replicas (overrides the pods' readiness) until replicas change. */
  availableOverride?: number;
  /**
   * The scale target's available replicas as reported, whatever the pods: for a cluster whose pods
   * are only a sample of the replicas (the benchmark keeps at most two per workload). The pods'
   * phases still follow their readiness.
   */
  statusAvailable?: number;
  /** Each pod's memory request in bytes, reported next to the CPU request when set. */
  readonly memoryRequestBytes?: number;
  startupMs: number;
  ableToScale?: boolean;
  scalingActive?: boolean;
  scalingLimited?: boolean;
  unschedulable: number;
  gpuUtilization: number;
  queuePerReplica: number;
  cpuUtilization: number;
  scalerErrors: boolean;
  /** KEDA's error counter of the first trigger. */
  scalerErrorCount: number;
  pods: SimPod[];
  podSeq: number;
  /** The HPA was deleted (or never existed under this name): its workload and pods remain. */
  hpaDeleted?: boolean;
}

const DEFAULT_GPU = 55;
const DEFAULT_CPU = 40;

function metricsOf(w: ResolvedWorkload): SimHpaMetric[] {
  if (w.keda) {
    return (w.autoscaling?.metrics ?? []).map((m, i) => ({
      name: `s${i}-${m.type === "prometheus" ? "prometheus" : m.type}`,
      targetType: "average" as const,
      target:
        "threshold" in m ? Number(m.threshold) : "targetPerReplica" in m ? Number(m.targetPerReplica) : 1,
      source: i === 0 && m.type === "prometheus" ? ("keda" as const) : ("queue" as const),
    }));
  }
  const out: SimHpaMetric[] = [];
  for (const m of w.autoscaling?.metrics ?? []) {
    if (m.type === "gpu")
      out.push({
        name: "DCGM_FI_DEV_GPU_UTIL",
        targetType: "average",
        target: m.targetUtilization,
        source: "gpu",
      });
    else if (m.type === "cpu")
      out.push({ name: "cpu", targetType: "utilization", target: m.targetUtilization, source: "cpu" });
    else if ((m.type === "queue" || m.type === "preset") && w.queue)
      out.push({
        name: w.queue.metric.replace(/:/g, "_"),
        targetType: "average",
        target: w.queue.targetPerReplica,
        source: "queue",
      });
  }
  return out;
}

function gpuTargetOf(w: ResolvedWorkload): number | undefined {
  const m = w.autoscaling?.metrics.find((x) => x.type === "gpu");
  return m && m.type === "gpu" ? m.targetUtilization : undefined;
}

/** A fresh HPA at `replicas` with every pod available. */
function newHpa(
  base: Omit<
    SimHpa,
    | "pods"
    | "podSeq"
    | "desired"
    | "current"
    | "specReplicas"
    | "unschedulable"
    | "gpuUtilization"
    | "queuePerReplica"
    | "cpuUtilization"
    | "scalerErrors"
    | "scalerErrorCount"
    | "startupMs"
  >,
  replicas: number,
  wallNow: number,
): SimHpa {
  const h: SimHpa = {
    ...base,
    desired: replicas,
    current: replicas,
    specReplicas: replicas,
    startupMs: 0,
    unschedulable: 0,
    gpuUtilization: DEFAULT_GPU,
    queuePerReplica: base.queueTarget !== undefined ? base.queueTarget / 4 : 0,
    cpuUtilization: DEFAULT_CPU,
    scalerErrors: false,
    scalerErrorCount: 0,
    pods: [],
    podSeq: 0,
  };
  syncPods(h, 0, wallNow);
  return h;
}

/** The simulated HPA of a configured workload, at its min replicas (1 for scale-to-zero ones). */
export function simHpaOf(w: ResolvedWorkload, wallNow: number): SimHpa {
  const min = w.autoscaling?.minReplicas ?? 1;
  const max = w.autoscaling?.maxReplicas ?? 10;
  // KEDA's HPA has min max(minReplicaCount, 1); the ScaledObject itself may go to 0.
  const hpaMin = w.keda ? Math.max(min, 1) : min;
  return newHpa(
    {
      namespace: w.namespace,
      hpa: w.hpaName,
      target: w.name,
      kind: w.kind,
      replicaSet: `${w.name}-7d9f8c6b5`,
      configured: true,
      gpu: w.gpu,
      ...(w.queue ? { queueMetric: w.queue.metric, queueTarget: w.queue.targetPerReplica } : {}),
      ...(gpuTargetOf(w) !== undefined ? { gpuTarget: gpuTargetOf(w) } : {}),
      scaleToZero: w.scaleToZero,
      ...(w.scaledObjectName
        ? { keda: { scaledObject: w.scaledObjectName, triggers: metricsOf(w).map((m) => m.name) } }
        : {}),
      metrics: metricsOf(w),
      min: hpaMin,
      max,
    },
    Math.max(hpaMin, 1),
    wallNow,
  );
}

/** The name of the HPA (and its Deployment) that scenarios drive with `target: unconfigured`. */
export const UNCONFIGURED_WORKLOAD = "unconfigured-batch";

/** An HPA in the workload's namespace that the config does not know: its alerts must never fire. */
export function unconfiguredHpa(namespace: string, wallNow: number): SimHpa {
  return newHpa(
    {
      namespace,
      hpa: UNCONFIGURED_WORKLOAD,
      target: UNCONFIGURED_WORKLOAD,
      kind: "Deployment",
      replicaSet: `${UNCONFIGURED_WORKLOAD}-5f7c9d8b4`,
      configured: false,
      gpu: true,
      queueMetric: "vllm:num_requests_waiting",
      queueTarget: 8,
      gpuTarget: 70,
      scaleToZero: false,
      metrics: [{ name: "DCGM_FI_DEV_GPU_UTIL", targetType: "average", target: 70, source: "gpu" }],
      min: 1,
      max: 4,
    },
    1,
    wallNow,
  );
}

/** A replica count of a step (`max-1`...) as a number for this HPA. */
export function replicasValue(h: Pick<SimHpa, "min" | "max">, v: number | string): number {
  if (typeof v === "number") return v;
  const m = REPLICAS_RE.exec(v);
  if (!m) throw new Error(`invalid replica count ${JSON.stringify(v)}`);
  const base = m[1] === "min" ? h.min : h.max;
  return Math.max(0, base + Number(m[2] ?? 0));
}

/** Adds or removes pods so that there are `specReplicas` of them; new pods start now. */
function syncPods(h: SimHpa, now: number, wallNow: number): void {
  while (h.pods.length > h.specReplicas) h.pods.pop();
  while (h.pods.length < h.specReplicas) {
    const n = h.podSeq++;
    h.pods.push({
      name: `${h.kind === "Deployment" ? h.replicaSet : h.target}-${h.kind === "Deployment" ? podSuffix(n) : n}`,
      readyAt: now + h.startupMs,
      unschedulable: false,
      node: `gpu-node-${n % 4}`,
      startedWall: wallNow,
    });
  }
  markUnschedulable(h, now);
}

function podSuffix(n: number): string {
  const chars = "bcdfghjklmnpqrstvwxz2456789";
  let s = "";
  let x = n * 7919 + 12345;
  for (let i = 0; i < 5; i++) {
    s += chars[x % chars.length];
    x = Math.floor(x / chars.length) + i * 31;
  }
  return s;
}

/**
 * The newest `unschedulable` pods that are not running yet are Pending and unschedulable (never
 * ready); a pod that stops being unschedulable starts its model load now.
 */
function markUnschedulable(h: SimHpa, now: number): void {
  let left = h.unschedulable;
  for (let i = h.pods.length - 1; i >= 0; i--) {
    const p = h.pods[i] as SimPod;
    if (left > 0 && (p.unschedulable || p.readyAt >= now)) {
      p.unschedulable = true;
      p.readyAt = Infinity;
      left--;
    } else if (p.unschedulable) {
      p.unschedulable = false;
      p.readyAt = now + h.startupMs;
    }
  }
}

/** Applies one step's `set` at scenario time `now` (ms). */
export function applyStep(h: SimHpa, set: StepSet, now: number, wallNow: number): void {
  if (set.min !== undefined) h.min = set.min;
  if (set.max !== undefined) h.max = set.max;
  if (set.startup !== undefined) h.startupMs = durationSeconds(set.startup) * 1000;
  if (set.replicas !== undefined) {
    const r = replicasValue(h, set.replicas);
    h.desired = h.current = h.specReplicas = r;
    h.availableOverride = undefined;
  }
  if (set.desired !== undefined) h.desired = replicasValue(h, set.desired);
  if (set.current !== undefined) h.current = replicasValue(h, set.current);
  if (set.ableToScale !== undefined) h.ableToScale = set.ableToScale;
  if (set.scalingActive !== undefined) h.scalingActive = set.scalingActive;
  if (set.scalingLimited !== undefined) h.scalingLimited = set.scalingLimited;
  if (set.gpuUtilization !== undefined) h.gpuUtilization = set.gpuUtilization;
  if (set.queuePerReplica !== undefined) h.queuePerReplica = set.queuePerReplica;
  if (set.cpuUtilization !== undefined) h.cpuUtilization = set.cpuUtilization;
  if (set.scalerErrors !== undefined) h.scalerErrors = set.scalerErrors;
  if (set.unschedulable !== undefined) h.unschedulable = set.unschedulable;
  syncPods(h, now, wallNow);
  if (set.available !== undefined)
    h.availableOverride = Math.min(replicasValue(h, set.available), h.pods.length);
}

/** Pods that are Running and ready at `now`. */
export function runningPods(h: SimHpa, now: number): SimPod[] {
  if (h.availableOverride !== undefined) return h.pods.slice(0, h.availableOverride);
  return h.pods.filter((p) => !p.unschedulable && p.readyAt <= now);
}

/** The scale target's available replicas at `now`: {@link SimHpa.statusAvailable}, else its running pods. */
export function availableReplicas(h: SimHpa, now: number): number {
  return h.statusAvailable ?? runningPods(h, now).length;
}

/** The HPA's conditions, explicit values first, else what an HPA in this state reports. */
export function conditions(h: SimHpa): Record<"AbleToScale" | "ScalingActive" | "ScalingLimited", boolean> {
  return {
    AbleToScale: h.ableToScale ?? true,
    // KEDA disables its HPA at zero (ScalingActive=false, reason ScalingDisabled).
    ScalingActive: h.scalingActive ?? !(h.keda !== undefined && h.desired === 0),
    ScalingLimited: h.scalingLimited ?? (h.desired >= h.max || h.desired < h.min),
  };
}

/** What the KEDA scaler reads for trigger `i`: the gateway queue wakes the workload. */
export function kedaTriggerValue(h: SimHpa, i: number): number {
  if (i === 0) return h.desired === 0 ? 0 : Math.max(1, h.queuePerReplica);
  return h.desired === 0 ? 0 : h.queuePerReplica;
}

/**
 * A ScaledObject the cluster runs without a simulated HPA (one the config does not cover): KEDA
 * reports its one trigger, idle, with its error counter.
 */
export interface SimScaledObject {
  readonly namespace: string;
  readonly scaledObject: string;
  scalerErrorCount: number;
}
