/**
 * The PromQL of the dashboard's panels, annotations and variables. Each per-HPA fact is read from
 * the series the rules record when the generated rule groups record it (so that the dashboard
 * and the alerts see the same numbers), else from kube-state-metrics itself. Names come from the
 * rules' exported constants, never spelt here; queries stay plain selectors, `max by`, and one
 * join for pods.
 */
import { ALERT_NAMES, CATALOG, type AlertName } from "../catalog/catalog.js";
import type { ResolvedConfig } from "../config/resolve.js";
import { KSM, SERIES } from "../catalog/series.js";
import { DASHBOARD_VARS as V } from "./link.js";

/** The rule groups' shape as far as the dashboard reads it. */
export interface RecordingSource {
  readonly ruleGroups: readonly { readonly rules: readonly object[] }[];
}

const str = (s: string): string => JSON.stringify(s);
const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** `metric{m1, m2}` without empty matchers. */
const sel = (metric: string, ...ms: string[]): string => {
  const kept = ms.map((m) => m.trim()).filter((m) => m !== "");
  return kept.length === 0 ? metric : `${metric}{${kept.join(", ")}}`;
};
/** `name=~"^(?:a|b)$"`-style matcher (PromQL regexes are anchored). */
export const oneOfMatcher = (label: string, values: readonly string[]): string =>
  `${label}=~${str([...new Set(values)].sort().map(escapeRegex).join("|"))}`;

/** The recorded name of a fact, when the rules' constants name it and the rule groups record it. */
function recordedName(key: string, recorded: ReadonlySet<string>): string | undefined {
  const name = (SERIES as Readonly<Record<string, string>>)[key];
  return name !== undefined && recorded.has(name) ? name : undefined;
}

/** The alerts of the catalog that concern one workload, the heartbeat and blind spots aside. */
export const WORKLOAD_ALERTS: readonly AlertName[] = ALERT_NAMES.filter((n) => CATALOG[n].perWorkload);
/** Alerts that mark a change of replicas (the scale-event feed): each is an annotation on every panel. */
export const SCALE_EVENT_ALERTS: readonly AlertName[] = ALERT_NAMES.filter(
  (n) => CATALOG[n].scaleEvent === true,
);
/** Every catalog alert but the always-firing heartbeat: what the "firing now" table lists. */
export const TABLE_ALERTS: readonly AlertName[] = ALERT_NAMES.filter((n) => CATALOG[n].event !== "heartbeat");

/** The PromQL the dashboard needs, built once per config. */
export interface DashboardQueries {
  readonly variables: {
    readonly cluster?: string;
    readonly namespace: string;
    readonly workload: string;
    readonly hpa: string;
    readonly scaledObject?: string;
  };
  readonly replicas: {
    readonly desired: string;
    readonly current: string;
    readonly available: string;
    readonly min: string;
    readonly max: string;
  };
  /** Each metric of the HPA as the HPA sees it, and its target (any kind: CPU, GPU, queue, presets). */
  readonly hpaMetrics: { readonly current: string; readonly target: string };
  readonly gpu?: string;
  readonly queue?: { readonly perReplica: string; readonly target: string };
  readonly cpu?: string;
  /** 1 while the condition is true, 0 otherwise, per condition. */
  readonly conditions: string;
  readonly unschedulablePods: string;
  readonly keda?: { readonly active: string; readonly value: string; readonly errors: string };
  /** Firing scale-to-zero and cold-start alerts of the workload, by alert name. */
  readonly coldStarts?: string;
  /** The workload's firing catalog alerts, by alert name (a state timeline). */
  readonly alertTimeline: string;
  /** What fires now, all workloads of the selected cluster (instant, table). */
  readonly firingNow: string;
  readonly annotations: { readonly scaleEvents: string; readonly otherAlerts: string };
  /** Workloads and namespaces of the config, for the variables' regexes. */
  readonly configured: { readonly namespaces: readonly string[]; readonly workloads: readonly string[] };
}

