/**
 * A synthetic cluster of N HPAs over 20 namespaces, for the rule-cost benchmark: the workloads
 * (which also become the ai-scaling-alerts config), their kube-state-metrics / cAdvisor / DCGM /
 * vLLM series, the drift that changes them over time, and an oracle that says which of our alerts
 * *should* be active at a given moment, so the run can check the rules as well as time them.
 *
 * Every HPA gets a "slot" (its index modulo 100) that fixes its role; the pattern repeats every
 * 100 HPAs so each role exists at N = 100 and scales linearly with N.
 *
 * 10% of the workloads are KEDA ScaledObjects that scale to zero (`engine: keda`, minReplicas 0,
 * HPA `keda-hpa-<name>`), plus one existing ScaledObject (`signals.keda`): they sit at zero, wake
 * (a cold start, slow for some), scale up, go back to zero, or have a failing KEDA scaler, and the
 * exporter serves KEDA's operator metrics for them.
 */

export const NAMESPACES = 20;
/** About 5% of the HPAs change desired replicas every DRIFT_SECONDS. */
export const DRIFT_SECONDS = 30;
export const DRIFT_FRACTION = 0.05;
/** Flapping HPAs toggle their desired replicas this often. */
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
  | "flapping" // desired toggles every FLAP_SECONDS
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

/** The overrides the OVERRIDE_SLOTS workloads carry, and what the oracle must expect from them. */
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
export const CPU_REQUEST_CORES = 2;

export interface Pod {
  readonly name: string;
  readonly phase: "Running" | "Pending";
  readonly unschedulable: boolean;
  readonly node: string;
  /** Counter offset so that counters do not all start at 0. */
  readonly cpuBase: number;
  /** When the pod's container started (its CPU counter counts from then), ms. */
  readonly started: number;
}

/** The KEDA ScaledObject behind a workload's HPA. */
export interface Keda {
  /** `engine`: generated from `autoscaling.engine: keda`; `signals`: an existing one. */
  readonly source: "engine" | "signals";
  readonly scaledObject: string;
  /** KEDA's metric name of each trigger (the `metric` label): s<index>-prometheus. */
  readonly triggers: readonly string[];
  /** Index of the trigger whose scaler fails from SCALER_ERRORS_FROM_MS on, if any. */
  readonly failingTrigger?: number;
  /** When the errors start (ms), for the failing trigger. */
  readonly errorsFrom: number;
  /** Position in the KEDA cycle at tick 0 (kedaCycle). */
  readonly phase: number;
  /** While cold starting: when the first replica becomes available (ms; Infinity: never). */
  readyAt?: number;
  /** Incremented at each wake, so that each wake's pods get new names. */
  generation: number;
}

