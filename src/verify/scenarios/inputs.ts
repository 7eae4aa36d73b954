/**
 * The series a workload's test input is made of, labelled as the config's monitoring conventions
 * say real series are: kube-state-metrics, cAdvisor, DCGM, inference-server queues and KEDA, each
 * with its selector's labels, the cluster label when one is configured, and decoy labels where the
 * rules must read another label (e.g. dcgm-exporter's own `namespace`).
 */
import { ALERT_NAMES, CATALOG, type AlertName } from "../../catalog/catalog.js";
import { durationSeconds } from "../../config/primitives.js";
import { isActive, QUEUE_METRICS, type ResolvedConfig, type ResolvedWorkload } from "../../config/resolve.js";
import { KSM, ruleContext, type RuleContext } from "../../rules/context.js";
import { KEDA_SCALER_ERRORS } from "../../rules/keda.js";
import { planCatalog } from "../../rules/variants.js";
import { labelsFor, parseMatchers, type Matcher } from "./selectors.js";
import type { Series, Timeline, Value } from "./timeline.js";

/** What every scenario needs to know about the config, computed once. */
export interface Env {
  readonly rc: ResolvedConfig;
  readonly ctx: RuleContext;
  /** Alerts that have at least one rule (active for some workload). */
  readonly withRules: ReadonlySet<AlertName>;
  readonly cluster?: { readonly label: string; readonly value: string };
  readonly matchers: {
    readonly ksm: readonly Matcher[];
    readonly cadvisor: readonly Matcher[];
    readonly gpu: readonly Matcher[];
    readonly queue: readonly Matcher[];
    readonly keda: readonly Matcher[];
  };
  /** Queue metric for workloads without a queue of their own (their input must still exist). */
  readonly fallbackQueueMetric: string;
}

export function makeEnv(rc: ResolvedConfig): Env {
  const m = rc.monitoring;
  const matchers = {
    ksm: parseMatchers(m.kubeStateMetricsSelector),
    cadvisor: parseMatchers(m.cadvisorSelector),
    gpu: parseMatchers(m.gpu.selector),
    queue: parseMatchers(m.queue.selector),
    keda: parseMatchers(m.keda.selector),
  };
  let cluster: Env["cluster"];
  if (m.clusterLabel) {
    const label = m.clusterLabel;
    const given = Object.values(matchers)
      .flat()
      .find((x) => x.name === label && x.op === "=");
    cluster = { label, value: given?.value ?? "verify-cluster" };
  }
  const plan = planCatalog(rc);
  return {
    rc,
    ctx: ruleContext(rc),
    withRules: new Set(plan.alerts.map((a) => a.alert)),
    ...(cluster ? { cluster } : {}),
    matchers,
    fallbackQueueMetric: rc.workloads.find((w) => w.queue)?.queue?.metric ?? QUEUE_METRICS.vllm,
  };
}

/** Seconds of a Prometheus duration. */
export const seconds = (d: string): number => durationSeconds(d);

/**
 * The threshold the input is built around. For an active alert, the workload's own; for one that
 * is off or does not apply, the one that triggers every rule of the alert (the highest for a
 * `>=` comparison, the lowest for `<=`), so that silence proves the workload is left out.
 */
export function thresholdOf(
  env: Env,
  w: ResolvedWorkload,
  alert: AlertName,
  direction: "up" | "down",
): number {
  const e = w.alerts[alert];
  if (isActive(e) && e.threshold !== undefined) return e.threshold;
  const all = [
    env.rc.alertDefaults[alert].threshold,
    ...env.rc.workloads.filter((x) => isActive(x.alerts[alert])).map((x) => x.alerts[alert].threshold),
  ].filter((t): t is number => t !== undefined);
  if (all.length === 0) return CATALOG[alert].threshold?.default ?? 0;
  return direction === "up" ? Math.max(...all) : Math.min(...all);
}

/** The longest `for` (or window) any rule of the alert has: by then any rule would have fired. */
export function longestFor(env: Env, alert: AlertName): string {
  const fors = [
    env.rc.alertDefaults[alert].for,
    ...env.rc.workloads.filter((x) => isActive(x.alerts[alert])).map((x) => x.alerts[alert].for),
  ];
  return fors.reduce((a, b) => (seconds(b) > seconds(a) ? b : a));
}