/** Builds every query for a config and the rule groups generated from it. Pure. */
export function dashboardQueries(rc: ResolvedConfig, source: RecordingSource): DashboardQueries {
  const recorded = new Set(
    source.ruleGroups.flatMap((g) =>
      g.rules.flatMap((r) => ("record" in r && typeof r.record === "string" ? [r.record] : [])),
    ),
  );
  const cl = rc.monitoring.clusterLabel;
  const ksm = rc.monitoring.kubeStateMetricsSelector;
  const clusterM = cl ? `${cl}=~"$${V.cluster}"` : "";
  const nsM = `namespace="$${V.namespace}"`;
  const hpaM = `horizontalpodautoscaler="$${V.hpa}"`;
  const workloadM = `workload="$${V.workload}"`;
  const info = SERIES.hpaInfo;

  /** A per-HPA fact of the selected workload: recorded when it is, else kube-state-metrics'. */
  const fact = (key: string, raw: string, ...extra: string[]): string => {
    const name = recordedName(key, recorded);
    return name ? sel(name, clusterM, nsM, hpaM, ...extra) : sel(raw, ksm, clusterM, nsM, hpaM, ...extra);
  };
  const max = (e: string, by = ""): string => `max${by ? ` by (${by})` : ""} (${e})`;

  const namespaces = [...new Set(rc.workloads.map((w) => w.namespace))].sort();
  const workloads = [...new Set(rc.workloads.map((w) => w.name))].sort();
  const anyGpu = rc.workloads.some((w) => w.gpu);
  const anyQueue = rc.workloads.some((w) => w.queue !== undefined);
  const anyKeda = rc.workloads.some((w) => w.scaledObjectName !== undefined);
  const kedaSo = recordedName("kedaScaledObject", recorded);

  const gpu = recordedName("gpuUtilization", recorded);
  const perReplica = recordedName("queuePerReplica", recorded);
  const queueTarget = recordedName("queueTarget", recorded);
  const cpu = recordedName("cpuUtilization", recorded);
  const podWorkload = recordedName("podWorkload", recorded);
  const available = recordedName("targetAvailableReplicas", recorded);

  const podJoin = [...(cl ? [cl] : []), "namespace", "pod"].join(", ");
  const unschedulable = podWorkload
    ? `count(${sel("kube_pod_status_unschedulable", ksm, clusterM, nsM)} * on (${podJoin}) group_left() ${max(sel(podWorkload, clusterM, nsM, hpaM), podJoin)}) or vector(0)`
    : // Without the recorded pod-to-workload map: pods named after the workload.
      `count(${sel("kube_pod_status_unschedulable", ksm, clusterM, nsM, `pod=~"$${V.workload}-.*"`)}) or vector(0)`;

  const kedaNs = rc.monitoring.keda.namespaceLabel;
  const kedaSel = (metric: string): string =>
    sel(
      metric,
      rc.monitoring.keda.selector,
      clusterM,
      `${kedaNs}="$${V.namespace}"`,
      `scaledObject="$${V.scaledObject}"`,
    );
  const alertSel = (names: readonly string[], ...extra: string[]): string =>
    sel("ALERTS", oneOfMatcher("alertname", names), `alertstate="firing"`, clusterM, ...extra);

  return {
    variables: {
      ...(cl ? { cluster: `label_values(${info}, ${cl})` } : {}),
      namespace: `label_values(${sel(info, clusterM)}, namespace)`,
      workload: `label_values(${sel(info, clusterM, nsM)}, workload)`,
      hpa: `label_values(${sel(info, clusterM, nsM, workloadM)}, horizontalpodautoscaler)`,
      ...(anyKeda && kedaSo
        ? { scaledObject: `label_values(${sel(kedaSo, clusterM, nsM, hpaM)}, scaledObject)` }
        : {}),
    },
    replicas: {
      desired: max(fact("desired", KSM.desired)),
      current: max(fact("current", KSM.current)),
      available: available
        ? max(sel(available, clusterM, nsM, hpaM))
        : `${max(sel("kube_deployment_status_replicas_available", ksm, clusterM, nsM, `deployment="$${V.workload}"`))} or ${max(sel("kube_statefulset_status_replicas_available", ksm, clusterM, nsM, `statefulset="$${V.workload}"`))}`,
      min: max(fact("min", KSM.min)),
      max: max(fact("max", KSM.max)),
    },
    hpaMetrics: {
      current: max(sel(KSM.statusMetric, ksm, clusterM, nsM, hpaM), "metric_name, metric_target_type"),
      target: max(sel(KSM.specMetric, ksm, clusterM, nsM, hpaM), "metric_name, metric_target_type"),
    },
    ...(anyGpu && gpu ? { gpu: max(sel(gpu, clusterM, nsM, hpaM)) } : {}),
    ...(anyQueue && perReplica && queueTarget
      ? {
          queue: {
            perReplica: max(sel(perReplica, clusterM, nsM, hpaM)),
            target: max(sel(queueTarget, clusterM, nsM, hpaM)),
          },
        }
      : {}),
    ...(cpu ? { cpu: max(sel(cpu, clusterM, nsM, hpaM)) } : {}),
    // 1 where the condition is true now; or, for the others, 0. From kube-state-metrics: the
    // rules record only the states the alerts look for (AbleToScale=False...), not every condition.
    conditions: `${max(`${sel(KSM.condition, ksm, clusterM, nsM, hpaM, `status="true"`)} > 0`, "condition")} or ${max(`0 * ${sel(KSM.condition, ksm, clusterM, nsM, hpaM)}`, "condition")}`,
    unschedulablePods: unschedulable,
    ...(anyKeda && kedaSo
      ? {
          keda: {
            active: max(kedaSel("keda_scaler_active"), "scaler, metric"),
            value: max(kedaSel("keda_scaler_metrics_value"), "scaler, metric"),
            errors: `sum by (scaler, metric) (rate(${kedaSel("keda_scaler_detail_errors_total")}[$__rate_interval]))`,
          },
        }
      : {}),
    ...(rc.workloads.some((w) => w.scaleToZero)
      ? {
          coldStarts: `count by (alertname) (${alertSel(
            ["AIWorkloadScaledToZero", "AIWorkloadColdStart", "AIWorkloadColdStartSlow"],
            nsM,
            workloadM,
          )})`,
        }
      : {}),
    alertTimeline: `count by (alertname) (${alertSel(WORKLOAD_ALERTS, nsM, workloadM)})`,
    firingNow: `max by (alertname, severity, event, namespace, workload, replicas) (${alertSel(TABLE_ALERTS)})`,
    annotations: {
      scaleEvents: alertSel(SCALE_EVENT_ALERTS, nsM, workloadM),
      otherAlerts: alertSel(
        WORKLOAD_ALERTS.filter((n) => !SCALE_EVENT_ALERTS.includes(n)),
        nsM,
        workloadM,
      ),
    },
    configured: { namespaces, workloads },
  };
}
