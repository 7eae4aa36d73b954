/** Scale events: scaled up, scaled down, and flapping. */
import { SCALE_EVENT_LOOKBACK } from "../catalog/catalog.js";
import type { RuleContext } from "./context.js";
import { KSM, SERIES } from "./context.js";
import type { AlertDefinition } from "./definition.js";

/**
 * A change of desired replicas since one lookback ago. Changes to or from zero are not steps of
 * the autoscaler (at zero the HPA is disabled): AIWorkloadScaledToZero and AIWorkloadColdStart
 * report them.
 */
const step = (ctx: RuleContext, op: ">" | "<") =>
  `(${ctx.perHpa(KSM.desired)} > 0)\n${op} on (${ctx.idList})\n(${ctx.perHpa(KSM.desired).replace(/\)$/, ` offset ${SCALE_EVENT_LOOKBACK})`)} > 0)`;

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

export const scalingFlapping: AlertDefinition = {
  name: "AIWorkloadScalingFlapping",
  condition: (ctx, p) => {
    const changes = `max by (${ctx.idList}) (changes(${ctx.hpaSel(KSM.desired)}[${p.window}]))`;
    // Scale-to-zero workloads: count changes between non-zero counts only (sleeping and waking are
    // AIWorkloadScaledToZero and AIWorkloadColdStart).
    const counted = ctx.rc.workloads.some((w) => w.scaleToZero)
      ? `(\n  ${changes} unless on (${ctx.idList}) ${SERIES.desiredAwake}\n  or\n  max by (${ctx.idList}) (changes(${SERIES.desiredAwake}[${p.window}]))\n)`
      : changes;
    return `${counted}\n>= on (namespace, horizontalpodautoscaler) group_left()\n${p.threshold}`;
  },
  description: (_ctx, d, p) =>
    `{{ $labels.workload }} changed its desired replicas ${d.value} times in ${p.window} (alert at ${d.threshold}): scaling is oscillating. Now ${d.desired} replicas (${d.minMax}).`,
};
