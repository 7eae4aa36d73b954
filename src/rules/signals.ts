/**
 * The slow signals, recorded in the `<name>.signals` group at the slow interval: which pods belong
 * to which configured workload, the workload's GPU utilisation, queue per replica and CPU
 * utilisation, and the HPA's metrics against their targets (shown in descriptions). The alerts
 * that read them hold for minutes, so a minute between evaluations costs them little.
 */
import type { AlertName } from "../catalog/catalog.js";
import type { RuleContext } from "./context.js";
import { KSM, SERIES } from "./context.js";
import { renameLabel } from "./facts.js";
import { eq, labels, oneOf, sel } from "../promql/text.js";
import type { RecordingRule } from "./settings.js";

/** Which alerts read each signal; a signal no active alert reads is not recorded. */
export const SIGNAL_READERS: Readonly<Partial<Record<string, readonly AlertName[]>>> = {
  [SERIES.podWorkload]: [
    "AIWorkloadPodsUnschedulable",
    "AIWorkloadGpuSaturated",
    "AIWorkloadGpuUnderutilized",
    "AIWorkloadQueueBacklog",
    "AIWorkloadHighCpuUtilization",
  ],
  [SERIES.gpuUtilization]: ["AIWorkloadGpuSaturated", "AIWorkloadGpuUnderutilized"],
  [SERIES.queuePerReplica]: ["AIWorkloadQueueBacklog"],
  [SERIES.cpuUtilization]: ["AIWorkloadHighCpuUtilization"],
  [SERIES.targetMetric]: ["AIWorkloadScaledUp", "AIWorkloadScaledDown", "AIWorkloadAtMaxReplicas"],
};

/** The pods of the configured workloads, with their HPA and the workload's labels. */
function podWorkloadRule(ctx: RuleContext): RecordingRule {
  const c = (...rest: string[]) => labels([...ctx.clusterPrefix, ...rest]);
  const ns = ctx.nsMatcher;
  const podOwner = (kind: string) => ctx.ksmSel("kube_pod_owner", ns, eq("owner_kind", kind));
  const rsOwner = renameLabel(
    renameLabel(
      ctx.ksmSel("kube_replicaset_owner", ns, eq("owner_kind", "Deployment")),
      "owner_name",
      "workload",
    ),
    "replicaset",
    "owner_name",
  );
  const expr = [
    `# Pods owned by a ReplicaSet of a Deployment, or by a StatefulSet, named by that workload.`,
    `max by (${c("namespace", "pod", "workload", "workload_kind")}) (`,
    `  label_replace(`,
    `    max by (${c("namespace", "pod", "owner_name")}) (${podOwner("ReplicaSet")})`,
    `    * on (${c("namespace", "owner_name")}) group_left (workload)`,
    `    max by (${c("namespace", "owner_name", "workload")}) (${rsOwner}),`,
    `    "workload_kind", "Deployment", "", "")`,
    `  or`,
    `  label_replace(`,
    `    ${renameLabel(`max by (${c("namespace", "pod", "owner_name")}) (${podOwner("StatefulSet")})`, "owner_name", "workload")},`,
    `    "workload_kind", "StatefulSet", "", "")`,
    `)`,
    `# Only the configured workloads, with their HPA and labels.`,
    `* on (${c("namespace", "workload", "workload_kind")}) group_left (${labels(["horizontalpodautoscaler", ...ctx.rc.extraLabelNames])}) ${SERIES.hpaInfo}`,
  ].join("\n");
  return { record: SERIES.podWorkload, expr };
}

