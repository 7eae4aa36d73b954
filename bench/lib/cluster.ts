/**
 * The synthetic cluster of N HPAs over 20 namespaces for the rule-cost benchmark: the workloads
 * (which also become the ai-scaling-alerts config) as the sandbox's simulated HPAs ({@link SimHpa}),
 * so that the sandbox's series (src/sandbox/cluster/series.ts) expose them, plus what only the
 * benchmark needs: each HPA's role, its history (for the oracle) and its KEDA timeline. The drift
 * that changes them over time is in ./drift.ts, the oracle in ./oracle.ts.
 *
 * Every HPA gets a "slot" (its index modulo 100) that fixes its role; the pattern repeats every
 * 100 HPAs so each role exists at N = 100 and scales linearly with N. Only two pods per workload
 * are simulated (the series stay proportional to N); the replica counts are the HPA's.
 *
 * 10% of the workloads are KEDA ScaledObjects that scale to zero (`engine: keda`, minReplicas 0,
 * HPA `keda-hpa-<name>`), plus one existing ScaledObject (`signals.keda`): they sit at zero, wake
 * (a cold start, slow for some), scale up, go back to zero, or have a failing KEDA scaler.
 */
import { CATALOG } from "../../src/catalog/catalog.js";
import { durationSeconds } from "../../src/config/primitives.js";
import type { SimHpa, SimHpaMetric, SimPod, SimScaledObject } from "../../src/sandbox/cluster/model.js";

export const NAMESPACES = 20;
/** About 5% of the HPAs change desired replicas every DRIFT_SECONDS. */
export const DRIFT_SECONDS = 30;
export const DRIFT_FRACTION = 0.05;
/** Flapping HPAs toggle their desired replicas this often: every change reverses the direction. */
export const FLAP_SECONDS = 10;

export type State =
  | "normal"
  | "maxed" // current == max, ScalingLimited=true, min < max
  | "maxedUnlimited" // current == max but ScalingLimited=false (e.g. KEDA cron trigger at max)
  | "pinned" // min == max, ScalingLimited=true
  | "inactive" // ScalingActive=false
  | "zero" // scaled to zero on purpose (KEDA idle) the whole time: ScalingActive=false, target at 0
  | "kedaCycle" // KEDA: wakes from zero, scales 1 -> 2, goes back to zero, every KEDA_CYCLE_TICKS ticks
  | "coldStuck" // KEDA: at zero, woken at tick COLD_STUCK_WAKE_TICK, no replica ever becomes available
  | "scalerFailing" // KEDA: running, its gateway trigger fails from SCALER_ERRORS_FROM_MS on
  | "unable" // AbleToScale=false
  | "stalled" // desired > available, one pod Pending and unschedulable
  | "flapping" // desired toggles every FLAP_SECONDS (a reversal of the scaling direction each time)
  | "hotCpu" // CPU at 95% of requests
  | "gpuIdle"; // GPU at 10%, above min replicas

const SLOT_STATES: Record<number, State> = {
  0: "maxed",
  1: "maxed",
  2: "maxed",
  3: "maxed",
  4: "maxed",
  5: "maxedUnlimited",
  6: "maxedUnlimited",
  7: "pinned",
  8: "pinned",
  9: "inactive",
  10: "inactive",
  11: "inactive",
  12: "zero",
  13: "zero",
  14: "unable",
  15: "unable",
  16: "stalled",
  17: "stalled",
  18: "stalled",
  19: "stalled",
  20: "flapping",
  21: "flapping",
  22: "flapping",
  23: "hotCpu",
  24: "hotCpu",
  25: "hotCpu",
  30: "gpuIdle",
  32: "kedaCycle",
  33: "kedaCycle",
  34: "kedaCycle",
  35: "kedaCycle",
  36: "kedaCycle",
  37: "kedaCycle",
  38: "coldStuck",
  39: "coldStuck",
  40: "gpuIdle",
  41: "scalerFailing",
};

