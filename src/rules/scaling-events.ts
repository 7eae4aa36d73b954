/**
 * Scale events: scaled up, scaled down (one alert per step), and flapping (reversals of direction).
 * The steps are recorded by the facts group (see `facts.ts`); these alerts only look them up.
 */
import { SCALE_EVENT_LOOKBACK } from "../catalog/catalog.js";
import { SERIES } from "./context.js";
import type { AlertDefinition } from "./definition.js";
import { closedRange, leftOpen } from "./windows.js";

/**
 * Each step recorded within the lookback is an alert of its own (label `replicas`, the new count;
 * value, the count before it) for one lookback: a second step is a new notification.
 */
const recentSteps = (series: string, what: string) =>
  [
    `# ${what} within the last ${SCALE_EVENT_LOOKBACK} (${leftOpen(SCALE_EVENT_LOOKBACK)}: the same on Prometheus 2 and 3).`,
    `# replicas is the new count, the value the count before.`,
    `last_over_time(${series}[${leftOpen(SCALE_EVENT_LOOKBACK)}])`,
  ].join("\n");

export const scaledUp: AlertDefinition = {
  name: "AIWorkloadScaledUp",
  condition: () => recentSteps(SERIES.scaleUp, "Steps up"),
  description: (_ctx, d) =>
    `{{ $labels.workload }} scaled up from ${d.value} to {{ $labels.replicas }} replicas (${d.minMax}). ${d.metrics}`,
};

export const scaledDown: AlertDefinition = {
  name: "AIWorkloadScaledDown",
  condition: () => recentSteps(SERIES.scaleDown, "Steps down"),
  description: (_ctx, d) =>
    `{{ $labels.workload }} scaled down from ${d.value} to {{ $labels.replicas }} replicas (${d.minMax}). ${d.metrics}`,
};

/**
 * Reversals of the scaling direction in the window: oscillation, not a long scale-out or scale-in
 * in steps, and not sleeping and waking.
 */
export const scalingFlapping: AlertDefinition = {
  name: "AIWorkloadScalingFlapping",
  condition: (_ctx, p) =>
    [
      `# Reversals of the scaling direction (up then down, or down then up) in the window`,
      `# (${p.window} and 1ms: with its first sample, on Prometheus 2 and 3 alike).`,
      `changes(${SERIES.scaleDirection}[${closedRange(p.window)}]) >= ${p.threshold}`,
    ].join("\n"),
  description: (_ctx, d, p) =>
    `{{ $labels.workload }} reversed its scaling direction ${d.value} times in ${p.window} (alert at ${d.threshold}): scaling is oscillating.`,
};