/** The shortest counting window among the alert's rules (flapping). */
export function shortestWindow(env: Env, alert: AlertName): string | undefined {
  const ws = [
    env.rc.alertDefaults[alert].window,
    ...env.rc.workloads.filter((x) => isActive(x.alerts[alert])).map((x) => x.alerts[alert].window),
  ].filter((x): x is string => x !== undefined);
  return ws.length === 0 ? undefined : ws.reduce((a, b) => (seconds(b) < seconds(a) ? b : a));
}

export const ALERTS_PER_WORKLOAD = ALERT_NAMES.filter((a) => CATALOG[a].perWorkload);

/** A time-dependent value: a constant or a function of seconds. */
type Fn = number | ((t: number) => Value);
const fn = (f: Fn) => (typeof f === "number" ? () => f : f);

/** The HPA's replica bounds in every test: min 2; max 4 in the scenarios at the maximum. */
export const MIN_REPLICAS = 2;

/** Builds one workload's series on a timeline, keeping the ones description facts read. */
export class Inputs {
  readonly tl: Timeline;
  /** Series the description facts read ($desired, $current, $min, $max, $available). */
  readonly facts: {
    desired?: Series;
    current?: Series;
    min?: Series;
    max?: Series;
    available?: Series;
  } = {};
  /** A pod that runs (GPU, queue, CPU) and one that cannot be scheduled. */
  readonly pods: readonly [string, string];
  private ownersAdded = false;

  constructor(
    readonly env: Env,
    readonly w: ResolvedWorkload,
    tl: Timeline,
  ) {
    this.tl = tl;
    if (w.kind === "StatefulSet") this.pods = [`${w.name}-0`, `${w.name}-1`];
    else this.pods = [`${this.replicaSet}-x7k2p`, `${this.replicaSet}-q4w9z`];
  }

  private get replicaSet(): string {
    return `${this.w.name}-5d8f9c7b6`;
  }

  private withCluster(labels: Record<string, string>): Record<string, string> {
    const c = this.env.cluster;
    return c ? { [c.label]: c.value, ...labels } : labels;
  }

  /** A kube-state-metrics series of the workload's namespace. */
  ksm(metric: string, labels: Record<string, string>, f: Fn): Series {
    const fixed = this.withCluster({ namespace: this.w.namespace, ...labels });
    return this.tl.add(metric, labelsFor(this.env.matchers.ksm, fixed, {}, "kubeStateMetrics"), fn(f));
  }

  /** A kube-state-metrics series of the workload's HPA. */
  hpa(metric: string, f: Fn, labels: Record<string, string> = {}): Series {
    return this.ksm(metric, { horizontalpodautoscaler: this.w.hpaName, ...labels }, f);
  }

  info(): void {
    this.hpa(KSM.info, 1, {
      scaletargetref_api_version: "apps/v1",
      scaletargetref_kind: this.w.kind,
      scaletargetref_name: this.w.name,
    });
  }

  bounds(min: Fn, max: Fn): void {
    this.facts.min = this.hpa(KSM.min, min);
    this.facts.max = this.hpa(KSM.max, max);
  }

  current(f: Fn): Series {
    return (this.facts.current = this.hpa(KSM.current, f));
  }

  desired(f: Fn): Series {
    return (this.facts.desired = this.hpa(KSM.desired, f));
  }

  /** An HPA condition series (value 1 while the condition has this status). */
  condition(condition: string, status: "true" | "false", f: Fn): Series {
    return this.hpa(KSM.condition, f, { condition, status });
  }

  /** The scale target's spec.replicas. */
  targetSpec(f: Fn): Series {
    return this.w.kind === "StatefulSet"
      ? this.ksm("kube_statefulset_replicas", { statefulset: this.w.name }, f)
      : this.ksm("kube_deployment_spec_replicas", { deployment: this.w.name }, f);
  }

  /** The scale target's available replicas. */
  targetAvailable(f: Fn): Series {
    const s =
      this.w.kind === "StatefulSet"
        ? this.ksm("kube_statefulset_status_replicas_available", { statefulset: this.w.name }, f)
        : this.ksm("kube_deployment_status_replicas_available", { deployment: this.w.name }, f);
    return (this.facts.available = s);
  }