/** Slots whose workload overrides for/severity/threshold (so that rule variants exist): 7%. */
export const OVERRIDE_SLOTS = new Set([1, 9, 14, 17, 21, 24, 60]);
/** Slots of StatefulSets (the rest are Deployments). */
const STATEFULSET_SLOTS = new Set([16, 36, 45, 95]);
/** Slots with a generated KEDA ScaledObject that scales to zero (`engine: keda`, minReplicas 0): 10%. */
export const KEDA_ENGINE_SLOTS = new Set([12, 32, 33, 34, 35, 36, 37, 38, 39, 41]);
/** Slot of a workload driven by an existing ScaledObject that scales to zero (`signals.keda`). */
const KEDA_SIGNALS_SLOT = 13;
/** Slot of an existing HPA that KEDA created, configured by its name only (no KEDA signals). */
const KEDA_NAMED_SLOT = 45;
/** KEDA slots whose cold-start budget (AIWorkloadColdStartSlow `for`) is 1m instead of 5m. */
export const KEDA_BUDGET_SLOTS = new Set([32, 38]);
export const KEDA_OVERRIDES = { AIWorkloadColdStartSlow: { for: "1m" } } as const;
/** Slots with any alert override (variants, thresholds, alerts off), for the report. */
export const ALL_OVERRIDE_SLOTS = new Set([...OVERRIDE_SLOTS, ...KEDA_BUDGET_SLOTS]);

/**
 * KEDA timeline, in drift ticks (DRIFT_SECONDS). A cycling workload with phase p is, at tick i,
 * at position (i - p) mod KEDA_CYCLE_TICKS of its cycle: 0 woken from zero to 1 replica (the
 * replica becomes available COLD_START_MS later), 1 scaled up to 2, 3 scaled to zero; at zero in
 * 3, 4 and 5. Phases 0-5 over the six cycling slots, so every moment has workloads that just woke,
 * just scaled up and just went to zero.
 */
export const KEDA_CYCLE_TICKS = 6;
export const COLD_START_MS = 10_000;
export const COLD_STUCK_WAKE_TICK = 1;
/** The failing scaler's errors start this long after the cluster starts, one per polling interval. */
export const SCALER_ERRORS_FROM_MS = 30_000;
export const KEDA_POLLING_MS = 15_000;
/** KEDA HPAs have min 1 (KEDA sets max(minReplicaCount, 1)); the ScaledObject's min is 0. */
const KEDA_HPA_MIN = 1;
const KEDA_MAX = 6;
/** The gateway trigger's target per replica and its KEDA metric name (s<trigger index>-prometheus). */
export const GATEWAY_THRESHOLD = 4;

/**
 * The overrides the OVERRIDE_SLOTS workloads carry, and what the oracle must expect from them.
 * AIWorkloadScalingFlapping's threshold counts reversals of the scaling direction in its window
 * (the catalog's default is 3): 4 here, so the threshold's variant exists.
 */
export const OVERRIDES = {
  AIWorkloadAtMaxReplicas: { for: "1m", severity: "critical" },
  AIWorkloadScalingInactive: { for: "1m" },
  AIWorkloadUnableToScale: { for: "1m" },
  AIWorkloadScaleUpStalled: { for: "1m" },
  AIWorkloadPodsUnschedulable: { for: "1m" },
  AIWorkloadScalingFlapping: { threshold: 4 },
  AIWorkloadHighCpuUtilization: { threshold: 50, for: "1m" },
} as const;
/**
 * Slot 60 is a normal workload whose CPU threshold (5%) is far below its usage (40%), so it fires
 * even while rate(...[5m]) still reads low for lack of history.
 */
const LOW_CPU_THRESHOLD_SLOT = 60;
const LOW_CPU_THRESHOLD = 5;
/** Slot 21 (flapping) additionally disables the scaled up/down alerts. */
const SCALE_EVENTS_OFF_SLOT = 21;

export const QUEUE_TARGET = 8;

/** AIWorkloadScalingFlapping's defaults, from the catalog: reversals in the window. */
const FLAPPING_DEFAULT = {
  threshold: CATALOG.AIWorkloadScalingFlapping.threshold?.default ?? NaN,
  windowSeconds: durationSeconds(CATALOG.AIWorkloadScalingFlapping.window ?? ""),
};

/** Each pod's memory request (kube-state-metrics reports it next to the CPU request). */
const MEMORY_REQUEST_BYTES = 8 * 1024 ** 3;
/** The inference server's waiting-requests gauge of the queue-serving workloads. */
const QUEUE_METRIC = "vllm:num_requests_waiting";
const GPU_TARGET = 70;
const CPU_TARGET = 80;

