/**
 * The simulated cluster's series in the Prometheus text format, one function per exporter:
 * kube-state-metrics (HPA spec/status/conditions/info, deployment/statefulset replicas, pod and
 * ReplicaSet owners, pod phase, requests, unschedulable), cAdvisor CPU counters, DCGM GPU
 * utilisation, the inference server's queue gauge and KEDA's operator metrics. Label names follow
 * the real exporters (and the config's `monitoring` settings where they are configurable).
 */
import type { ResolvedConfig } from "../../config/resolve.js";
import {
  availableReplicas,
  conditions,
  kedaTriggerValue,
  runningPods,
  type SimHpa,
  type SimScaledObject,
} from "./model.js";

/** What the series read of the config: its monitoring conventions (label names, GPU metric). */
export type SeriesConfig = Pick<ResolvedConfig, "monitoring">;

/** A label value as the text format writes it (backslash, quote and newline escaped). */
function labelValue(v: string): string {
  return NEEDS_ESCAPE.test(v) ? v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n") : v;
}
const NEEDS_ESCAPE = /[\\"\n]/;

/** Labels: as an object, or already written by {@link labelText}. */
type Labels = string | Readonly<Record<string, string>>;

/** Labels as the text format writes them between the braces (`a="1",b="2"`), parts in order. */
function labelText(...parts: readonly Labels[]): string {
  let out = "";
  for (const part of parts) {
    if (typeof part === "string") {
      if (part !== "") out += out === "" ? part : `,${part}`;
      continue;
    }
    for (const k in part) out += `${out === "" ? "" : ","}${k}="${labelValue(part[k] as string)}"`;
  }
  return out;
}

/**
 * Collects samples by metric family, so each family is written once with its TYPE line. Cheap
 * enough for the benchmark's clusters (about 170,000 kube-state-metrics series at 5,000 HPAs):
 * label sets shared by many series are written once ({@link labelText}) and passed as text.
 */
class Exposition {
  private readonly families = new Map<string, { type: string; lines: string[] }>();

  add(metric: string, labels: Labels, value: number, type = "gauge"): void {
    let f = this.families.get(metric);
    if (!f) this.families.set(metric, (f = { type, lines: [] }));
    const l = typeof labels === "string" ? labels : labelText(labels);
    f.lines.push(`${metric}{${l}} ${Number.isFinite(value) ? value : 0}`);
  }

  text(): string {
    const out: string[] = [];
    for (const [metric, f] of this.families) {
      out.push(`# TYPE ${metric} ${f.type}`);
      for (const line of f.lines) out.push(line);
    }
    return `${out.join("\n")}\n`;
  }
}

const CPU_REQUEST_CORES = 2;
/** `condition="...",status="..."` of an HPA condition, per status, written once. */
const CONDITION_LABELS = new Map(
  (["AbleToScale", "ScalingActive", "ScalingLimited"] as const).map((condition) => [
    condition,
    (["true", "false", "unknown"] as const).map(
      (status) => [status, labelText({ condition, status })] as const,
    ),
  ]),
);
const POD_PHASES = ["Pending", "Running", "Succeeded", "Failed", "Unknown"] as const;
/** `phase="..."` per phase, written once. */
const PHASE_LABELS = POD_PHASES.map((phase) => [phase, labelText({ phase })] as const);

/** kube-state-metrics' view of every simulated HPA. */
export function kubeStateMetricsText(hpas: readonly SimHpa[], now: number): string {
  const e = new Exposition();
  for (const h of hpas) {
    if (!h.hpaDeleted) addHpaSeries(e, h);
    addWorkloadSeries(e, h, now);
  }
  return e.text();
}

/** The HPA's own series (gone when the HPA was deleted, its workload and pods stay). */
function addHpaSeries(e: Exposition, h: SimHpa): void {
  const id = labelText({ namespace: h.namespace, horizontalpodautoscaler: h.hpa });
  e.add(
    "kube_horizontalpodautoscaler_info",
    labelText(id, {
      scaletargetref_api_version: "apps/v1",
      scaletargetref_kind: h.kind,
      scaletargetref_name: h.target,
    }),
    1,
  );
  e.add("kube_horizontalpodautoscaler_status_desired_replicas", id, h.desired);
  e.add("kube_horizontalpodautoscaler_status_current_replicas", id, h.current);
  e.add("kube_horizontalpodautoscaler_spec_min_replicas", id, h.min);
  e.add("kube_horizontalpodautoscaler_spec_max_replicas", id, h.max);
  const c = conditions(h);
  for (const [condition, statuses] of CONDITION_LABELS) {
    for (const [status, l] of statuses)
      e.add(
        "kube_horizontalpodautoscaler_status_condition",
        labelText(id, l),
        String(c[condition]) === status ? 1 : 0,
      );
  }
  h.metrics.forEach((m, i) => {
    const l = labelText(id, { metric_name: m.name, metric_target_type: m.targetType });
    e.add("kube_horizontalpodautoscaler_spec_target_metric", l, m.target);
    const current =
      m.source === "gpu"
        ? h.gpuUtilization
        : m.source === "cpu"
          ? h.cpuUtilization
          : m.source === "keda"
            ? kedaTriggerValue(h, i)
            : m.source === "queue"
              ? h.queuePerReplica
              : 0;
    e.add("kube_horizontalpodautoscaler_status_target_metric", l, current);
  });
}

/** The scale target's and its pods' series. */
function addWorkloadSeries(e: Exposition, h: SimHpa, now: number): void {
  const available = availableReplicas(h, now);
  if (h.kind === "Deployment") {
    const d = labelText({ namespace: h.namespace, deployment: h.target });
    e.add("kube_deployment_spec_replicas", d, h.specReplicas);
    e.add("kube_deployment_status_replicas_available", d, available);
    e.add(
      "kube_replicaset_owner",
      {
        namespace: h.namespace,
        replicaset: h.replicaSet,
        owner_kind: "Deployment",
        owner_name: h.target,
        owner_is_controller: "true",
      },
      1,
    );
  } else {
    const s = labelText({ namespace: h.namespace, statefulset: h.target });
    e.add("kube_statefulset_replicas", s, h.specReplicas);
    e.add("kube_statefulset_status_replicas_available", s, available);
  }
  const running = new Set(runningPods(h, now));
  const owner = labelText({
    owner_kind: h.kind === "Deployment" ? "ReplicaSet" : "StatefulSet",
    owner_name: h.kind === "Deployment" ? h.replicaSet : h.target,
    owner_is_controller: "true",
  });
  for (const p of h.pods) {
    const pod = labelText({ namespace: h.namespace, pod: p.name });
    e.add("kube_pod_owner", labelText(pod, owner), 1);
    const phase = running.has(p) ? "Running" : "Pending";
    for (const [ph, l] of PHASE_LABELS)
      e.add("kube_pod_status_phase", labelText(pod, l), ph === phase ? 1 : 0);
    e.add(
      "kube_pod_container_resource_requests",
      labelText(pod, { container: "server", node: p.node, resource: "cpu", unit: "core" }),
      CPU_REQUEST_CORES,
    );
    if (h.memoryRequestBytes !== undefined)
      e.add(
        "kube_pod_container_resource_requests",
        labelText(pod, { container: "server", node: p.node, resource: "memory", unit: "byte" }),
        h.memoryRequestBytes,
      );
    if (p.unschedulable) e.add("kube_pod_status_unschedulable", pod, 1);
  }
}

const SERVER_CONTAINER = labelText({ container: "server", image: "registry.example/serve:1" });
const PAUSE_CONTAINER = labelText({ container: "POD", image: "pause:3.9" });
const POD_CGROUP = labelText({ container: "", image: "" });

/**
 * cAdvisor's CPU counters of the running pods (container, pause container and pod cgroup, which
 * the rules must filter out). They grow in wall-clock seconds, the time `rate()` divides by.
 */
export function cadvisorText(hpas: readonly SimHpa[], now: number, wallNow: number): string {
  const e = new Exposition();
  for (const h of hpas) {
    const cores = (h.cpuUtilization / 100) * CPU_REQUEST_CORES;
    for (const p of runningPods(h, now)) {
      const elapsed = Math.max(0, (wallNow - p.startedWall) / 1000);
      const cpuBase = p.cpuBase ?? 100;
      const usage = cpuBase + cores * elapsed;
      const pause = cpuBase / 1000 + 0.001 * elapsed;
      const base = labelText({ namespace: h.namespace, pod: p.name, cpu: "total" });
      e.add("container_cpu_usage_seconds_total", labelText(base, SERVER_CONTAINER), usage, "counter");
      e.add("container_cpu_usage_seconds_total", labelText(base, PAUSE_CONTAINER), pause, "counter");
      e.add(
        "container_cpu_usage_seconds_total",
        labelText(base, POD_CGROUP),
        usage + cpuBase / 1000,
        "counter",
      );
    }
  }
  return e.text();
}

/**
 * DCGM's GPU utilisation per GPU of the running pods of GPU workloads, plus `freeGpus` idle GPUs
 * that no pod holds.
 */
export function dcgmText(rc: SeriesConfig, hpas: readonly SimHpa[], now: number, freeGpus = 1): string {
  const g = rc.monitoring.gpu;
  const e = new Exposition();
  let gpu = 0;
  for (const h of hpas) {
    if (!h.gpu) continue;
    for (const p of runningPods(h, now)) {
      e.add(
        g.metric,
        {
          gpu: "0",
          UUID: `GPU-${gpu++}`,
          modelName: "NVIDIA A100-SXM4-80GB",
          Hostname: p.node,
          [g.namespaceLabel]: h.namespace,
          [g.podLabel]: p.name,
          container: "server",
        },
        h.gpuUtilization,
      );
    }
  }
  for (let k = 0; k < freeGpus; k++)
    e.add(
      g.metric,
      {
        gpu: "1",
        UUID: k === 0 ? "GPU-free" : `GPU-free-${k}`,
        modelName: "NVIDIA A100-SXM4-80GB",
        Hostname: `gpu-node-${9 + k}`,
      },
      0,
    );
  return e.text();
}

/** The inference servers' queue gauge per running pod (requests waiting per pod). */
export function queueText(rc: SeriesConfig, hpas: readonly SimHpa[], now: number): string {
  const q = rc.monitoring.queue;
  const e = new Exposition();
  for (const h of hpas) {
    if (!h.queueMetric) continue;
    const running = runningPods(h, now);
    // The HPA's desired replicas share the waiting requests: per running pod it is higher while
    // new pods load.
    const perPod = running.length === 0 ? 0 : (h.queuePerReplica * Math.max(h.current, 1)) / running.length;
    for (const p of running)
      e.add(
        h.queueMetric,
        { [q.namespaceLabel]: h.namespace, [q.podLabel]: p.name, model_name: "llama-3-8b" },
        perPod,
      );
  }
  return e.text();
}

/**
 * KEDA operator metrics per trigger of every ScaledObject: active, value, error counter; those of
 * the HPAs, then `others` (ScaledObjects without a simulated HPA, one idle trigger each).
 */
export function kedaText(
  rc: SeriesConfig,
  hpas: readonly SimHpa[],
  others: readonly SimScaledObject[] = [],
): string {
  const nsLabel = rc.monitoring.keda.namespaceLabel;
  const active = new Exposition();
  for (const h of hpas) {
    const k = h.keda;
    if (!k) continue;
    k.triggers.forEach((metric, i) => {
      const l = {
        namespace: "keda",
        [nsLabel]: h.namespace,
        scaledObject: k.scaledObject,
        scaler: "prometheusScaler",
        metric,
        triggerIndex: String(i),
        type: "scaledobject",
      };
      const v = kedaTriggerValue(h, i);
      active.add("keda_scaler_active", l, v > 0 ? 1 : 0);
      active.add("keda_scaler_metrics_value", l, v);
      active.add("keda_scaler_detail_errors_total", l, i === 0 ? h.scalerErrorCount : 0, "counter");
    });
  }
  for (const so of others) {
    const l = {
      namespace: "keda",
      [nsLabel]: so.namespace,
      scaledObject: so.scaledObject,
      scaler: "prometheusScaler",
      metric: "s0-prometheus",
      triggerIndex: "0",
      type: "scaledobject",
    };
    active.add("keda_scaler_active", l, 0);
    active.add("keda_scaler_metrics_value", l, 0);
    active.add("keda_scaler_detail_errors_total", l, so.scalerErrorCount, "counter");
  }
  return active.text();
}
