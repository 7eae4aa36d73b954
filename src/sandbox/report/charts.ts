/**
 * The Chart.js configurations of the report, built from a timeline as plain JSON (the page's script
 * adds only the tick and tooltip formatters, which are functions). Per workload: a replicas chart
 * (desired/current/available as step lines, min/max lines, alert bands, notification marks in a
 * strip above, scenario steps) and, when the workload has GPU or queue series, a signals chart.
 */
import type { ChartConfiguration, ChartDataset } from "chart.js";
import type { Samples, SandboxTimeline, TimelineWorkload } from "../timeline.js";
import {
  MARK_LANES,
  STEP_LANES,
  bands,
  headRoom,
  horizontal,
  marks,
  steps,
  type Annotations,
} from "./annotations.js";
import { INK, SERIES } from "./palette.js";
import { eventsOf, type WorkloadEvents } from "./placement.js";

/** A point of a line dataset. */
export interface XY {
  readonly x: number;
  readonly y: number;
}

/** One chart of the page. */
export interface ChartSpec {
  /** The canvas element's DOM id (`chart-0-replicas`). */
  readonly canvasId: string;
  /** The canvas's `data-testid`: `chart-<namespace>-<workload>` or `…-signals`. */
  readonly testId: string;
  /** `namespace/name` of the workload. */
  readonly workload: string;
  readonly kind: "replicas" | "signals";
  /** A sentence describing the chart for screen readers. */
  readonly description: string;
  /** Ticks of the `y` scale above this value are not labelled (the head room above max). */
  readonly yTicksUpTo?: number;
  readonly config: ChartConfiguration<"line", XY[]>;
}

function points(samples: Samples): XY[] {
  return samples.map(([x, y]) => ({ x, y }));
}

function line(
  label: string,
  samples: Samples,
  style: (typeof SERIES)[keyof typeof SERIES],
  extra: Partial<ChartDataset<"line", XY[]>> = {},
): ChartDataset<"line", XY[]> {
  return {
    label,
    data: points(samples),
    borderColor: style.color,
    backgroundColor: style.color,
    borderDash: [...style.dash],
    borderWidth: style.width,
    pointRadius: 0,
    pointHitRadius: 6,
    fill: false,
    ...extra,
  };
}

/** A tick step that gives 6 to 12 ticks over `duration` scenario seconds. */
export function tickStep(duration: number): number {
  const steps = [5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600];
  return steps.find((s) => duration / s <= 12) ?? Math.ceil(duration / 12 / 3600) * 3600;
}

function xScale(duration: number) {
  return {
    type: "linear" as const,
    min: 0,
    max: duration,
    ticks: { stepSize: tickStep(duration) },
    title: { display: true, text: "scenario time (m:ss)" },
  };
}

/** A strip of `lanes` rows stacked with the replicas scale (notifications above, steps below). */
function strip(title: string, lanes: number, used: number) {
  return {
    type: "linear",
    position: "left",
    min: 0,
    max: lanes,
    stack: "left",
    stackWeight: used === 0 ? 0.15 : 0.33 * used + 0.1,
    offset: false,
    grid: { display: false },
    border: { display: false },
    ticks: { display: false },
    title: { display: used > 0, text: title, font: { size: 11 } },
  };
}

function options(timeline: SandboxTimeline, scales: Record<string, unknown>, annotations: Annotations) {
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: false as const,
    parsing: false as const,
    normalized: true,
    interaction: { mode: "nearest" as const, axis: "x" as const, intersect: false },
    scales: { x: xScale(timeline.durationSeconds), ...scales },
    plugins: {
      legend: { position: "top" as const, labels: { usePointStyle: false, boxWidth: 28, boxHeight: 2 } },
      annotation: { clip: false, annotations },
    },
  } as ChartConfiguration<"line", XY[]>["options"];
}