/** The KEDA ScaledObject behind a workload's HPA (the sandbox's, plus its benchmark timeline). */
export interface Keda {
  /** `engine`: generated from `autoscaling.engine: keda`; `signals`: an existing one. */
  readonly source: "engine" | "signals";
  readonly scaledObject: string;
  /** KEDA's metric name of each trigger (the `metric` label): s<index>-prometheus. */
  readonly triggers: readonly string[];
  /** Whether the first trigger's scaler fails (from `errorsFrom` on, one error per polling interval). */
  readonly failing: boolean;
  /** When the errors start (ms), for a failing scaler. */
  readonly errorsFrom: number;
  /** Position in the KEDA cycle at tick 0 (kedaCycle). */
  readonly phase: number;
  /** While cold starting: when the first replica becomes available (ms; Infinity: never). */
  readyAt?: number;
  /** Incremented at each wake, so that each wake's pods get new names. */
  generation: number;
}

/**
 * One HPA of the synthetic cluster: the sandbox's simulated HPA (what the series expose; `desired`,
 * `current` and the scale target's `specReplicas` move together, `statusAvailable` is the scale
 * target's available replicas, pods become ready only when the drift says so) and its role.
 */
export interface Hpa extends SimHpa {
  readonly index: number;
  readonly slot: number;
  readonly state: State;
  readonly override: boolean;
  readonly keda?: Keda;
  /** Changes of desired replicas: [time ms, new value]; the first entry is the initial value. */
  readonly history: [number, number][];
  /** Changes of available replicas, the same way. */
  readonly availableHistory: [number, number][];
  /** Settings as the oracle needs them: flapping's threshold (reversals) and window (seconds). */
  readonly flappingThreshold: number;
  readonly flappingWindowSeconds: number;
  readonly cpuThreshold: number;
  readonly stalledWindowSeconds: number;
  readonly coldStartBudgetSeconds: number;
  readonly scaleEventsEnabled: boolean;
}

/** Small deterministic PRNG (mulberry32), so runs are comparable. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The namespace of the i-th HPA. */
export function namespaceOf(i: number): string {
  return `ml-${String(i % NAMESPACES).padStart(2, "0")}`;
}

/** Where a KEDA cycle with this phase is at drift tick `tick`: 0 .. KEDA_CYCLE_TICKS - 1. */
export function cyclePosition(phase: number, tick: number): number {
  return (((tick - phase) % KEDA_CYCLE_TICKS) + KEDA_CYCLE_TICKS) % KEDA_CYCLE_TICKS;
}

/** The metrics the HPA reports: KEDA's one external metric per trigger, else GPU or CPU. */
function metricsOf(gpu: boolean, keda: Keda | undefined): SimHpaMetric[] {
  if (keda)
    // AverageValue; KEDA's values read 0 at zero, hence source "keda" for both triggers.
    return keda.triggers.map((name, t) => ({
      name,
      targetType: "average",
      target: t === 0 ? GATEWAY_THRESHOLD : QUEUE_TARGET,
      source: "keda",
    }));
  return gpu
    ? [{ name: "DCGM_FI_DEV_GPU_UTIL", targetType: "average", target: GPU_TARGET, source: "gpu" }]
    : [{ name: "cpu", targetType: "utilization", target: CPU_TARGET, source: "cpu" }];
}

/** The HPA's conditions where its role sets them; the sandbox's defaults give the others. */
function conditionsOf(state: State): Pick<SimHpa, "ableToScale" | "scalingActive" | "scalingLimited"> {
  // Defaults: AbleToScale; ScalingActive unless KEDA has it at zero; ScalingLimited at max
  // (maxed, pinned) or below min (KEDA at zero, HPA min 1).
  if (state === "unable") return { ableToScale: false };
  if (state === "inactive") return { scalingActive: false };
  if (state === "maxedUnlimited") return { scalingLimited: false };
  return {};
}

