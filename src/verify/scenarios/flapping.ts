/**
 * AIWorkloadScalingFlapping counts changes of desired replicas (3 <-> 4) over its window. Both its
 * threshold (N changes) and its window (W) are tested:
 * - firing: N changes whose first lies exactly W back when the last happens (the first change's
 *   earlier sample is the window's first sample), then one change per sample for good. The count
 *   reaches N exactly then: a shorter window or a higher threshold fires later, a lower threshold
 *   earlier;
 * - quiet: N changes spread one sample wider than W, then none: no window ever holds N, but a
 *   longer window or a lower threshold would.
 * Samples come every 30s, or faster when N changes do not fit in W at 30s.
 */
import { isActive, type ResolvedWorkload } from "../../config/resolve.js";
import type { Firing, Part } from "./entry.js";
import { Inputs, MIN_REPLICAS, seconds, shortestWindow, thresholdOf, type Env } from "./inputs.js";
import { evalAtOrAfter, type Timeline } from "./timeline.js";

const ALERT = "AIWorkloadScalingFlapping";
/** Changes start after this (seconds). */
const FLAP_FROM = 60;

interface Setting {
  /** Changes that reach the threshold. */
  readonly changes: number;
  /** The window, seconds. */
  readonly window: number;
  /** The longest sample interval that fits the changes in the window. */
  readonly interval: number;
}

/** The threshold and window the input is built for (see thresholdOf for inactive alerts). */
export function flappingSetting(env: Env, w: ResolvedWorkload): Setting {
  const e = w.alerts[ALERT];
  const changes = Math.max(1, Math.ceil(thresholdOf(env, w, ALERT, "up") - 1e-9));
  const window = seconds((isActive(e) ? e.window : shortestWindow(env, ALERT)) ?? "30m");
  const fits = (i: number) => (changes + 2) * i <= window;
  const intervals = [30, 15, 10, 6, 5, 3, 2, 1];
  const interval = intervals.find((i) => fits(i) && window % i === 0) ?? intervals.find(fits) ?? 1;
  return { changes, window, interval };
}

/** Desired replicas that change at the given times, then (if `rapidAfter`) at every sample. */
function desiredFn(changesAt: readonly number[], interval: number, rapidAfter?: number) {
  return (t: number) => {
    let k = changesAt.filter((c) => c <= t + 1e-9).length;
    if (rapidAfter !== undefined && t > rapidAfter) k += Math.floor((t - rapidAfter) / interval + 1e-9);
    return k % 2 === 1 ? 4 : 3;
  };
}

/**
 * Times of N changes whose last is at `last` and whose first's earlier sample is `span` before it;
 * the others follow each other at every sample just before the last.
 */
function changeTimes(n: number, last: number, span: number, interval: number): number[] {
  const first = last - span + interval;
  return Array.from({ length: n }, (_, k) => (k === 0 ? first : last - (n - 1 - k) * interval));
}

/** The firing case, on a timeline shared with other scenarios. */
export function flappingFiring(env: Env, w: ResolvedWorkload, io: Inputs): Firing {
  const { changes, window } = flappingSetting(env, w);
  const interval = io.tl.interval;
  const last = evalAtOrAfter(FLAP_FROM + window);
  const desired = io.desired(desiredFn(changeTimes(changes, last, window, interval), interval, last));
  return { alert: ALERT, start: last, value: (t) => io.tl.changes(desired, t, window) };
}

/** The quiet case (only for workloads with the alert on). */
export function flappingQuietPart(env: Env, w: ResolvedWorkload, tl: Timeline): Part | undefined {
  if (!isActive(w.alerts[ALERT])) return undefined;
  const { changes, window } = flappingSetting(env, w);
  const last = evalAtOrAfter(FLAP_FROM + window);
  const io = new Inputs(env, w, tl);
  io.info();
  io.bounds(MIN_REPLICAS, 6);
  io.desired(desiredFn(changeTimes(changes, last, window + tl.interval, tl.interval), tl.interval));
  return { io, firing: [], quiet: [{ alert: ALERT, start: last }] };
}
