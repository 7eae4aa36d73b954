/**
 * Above the minimum, below the maximum, and restless: AIWorkloadGpuUnderutilized (GPU just above
 * the threshold until 1m, exactly at it from then on; the comparison is inclusive),
 * AIWorkloadScalingFlapping (see flapping.ts), and CPU just below the
 * AIWorkloadHighCpuUtilization threshold for good. Also the scenario where flapping stays one
 * reversal short.
 */
import { isActive, type ResolvedWorkload } from "../../config/resolve.js";
import { formatNumber } from "../../promql/text.js";
import { CPU_START, cpuPercentBelow } from "./cpu.js";
import type { Firing, Part, Quiet, Scenario } from "./entry.js";
import { flappingFiring, flappingQuietPart } from "./flapping.js";
import { Inputs, MIN_REPLICAS, thresholdOf, type Env } from "./inputs.js";
import { EVAL_INTERVAL, Timeline } from "./timeline.js";

const IDLE_FROM = 60;
/** Just above a `<=` threshold, in percentage points. */
const ABOVE = 0.01;

export function idleScenario(env: Env, workloads: readonly ResolvedWorkload[]): Scenario {
  // Flapping is about changes between evaluations: one sample per evaluation.
  const tl = new Timeline(EVAL_INTERVAL);
  return {
    name: "above min and below max: GPUs idle, flapping, CPU just below its threshold",
    tl,
    parts: workloads.map((w) => idlePart(env, w, tl)),
  };
}

function idlePart(env: Env, w: ResolvedWorkload, tl: Timeline): Part {
  const io = new Inputs(env, w, tl);
  io.info();
  io.bounds(MIN_REPLICAS, 6);
  io.current(4);
  const firing: Firing[] = [];
  const quiet: Quiet[] = [];

  const at = Number(formatNumber(thresholdOf(env, w, "AIWorkloadGpuUnderutilized", "down")));
  const gpu = io.gpu((t) => (t < IDLE_FROM ? at + ABOVE : at));
  firing.push({ alert: "AIWorkloadGpuUnderutilized", start: IDLE_FROM, value: (t) => tl.at(gpu, t) ?? NaN });

  const flapping = flappingFiring(env, w, io);
  if (flapping) firing.push(flapping);

  const cpu = w.alerts.AIWorkloadHighCpuUtilization;
  if (isActive(cpu) && cpu.threshold !== undefined) {
    io.cpu(cpuPercentBelow(cpu.threshold));
    quiet.push({ alert: "AIWorkloadHighCpuUtilization", start: CPU_START });
  }
  return { io, firing, quiet };
}

/** Flapping one reversal short of the threshold (the reversals one evaluation too spread out for the window). */
export function flappingQuietScenario(env: Env, workloads: readonly ResolvedWorkload[]): Scenario {
  const tl = new Timeline(EVAL_INTERVAL);
  return {
    name: "flapping: N reversals spread one evaluation wider than the window",
    tl,
    parts: workloads.map((w) => flappingQuietPart(env, w, tl)).filter((p): p is Part => p !== undefined),
  };
}