/** Builds the N HPAs of the synthetic cluster, as they are at time `now`. */
export function buildCluster(n: number, now: number, seed = 42): Hpa[] {
  const rand = prng(seed);
  const hpas: Hpa[] = [];
  for (let i = 0; i < n; i++) {
    const slot = i % 100;
    const state: State = SLOT_STATES[slot] ?? "normal";
    const kind = STATEFULSET_SLOTS.has(slot) ? "StatefulSet" : "Deployment";
    const name = `svc-${String(i).padStart(4, "0")}`;
    const kedaEngine = KEDA_ENGINE_SLOTS.has(slot);
    const kedaSignals = slot === KEDA_SIGNALS_SLOT;
    const hpaName = kedaEngine || kedaSignals || slot === KEDA_NAMED_SLOT ? `keda-hpa-${name}` : name;
    const override = OVERRIDE_SLOTS.has(slot);
    const phase = [...KEDA_ENGINE_SLOTS].filter((s) => SLOT_STATES[s] === "kedaCycle").indexOf(slot);
    const keda: Keda | undefined =
      kedaEngine || kedaSignals
        ? {
            source: kedaEngine ? "engine" : "signals",
            scaledObject: name,
            // The generated ScaledObject's triggers: the gateway query, then the vLLM queue.
            triggers: kedaEngine ? ["s0-prometheus", "s1-prometheus"] : ["s0-prometheus"],
            failing: state === "scalerFailing",
            errorsFrom: now + SCALER_ERRORS_FROM_MS,
            phase: Math.max(0, phase),
            generation: 0,
          }
        : undefined;
    let min = 1 + (i % 3);
    let max = min + 6 + (i % 5);
    let desired = min + Math.floor(rand() * (max - min));
    let available = desired;
    switch (state) {
      case "maxed":
      case "maxedUnlimited":
        min = 2;
        max = 8;
        desired = 8;
        available = 8;
        break;
      case "pinned":
        min = 4;
        max = 4;
        desired = 4;
        available = 4;
        break;
      case "zero":
      case "coldStuck":
        min = KEDA_HPA_MIN;
        max = KEDA_MAX;
        desired = 0;
        available = 0;
        break;
      case "kedaCycle": {
        min = KEDA_HPA_MIN;
        max = KEDA_MAX;
        const pos = cyclePosition(keda?.phase ?? 0, 0);
        desired = pos === 0 ? 1 : pos < 3 ? 2 : 0;
        available = desired;
        break;
      }
      case "scalerFailing":
        min = KEDA_HPA_MIN;
        max = KEDA_MAX;
        desired = 2;
        available = 2;
        break;
      case "stalled":
        min = 1;
        max = 10;
        desired = 5;
        available = 3;
        break;
      case "gpuIdle":
        min = 1;
        max = 8;
        desired = 4;
        available = 4;
        break;
      case "flapping":
        min = 1;
        max = 10;
        desired = 4;
        available = 4;
        break;
      default:
        break;
    }
    const podCount = keda ? Math.min(2, desired) : 2;
    const replicaSet = kind === "Deployment" ? `${name}-7d9f${(i % 97).toString(16)}c` : "";
    const pods: SimPod[] = [];
    for (let k = 0; k < 2; k++) {
      const cpuBase = Math.floor(rand() * 100000);
      if (k >= podCount) continue;
      const podName = kind === "Deployment" ? `${replicaSet}-p${k}x` : `${name}-${k}`;
      // A stalled workload's second pod is Pending and unschedulable; the others run.
      const pending = state === "stalled" && k === 1;
      pods.push({
        name: podName,
        readyAt: pending ? Infinity : now,
        unschedulable: pending,
        node: pending ? "" : `node-${(i * 2 + k) % 50}`,
        startedWall: now,
        cpuBase,
      });
    }
    const gpu = slot % 10 === 0;
    const queue = gpu || kedaEngine;
    const coldStartBudgetSeconds = KEDA_BUDGET_SLOTS.has(slot) ? 60 : 300;
    hpas.push({
      index: i,
      slot,
      state,
      override,
      namespace: namespaceOf(i),
      hpa: hpaName,
      target: name,
      kind,
      replicaSet,
      configured: true,
      gpu,
      ...(queue ? { queueMetric: QUEUE_METRIC, queueTarget: QUEUE_TARGET } : {}),
      ...(gpu && !keda ? { gpuTarget: GPU_TARGET } : {}),
      scaleToZero: keda !== undefined,
      ...(keda ? { keda } : {}),
      metrics: metricsOf(gpu, keda),
      min,
      max,
      desired,
      current: desired,
      specReplicas: desired,
      statusAvailable: available,
      memoryRequestBytes: MEMORY_REQUEST_BYTES,
      startupMs: 0,
      ...conditionsOf(state),
      unschedulable: pods.filter((p) => p.unschedulable).length,
      gpuUtilization: state === "gpuIdle" ? 10 : state === "maxed" ? 95 : 60,
      // Requests waiting per replica: 3x the target when maxed, else a quarter of it.
      queuePerReplica: state === "maxed" ? 3 * QUEUE_TARGET : QUEUE_TARGET / 4,
      cpuUtilization: state === "hotCpu" ? 95 : 40,
      scalerErrors: keda?.failing ?? false,
      scalerErrorCount: 0,
      pods,
      podSeq: pods.length,
      history: [[now, desired]],
      availableHistory: [[now, available]],
      flappingThreshold: override
        ? OVERRIDES.AIWorkloadScalingFlapping.threshold
        : FLAPPING_DEFAULT.threshold,
      flappingWindowSeconds: FLAPPING_DEFAULT.windowSeconds,
      cpuThreshold:
        slot === LOW_CPU_THRESHOLD_SLOT
          ? LOW_CPU_THRESHOLD
          : override
            ? OVERRIDES.AIWorkloadHighCpuUtilization.threshold
            : CPU_TARGET,
      stalledWindowSeconds: override ? 60 : 600,
      coldStartBudgetSeconds,
      scaleEventsEnabled: slot !== SCALE_EVENTS_OFF_SLOT,
    });
  }
  return hpas;
}

