/**
 * The recording rules the alerts share: the config published as data (which workloads are
 * covered, who deviates from the defaults), and per-HPA views of kube-state-metrics, the GPU,
 * queue and CPU series, each computed once for all alerts.
 */
import type { AlertName } from "../catalog/catalog.js";
import type { RuleContext } from "./context.js";
import { KSM, SERIES } from "./context.js";
import type { ResolvedWorkload } from "../config/resolve.js";
import { eq, formatNumber, labels, oneOf, sel, str, union } from "./promql.js";
import type { CatalogPlan } from "./variants.js";

/**
 * Which alerts read each per-HPA view; a view no active alert reads is not recorded (turning
 * alerts off makes the rule file cheaper, not just quieter).
 */
export const READ_BY: Readonly<Partial<Record<string, readonly AlertName[]>>> = {
  [SERIES.targetSpecReplicas]: [
    "AIWorkloadScalingInactive",
    "AIWorkloadScaleUpStalled",
    "AIWorkloadScaledToZero",
    "AIWorkloadColdStart",
    "AIWorkloadColdStartSlow",
  ],
  [SERIES.targetAvailableReplicas]: [
    "AIWorkloadScaleUpStalled",
    "AIWorkloadColdStart",
    "AIWorkloadColdStartSlow",
  ],
  [SERIES.podWorkload]: [
    "AIWorkloadPodsUnschedulable",
    "AIWorkloadGpuSaturated",
    "AIWorkloadGpuUnderutilized",
    "AIWorkloadQueueBacklog",
    "AIWorkloadHighCpuUtilization",
  ],
  [SERIES.gpuUtilization]: ["AIWorkloadGpuSaturated", "AIWorkloadGpuUnderutilized"],
  [SERIES.queueTarget]: ["AIWorkloadQueueBacklog"],
  [SERIES.queuePerReplica]: ["AIWorkloadQueueBacklog"],
  [SERIES.cpuUtilization]: ["AIWorkloadHighCpuUtilization"],
  [SERIES.kedaScaledObject]: ["AIWorkloadScalerErrors"],
  [SERIES.desiredReplicas]: ["AIWorkloadScalingFlapping"],
  [SERIES.scaleDirection]: ["AIWorkloadScalingFlapping"],
};

/** Whether a recorded series is read by one of the alerts that have rules. */
export function isRead(record: string, active: ReadonlySet<AlertName>): boolean {
  const readers = READ_BY[record];
  return readers === undefined || readers.some((a) => active.has(a));
}

/** A recording rule as it appears in a rule file. */
export interface RecordingRule {
  readonly record: string;
  readonly expr: string;
}

/** Items grouped by a key, in first-seen order. */
function groupBy<T>(items: readonly T[], key: (t: T) => string): T[][] {
  const m = new Map<string, T[]>();
  for (const it of items) m.set(key(it), [...(m.get(key(it)) ?? []), it]);
  return [...m.values()];
}

/** Sets constant labels on every series of `expr`. */
function setLabels(expr: string, labelSet: Readonly<Record<string, string>>): string {
  return Object.entries(labelSet).reduce(
    (e, [k, v]) => `label_replace(${e}, ${str(k)}, ${str(v)}, "", "")`,
    expr,
  );
}

/** Matchers that select these workloads' HPAs, all in one namespace. */
function hpaMatchers(ws: readonly ResolvedWorkload[]): string[] {
  return [
    eq("namespace", ws[0]?.namespace ?? ""),
    oneOf(
      "horizontalpodautoscaler",
      ws.map((w) => w.hpaName),
    ),
  ];
}

/**
 * One series per listed workload (labels namespace, horizontalpodautoscaler; value 1), selected
 * from the recorded HPA info by label matchers, one selector per namespace. Selecting by matchers
 * is what keeps this cheap: a union of per-workload constants (`label_replace(vector(1), ...)`)
 * evaluates in quadratic time on Prometheus 2.x (about 1.5 s for 1,000 of them).
 */
function selectWorkloads(ws: readonly ResolvedWorkload[]): string {
  const perNamespace = groupBy(ws, (w) => w.namespace).map((g) => sel(SERIES.hpaInfo, ...hpaMatchers(g)));
  return `max by (namespace, horizontalpodautoscaler) (${union(perNamespace)})`;
}

/**
 * The config as data: which HPAs are covered (with their workload and extra labels), and the
 * workloads that deviate from an alert's default (variant or threshold) or have a queue target.
 * Workload names appear in label matchers, grouped by namespace and by setting: the expressions
 * grow with the config, the number of rules does not.
 */
