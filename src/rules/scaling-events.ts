/**
 * Scale events: scaled up, scaled down (one alert per step), and flapping (reversals of direction).
 */
import { REPLICAS_LABEL, SCALE_EVENT_LOOKBACK, SCALE_STEP_RESOLUTION } from "../catalog/catalog.js";
import type { RuleContext } from "./context.js";
import { KSM, SERIES } from "./context.js";
import type { AlertDefinition } from "./definition.js";
import { str } from "./promql.js";

/**
 * The desired replicas of each HPA as one series per count, labelled `replicas="<count>"` and
 * valued the count; counts of 0 are left out (at zero the HPA is disabled: AIWorkloadScaledToZero
 * and AIWorkloadColdStart report going there and back).
 */
const byCount = (desired: string, ctx: RuleContext) =>
  `count_values by (${ctx.idList}) (${str(REPLICAS_LABEL)}, ${desired} > 0)\n  * on (${ctx.idList}) group_left () (${desired} > 0)`;

/**
 * A step to each count the HPA wanted within the last lookback (sampled at the HPA's sync period,
 * and now), compared with the count one lookback ago: higher for a scale-up, lower for a
 * scale-down. Each count is an alert of its own (label `replicas`, value the count) that holds for
 * one lookback from its first sample, even when the next step follows sooner: every step is
 * notified. The current count is taken as is too, so a step fires at the first evaluation after
 * the scrape that shows it, whatever the subquery's alignment. When the count one lookback ago is
 * 0 (the workload woke from zero within the lookback: AIWorkloadColdStart), a scale-up compares
 * with the lowest non-zero count since, so the waking count itself is no step but a step up soon
 * after waking is; a scale-down is not looked for in that minute. Comparing it with the highest
 * count since would take the waking count for a step down whenever the workload woke at 1 and
 * stepped up to 2 within the minute (the common KEDA wake-up), and PromQL has no "first value
 * since" to tell the order apart.
 */
const step = (ctx: RuleContext, op: ">" | "<") => {
  const desired = ctx.perHpa(KSM.desired);
  const before = ctx.perHpa(KSM.desired).replace(/\)$/, ` offset ${SCALE_EVENT_LOOKBACK})`);
  const lookback = `[${SCALE_EVENT_LOOKBACK}:${SCALE_STEP_RESOLUTION}]`;
  const counts = byCount(desired, ctx);
  const reference =
    op === ">"
      ? `(\n  (${before} > 0)\n  or\n  min_over_time((${desired} > 0)${lookback})\n)`
      : `(${before} > 0)`;
  return [
    `(\n  ${counts}\n  or\n  max_over_time((\n    ${counts.replace(/\n/g, "\n  ")}\n  )${lookback})\n)`,
    `${op} on (${ctx.idList}) group_left ()`,
    reference,
  ].join("\n");
};

export const scaledUp: AlertDefinition = {
  name: "AIWorkloadScaledUp",
  condition: (ctx) => step(ctx, ">"),
  description: (_ctx, d) =>
    `{{ $labels.workload }} scaled up from ${d.from} to ${d.value} replicas (${d.minMax}). ${d.metrics}`,
};

export const scaledDown: AlertDefinition = {
  name: "AIWorkloadScaledDown",
  condition: (ctx) => step(ctx, "<"),
  description: (_ctx, d) =>
    `{{ $labels.workload }} scaled down from ${d.from} to ${d.value} replicas (${d.minMax}). ${d.metrics}`,
};

/**
 * Reversals of the scaling direction in the window (see `scaleDirectionRules` in settings.ts):
 * oscillation, not a long scale-out or scale-in in steps, and not sleeping and waking.
 */
export const scalingFlapping: AlertDefinition = {
  name: "AIWorkloadScalingFlapping",
  condition: (ctx, p) =>
    `max by (${ctx.idList}) (changes(${SERIES.scaleDirection}[${p.window}]))\n>= on (namespace, horizontalpodautoscaler) group_left()\n${p.threshold}`,
  description: (_ctx, d, p) =>
    `{{ $labels.workload }} reversed its scaling direction ${d.value} times in ${p.window} (alert at ${d.threshold}): scaling is oscillating. Now ${d.desired} replicas (${d.minMax}).`,
};
