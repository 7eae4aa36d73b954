/**
 * Scale events: desired replicas 3 -> 4 at 1m (AIWorkloadScaledUp, `replicas="4"`) and 4 -> 3 at
 * 2m30s (AIWorkloadScaledDown, `replicas="3"`); the scale target scaled to zero at 1m30s
 * (AIWorkloadScaledToZero), woken at 3m (AIWorkloadColdStart) with no replica ever becoming
 * available (AIWorkloadColdStartSlow once its budget is over).
 */
import { REPLICAS_LABEL, SCALE_EVENT_LOOKBACK } from "../../catalog/catalog.js";
import type { ResolvedWorkload } from "../../config/resolve.js";
import type { Part, Scenario } from "./entry.js";
import { Inputs, MIN_REPLICAS, seconds, type Env } from "./inputs.js";
import { EVAL_INTERVAL, Timeline } from "./timeline.js";

export const EVENT_STARTS = {
  AIWorkloadScaledUp: 60,
  AIWorkloadScaledToZero: 90,
  AIWorkloadScaledDown: 150,
  AIWorkloadColdStart: 180,
} as const;

export function eventsScenario(env: Env, workloads: readonly ResolvedWorkload[]): Scenario {
  const tl = new Timeline(EVAL_INTERVAL);
  return { name: "scale events", tl, parts: workloads.map((w) => eventsPart(env, w, tl)) };
}

function eventsPart(env: Env, w: ResolvedWorkload, tl: Timeline): Part {
  const io = new Inputs(env, w, tl);
  const T = EVENT_STARTS;
  io.info();
  io.bounds(MIN_REPLICAS, 6);
  const desired = io.desired((t) => (t < T.AIWorkloadScaledUp ? 3 : t < T.AIWorkloadScaledDown ? 4 : 3));
  const spec = io.targetSpec((t) => (t < T.AIWorkloadScaledToZero ? 2 : t < T.AIWorkloadColdStart ? 0 : 1));
  io.targetAvailable((t) => (t < T.AIWorkloadScaledToZero ? 2 : 0));
  const lookback = seconds(SCALE_EVENT_LOOKBACK);
  // A change is visible for one lookback: the condition holds from the step until then.
  const event = (start: number) => ({ start, until: start + lookback });
  /**
   * A step to the count desired has at `start`: that count is its label, the count at the
   * evaluation before (the one the facts group recorded last) its value.
   */
  const step = (start: number) => {
    const count = tl.at(desired, start) ?? NaN;
    const before = tl.at(desired, start - EVAL_INTERVAL) ?? NaN;
    return { ...event(start), value: () => before, labels: { [REPLICAS_LABEL]: String(count) } };
  };
  return {
    io,
    firing: [
      { alert: "AIWorkloadScaledUp", ...step(T.AIWorkloadScaledUp) },
      { alert: "AIWorkloadScaledDown", ...step(T.AIWorkloadScaledDown) },
      {
        alert: "AIWorkloadScaledToZero",
        ...event(T.AIWorkloadScaledToZero),
        value: (t) => tl.at(spec, t - lookback) ?? NaN,
      },
      { alert: "AIWorkloadColdStart", ...event(T.AIWorkloadColdStart), value: (t) => tl.at(spec, t) ?? NaN },
      {
        alert: "AIWorkloadColdStartSlow",
        start: T.AIWorkloadColdStart,
        windowed: true,
        value: (t) => tl.minOverTime(spec, t, seconds(w.alerts.AIWorkloadColdStartSlow.for)) ?? NaN,
      },
    ],
  };
}