export function configDataRules(ctx: RuleContext, plan: CatalogPlan): RecordingRule[] {
  const { rc } = ctx;
  const groupLabels = labels([...ctx.id, "workload", "workload_kind", ...rc.extraLabelNames]);
  const infoGroups = groupBy(rc.workloads, (w) =>
    JSON.stringify([w.namespace, Object.entries(w.labels).sort()]),
  ).map((g) => {
    const info = ctx.ksmSel(KSM.info, ...hpaMatchers(g));
    const named = renameLabel(
      renameLabel(info, "scaletargetref_name", "workload"),
      "scaletargetref_kind",
      "workload_kind",
    );
    return setLabels(named, g[0]?.labels ?? {});
  });
  const rules: RecordingRule[] = [
    { record: SERIES.hpaInfo, expr: `max by (${groupLabels}) (\n  ${union(infoGroups)}\n)` },
  ];
  if (plan.memberships.length > 0) {
    const parts = groupBy(plan.memberships, (m) => `${m.alert}/${m.variant}`).map((g) =>
      setLabels(selectWorkloads(g.map((m) => m.workload)), {
        alert: g[0]?.alert ?? "",
        variant: g[0]?.variant ?? "",
      }),
    );
    rules.push({ record: SERIES.alertVariant, expr: union(parts) });
  }
  if (plan.thresholds.length > 0) {
    const parts = groupBy(plan.thresholds, (t) => `${t.alert}/${t.value}`).map(
      (g) =>
        `${setLabels(selectWorkloads(g.map((t) => t.workload)), { alert: g[0]?.alert ?? "" })} * 0 + ${formatNumber(g[0]?.value ?? 0)}`,
    );
    rules.push({ record: SERIES.alertThreshold, expr: union(parts) });
  }
  const queueWorkloads = rc.workloads.filter((w) => w.queue);
  if (queueWorkloads.length > 0) {
    const parts = groupBy(queueWorkloads, (w) => String(w.queue?.targetPerReplica)).map(
      (g) => `${selectWorkloads(g)} * 0 + ${formatNumber(g[0]?.queue?.targetPerReplica ?? 0)}`,
    );
    rules.push({ record: SERIES.queueTarget, expr: union(parts) });
  }
  const keda = kedaScaledObjectRule(ctx);
  if (keda) rules.push(keda);
  return rules;
}

/**
 * Which ScaledObject drives each KEDA HPA: one selector per namespace for the HPAs KEDA named
 * `keda-hpa-<scaledobject>` (the name is read back from the HPA's), and one constant label per
 * HPA with a custom name.
 */
function kedaScaledObjectRule(ctx: RuleContext): RecordingRule | undefined {
  const { rc } = ctx;
  const ws = rc.workloads.filter((w) => w.scaledObjectName !== undefined);
  if (ws.length === 0) return undefined;
  const byDefault = (w: ResolvedWorkload) => w.hpaName === `keda-hpa-${w.scaledObjectName}`;
  const keep = labels([...ctx.id]);
  const parts = [
    ...groupBy(ws.filter(byDefault), (w) => w.namespace).map(
      (g) =>
        `label_replace(max by (${keep}) (${sel(SERIES.hpaInfo, ...hpaMatchers(g))}), "scaledObject", "$1", "horizontalpodautoscaler", "keda-hpa-(.+)")`,
    ),
    ...ws
      .filter((w) => !byDefault(w))
      .map((w) =>
        setLabels(`max by (${keep}) (${sel(SERIES.hpaInfo, ...hpaMatchers([w]))})`, {
          scaledObject: w.scaledObjectName ?? "",
        }),
      ),
  ];
  return { record: SERIES.kedaScaledObject, expr: union(parts) };
}

/** `label_replace(expr, to, "$1", from, "(.+)")`, or expr itself when the labels are the same. */
function renameLabel(expr: string, from: string, to: string): string {
  return from === to ? expr : `label_replace(${expr}, "${to}", "$1", "${from}", "(.+)")`;
}

