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
import { closedRange } from "./windows.js";

const spec = SERIES.targetSpecReplicas;
const ago = (ctx: RuleContext, cmp: string) =>
  `and on (${ctx.idList}) (${spec} offset ${SCALE_EVENT_LOOKBACK} ${cmp})`;
const L = SCALE_EVENT_LOOKBACK;

export const scaledToZero: AlertDefinition = {
  name: "AIWorkloadScaledToZero",
  // The value is the replica count before: the left side is the earlier sample.
  condition: (ctx) =>
    [
      `# Replicas ${L} ago (the value), where the scale target is at zero now.`,
      `(${spec} offset ${L} > 0)`,
      `and on (${ctx.idList}) (${spec} == 0)`,
    ].join("\n"),
  description: () =>
    `{{ $labels.workload }} scaled from {{ $value | printf "%.0f" }} to zero replicas: the next request waits for a cold start.`,
};

export const coldStart: AlertDefinition = {
  name: "AIWorkloadColdStart",
  condition: (ctx) =>
    [`# Replicas now, where the scale target was at zero ${L} ago.`, `(${spec} > 0)`, ago(ctx, "== 0")].join(
      "\n",
    ),
  description: (_ctx, d) =>
    `{{ $labels.workload }} woke from zero to {{ $value | printf "%.0f" }} replicas (cold start); ${d.available} available so far.`,
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
    const since = closedRange(`${durationSeconds(p.window) + 3600}s`);
    const budget = closedRange(p.window);
    return [
      `# Replicas wanted for the whole budget (and 1ms: with its first sample, on Prometheus 2 and 3)...`,
      `min_over_time(${spec}[${budget}]) > 0`,
      `# ...none available during it...`,
      `and on (${ctx.idList}) (max_over_time(${SERIES.targetAvailableReplicas}[${budget}]) == 0)`,
      `# ...and at zero shortly before: a cold start, not a workload that never started.`,
      `and on (${ctx.idList}) (min_over_time(${spec}[${since}]) == 0)`,
    ].join("\n");
  },
  description: (_ctx, d, p) =>
    `{{ $labels.workload }} woke from zero and has wanted {{ $value | printf "%.0f" }} replicas for ${p.window} (its cold-start budget), but none is available yet: requests are waiting.`,
};
