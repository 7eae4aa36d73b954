/**
 * The simulated cluster's series in the Prometheus text format, one function per exporter:
 * kube-state-metrics (HPA spec/status/conditions/info, deployment/statefulset replicas, pod and
 * ReplicaSet owners, pod phase, requests, unschedulable), cAdvisor CPU counters, DCGM GPU
 * utilisation, the inference server's queue gauge and KEDA's operator metrics. Label names follow
 * the real exporters (and the config's `monitoring` settings where they are configurable).
 */
import type { ResolvedConfig } from "../../config/resolve.js";
import { availableReplicas, conditions, kedaTriggerValue, runningPods, type SimHpa } from "./model.js";

/** Collects samples by metric family, so each family is written once with its TYPE line. */
class Exposition {
  private readonly families = new Map<string, { type: string; lines: string[] }>();

  add(metric: string, labels: Readonly<Record<string, string>>, value: number, type = "gauge"): void {
    let f = this.families.get(metric);
    if (!f) this.families.set(metric, (f = { type, lines: [] }));
    const l = Object.entries(labels)
      .map(([k, v]) => `${k}="${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`)
      .join(",");
    f.lines.push(`${metric}{${l}} ${Number.isFinite(value) ? value : 0}`);
  }

  text(): string {
    const out: string[] = [];
    for (const [metric, f] of this.families) out.push(`# TYPE ${metric} ${f.type}`, ...f.lines);
    return `${out.join("\n")}\n`;
  }
}

const CPU_REQUEST_CORES = 2;

/** kube-state-metrics' view of every simulated HPA. */
export function kubeStateMetricsText(hpas: readonly SimHpa[], now: number): string {
  const e = new Exposition();
  for (const h of hpas) {
    const id = { namespace: h.namespace, horizontalpodautoscaler: h.hpa };
    e.add(
      "kube_horizontalpodautoscaler_info",
      {
        ...id,
        scaletargetref_api_version: "apps/v1",
        scaletargetref_kind: h.kind,
        scaletargetref_name: h.target,
      },
      1,
    );
    e.add("kube_horizontalpodautoscaler_status_desired_replicas", id, h.desired);
    e.add("kube_horizontalpodautoscaler_status_current_replicas", id, h.current);
    e.add("kube_horizontalpodautoscaler_spec_min_replicas", id, h.min);
    e.add("kube_horizontalpodautoscaler_spec_max_replicas", id, h.max);
    for (const [condition, value] of Object.entries(conditions(h))) {
      for (const status of ["true", "false", "unknown"])
        e.add(
          "kube_horizontalpodautoscaler_status_condition",
          { ...id, condition, status },
          String(value) === status ? 1 : 0,
        );
    }
    h.metrics.forEach((m, i) => {
      const l = { ...id, metric_name: m.name, metric_target_type: m.targetType };
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
    const available = availableReplicas(h, now);
    if (h.kind === "Deployment") {
      const d = { namespace: h.namespace, deployment: h.target };
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
      const s = { namespace: h.namespace, statefulset: h.target };
      e.add("kube_statefulset_replicas", s, h.specReplicas);
      e.add("kube_statefulset_status_replicas_available", s, available);
    }
    const running = new Set(runningPods(h, now).map((p) => p.name));
    for (const p of h.pods) {
      const pod = { namespace: h.namespace, pod: p.name };
      e.add(
        "kube_pod_owner",
        {
          ...pod,
          owner_kind: h.kind === "Deployment" ? "ReplicaSet" : "StatefulSet",
          owner_name: h.kind === "Deployment" ? h.replicaSet : h.target,
          owner_is_controller: "true",
        },
        1,
      );
      const phase = running.has(p.name) ? "Running" : "Pending";
      for (const ph of ["Pending", "Running", "Succeeded", "Failed", "Unknown"])
        e.add("kube_pod_status_phase", { ...pod, phase: ph }, ph === phase ? 1 : 0);
      e.add(
        "kube_pod_container_resource_requests",
        { ...pod, container: "server", node: p.node, resource: "cpu", unit: "core" },
        CPU_REQUEST_CORES,
      );
      if (p.unschedulable) e.add("kube_pod_status_unschedulable", pod, 1);
    }
  }
  return e.text();
}

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
      const usage = 100 + cores * elapsed;
      const base = { namespace: h.namespace, pod: p.name, cpu: "total" };
      e.add(
        "container_cpu_usage_seconds_total",
        { ...base, container: "server", image: "registry.example/serve:1" },
        usage,
        "counter",
      );
      e.add(
        "container_cpu_usage_seconds_total",
        { ...base, container: "POD", image: "pause:3.9" },
        0.1 + 0.001 * elapsed,
        "counter",
      );
      e.add(
        "container_cpu_usage_seconds_total",
        { ...base, container: "", image: "" },
        usage + 0.1,
        "counter",
      );
    }
  }
  return e.text();
}

/** DCGM's GPU utilisation per GPU of the running pods of GPU workloads, plus an idle free GPU. */
export function dcgmText(rc: ResolvedConfig, hpas: readonly SimHpa[], now: number): string {
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
  e.add(
    g.metric,
    { gpu: "1", UUID: "GPU-free", modelName: "NVIDIA A100-SXM4-80GB", Hostname: "gpu-node-9" },
    0,
  );
  return e.text();
}

/** The inference servers' queue gauge per running pod (requests waiting per pod). */
export function queueText(rc: ResolvedConfig, hpas: readonly SimHpa[], now: number): string {
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

/** KEDA operator metrics per trigger of every ScaledObject: active, value, error counter. */
export function kedaText(rc: ResolvedConfig, hpas: readonly SimHpa[]): string {
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
  return active.text();
}