/** Per-HPA views of the cluster state, restricted to the configured workloads. */
export function clusterViewRules(ctx: RuleContext): RecordingRule[] {
  const { rc, idList, clusterPrefix } = ctx;
  const c = (...rest: string[]) => labels([...clusterPrefix, ...rest]);
  const ns = ctx.nsMatcher;

  const targetReplicas = (deploymentMetric: string, statefulSetMetric: string) => {
    const branch = (kind: string, metric: string, nameLabel: string) =>
      `max by (${idList}) (\n  ${SERIES.hpaInfo}{workload_kind="${kind}"}\n  * on (${c("namespace", "workload")}) group_left()\n  max by (${c("namespace", "workload")}) (${renameLabel(ctx.ksmSel(metric, ns), nameLabel, "workload")})\n)`;
    return `${branch("Deployment", deploymentMetric, "deployment")}\nor\n${branch("StatefulSet", statefulSetMetric, "statefulset")}`;
  };

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
  // label_replace with a regex that always matches sets owner_name := replicaset.
  const podWorkload = [
    `max by (${c("namespace", "pod", "workload", "workload_kind")}) (`,
    `  label_replace(`,
    `    max by (${c("namespace", "pod", "owner_name")}) (${podOwner("ReplicaSet")})`,
    `    * on (${c("namespace", "owner_name")}) group_left(workload)`,
    `    max by (${c("namespace", "owner_name", "workload")}) (${rsOwner}),`,
    `    "workload_kind", "Deployment", "", "")`,
    `  or`,
    `  label_replace(`,
    `    ${renameLabel(`max by (${c("namespace", "pod", "owner_name")}) (${podOwner("StatefulSet")})`, "owner_name", "workload")},`,
    `    "workload_kind", "StatefulSet", "", "")`,
    `)`,
    `* on (${c("namespace", "workload", "workload_kind")}) group_left(horizontalpodautoscaler) ${SERIES.hpaInfo}`,
  ].join("\n");

  const toWorkloadPods = `* on (${c("namespace", "pod")}) group_left(horizontalpodautoscaler) ${SERIES.podWorkload}`;

  const rules: RecordingRule[] = [
    {
      record: SERIES.targetSpecReplicas,
      expr: targetReplicas("kube_deployment_spec_replicas", "kube_statefulset_replicas"),
    },
    {
      record: SERIES.targetAvailableReplicas,
      expr: targetReplicas(
        "kube_deployment_status_replicas_available",
        "kube_statefulset_status_replicas_available",
      ),
    },
    { record: SERIES.podWorkload, expr: podWorkload },
  ];

  if (rc.workloads.some((w) => w.gpu)) {
    const g = rc.monitoring.gpu;
    const gpuSeries = renameLabel(
      renameLabel(sel(g.metric, g.selector), g.namespaceLabel, "namespace"),
      g.podLabel,
      "pod",
    );
    rules.push({
      record: SERIES.gpuUtilization,
      expr: `avg by (${idList}) (\n  ${gpuSeries}\n  ${toWorkloadPods}\n)`,
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
      expr: `sum by (${idList}) (\n  ${queueSeries}\n  ${toWorkloadPods}\n)\n/ on (${idList}) (${ctx.perHpa(KSM.current)} > 0)`,
    });
  }

  // Both sides cover the same pods: Running, with a CPU request (a Pending pod's init container
  // downloading a model uses CPU but has no share in the running capacity).
  const requests = `sum by (${c("namespace", "pod")}) (max by (${c("namespace", "pod", "container")}) (${ctx.ksmSel("kube_pod_container_resource_requests", ns, 'resource="cpu"')}))\n  and on (${c("namespace", "pod")}) (max by (${c("namespace", "pod")}) (${ctx.ksmSel("kube_pod_status_phase", ns, 'phase="Running"')}) == 1)`;
  const usage = `sum by (${c("namespace", "pod")}) (rate(${sel("container_cpu_usage_seconds_total", rc.monitoring.cadvisorSelector, ns, 'container!=""', 'container!="POD"')}[5m]))\n  and on (${c("namespace", "pod")}) (${requests})`;
  rules.push({
    record: SERIES.cpuUtilization,
    expr: `100 * sum by (${idList}) (\n  (${usage})\n  ${toWorkloadPods}\n)\n/ on (${idList}) sum by (${idList}) (\n  (${requests})\n  ${toWorkloadPods}\n)`,
  });
  return [...rules, ...scaleDirectionRules(ctx)];
}

/**
 * The direction of each scaling step, for AIWorkloadScalingFlapping, in this order: the direction
 * compares the desired replicas now with {@link SERIES.desiredReplicas} as the previous evaluation
 * recorded it (the group has not recorded it yet at this evaluation), then the count is recorded.
 * The direction is recorded only when the count changed, so its samples are the steps and
 * `changes()` over them counts reversals only: a long scale-down one pod at a time is one
 * direction, however many steps it takes. Counts of 0 are left out on both sides, so going to
 * sleep (KEDA scale-to-zero) and waking are not steps. Comparing evaluations, not a fixed offset,
 * catches even a toggle at every scrape.
 */
function scaleDirectionRules(ctx: RuleContext): RecordingRule[] {
  const desired = ctx.perHpa(KSM.desired);
  return [
    {
      record: SERIES.scaleDirection,
      expr: `sgn(\n  (${desired} > 0)\n  - on (${ctx.idList})\n  (${SERIES.desiredReplicas} > 0)\n) != 0`,
    },
    { record: SERIES.desiredReplicas, expr: desired },
  ];
}
