/**
 * prometheus-adapter rules that serve, on the custom metrics API, exactly the Pods metrics the
 * generated HPAs read for `gpu` and `queue` autoscaling metrics. Derived from the generated HPAs,
 * never from a fixed list, so a renamed series or an `hpaMetricName` override follows through.
 */
import { hpaMetricNameFor } from "../autoscaling/hpa.js";
import type { GeneratedObjects } from "../build.js";
import { QUEUE_METRICS } from "../config/resolve.js";
import type { AutoscalingMetric } from "../config/schema.js";
import { METRIC_PRESETS } from "../presets/ai-metrics.js";
import type { HelmValues } from "./values.js";

/** One entry of the adapter's `rules.custom` (see the adapter's docs/config.md). */
export interface AdapterRule {
  /** Series to discover, e.g. `DCGM_FI_DEV_GPU_UTIL{exported_namespace!="",exported_pod!=""}`. */
  seriesQuery: string;
  /** Which series labels name the Kubernetes namespace and pod. */
  resources: { overrides: Record<string, { resource: "namespace" | "pod" }> };
  /** Renames the series to the metric name the HPA asks for. */
  name: { matches: string; as: string };
  /** Per-pod value: GPU utilisation averaged over a pod's GPUs, queue depth summed over its engines. */
  metricsQuery: string;
}

interface SeriesSource {
  series: string;
  podLabel: string;
  namespaceLabel: string;
  selector: string;
  aggregation: "avg" | "sum";
  /** The per-pod value of a preset, given the adapter's matchers and group-by placeholders. */
  perPod?: (matchers: string, by: string) => string;
}

function rule(as: string, s: SeriesSource): AdapterRule {
  const extra = s.selector.trim() === "" ? "" : `,${s.selector.trim()}`;
  return {
    seriesQuery: `${s.series}{${s.namespaceLabel}!="",${s.podLabel}!=""${extra}}`,
    resources: {
      overrides: {
        [s.namespaceLabel]: { resource: "namespace" },
        [s.podLabel]: { resource: "pod" },
      },
    },
    name: { matches: `^${s.series}$`, as },
    metricsQuery: s.perPod
      ? `${s.aggregation} by (<<.GroupBy>>) (${s.perPod(`<<.LabelMatchers>>${extra}`, "<<.GroupBy>>")})`
      : `${s.aggregation} by (<<.GroupBy>>) (${s.series}{<<.LabelMatchers>>${extra}})`,
  };
}

/** Where the value of a gpu, queue or preset metric comes from. */
function seriesSource(
  g: GeneratedObjects,
  metric: Extract<AutoscalingMetric, { type: "gpu" | "queue" | "preset" }>,
): SeriesSource {
  const m = g.resolved.monitoring;
  if (metric.type === "gpu") return { series: m.gpu.metric, ...m.gpu, aggregation: "avg" };
  if (metric.type === "queue") {
    return { series: metric.metric ?? QUEUE_METRICS[metric.server], ...m.queue, aggregation: "sum" };
  }
  const preset = METRIC_PRESETS[metric.preset];
  const labels = preset.kind === "gpu" ? m.gpu : m.queue;
  return {
    series: preset.series,
    ...labels,
    aggregation: preset.kind === "gpu" || preset.kind === "load" ? "avg" : "sum",
    perPod: preset.perPod,
  };
}

/**
 * The adapter rules for the generated HPAs: one per distinct HPA metric name that comes from a
 * `gpu` metric (series `monitoring.gpu.metric`) or a `queue` metric (the server's queue series, or
 * `metric`). Each rule maps the series' namespace and pod labels (`monitoring.gpu` /
 * `monitoring.queue`) to the namespace and pod resources (a `preset` metric: the preset's series
 * and per-pod query, e.g. Triton's queue time per request from two counters) and renames the series to the HPA's
 * metric name ({@link hpaMetricNameFor}). Throws when two different series would be served under
 * one name (give distinct `hpaMetricName`s) or when an HPA lacks the metric it should read.
 */
export function prometheusAdapterRules(g: GeneratedObjects): AdapterRule[] {
  const byName = new Map<string, { rule: AdapterRule; series: string }>();
  for (const hpa of g.horizontalPodAutoscalers) {
    const w = g.resolved.workloads.find(
      (x) => x.namespace === hpa.metadata.namespace && x.hpaName === hpa.metadata.name,
    );
    const served = new Set(hpa.spec.metrics.flatMap((s) => (s.type === "Pods" ? [s.pods.metric.name] : [])));
    for (const metric of w?.autoscaling?.metrics ?? []) {
      if (metric.type !== "gpu" && metric.type !== "queue" && metric.type !== "preset") continue;
      const as = hpaMetricNameFor(metric);
      if (!served.has(as)) {
        throw new Error(`HPA ${hpa.metadata.namespace}/${hpa.metadata.name} does not read Pods metric ${as}`);
      }
      const source = seriesSource(g, metric);
      const prev = byName.get(as);
      if (prev && prev.series !== source.series) {
        throw new Error(
          `custom metric ${as} would be served from both ${prev.series} and ${source.series}: give distinct hpaMetricName values`,
        );
      }
      if (!prev) byName.set(as, { rule: rule(as, source), series: source.series });
    }
  }
  return [...byName.values()].map((x) => x.rule);
}

/** What {@link prometheusAdapterValues} needs besides the generated objects. */
export interface PrometheusAdapterValuesOptions {
  /** Prometheus base URL, e.g. `http://prometheus-operated.monitoring.svc` (the operator's Service). */
  readonly prometheusUrl: string;
  /** Prometheus port (default 9090). */
  readonly prometheusPort?: number;
}

/**
 * prometheus-adapter values: where Prometheus is, and `rules.custom` from
 * `prometheusAdapterRules`. `rules.default` is off so that the custom metrics API serves the
 * HPAs' metrics and nothing else (the chart's defaults re-export every container series).
 */
export function prometheusAdapterValues(
  g: GeneratedObjects,
  opts: PrometheusAdapterValuesOptions,
): HelmValues {
  return {
    prometheus: { url: opts.prometheusUrl, port: opts.prometheusPort ?? 9090, path: "" },
    rules: { default: false, custom: prometheusAdapterRules(g) },
  };
}
