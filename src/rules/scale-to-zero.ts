/**
 * Scale to zero and back (KEDA `minReplicaCount: 0`): scaled to zero, woke from zero (cold start),
 * and a cold start that overran its budget. They read the scale target's `spec.replicas`: at zero
 * the HPA is disabled (ScalingActive=False, ScalingDisabled) and its own replica counts stop
 * describing the workload.
 */
import { SCALE_EVENT_LOOKBACK } from "../catalog/catalog.js";
import { durationSeconds } from "../config/primitives.js";
import type { RuleContext } from "./context.js";
import { SERIES } from "./context.js";
import type { AlertDefinition } from "./definition.js";

const spec = SERIES.targetSpecReplicas;
const ago = (ctx: RuleContext, cmp: string) =>
  `and on (${ctx.idList}) (${spec} offset ${SCALE_EVENT_LOOKBACK} ${cmp})`;

export const scaledToZero: AlertDefinition = {
  name: "AIWorkloadScaledToZero",
  // The value is the replica count before: the left side is the earlier sample.
  condition: (ctx) => `(${spec} offset ${SCALE_EVENT_LOOKBACK} > 0)\nand on (${ctx.idList}) (${spec} == 0)`,
  description: () =>
    `{{ $labels.workload }} scaled from {{ $value | printf "%.0f" }} to zero replicas. With KEDA this is scale-to-zero after the cooldown period with no active trigger; the next request waits for a cold start. Without KEDA someone set its replicas to 0 and its HPA is disabled until it is scaled up again.`,
};

export const coldStart: AlertDefinition = {
  name: "AIWorkloadColdStart",
  condition: (ctx) => `(${spec} > 0)\n${ago(ctx, "== 0")}`,
  description: (_ctx, d) =>
    `{{ $labels.workload }} woke from zero to {{ $value | printf "%.0f" }} replicas (cold start); ${d.available} available so far. Requests wait until the first replica has loaded its model.`,
};

/**
 * Wanted replicas for the whole budget, none available during it, and at zero shortly before: a
 * cold start that overran. It resolves when a replica becomes available, or an hour after the
 * budget, when AIWorkloadScaleUpStalled (critical) has long taken over.
 */
export const coldStartSlow: AlertDefinition = {
  name: "AIWorkloadColdStartSlow",
  forIsWindow: true,
  condition: (ctx, p) => {
    const since = `${durationSeconds(p.window) + 3600}s`;
    return [
      `min_over_time(${spec}[${p.window}]) > 0`,
      `and on (${ctx.idList}) (max_over_time(${SERIES.targetAvailableReplicas}[${p.window}]) == 0)`,
      `and on (${ctx.idList}) (min_over_time(${spec}[${since}]) == 0)`,
    ].join("\n");
  },
  description: (_ctx, d, p) =>
    `{{ $labels.workload }} woke from zero and has wanted {{ $value | printf "%.0f" }} replicas for ${p.window}, but none is available yet (cold-start budget ${p.window}; desired now ${d.desired}). Requests are waiting: the GPU node, the image pull or the model load is slow or failing.`,
};