  /** kube_pod_owner (and kube_replicaset_owner for a Deployment) of both pods. */
  owners(): void {
    if (this.ownersAdded) return;
    this.ownersAdded = true;
    const ctl = { owner_is_controller: "true" };
    if (this.w.kind === "StatefulSet") {
      for (const pod of this.pods)
        this.ksm("kube_pod_owner", { pod, owner_kind: "StatefulSet", owner_name: this.w.name, ...ctl }, 1);
      return;
    }
    this.ksm(
      "kube_replicaset_owner",
      { replicaset: this.replicaSet, owner_kind: "Deployment", owner_name: this.w.name, ...ctl },
      1,
    );
    for (const pod of this.pods)
      this.ksm("kube_pod_owner", { pod, owner_kind: "ReplicaSet", owner_name: this.replicaSet, ...ctl }, 1);
  }

  unschedulable(f: Fn): Series {
    this.owners();
    return this.ksm("kube_pod_status_unschedulable", { pod: this.pods[1] }, f);
  }

  /** DCGM utilisation of the running pod's GPU. */
  gpu(f: Fn): Series {
    this.owners();
    const g = this.env.rc.monitoring.gpu;
    const fixed = this.withCluster({ [g.namespaceLabel]: this.w.namespace, [g.podLabel]: this.pods[0] });
    const decoys: Record<string, string> = { gpu: "0", UUID: "GPU-00000000-verify" };
    if (g.namespaceLabel !== "namespace") decoys.namespace = "gpu-operator";
    if (g.podLabel !== "pod") decoys.pod = "nvidia-dcgm-exporter-verify";
    return this.tl.add(g.metric, labelsFor(this.env.matchers.gpu, fixed, decoys, "gpu"), fn(f));
  }

  /** Requests waiting in the running pod's inference server. */
  queue(f: Fn): Series {
    this.owners();
    const q = this.env.rc.monitoring.queue;
    const metric = this.w.queue?.metric ?? this.env.fallbackQueueMetric;
    const fixed = this.withCluster({ [q.namespaceLabel]: this.w.namespace, [q.podLabel]: this.pods[0] });
    const decoys: Record<string, string> = { instance: "10.0.0.1:8000" };
    if (q.namespaceLabel !== "namespace") decoys.namespace = "inference-gateway";
    if (q.podLabel !== "pod") decoys.pod = "inference-gateway-verify";
    return this.tl.add(metric, labelsFor(this.env.matchers.queue, fixed, decoys, "queue"), fn(f));
  }

  /**
   * The running pod requests one core and uses `percent` % of it from 0s on. Returns the usage
   * counter (cpu-seconds; it already runs, starting at 5000).
   */
  cpu(percent: number): Series {
    this.owners();
    const pod = this.pods[0];
    this.ksm("kube_pod_status_phase", { pod, phase: "Running" }, 1);
    this.ksm(
      "kube_pod_container_resource_requests",
      { pod, container: "main", resource: "cpu", unit: "core" },
      1,
    );
    const fixed = this.withCluster({ namespace: this.w.namespace, pod, container: "main" });
    const perSecond = percent / 100;
    return this.tl.add(
      "container_cpu_usage_seconds_total",
      labelsFor(this.env.matchers.cadvisor, fixed, {}, "cadvisor"),
      (t) => 5000 + t * perSecond,
    );
  }

  /** KEDA's error counter of the workload's ScaledObject (its name, or the workload's). */
  kedaErrors(f: Fn): { series: Series; labels: Record<string, string> } {
    const k = this.env.rc.monitoring.keda;
    // A workload without a ScaledObject gets a name of its own (HPA names are unique in a
    // namespace) that no configured ScaledObject has.
    const own = this.w.hpaName;
    const taken = this.env.rc.workloads.some(
      (x) => x.namespace === this.w.namespace && x.scaledObjectName === own,
    );
    const labels = {
      scaledObject: this.w.scaledObjectName ?? (taken ? `${own}-no-keda` : own),
      scaler: "prometheusScaler",
      metric: "s0-prometheus",
    };
    const fixed = this.withCluster({ [k.namespaceLabel]: this.w.namespace, ...labels });
    const decoys: Record<string, string> = { type: "scaledobject", triggerIndex: "0" };
    if (k.namespaceLabel !== "namespace") decoys.namespace = "keda";
    const series = this.tl.add(
      KEDA_SCALER_ERRORS,
      labelsFor(this.env.matchers.keda, fixed, decoys, "keda"),
      fn(f),
    );
    return { series, labels };
  }
}
