/**
 * AIWorkloadScalingFlapping counts reversals of the scaling direction over its window: the
 * direction of each change of desired replicas between two evaluations, recorded only when the
 * count changed (see `scaleDirectionRules` in src/rules/settings.ts). Desired replicas toggle
 * between 3 and 4 here, so every change reverses the direction. Both the threshold (N reversals)
 * and the window (W) are tested:
 * - firing: N + 1 changes, the first exactly W before the last (so it is the window's first
 *   sample), the others at every evaluation just before the last, then a change at every
 *   evaluation for good. The count reaches N exactly then: a shorter window or a higher threshold
 *   fires later, a lower threshold earlier;
 * - quiet: the same changes spread one evaluation wider than W, then none: no window ever holds N
 *   reversals, but a longer window or a lower threshold would.
 * Directions change at evaluations, 30s apart: N reversals need N + 1 evaluations within W. A
 * threshold above W / 30s can never be reached at that evaluation interval, and then neither case
 * is built.
 */
import { isActive, type ResolvedWorkload } from "../../config/resolve.js";
import type { Firing, Part } from "./entry.js";
import { Inputs, MIN_REPLICAS, seconds, shortestWindow, thresholdOf, type Env } from "./inputs.js";
import { EVAL_INTERVAL, evalAtOrAfter, type Series, type Timeline } from "./timeline.js";

const ALERT = "AIWorkloadScalingFlapping";
/** Changes start after this (seconds). */
const FLAP_FROM = 60;

interface Setting {
  /** Reversals that reach the threshold. */
  readonly reversals: number;
  /** The window, seconds. */
  readonly window: number;
  /** Whether N + 1 changes at evaluations fit in the window (else the alert cannot fire). */
  readonly fits: boolean;
}

/** The threshold and window the input is built for (see thresholdOf for inactive alerts). */
export function flappingSetting(env: Env, w: ResolvedWorkload): Setting {
  const e = w.alerts[ALERT];
  const reversals = Math.max(1, Math.ceil(thresholdOf(env, w, ALERT, "up") - 1e-9));
  const window = seconds((isActive(e) ? e.window : shortestWindow(env, ALERT)) ?? "30m");
  return { reversals, window, fits: (reversals - 1) * EVAL_INTERVAL < window };
}

/** Desired replicas that change at the given times, then (if `rapidAfter`) at every evaluation. */
function desiredFn(changesAt: readonly number[], rapidAfter?: number) {
  return (t: number) => {
    let k = changesAt.filter((c) => c <= t + 1e-9).length;
    if (rapidAfter !== undefined && t > rapidAfter) k += Math.floor((t - rapidAfter) / EVAL_INTERVAL + 1e-9);
    return k % 2 === 1 ? 4 : 3;
  };
}

/**
 * Times of N + 1 changes whose last is at `last` and whose first is `span` before it; the others
 * follow each other at every evaluation just before the last.
 */
function changeTimes(reversals: number, last: number, span: number): number[] {
  return Array.from({ length: reversals + 1 }, (_, k) =>
    k === 0 ? last - span : last - (reversals - k) * EVAL_INTERVAL,
  );
}

/**
 * `changes(workload_hpa:scale_direction:sgn[window])` at t: the direction of each change of
 * desired replicas between consecutive evaluations (both counts non-zero), and how often it
 * reverses within [t - window, t].
 */
export function reversalsAt(tl: Timeline, desired: Series, t: number, window: number): number {
  const directions: number[] = [];
  const first = Math.max(EVAL_INTERVAL, Math.ceil((t - window) / EVAL_INTERVAL - 1e-9) * EVAL_INTERVAL);
  for (let e = first; e <= t + 1e-9; e += EVAL_INTERVAL) {
    const now = tl.at(desired, e);
    const before = tl.at(desired, e - EVAL_INTERVAL);
    if (now === undefined || before === undefined || now <= 0 || before <= 0 || now === before) continue;
    directions.push(Math.sign(now - before));
  }
  return directions.filter((d, i) => i > 0 && d !== directions[i - 1]).length;
}

/** The firing case, on a timeline shared with other scenarios; undefined when it cannot fire. */
export function flappingFiring(env: Env, w: ResolvedWorkload, io: Inputs): Firing | undefined {
  const { reversals, window, fits } = flappingSetting(env, w);
  if (!fits) return undefined;
  const last = evalAtOrAfter(FLAP_FROM + window);
  const desired = io.desired(desiredFn(changeTimes(reversals, last, window), last));
  return { alert: ALERT, start: last, value: (t) => reversalsAt(io.tl, desired, t, window) };
}

/** The quiet case (only for workloads with the alert on, and a threshold it can reach). */
export function flappingQuietPart(env: Env, w: ResolvedWorkload, tl: Timeline): Part | undefined {
  if (!isActive(w.alerts[ALERT])) return undefined;
  const { reversals, window, fits } = flappingSetting(env, w);
  if (!fits) return undefined;
  const last = evalAtOrAfter(FLAP_FROM + window);
  const io = new Inputs(env, w, tl);
  io.info();
  io.bounds(MIN_REPLICAS, 6);
  io.desired(desiredFn(changeTimes(reversals, last, window + EVAL_INTERVAL)));
  return { io, firing: [], quiet: [{ alert: ALERT, start: last }] };
}