export interface Hpa {
  readonly index: number;
  readonly slot: number;
  readonly state: State;
  readonly namespace: string;
  readonly name: string;
  readonly hpaName: string;
  readonly kind: "Deployment" | "StatefulSet";
  readonly replicaSet: string;
  readonly gpu: boolean;
  /** Serves an inference queue (vLLM): the GPU workloads and the KEDA ones. */
  readonly queue: boolean;
  readonly override: boolean;
  /** The HPA's min and max (a KEDA HPA has min 1 while its ScaledObject has 0). */
  readonly min: number;
  readonly max: number;
  desired: number;
  available: number;
  pods: readonly Pod[];
  readonly keda?: Keda;
  /** Zero replicas is a normal state: the scaled-to-zero and cold-start alerts apply. */
  readonly scaleToZero: boolean;
  /** Changes of desired replicas: [time ms, new value]; the first entry is the initial value. */
  readonly history: [number, number][];
  /** Changes of available replicas, the same way. */
  readonly availableHistory: [number, number][];
  /** Settings as the oracle needs them. */
  readonly flappingThreshold: number;
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

export function namespaceOf(i: number): string {
  return `ml-${String(i % NAMESPACES).padStart(2, "0")}`;
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
            ...(state === "scalerFailing" ? { failingTrigger: 0 } : {}),
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
    const pods: Pod[] = [];
    for (let k = 0; k < 2; k++) {
      const cpuBase = Math.floor(rand() * 100000);
      if (k >= podCount) continue;
      const podName = kind === "Deployment" ? `${replicaSet}-p${k}x` : `${name}-${k}`;
      const pending = state === "stalled" && k === 1;
      pods.push({
        name: podName,
        phase: pending ? "Pending" : "Running",
        unschedulable: pending,
        node: pending ? "" : `node-${(i * 2 + k) % 50}`,
        cpuBase,
        started: now,
      });
    }
    const coldStartBudgetSeconds = KEDA_BUDGET_SLOTS.has(slot) ? 60 : 300;
    hpas.push({
      index: i,
      slot,
      state,
      namespace: namespaceOf(i),
      name,
      hpaName,
      kind,
      replicaSet,
      gpu: slot % 10 === 0,
      queue: slot % 10 === 0 || kedaEngine,
      override,
      min,
      max,
      desired,
      available,
      pods,
      ...(keda ? { keda } : {}),
      scaleToZero: keda !== undefined,
      history: [[now, desired]],
      availableHistory: [[now, available]],
      flappingThreshold: override ? OVERRIDES.AIWorkloadScalingFlapping.threshold : 6,
      cpuThreshold:
        slot === LOW_CPU_THRESHOLD_SLOT
          ? LOW_CPU_THRESHOLD
          : override
            ? OVERRIDES.AIWorkloadHighCpuUtilization.threshold
            : 80,
      stalledWindowSeconds: override ? 60 : 600,
      coldStartBudgetSeconds,
      scaleEventsEnabled: slot !== SCALE_EVENTS_OFF_SLOT,
    });
  }
  return hpas;
}

/** ScaledObjects in the cluster that the config does not cover (one per 100 HPAs), all failing. */
export function strayScaledObjects(n: number): { namespace: string; scaledObject: string }[] {
  return Array.from({ length: Math.max(1, Math.round(n / 100)) }, (_, k) => ({
    namespace: namespaceOf(k * 7),
    scaledObject: `gateway-${k}`,
  }));
}