/** The signals group's rules, in evaluation order (the pod map first: the others read it). */
export function signalRules(ctx: RuleContext): RecordingRule[] {
  const { rc, idList, clusterPrefix } = ctx;
  const c = (...rest: string[]) => labels([...clusterPrefix, ...rest]);
  const ns = ctx.nsMatcher;
  const perWorkload = `${idList}, ${ctx.workloadLabels}`;
  const toWorkloadPods = `* on (${c("namespace", "pod")}) group_left (${labels(["horizontalpodautoscaler", "workload", ...rc.extraLabelNames])}) ${SERIES.podWorkload}`;
  const rules: RecordingRule[] = [podWorkloadRule(ctx)];

  if (rc.workloads.some((w) => w.gpu)) {
    const g = rc.monitoring.gpu;
    const gpuSeries = renameLabel(
      renameLabel(sel(g.metric, g.selector), g.namespaceLabel, "namespace"),
      g.podLabel,
      "pod",
    );
    // Only the GPU workloads' pods: GPU alerts list no other workload as off.
    const gpuHpas = rc.workloads.every((w) => w.gpu)
      ? ""
      : oneOf(
          "horizontalpodautoscaler",
          rc.workloads.filter((w) => w.gpu).map((w) => w.hpaName),
        );
    rules.push({
      record: SERIES.gpuUtilization,
      expr: `# Mean GPU utilisation of the GPU workloads' pods.\navg by (${perWorkload}) (\n  ${gpuSeries}\n  ${toWorkloadPods.replace(SERIES.podWorkload, sel(SERIES.podWorkload, gpuHpas))}\n)`,
    });
  }

  const queueMetrics = [...new Set(rc.workloads.flatMap((w) => (w.queue ? [w.queue.metric] : [])))];
  if (queueMetrics.length > 0) {
    const q = rc.monitoring.queue;
    const raw = sel(
      queueMetrics.length === 1 ? (queueMetrics[0] as string) : "",
      queueMetrics.length === 1 ? "" : oneOf("__name__", queueMetrics),
      q.selector,
    );
    const queueSeries = renameLabel(renameLabel(raw, q.namespaceLabel, "namespace"), q.podLabel, "pod");
    rules.push({
      record: SERIES.queuePerReplica,
      expr: `sum by (${perWorkload}) (\n  ${queueSeries}\n  ${toWorkloadPods}\n)\n/ on (${idList}) group_left () (${SERIES.current} > 0)`,
    });
  }

  // Both sides cover the same pods: Running, with a CPU request (a Pending pod's init container
  // downloading a model uses CPU but has no share in the running capacity).
  const requests = `sum by (${c("namespace", "pod")}) (max by (${c("namespace", "pod", "container")}) (${ctx.ksmSel("kube_pod_container_resource_requests", ns, 'resource="cpu"')}))\n  and on (${c("namespace", "pod")}) (max by (${c("namespace", "pod")}) (${ctx.ksmSel("kube_pod_status_phase", ns, 'phase="Running"')}) == 1)`;
  const usage = `sum by (${c("namespace", "pod")}) (rate(${sel("container_cpu_usage_seconds_total", rc.monitoring.cadvisorSelector, ns, 'container!=""', 'container!="POD"')}[5m]))\n  and on (${c("namespace", "pod")}) (${requests})`;
  rules.push({
    record: SERIES.cpuUtilization,
    expr: [
      `# CPU used per CPU requested, in %, over the workload's running pods.`,
      `100 * sum by (${perWorkload}) (`,
      `  (${usage})`,
      `  ${toWorkloadPods}`,
      `)`,
      `/ on (${idList}) group_left () sum by (${idList}) (`,
      `  (${requests})`,
      `  ${toWorkloadPods}`,
      `)`,
    ].join("\n"),
  });

  const byMetric = `${idList}, metric_name, metric_target_type`;
  rules.push({
    record: SERIES.targetMetric,
    expr: [
      `# Each metric the HPA scales on: the value now, its target in the label target.`,
      `max by (${byMetric}) (${ctx.ksmSel(KSM.statusMetric, ns)})`,
      `* on (${byMetric}) group_left (target)`,
      `count_values by (${byMetric}) ("target", max by (${byMetric}) (${ctx.ksmSel(KSM.specMetric, ns)}))`,
      `* on (${idList}) group_left (${ctx.workloadLabels}) ${SERIES.hpaInfo}`,
    ].join("\n"),
  });
  return rules;
}
