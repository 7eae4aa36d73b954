/** The HPA's own health: at max, blind (metrics unavailable), unable to scale, scale-up stalled. */
import type { RuleContext } from "./context.js";
import { SERIES } from "./context.js";
import type { AlertDefinition } from "./definition.js";
import { closedRange } from "./windows.js";

/** `and on (id) workload_hpa:condition:max{condition=..., status=...}` */
const withCondition = (ctx: RuleContext, name: string, status: "true" | "false") =>
  `and on (${ctx.idList}) ${SERIES.condition}{condition="${name}", status="${status}"}`;

/**
 * The scale target is at zero replicas on purpose (KEDA scale-to-zero disables the HPA): not a
 * failure. The HPA's own desired replicas are 0 then too, in the same scrape as its conditions.
 */
const unlessAtZero = (ctx: RuleContext) =>
  [
    `# ...unless it is at zero on purpose (KEDA scale-to-zero disables the HPA).`,
    `unless on (${ctx.idList}) (${SERIES.targetSpecReplicas} == 0 or ${SERIES.desired} == 0)`,
  ].join("\n");

export const atMaxReplicas: AlertDefinition = {
  name: "AIWorkloadAtMaxReplicas",
  condition: (ctx) =>
    [
      `# At its maximum...`,
      `${SERIES.current} == on (${ctx.idList}) group_left () ${SERIES.max}`,
      `# ...with room to scale (a pinned HPA, min = max, is at max by design)...`,
      `and on (${ctx.idList}) (${SERIES.max} != on (${ctx.idList}) ${SERIES.min})`,
      `# ...and the HPA wants more (ScalingLimited; at max on a KEDA cron trigger is not limited).`,
      withCondition(ctx, "ScalingLimited", "true"),
    ].join("\n"),
  description: (_ctx, d, p) =>
    `{{ $labels.workload }} has been at its maximum of ${d.value} replicas for ${p.variant.for} and the HPA wants more (ScalingLimited). ${d.metrics}`,
};

export const scalingInactive: AlertDefinition = {
  name: "AIWorkloadScalingInactive",
  condition: (ctx) =>
    [
      `# The HPA cannot compute replicas from its metrics (ScalingActive=False)...`,
      `${SERIES.current}`,
      withCondition(ctx, "ScalingActive", "false"),
      unlessAtZero(ctx),
    ].join("\n"),
  description: (_ctx, d, p) =>
    `HPA {{ $labels.horizontalpodautoscaler }} of {{ $labels.workload }} has reported ScalingActive=False for ${p.variant.for}: it cannot compute replicas from its metrics and does not scale. It stays at ${d.value} replicas.`,
};

export const unableToScale: AlertDefinition = {
  name: "AIWorkloadUnableToScale",
  condition: (ctx) =>
    [
      `# The HPA cannot read or update its target's scale (AbleToScale=False).`,
      `${SERIES.desired}`,
      withCondition(ctx, "AbleToScale", "false"),
    ].join("\n"),
  description: (_ctx, d, p) =>
    `HPA {{ $labels.horizontalpodautoscaler }} of {{ $labels.workload }} has reported AbleToScale=False for ${p.variant.for}: it cannot read or update its target's scale. It wants ${d.value} replicas.`,
};

/**
 * Desired replicas exceeded available replicas during the whole window: even the lowest desired
 * count of the window is above the highest available count. A scale-up that started within the
 * window does not count (the window still holds the lower desired count from before it), and the
 * HPA must have existed for the whole window.
 */
export const scaleUpStalled: AlertDefinition = {
  name: "AIWorkloadScaleUpStalled",
  forIsWindow: true,
  condition: (ctx, p) =>
    [
      `# Even the lowest desired count of the window is above the most replicas available in it...`,
      `# (${p.window} and 1ms: the window with its first sample, on Prometheus 2 and 3 alike)`,
      `min_over_time(${SERIES.desired}[${closedRange(p.window)}])`,
      `> on (${ctx.idList}) group_left () max_over_time(${SERIES.targetAvailableReplicas}[${closedRange(p.window)}])`,
      unlessAtZero(ctx),
      `# ...and the HPA existed for the whole window.`,
      `and on (${ctx.idList}) ${SERIES.desired} offset ${p.window}`,
    ].join("\n"),
  description: (_ctx, d, p) =>
    `{{ $labels.workload }} has wanted at least ${d.value} replicas for ${p.window}, but at most ${d.available} were available: new pods are not becoming ready.`,
};
