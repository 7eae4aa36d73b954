/**
 * The workload's HPA at its maximum, with one failure after another, each from its own time so
 * that an alert reading the wrong input fires at the wrong time: AIWorkloadAtMaxReplicas,
 * AIWorkloadScalingInactive, AIWorkloadUnableToScale, AIWorkloadScaleUpStalled,
 * AIWorkloadPodsUnschedulable, AIWorkloadGpuSaturated, AIWorkloadQueueBacklog,
 * AIWorkloadHighCpuUtilization and AIWorkloadScalerErrors.
 *
 * Threshold alerts sit just below their threshold before their start and exactly at it (the
 * comparisons are inclusive) from it on: a rule that compares with a lower threshold fires a
 * `for` too early, one with a higher threshold never.
 */
import type { ResolvedWorkload } from "../../config/resolve.js";
import { formatNumber } from "../../promql/text.js";
import type { Firing, Part, Scenario } from "./entry.js";
import { Inputs, longestFor, MIN_REPLICAS, seconds, thresholdOf, type Env } from "./inputs.js";
import { CPU_START, cpuPercentAbove } from "./cpu.js";
import { EVAL_INTERVAL, Timeline } from "./timeline.js";

const STATE_ALERTS = [
  "AIWorkloadAtMaxReplicas",
  "AIWorkloadScalingInactive",
  "AIWorkloadUnableToScale",
  "AIWorkloadScaleUpStalled",
  "AIWorkloadPodsUnschedulable",
  "AIWorkloadGpuSaturated",
  "AIWorkloadQueueBacklog",
  "AIWorkloadScalerErrors",
] as const;
type StateAlert = (typeof STATE_ALERTS)[number] | "AIWorkloadHighCpuUtilization";

/**
 * When each condition starts (seconds), all at different times; the longest `for` first, so that
 * the scenario ends as early as it can. CPU has its own fixed start (see cpu.ts).
 */
function stateStarts(env: Env): Record<StateAlert, number> {
  const slots = [60, 90, 120, 150, 180, 210, 240, 300];
  const order = [...STATE_ALERTS].sort((a, b) => seconds(longestFor(env, b)) - seconds(longestFor(env, a)));
  const starts = Object.fromEntries(order.map((a, i) => [a, slots[i] as number]));
  return { ...starts, AIWorkloadHighCpuUtilization: CPU_START } as Record<StateAlert, number>;
}

/** Replicas at the maximum in this scenario; a power of two, so that queue / replicas is exact. */
const MAX = 4;

/** Just below a `>=` threshold: in percentage points, and as a factor of the queue threshold. */
const BELOW = 0.01;
const QUEUE_BELOW = 0.999;

export function stateScenario(env: Env, workloads: readonly ResolvedWorkload[]): Scenario {
  const tl = new Timeline(EVAL_INTERVAL);
  const T = stateStarts(env);
  return {
    name: "HPA at its maximum, failing one way after another",
    tl,
    parts: workloads.map((w) => statePart(env, w, tl, T)),
  };
}

function statePart(env: Env, w: ResolvedWorkload, tl: Timeline, T: Record<StateAlert, number>): Part {
  const io = new Inputs(env, w, tl);
  const from = (start: number, before: number, after: number) => (t: number) => (t < start ? before : after);
  const firing: Firing[] = [];

  io.info();
  io.bounds(MIN_REPLICAS, MAX);
  const current = io.current(MAX);

  // At max, and the HPA wants more from T.
  io.condition("ScalingLimited", "true", from(T.AIWorkloadAtMaxReplicas, 0, 1));
  firing.push({
    alert: "AIWorkloadAtMaxReplicas",
    start: T.AIWorkloadAtMaxReplicas,
    value: (t) => tl.at(current, t) ?? NaN,
  });

  // Desired 3 -> 4 while 3 stay available: stalled once the window holds only the 4.
  const stallAt = T.AIWorkloadScaleUpStalled;
  const desired = io.desired(from(stallAt, MAX - 1, MAX));

  // The value is the replicas it stays at.
  io.condition("ScalingActive", "false", from(T.AIWorkloadScalingInactive, 0, 1));
  firing.push({
    alert: "AIWorkloadScalingInactive",
    start: T.AIWorkloadScalingInactive,
    value: (t) => tl.at(current, t) ?? NaN,
  });

  // The value is the replicas it wants.
  io.condition("AbleToScale", "false", from(T.AIWorkloadUnableToScale, 0, 1));
  firing.push({
    alert: "AIWorkloadUnableToScale",
    start: T.AIWorkloadUnableToScale,
    value: (t) => tl.at(desired, t) ?? NaN,
  });

  io.targetSpec(from(stallAt, MAX - 1, MAX));
  io.targetAvailable(MAX - 1);
  firing.push({
    alert: "AIWorkloadScaleUpStalled",
    start: stallAt,
    windowed: true,
    value: (t) => tl.minOverTime(desired, t, seconds(w.alerts.AIWorkloadScaleUpStalled.for)) ?? NaN,
  });

  io.unschedulable(from(T.AIWorkloadPodsUnschedulable, 0, 1));
  firing.push({
    alert: "AIWorkloadPodsUnschedulable",
    start: T.AIWorkloadPodsUnschedulable,
    value: () => 1,
    labels: { pod: io.pods[1] },
  });

  const gpuAt = Number(formatNumber(thresholdOf(env, w, "AIWorkloadGpuSaturated", "up")));
  const gpu = io.gpu(from(T.AIWorkloadGpuSaturated, Math.max(0, gpuAt - BELOW), gpuAt));
  firing.push({
    alert: "AIWorkloadGpuSaturated",
    start: T.AIWorkloadGpuSaturated,
    value: (t) => tl.at(gpu, t) ?? NaN,
  });

  // Queue per replica exactly at target x factor (as Prometheus multiplies them), 1% below before.
  const target = Number(formatNumber(w.queue?.targetPerReplica ?? 1));
  const perReplica = target * Number(formatNumber(thresholdOf(env, w, "AIWorkloadQueueBacklog", "up")));
  const queue = io.queue(from(T.AIWorkloadQueueBacklog, perReplica * MAX * QUEUE_BELOW, perReplica * MAX));
  firing.push({
    alert: "AIWorkloadQueueBacklog",
    start: T.AIWorkloadQueueBacklog,
    value: (t) => (tl.at(queue, t) ?? NaN) / (tl.at(current, t) ?? NaN),
  });

  const cpuThreshold = thresholdOf(env, w, "AIWorkloadHighCpuUtilization", "up");
  const usage = io.cpu(cpuPercentAbove(cpuThreshold));
  firing.push({
    alert: "AIWorkloadHighCpuUtilization",
    start: T.AIWorkloadHighCpuUtilization,
    value: (t) => (100 * (tl.rate(usage, t, 300) ?? NaN)) / 1,
  });

  // Failing from T, more often at every scrape (1, 2, 3... errors): the rate depends on its window.
  const kedaAt = T.AIWorkloadScalerErrors;
  const keda = io.kedaErrors((t) => {
    const n = t < kedaAt ? 0 : (t - kedaAt) / EVAL_INTERVAL + 1;
    return (n * (n + 1)) / 2;
  });
  firing.push({
    alert: "AIWorkloadScalerErrors",
    start: kedaAt,
    value: (t) => tl.rate(keda.series, t, seconds(w.alerts.AIWorkloadScalerErrors.window ?? "2m")) ?? NaN,
    labels: keda.labels,
  });

  return { io, firing };
}