function replicasChart(
  timeline: SandboxTimeline,
  w: TimelineWorkload,
  i: number,
  ev: WorkloadEvents,
): ChartSpec {
  const stepped = { stepped: "before" as const, yAxisID: "y" };
  const datasets = [
    line("desired", w.series.desired, SERIES.desired, stepped),
    line("current", w.series.current, SERIES.current, stepped),
    line("available", w.series.available, SERIES.available, stepped),
  ];
  const stepLines = steps(timeline, ev, true);
  const notified = marks(timeline, ev);
  const annotations: Annotations = {
    ...bands(ev, timeline.durationSeconds, "y", true),
    ...horizontal("line-min", "y", w.minReplicas, `min ${w.minReplicas}`, INK.limit, "end"),
    ...horizontal("line-max", "y", w.maxReplicas, `max ${w.maxReplicas}`, INK.limit, "end"),
    ...stepLines.annotations,
    ...notified.annotations,
  };
  const firingRows = ev.alerts.filter((a) => a.item.firingAt !== undefined).length;
  const stepLanes = stepLines.lanes;
  const markLanes = notified.lanes;
  // Stacked scales are laid out bottom-up in this order: steps, replicas, notifications.
  const scales = {
    steps: { ...strip("steps", STEP_LANES, stepLanes), min: STEP_LANES - Math.max(1, stepLanes) },
    y: {
      type: "linear",
      position: "left",
      min: 0,
      max: w.maxReplicas + headRoom(w.maxReplicas, firingRows),
      stack: "left",
      stackWeight: 4,
      ticks: { precision: 0 },
      title: { display: true, text: "replicas" },
    },
    marks: { ...strip("notified", MARK_LANES, markLanes), min: MARK_LANES - Math.max(1, markLanes) },
  };
  const workload = `${w.namespace}/${w.name}`;
  return {
    canvasId: `chart-${i}-replicas`,
    testId: `chart-${w.namespace}-${w.name}`,
    workload,
    kind: "replicas",
    yTicksUpTo: w.maxReplicas,
    description:
      `Replicas of ${workload} (desired, current, available; min ${w.minReplicas}, max ${w.maxReplicas}) ` +
      `with ${ev.alerts.length} alert(s), ${ev.notifications.length} notification(s) and ${ev.steps.length} step(s).`,
    config: { type: "line", data: { datasets }, options: options(timeline, scales, annotations) },
  };
}

function signalsChart(
  timeline: SandboxTimeline,
  w: TimelineWorkload,
  i: number,
  ev: WorkloadEvents,
): ChartSpec | undefined {
  const { gpuUtilization: gpu, queuePerReplica: queue } = w.series;
  if (gpu === undefined && queue === undefined) return undefined;
  const datasets: ChartDataset<"line", XY[]>[] = [];
  const scales: Record<string, unknown> = {};
  let annotations: Annotations = {};
  const bandScale = gpu !== undefined ? "gpu" : "queue";
  if (gpu !== undefined) {
    datasets.push(line("GPU utilisation %", gpu, SERIES.gpuUtilization, { yAxisID: "gpu" }));
    scales.gpu = {
      type: "linear",
      position: "left",
      min: 0,
      max: 100,
      title: { display: true, text: "GPU utilisation %" },
    };
    const target = w.targets.gpuUtilization;
    if (target !== undefined)
      annotations = {
        ...annotations,
        ...horizontal(
          "line-target-gpu",
          "gpu",
          target,
          `GPU target ${target}%`,
          SERIES.gpuUtilization.color,
          "start",
        ),
      };
  }
  if (queue !== undefined) {
    datasets.push(line("queue per replica", queue, SERIES.queuePerReplica, { yAxisID: "queue" }));
    const top = Math.max(...queue.map(([, v]) => v), w.targets.queuePerReplica ?? 0);
    scales.queue = {
      type: "linear",
      position: gpu !== undefined ? "right" : "left",
      min: 0,
      suggestedMax: Math.ceil(top * 1.1),
      grid: { drawOnChartArea: gpu === undefined },
      title: { display: true, text: "queue per replica" },
    };
    const target = w.targets.queuePerReplica;
    if (target !== undefined)
      annotations = {
        ...annotations,
        ...horizontal(
          "line-target-queue",
          "queue",
          target,
          `queue target ${target}/replica`,
          SERIES.queuePerReplica.color,
          "end",
        ),
      };
  }
  annotations = {
    ...bands(ev, timeline.durationSeconds, bandScale, false),
    ...annotations,
    ...steps(timeline, ev, false).annotations,
  };
  const workload = `${w.namespace}/${w.name}`;
  return {
    canvasId: `chart-${i}-signals`,
    testId: `chart-${w.namespace}-${w.name}-signals`,
    workload,
    kind: "signals",
    description: `Scaling signals of ${workload}: ${datasets.map((d) => d.label).join(", ")} against their targets.`,
    config: { type: "line", data: { datasets }, options: options(timeline, scales, annotations) },
  };
}

/** Every chart of the report, in page order (per workload: replicas, then signals if any). */
export function chartSpecs(timeline: SandboxTimeline): ChartSpec[] {
  return timeline.workloads.flatMap((w, i) => {
    const ev = eventsOf(timeline, w);
    const signals = signalsChart(timeline, w, i, ev);
    return signals === undefined
      ? [replicasChart(timeline, w, i, ev)]
      : [replicasChart(timeline, w, i, ev), signals];
  });
}
