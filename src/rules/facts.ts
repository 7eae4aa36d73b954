/**
 * The per-HPA facts every alert reads, recorded once: in the `<name>.state` group (every minute)
 * the configured HPAs with their workload's labels, their replica counts, conditions and scale
 * target's available replicas; in the `<name>.facts` group (at Prometheus's interval) what the
 * events need fresh: desired replicas, the scale target's spec.replicas, and the scale steps. Each fact joins the HPA info once, here, so the
 * alerts read short selectors and carry the workload's labels without a join of their own.
 *
 * Order matters within the group (Prometheus evaluates a group's rules in order, and a rule reads
 * what the rules before it recorded at the same evaluation): the desired replicas are recorded
 * first, then the steps compare them with {@link SERIES.desiredLastEvaluation}, which still holds
 * the previous evaluation's count because it is recorded last.
 */
import type { AlertName } from "../catalog/catalog.js";
import type { RuleContext } from "./context.js";
import { KSM, SERIES } from "./context.js";
import { labels } from "../promql/text.js";
import type { RecordingRule } from "./settings.js";

/** Which alerts read each optional fact; a fact no active alert reads is not recorded. */
export const FACT_READERS: Readonly<Partial<Record<string, readonly AlertName[]>>> = {
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
  [SERIES.scaleUp]: ["AIWorkloadScaledUp"],
  [SERIES.scaleDown]: ["AIWorkloadScaledDown"],
  [SERIES.scaleDirection]: ["AIWorkloadScalingFlapping"],
  [SERIES.desiredLastEvaluation]: ["AIWorkloadScaledUp", "AIWorkloadScaledDown", "AIWorkloadScalingFlapping"],
};

/** `max by (id) (ksm metric)` with the workload's labels joined from the HPA info. */
function hpaFact(ctx: RuleContext, metric: string, ...matchers: string[]): string {
  return [
    ctx.perHpa(metric, ...matchers),
    `* on (${ctx.idList}) group_left (${ctx.workloadLabels}) ${SERIES.hpaInfo}`,
  ].join("\n");
}

/** `label_replace(expr, to, "$1", from, "(.+)")`, or expr itself when the labels are the same. */
export function renameLabel(expr: string, from: string, to: string): string {
  return from === to ? expr : `label_replace(${expr}, "${to}", "$1", "${from}", "(.+)")`;
}

/** The scale target's replicas, by kind: the HPA info names the target in `workload`. */
function targetReplicas(ctx: RuleContext, deploymentMetric: string, statefulSetMetric: string): string {
  const byWorkload = labels([...ctx.clusterPrefix, "namespace", "workload"]);
  const branch = (kind: string, metric: string, nameLabel: string) =>
    [
      `max without (workload_kind) (${SERIES.hpaInfo}{workload_kind="${kind}"})`,
      `* on (${byWorkload}) group_left ()`,
      `max by (${byWorkload}) (${renameLabel(ctx.ksmSel(metric, ctx.nsMatcher), nameLabel, "workload")})`,
    ].join("\n");
  return `${branch("Deployment", deploymentMetric, "deployment")}\nor\n${branch("StatefulSet", statefulSetMetric, "statefulset")}`;
}

/**
 * A step since the previous evaluation: the new count (desired now) as the label `replicas`, the
 * count before it as the value. Counts of 0 are no step on either side: going to sleep and waking
 * (KEDA scale-to-zero) are AIWorkloadScaledToZero and AIWorkloadColdStart.
 */
function step(ctx: RuleContext, op: ">" | "<", what: string): string {
  return [
    `# ${what}: the new count is the label replicas, the count before it the value.`,
    `# 0 is no count: going to sleep and waking are not steps.`,
    `count_values without () ("replicas",`,
    `  (${SERIES.desired} > 0) ${op} on (${ctx.idList}) group_left () ${SERIES.desiredLastEvaluation}`,
    `)`,
    `* on (${ctx.idList}) group_left ()`,
    `(${SERIES.desiredLastEvaluation} > 0)`,
  ].join("\n");
}

/**
 * The state group's rules (evaluated every minute), in evaluation order: the configured HPAs, then
 * what the alerts of minutes read (replica counts, conditions, the target's available replicas).
 * Only the three conditions the alerts use, each with the status they look for, are selected.
 */
export function stateRules(ctx: RuleContext, infoRule: RecordingRule): RecordingRule[] {
  const condition = (name: string, status: string) =>
    ctx.ksmSel(KSM.condition, ctx.nsMatcher, `condition="${name}"`, `status="${status}"`);
  // ScalingActive=False is also how KEDA leaves an HPA it scaled to zero: not recorded while the
  // HPA's own desired replicas (same object, same scrape) are 0, so no alert reading it later can
  // take a sleeping workload's stale record for a failure once it wakes.
  const inactive = `(${condition("ScalingActive", "false")} unless on (${ctx.idList}) (${ctx.perHpa(KSM.desired)} == 0))`;
  const conditions = [condition("AbleToScale", "false"), inactive, condition("ScalingLimited", "true")].join(
    " or ",
  );
  return [
    infoRule,
    { record: SERIES.current, expr: hpaFact(ctx, KSM.current) },
    { record: SERIES.min, expr: hpaFact(ctx, KSM.min) },
    { record: SERIES.max, expr: hpaFact(ctx, KSM.max) },
    {
      record: SERIES.condition,
      expr: [
        `# The conditions the alerts look for, where they hold: AbleToScale=False,`,
        `# ScalingActive=False (not while the HPA wants 0 replicas: KEDA's sleep), ScalingLimited=True.`,
        `(max by (${ctx.idList}, condition, status) (${conditions}) == 1)`,
        `* on (${ctx.idList}) group_left (${ctx.workloadLabels}) ${SERIES.hpaInfo}`,
      ].join("\n"),
    },
    {
      record: SERIES.targetAvailableReplicas,
      expr: targetReplicas(
        ctx,
        "kube_deployment_status_replicas_available",
        "kube_statefulset_status_replicas_available",
      ),
    },
  ];
}

/**
 * The facts group's rules (evaluated at Prometheus's interval), in evaluation order: what the
 * events need fresh: desired replicas, the scale target's spec.replicas, and the steps.
 */
export function factRules(ctx: RuleContext): RecordingRule[] {
  return [
    { record: SERIES.desired, expr: hpaFact(ctx, KSM.desired) },
    {
      record: SERIES.targetSpecReplicas,
      expr: targetReplicas(ctx, "kube_deployment_spec_replicas", "kube_statefulset_replicas"),
    },
    { record: SERIES.scaleUp, expr: step(ctx, ">", "A step up since the previous evaluation") },
    { record: SERIES.scaleDown, expr: step(ctx, "<", "A step down since the previous evaluation") },
    {
      record: SERIES.scaleDirection,
      expr: [
        `# 1 for a step up, -1 for a step down, recorded at steps between non-zero counts only:`,
        `# changes() over it counts reversals of direction, however many steps each direction takes.`,
        `sgn((${SERIES.desired} > 0) - on (${ctx.idList}) group_left () (${SERIES.desiredLastEvaluation} > 0)) != 0`,
      ].join("\n"),
    },
    {
      record: SERIES.desiredLastEvaluation,
      expr: `# Recorded last: until then the group's rules read the previous evaluation's count.\n${SERIES.desired}`,
    },
  ];
}