/**
 * ScaledObjects in the cluster that the config does not cover (one per 100 HPAs), all failing
 * (./drift.ts counts their errors): they must never alert.
 */
export function strayScaledObjects(n: number): SimScaledObject[] {
  return Array.from({ length: Math.max(1, Math.round(n / 100)) }, (_, k) => ({
    namespace: namespaceOf(k * 7),
    scaledObject: `gateway-${k}`,
    scalerErrorCount: 0,
  }));
}

/** The workloads as an ai-scaling-alerts config (input to `parseConfig`). */
export function configFor(hpas: readonly Hpa[]): Record<string, unknown> {
  const workloads = hpas.map((h) => {
    const w: Record<string, unknown> = { name: h.target, namespace: h.namespace };
    if (h.kind === "StatefulSet") w.kind = "StatefulSet";
    if (h.keda?.source === "engine") {
      // KEDA names the HPA keda-hpa-<name>; the gateway in front of the workload wakes it.
      w.autoscaling = {
        engine: "keda",
        minReplicas: 0,
        maxReplicas: h.max,
        metrics: [
          {
            type: "prometheus",
            name: "gateway-queue",
            query: `sum(gateway_requests_queued{namespace="${h.namespace}", backend="${h.target}"})`,
            threshold: GATEWAY_THRESHOLD,
            activationThreshold: 1,
          },
          { type: "queue", server: "vllm", targetPerReplica: QUEUE_TARGET },
        ],
      };
      w.labels = { team: "inference" };
    } else if (h.keda?.source === "signals") {
      w.existingHpa = true;
      w.signals = { keda: { scaledObject: h.keda.scaledObject, scaleToZero: true } };
    } else if (h.hpa !== h.target) {
      w.hpaName = h.hpa;
      w.existingHpa = true;
    } else if (h.gpu) {
      w.autoscaling = {
        minReplicas: Math.max(1, h.min),
        maxReplicas: h.max,
        metrics: [
          { type: "gpu", targetUtilization: 70 },
          { type: "queue", server: "vllm", targetPerReplica: QUEUE_TARGET },
        ],
      };
      w.labels = { team: "ml-platform" };
    } else if (h.index % 3 === 0) {
      w.existingHpa = true;
    } else {
      w.autoscaling = {
        minReplicas: Math.max(1, h.min),
        maxReplicas: h.max,
        metrics: [{ type: "cpu", targetUtilization: 80 }],
      };
      if (h.index % 4 === 0) w.labels = { team: "search" };
    }
    const alerts: Record<string, unknown> = {};
    if (h.override) Object.assign(alerts, structuredClone(OVERRIDES));
    if (KEDA_BUDGET_SLOTS.has(h.slot)) Object.assign(alerts, structuredClone(KEDA_OVERRIDES));
    if (h.slot === LOW_CPU_THRESHOLD_SLOT)
      alerts.AIWorkloadHighCpuUtilization = { threshold: LOW_CPU_THRESHOLD, for: "1m" };
    if (h.slot === SCALE_EVENTS_OFF_SLOT) {
      alerts.AIWorkloadScaledUp = { enabled: false };
      alerts.AIWorkloadScaledDown = { enabled: false };
    }
    if (Object.keys(alerts).length > 0) w.alerts = alerts;
    return w;
  });
  return {
    name: "bench",
    namespace: "ml-00",
    monitoring: { runbookBaseUrl: "https://example.com/runbooks.md" },
    workloads,
  };
}