/** The workloads as an ai-scaling-alerts config (input to `parseConfig`). */
export function configFor(hpas: readonly Hpa[]): Record<string, unknown> {
  const workloads = hpas.map((h) => {
    const w: Record<string, unknown> = { name: h.name, namespace: h.namespace };
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
            query: `sum(gateway_requests_queued{namespace="${h.namespace}", backend="${h.name}"})`,
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
    } else if (h.hpaName !== h.name) {
      w.hpaName = h.hpaName;
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

// ---------------------------------------------------------------------------------------------
// Drift

function setAvailable(h: Hpa, value: number, now: number): void {
  if (value === h.available) return;
  h.available = value;
  h.availableHistory.push([now, value]);
}

function setDesired(h: Hpa, value: number, now: number): void {
  if (value === h.desired) return;
  h.desired = value;
  setAvailable(h, h.state === "stalled" ? value - 2 : value, now);
  h.history.push([now, value]);
}

/** Every DRIFT_SECONDS: about 5% of the normal HPAs move their desired replicas by 1 or 2. */
export function drift(hpas: readonly Hpa[], now: number, rand: () => number): number {
  const pool = hpas.filter((h) => h.state === "normal");
  const count = Math.max(1, Math.round(hpas.length * DRIFT_FRACTION));
  let changed = 0;
  for (let k = 0; k < count && pool.length > 0; k++) {
    const h = pool.splice(Math.floor(rand() * pool.length), 1)[0] as Hpa;
    const step = (rand() < 0.5 ? -1 : 1) * (rand() < 0.7 ? 1 : 2);
    let next = Math.min(h.max - 1, Math.max(h.min, h.desired + step));
    if (next === h.desired) next = h.desired === h.min ? h.min + 1 : h.desired - 1;
    setDesired(h, next, now);
    changed++;
  }
  return changed;
}

/** Every FLAP_SECONDS: flapping HPAs toggle between 4 and 5 replicas. */
export function flap(hpas: readonly Hpa[], now: number): void {
  for (const h of hpas) if (h.state === "flapping") setDesired(h, h.desired === 4 ? 5 : 4, now);
}

/** Where a KEDA cycle with this phase is at drift tick `tick`: 0 .. KEDA_CYCLE_TICKS - 1. */
export function cyclePosition(phase: number, tick: number): number {
  return (((tick - phase) % KEDA_CYCLE_TICKS) + KEDA_CYCLE_TICKS) % KEDA_CYCLE_TICKS;
}

/** KEDA (or the HPA it drives) sets the workload's replicas; pods follow, new ones not yet ready. */
function setKedaReplicas(h: Hpa, value: number, now: number): void {
  const k = h.keda;
  if (!k || value === h.desired) return;
  const waking = h.desired === 0;
  h.desired = value;
  h.history.push([now, value]);
  if (value === 0) {
    h.pods = [];
    k.readyAt = undefined;
    setAvailable(h, 0, now);
    return;
  }
  if (waking) {
    k.generation++;
    k.readyAt = h.state === "coldStuck" ? Infinity : now + COLD_START_MS;
  }
  const pods: Pod[] = h.pods.slice(0, Math.min(2, value));
  for (let j = pods.length; j < Math.min(2, value); j++) {
    const name = h.kind === "Deployment" ? `${h.replicaSet}-g${k.generation}p${j}` : `${h.name}-${j}`;
    pods.push({
      name,
      phase: "Running",
      unschedulable: false,
      node: `node-${(h.index * 2 + j + k.generation) % 50}`,
      cpuBase: 0,
      started: now,
    });
  }
  h.pods = pods;
  // A cold start: nothing is available until the first replica has loaded its model.
  setAvailable(h, k.readyAt === undefined ? value : 0, now);
}

/**
 * At every drift tick (the tick-th since the cluster started): KEDA wakes, scales up and puts
 * back to zero the cycling workloads, and wakes the stuck ones at COLD_STUCK_WAKE_TICK.
 */
export function kedaTick(hpas: readonly Hpa[], now: number, tick: number): { woke: number; slept: number } {
  let woke = 0;
  let slept = 0;
  for (const h of hpas) {
    const before = h.desired;
    if (h.state === "kedaCycle") {
      const pos = cyclePosition(h.keda?.phase ?? 0, tick);
      if (pos === 0) setKedaReplicas(h, 1, now);
      else if (pos === 1) setKedaReplicas(h, 2, now);
      else if (pos === 3) setKedaReplicas(h, 0, now);
    } else if (h.state === "coldStuck" && tick === COLD_STUCK_WAKE_TICK) {
      setKedaReplicas(h, 1, now);
    }
    if (before === 0 && h.desired > 0) woke++;
    if (before > 0 && h.desired === 0) slept++;
  }
  return { woke, slept };
}

/** Every FLAP_SECONDS: cold-starting replicas whose model has loaded become available. */
export function kedaPoll(hpas: readonly Hpa[], now: number): void {
  for (const h of hpas) {
    const k = h.keda;
    if (k?.readyAt === undefined || now < k.readyAt) continue;
    k.readyAt = undefined;
    setAvailable(h, h.desired, now);
  }
}

/** KEDA's error counter of a trigger at time t: one error per polling interval once failing. */
export function scalerErrorsAt(h: Hpa, trigger: number, t: number): number {
  const k = h.keda;
  if (!k || k.failingTrigger !== trigger || t < k.errorsFrom) return 0;
  return Math.floor((t - k.errorsFrom) / KEDA_POLLING_MS) + 1;
}

/** The value of a [time, value] history at time t (ms). */
export function valueAt(history: readonly (readonly [number, number])[], t: number): number {
  let v = (history[0] as readonly [number, number])[1];
  for (const [ht, hv] of history) {
    if (ht <= t) v = hv;
    else break;
  }
  return v;
}

/** The lowest and highest value of a [time, value] history over [from, to]. */
export function rangeOf(
  history: readonly (readonly [number, number])[],
  from: number,
  to: number,
): { min: number; max: number } {
  let min = valueAt(history, from);
  let max = min;
  for (const [ht, hv] of history) {
    if (ht > from && ht <= to) {
      min = Math.min(min, hv);
      max = Math.max(max, hv);
    }
  }
  return { min, max };
}

/** Desired replicas at time t (ms), from the history. */
export function desiredAt(h: Hpa, t: number): number {
  return valueAt(h.history, t);
}

/** Number of changes of desired replicas in (from, to]. */
export function changesIn(h: Hpa, from: number, to: number): number {
  let c = 0;
  for (let k = 1; k < h.history.length; k++) {
    const t = (h.history[k] as [number, number])[0];
    if (t > from && t <= to) c++;
  }
  return c;
}

// ---------------------------------------------------------------------------------------------
// Series values

export function cpuUtilization(h: Hpa): number {
  return h.state === "hotCpu" ? 0.95 : 0.4;
}

export function gpuUtilization(h: Hpa): number {
  if (h.state === "gpuIdle") return 10;
  if (h.state === "maxed") return 95;
  return 60;
}

/** Requests waiting per pod: 3x the target per replica when maxed, else a quarter of it. */
export function queueWaitingPerPod(h: Hpa): number {
  const running = h.pods.filter((p) => p.phase === "Running").length || 1;
  const perReplica = h.state === "maxed" ? 3 * QUEUE_TARGET : QUEUE_TARGET / 4;
  return (perReplica * h.desired) / running;
}

function conditionStatus(h: Hpa, condition: string): "true" | "false" {
  switch (condition) {
    case "AbleToScale":
      return h.state === "unable" ? "false" : "true";
    case "ScalingActive":
      // At zero KEDA disables its HPA (ScalingActive=false, reason ScalingDisabled).
      return h.state === "inactive" || (h.keda && h.desired === 0) ? "false" : "true";
    default: // ScalingLimited; a KEDA HPA at zero is below its min of 1
      return h.state === "maxed" || h.state === "pinned" || (h.keda && h.desired === 0) ? "true" : "false";
  }
}

/** The kube-state-metrics exposition for every HPA (job="kube-state-metrics" via the scrape job). */
export function ksmText(hpas: readonly Hpa[]): string {
  const fam = new Map<string, string[]>();
  const add = (metric: string, labels: string, value: number) => {
    let lines = fam.get(metric);
    if (!lines) fam.set(metric, (lines = []));
    lines.push(`${metric}{${labels}} ${value}`);
  };
  for (const h of hpas) {
    const id = `namespace="${h.namespace}",horizontalpodautoscaler="${h.hpaName}"`;
    add(
      "kube_horizontalpodautoscaler_info",
      `${id},scaletargetref_api_version="apps/v1",scaletargetref_kind="${h.kind}",scaletargetref_name="${h.name}"`,
      1,
    );
    add("kube_horizontalpodautoscaler_status_desired_replicas", id, h.desired);
    add("kube_horizontalpodautoscaler_status_current_replicas", id, h.desired);
    add("kube_horizontalpodautoscaler_spec_min_replicas", id, h.min);
    add("kube_horizontalpodautoscaler_spec_max_replicas", id, h.max);
    for (const c of ["AbleToScale", "ScalingActive", "ScalingLimited"]) {
      const s = conditionStatus(h, c);
      for (const status of ["true", "false", "unknown"])
        add(
          "kube_horizontalpodautoscaler_status_condition",
          `${id},condition="${c}",status="${status}"`,
          s === status ? 1 : 0,
        );
    }
    if (h.keda) {
      // KEDA's HPA reads one external metric per trigger, AverageValue.
      h.keda.triggers.forEach((metric, t) => {
        const m = `${id},metric_name="${metric}",metric_target_type="average"`;
        add("kube_horizontalpodautoscaler_spec_target_metric", m, t === 0 ? GATEWAY_THRESHOLD : QUEUE_TARGET);
        add("kube_horizontalpodautoscaler_status_target_metric", m, kedaMetricValue(h, t));
      });
    } else {
      const metricName = h.gpu ? "DCGM_FI_DEV_GPU_UTIL" : "cpu";
      const target = h.gpu ? 70 : 80;
      const current = h.gpu ? gpuUtilization(h) : cpuUtilization(h) * 100;
      add(
        "kube_horizontalpodautoscaler_spec_target_metric",
        `${id},metric_name="${metricName}",metric_target_type="${h.gpu ? "average" : "utilization"}"`,
        target,
      );
      add(
        "kube_horizontalpodautoscaler_status_target_metric",
        `${id},metric_name="${metricName}",metric_target_type="${h.gpu ? "average" : "utilization"}"`,
        current,
      );
    }
    if (h.kind === "Deployment") {
      const d = `namespace="${h.namespace}",deployment="${h.name}"`;
      add("kube_deployment_spec_replicas", d, h.desired);
      add("kube_deployment_status_replicas_available", d, h.available);
      add(
        "kube_replicaset_owner",
        `namespace="${h.namespace}",replicaset="${h.replicaSet}",owner_kind="Deployment",owner_name="${h.name}",owner_is_controller="true"`,
        1,
      );
    } else {
      const s = `namespace="${h.namespace}",statefulset="${h.name}"`;
      add("kube_statefulset_replicas", s, h.desired);
      add("kube_statefulset_status_replicas_available", s, h.available);
    }
    for (const p of h.pods) {
      const pod = `namespace="${h.namespace}",pod="${p.name}"`;
      const ownerKind = h.kind === "Deployment" ? "ReplicaSet" : "StatefulSet";
      const ownerName = h.kind === "Deployment" ? h.replicaSet : h.name;
      add(
        "kube_pod_owner",
        `${pod},owner_kind="${ownerKind}",owner_name="${ownerName}",owner_is_controller="true"`,
        1,
      );
      for (const phase of ["Pending", "Running", "Succeeded", "Failed", "Unknown"])
        add("kube_pod_status_phase", `${pod},phase="${phase}"`, p.phase === phase ? 1 : 0);
      add(
        "kube_pod_container_resource_requests",
        `${pod},container="server",node="${p.node}",resource="cpu",unit="core"`,
        CPU_REQUEST_CORES,
      );
      add(
        "kube_pod_container_resource_requests",
        `${pod},container="server",node="${p.node}",resource="memory",unit="byte"`,
        8589934592,
      );
      if (p.unschedulable) add("kube_pod_status_unschedulable", pod, 1);
    }
  }
  const out: string[] = [];
  for (const [metric, lines] of fam) {
    out.push(`# TYPE ${metric} gauge`);
    for (const l of lines) out.push(l);
  }
  return out.join("\n") + "\n";
}

/**
 * cAdvisor's container_cpu_usage_seconds_total (scrape job "kubelet", metrics_path label
 * "/metrics/cadvisor"): per running pod the container, the pause container (POD) and the pod-level
 * cgroup (container=""), which the rules must filter out.
 */
export function cadvisorText(hpas: readonly Hpa[], now: number): string {
  const out = ["# TYPE container_cpu_usage_seconds_total counter"];
  for (const h of hpas) {
    const cores = cpuUtilization(h) * CPU_REQUEST_CORES;
    for (const p of h.pods) {
      if (p.phase !== "Running") continue;
      const elapsed = (now - p.started) / 1000;
      const usage = p.cpuBase + cores * elapsed;
      const pause = p.cpuBase / 1000 + 0.001 * elapsed;
      const base = `namespace="${h.namespace}",pod="${p.name}",cpu="total"`;
      out.push(
        `container_cpu_usage_seconds_total{${base},container="server",image="registry.example/serve:1",id="/kubepods/${p.name}/server"} ${usage.toFixed(3)}`,
        `container_cpu_usage_seconds_total{${base},container="POD",image="pause:3.9",id="/kubepods/${p.name}/pause"} ${pause.toFixed(3)}`,
        `container_cpu_usage_seconds_total{${base},container="",image="",id="/kubepods/${p.name}"} ${(usage + pause).toFixed(3)}`,
      );
    }
  }
  return out.join("\n") + "\n";
}

/** DCGM GPU utilisation (exported_namespace / exported_pod), plus a few GPUs no pod holds. */
export function dcgmText(hpas: readonly Hpa[]): string {
  const out = ["# TYPE DCGM_FI_DEV_GPU_UTIL gauge"];
  let gpu = 0;
  for (const h of hpas) {
    if (!h.gpu) continue;
    for (const p of h.pods) {
      if (p.phase !== "Running") continue;
      const host = p.node;
      out.push(
        `DCGM_FI_DEV_GPU_UTIL{gpu="0",UUID="GPU-${gpu++}",device="nvidia0",modelName="NVIDIA A100-SXM4-80GB",Hostname="${host}",exported_namespace="${h.namespace}",exported_pod="${p.name}",exported_container="server"} ${gpuUtilization(h)}`,
      );
    }
  }
  for (let k = 0; k < Math.ceil(hpas.length / 50); k++) {
    out.push(
      `DCGM_FI_DEV_GPU_UTIL{gpu="1",UUID="GPU-free-${k}",device="nvidia1",modelName="NVIDIA A100-SXM4-80GB",Hostname="node-${k}"} 0`,
    );
  }
  return out.join("\n") + "\n";
}

/** vLLM's waiting-requests gauge, per running pod of the queue-serving workloads. */
export function vllmText(hpas: readonly Hpa[]): string {
  const out = ["# TYPE vllm:num_requests_waiting gauge"];
  for (const h of hpas) {
    if (!h.queue) continue;
    for (const p of h.pods) {
      if (p.phase !== "Running") continue;
      out.push(
        `vllm:num_requests_waiting{namespace="${h.namespace}",pod="${p.name}",model_name="llama-3-8b"} ${queueWaitingPerPod(h)}`,
      );
    }
  }
  return out.join("\n") + "\n";
}

/** The value KEDA reads for a trigger: the gateway queue per replica (wakes at > 1), or vLLM's. */
function kedaMetricValue(h: Hpa, trigger: number): number {
  if (trigger === 0) return h.desired === 0 ? 0 : GATEWAY_THRESHOLD / 2;
  return h.desired === 0 ? 0 : queueWaitingPerPod(h);
}

/**
 * The KEDA operator's metrics (scrape job "keda-operator"; KEDA's `namespace` label arrives as
 * `exported_namespace`, the operator's own namespace as `namespace`): per trigger of every
 * ScaledObject whether it is active, the value it read and its error counter. The ScaledObjects
 * outside the config fail all the time, and must never alert.
 */
export function kedaText(
  hpas: readonly Hpa[],
  strays: readonly { namespace: string; scaledObject: string }[],
  start: number,
  now: number,
): string {
  const active = ["# TYPE keda_scaler_active gauge"];
  const values = ["# TYPE keda_scaler_metrics_value gauge"];
  const errors = ["# TYPE keda_scaler_detail_errors_total counter"];
  const add = (ns: string, so: string, metric: string, t: number, a: number, v: number, e: number) => {
    const l = `namespace="keda",exported_namespace="${ns}",scaledObject="${so}",scaler="prometheusScaler",metric="${metric}",triggerIndex="${t}",type="scaledobject"`;
    active.push(`keda_scaler_active{${l}} ${a}`);
    values.push(`keda_scaler_metrics_value{${l}} ${v}`);
    errors.push(`keda_scaler_detail_errors_total{${l}} ${e}`);
  };
  for (const h of hpas) {
    const k = h.keda;
    if (!k) continue;
    k.triggers.forEach((metric, t) => {
      const v = kedaMetricValue(h, t);
      add(h.namespace, k.scaledObject, metric, t, v > 0 ? 1 : 0, v, scalerErrorsAt(h, t, now));
    });
  }
  for (const s of strays)
    add(s.namespace, s.scaledObject, "s0-prometheus", 0, 0, 0, Math.floor((now - start) / KEDA_POLLING_MS));
  return [...active, ...values, ...errors].join("\n") + "\n";
}
