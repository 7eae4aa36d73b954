/**
 * A synthetic cluster of N HPAs over 20 namespaces, for the rule-cost benchmark: the workloads
 * (which also become the ai-scaling-alerts config), their kube-state-metrics / cAdvisor / DCGM /
 * vLLM series, the drift that changes them over time, and an oracle that says which of our alerts
 * *should* be active at a given moment, so the run can check the rules as well as time them.
 *
 * Every HPA gets a "slot" (its index modulo 100) that fixes its role; the pattern repeats every
 * 100 HPAs so each role exists at N = 100 and scales linearly with N.
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
  | "zero" // scaled to zero on purpose (KEDA idle): ScalingActive=false, target at 0
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
  40: "gpuIdle",
};

/** Slots whose workload overrides for/severity/threshold (so that rule variants exist): 7%. */
export const OVERRIDE_SLOTS = new Set([1, 9, 14, 17, 21, 24, 60]);
/** Slots of StatefulSets (the rest are Deployments). */
const STATEFULSET_SLOTS = new Set([16, 45, 95]);
/** Slots whose HPA is created by KEDA (hpaName keda-hpa-<name>). */
const KEDA_SLOTS = new Set([12, 13, 45]);

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
  readonly override: boolean;
  readonly min: number;
  readonly max: number;
  desired: number;
  available: number;
  readonly pods: readonly Pod[];
  /** Changes of desired replicas: [time ms, new value]; the first entry is the initial value. */
  readonly history: [number, number][];
  /** Settings as the oracle needs them. */
  readonly flappingThreshold: number;
  readonly cpuThreshold: number;
  readonly stalledWindowSeconds: number;
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
    const hpaName = KEDA_SLOTS.has(slot) ? `keda-hpa-${name}` : name;
    const override = OVERRIDE_SLOTS.has(slot);
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
        min = 1;
        max = 10;
        desired = 0;
        available = 0;
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
    const podCount = state === "zero" ? 0 : 2;
    const replicaSet = kind === "Deployment" ? `${name}-7d9f${(i % 97).toString(16)}c` : "";
    const pods: Pod[] = [];
    for (let k = 0; k < podCount; k++) {
      const podName = kind === "Deployment" ? `${replicaSet}-p${k}x` : `${name}-${k}`;
      const pending = state === "stalled" && k === 1;
      pods.push({
        name: podName,
        phase: pending ? "Pending" : "Running",
        unschedulable: pending,
        node: pending ? "" : `node-${(i * 2 + k) % 50}`,
        cpuBase: Math.floor(rand() * 100000),
      });
    }
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
      override,
      min,
      max,
      desired,
      available,
      pods,
      history: [[now, desired]],
      flappingThreshold: override ? OVERRIDES.AIWorkloadScalingFlapping.threshold : 6,
      cpuThreshold:
        slot === LOW_CPU_THRESHOLD_SLOT
          ? LOW_CPU_THRESHOLD
          : override
            ? OVERRIDES.AIWorkloadHighCpuUtilization.threshold
            : 80,
      stalledWindowSeconds: override ? 60 : 600,
      scaleEventsEnabled: slot !== SCALE_EVENTS_OFF_SLOT,
    });
  }
  return hpas;
}

/** The workloads as an ai-scaling-alerts config (input to `parseConfig`). */
export function configFor(hpas: readonly Hpa[]): Record<string, unknown> {
  const workloads = hpas.map((h) => {
    const w: Record<string, unknown> = { name: h.name, namespace: h.namespace };
    if (h.kind === "StatefulSet") w.kind = "StatefulSet";
    if (h.hpaName !== h.name) w.hpaName = h.hpaName;
    if (h.gpu) {
      w.autoscaling = {
        minReplicas: Math.max(1, h.min),
        maxReplicas: h.max,
        metrics: [
          { type: "gpu", targetUtilization: 70 },
          { type: "queue", server: "vllm", targetPerReplica: QUEUE_TARGET },
        ],
      };
      w.labels = { team: "ml-platform" };
    } else if (h.index % 3 === 0 || h.hpaName !== h.name) {
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

function setDesired(h: Hpa, value: number, now: number): void {
  if (value === h.desired) return;
  h.desired = value;
  h.available = h.state === "stalled" ? value - 2 : value;
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

/** Desired replicas at time t (ms), from the history. */
export function desiredAt(h: Hpa, t: number): number {
  let v = (h.history[0] as [number, number])[1];
  for (const [ht, hv] of h.history) {
    if (ht <= t) v = hv;
    else break;
  }
  return v;
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
      return h.state === "inactive" || h.state === "zero" ? "false" : "true";
    default: // ScalingLimited
      return h.state === "maxed" || h.state === "pinned" ? "true" : "false";
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
export function cadvisorText(hpas: readonly Hpa[], start: number, now: number): string {
  const out = ["# TYPE container_cpu_usage_seconds_total counter"];
  const elapsed = (now - start) / 1000;
  for (const h of hpas) {
    const cores = cpuUtilization(h) * CPU_REQUEST_CORES;
    for (const p of h.pods) {
      if (p.phase !== "Running") continue;
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
    if (!h.gpu) continue;
    for (const p of h.pods) {
      if (p.phase !== "Running") continue;
      out.push(
        `vllm:num_requests_waiting{namespace="${h.namespace}",pod="${p.name}",model_name="llama-3-8b"} ${queueWaitingPerPod(h)}`,
      );
    }
  }
  return out.join("\n") + "\n";
}
