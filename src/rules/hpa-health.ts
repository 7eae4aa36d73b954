/** The HPA's own health: at max, blind (metrics unavailable), unable to scale, scale-up stalled. */
import type { RuleContext } from "./context.js";
import { KSM, SERIES } from "./context.js";
import type { AlertDefinition } from "./definition.js";

const condition = (ctx: RuleContext, name: string, status: "true" | "false") =>
  `${ctx.perHpa(KSM.condition, `condition="${name}"`, `status="${status}"`)} == 1`;

/**
 * The scale target is at zero replicas on purpose (e.g. KEDA scale-to-zero): not a failure. The HPA's
 * own desired replicas (0 while it is disabled) come from the same scrape as its conditions; the
 * recorded target replicas may be one evaluation behind them.
 */
const unlessTargetAtZero = (ctx: RuleContext) =>
  `unless on (${ctx.idList}) (${SERIES.targetSpecReplicas} == 0 or ${ctx.perHpa(KSM.desired)} == 0)`;

export const atMaxReplicas: AlertDefinition = {
  name: "AIWorkloadAtMaxReplicas",
  condition: (ctx) =>
    [
      `(${ctx.perHpa(KSM.current)} == on (${ctx.idList}) ${ctx.perHpa(KSM.max)})`,
      // Pinned HPAs (min == max) are at max by design.
      `and on (${ctx.idList}) (${ctx.perHpa(KSM.max)} != on (${ctx.idList}) ${ctx.perHpa(KSM.min)})`,
      // At max but not limited (desired within range, e.g. KEDA cron/fixed triggers) is fine.
      `and on (${ctx.idList}) (${condition(ctx, "ScalingLimited", "true")})`,
    ].join("\n"),
  description: (_ctx, d, p) =>
    `{{ $labels.workload }} has been at its maximum of ${d.value} replicas for ${p.variant.for} and the HPA wants more (ScalingLimited); min is ${d.min}. ${d.metrics} Raise maxReplicas or add capacity.`,
};

export const scalingInactive: AlertDefinition = {
  name: "AIWorkloadScalingInactive",
  condition: (ctx) => `(${condition(ctx, "ScalingActive", "false")})\n${unlessTargetAtZero(ctx)}`,
  description: (_ctx, d, p) =>
    `HPA {{ $labels.horizontalpodautoscaler }} of {{ $labels.workload }} has reported ScalingActive=false for ${p.variant.for}: it cannot compute replicas from its metrics (metrics-server, prometheus-adapter or an external metric source is failing) and does not scale. It stays at ${d.current} replicas (${d.minMax}). The reason is in kubectl describe hpa.`,
};

export const unableToScale: AlertDefinition = {
  name: "AIWorkloadUnableToScale",
  condition: (ctx) => condition(ctx, "AbleToScale", "false"),
  description: (_ctx, d, p) =>
    `HPA {{ $labels.horizontalpodautoscaler }} of {{ $labels.workload }} has reported AbleToScale=false for ${p.variant.for}: it cannot read or update the scale of its target (FailedGetScale or FailedUpdateScale). Replicas stay at ${d.current}, desired ${d.desired}.`,
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
      `max by (${ctx.idList}) (min_over_time(${ctx.hpaSel(KSM.desired)}[${p.window}]))`,
      `> on (${ctx.idList}) max_over_time(${SERIES.targetAvailableReplicas}[${p.window}])`,
      unlessTargetAtZero(ctx),
      `and on (${ctx.idList}) ${ctx.perHpa(KSM.desired).replace(/\)$/, ` offset ${p.window})`)}`,
    ].join("\n"),
  description: (_ctx, d, p) =>
    `{{ $labels.workload }} has wanted at least ${d.value} replicas for ${p.window}, but only ${d.available} are available (desired now ${d.desired}, ${d.minMax}). New pods are not becoming ready: GPU nodes not arriving, image pulls or model loading failing.`,
};
