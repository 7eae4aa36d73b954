/**
 * Named presets for the metrics AI inference servers and GPUs expose, so a user writes
 * `preset: vllm-kv-cache` instead of remembering series names that change between releases. Each
 * preset says how to read the value for one workload's pods, which gives, from one definition, the
 * HPA metric (through prometheus-adapter), the KEDA Prometheus trigger, the prometheus-adapter rule
 * and the source of the queue/GPU alerts. Pure data; no I/O.
 */

/** What a preset measures, which decides how per-pod values combine. */
export type PresetKind = "queue" | "gpu" | "load" | "latency";

/** One metric preset. */
export interface MetricPreset {
  readonly id: PresetId;
  readonly kind: PresetKind;
  /** The Prometheus series read (the counter for rate-based presets). */
  readonly series: string;
  /**
   * The value per pod, given the matchers that select the workload's pods (comma-separated, without
   * braces) and the labels naming a pod (`namespace, pod` or their exported_ names). For gauges this
   * is the series itself; rate-based presets divide two counters.
   */
  readonly perPod: (matchers: string, podLabels: string) => string;
  /** Custom-metrics API name, when the value is not the series itself (rate-based presets). */
  readonly customMetricName?: string;
  /** Unit of the value, for docs and descriptions. */
  readonly unit: string;
  /** What the series is, and where it comes from. */
  readonly description: string;
}

export const PRESET_IDS = [
  "vllm-queue",
  "vllm-kv-cache",
  "triton-queue",
  "triton-queue-time",
  "tgi-queue",
  "sglang-queue",
  "dcgm-gpu-utilization",
] as const;
export type PresetId = (typeof PRESET_IDS)[number];

const gauge = (series: string) => (m: string) => `${series}{${m}}`;

/** The presets, keyed by id. */
export const METRIC_PRESETS: Readonly<Record<PresetId, MetricPreset>> = {
  "vllm-queue": {
    id: "vllm-queue",
    kind: "queue",
    series: "vllm:num_requests_waiting",
    perPod: gauge("vllm:num_requests_waiting"),
    unit: "requests waiting",
    description: "vLLM requests waiting to be scheduled (gauge, per engine).",
  },
  "vllm-kv-cache": {
    id: "vllm-kv-cache",
    kind: "load",
    series: "vllm:kv_cache_usage_perc",
    perPod: gauge("vllm:kv_cache_usage_perc"),
    unit: "fraction of KV cache used (0-1)",
    description:
      "vLLM KV-cache usage, 0-1. Replaces vllm:gpu_cache_usage_perc, which vLLM removed (PR #29330).",
  },
  "triton-queue": {
    id: "triton-queue",
    kind: "queue",
    series: "nv_inference_pending_request_count",
    perPod: gauge("nv_inference_pending_request_count"),
    unit: "requests pending",
    description: "Triton requests received but not yet executing (gauge, per model; newer releases).",
  },
  "triton-queue-time": {
    id: "triton-queue-time",
    kind: "latency",
    series: "nv_inference_queue_duration_us",
    customMetricName: "nv_inference_queue_time_per_request_us",
    perPod: (m, by) =>
      `(sum by (${by}) (rate(nv_inference_queue_duration_us{${m}}[1m])) / sum by (${by}) (rate(nv_inference_request_success{${m}}[1m])))`,
    unit: "microseconds of queue time per request",
    description:
      "Triton mean queue time per request over 1m: rate(nv_inference_queue_duration_us) / rate(nv_inference_request_success).",
  },
  "tgi-queue": {
    id: "tgi-queue",
    kind: "queue",
    series: "tgi_queue_size",
    perPod: gauge("tgi_queue_size"),
    unit: "requests queued",
    description: "Text Generation Inference queue size (gauge). TGI is archived upstream since 2026-03.",
  },
  "sglang-queue": {
    id: "sglang-queue",
    kind: "queue",
    series: "sglang:num_queue_reqs",
    perPod: gauge("sglang:num_queue_reqs"),
    unit: "requests queued",
    description: "SGLang requests in the waiting queue (gauge).",
  },
  "dcgm-gpu-utilization": {
    id: "dcgm-gpu-utilization",
    kind: "gpu",
    series: "DCGM_FI_DEV_GPU_UTIL",
    perPod: gauge("DCGM_FI_DEV_GPU_UTIL"),
    unit: "% GPU utilisation",
    description: "NVIDIA DCGM exporter GPU utilisation, 0-100 per GPU.",
  },
};

/** The queue preset of each inference server (`type: queue, server: ...`). */
export const QUEUE_PRESET_OF_SERVER = {
  vllm: "vllm-queue",
  triton: "triton-queue",
  tgi: "tgi-queue",
  sglang: "sglang-queue",
} as const satisfies Record<string, PresetId>;

/**
 * Series that servers renamed or removed, with what replaced them. Naming one is a config error:
 * an HPA or alert on a series that no longer exists is silently blind.
 */
export const REMOVED_SERIES: Readonly<Record<string, string>> = {
  "vllm:gpu_cache_usage_perc":
    "removed in vLLM (deprecated in #18354, removed in #29330): use vllm:kv_cache_usage_perc (preset vllm-kv-cache)",
  "vllm:cpu_cache_usage_perc": "hidden since vLLM V1 (#15458): there is no replacement",
  "vllm:num_requests_swapped": "hidden since vLLM V1 (#15458): there is no replacement",
  "vllm:time_per_output_token_seconds":
    "deprecated in vLLM (#24110) and hidden (#29330): use vllm:inter_token_latency_seconds",
  "vllm:time_in_queue_requests": "hidden since vLLM V1 (#15458): use vllm:request_queue_time_seconds",
  keda_scaler_errors: "renamed in KEDA 2.14 and removed in 2.17: use keda_scaler_detail_errors_total",
  keda_scaled_object_errors: "renamed in KEDA 2.14 and removed in 2.17: use keda_scaled_object_errors_total",
};

/**
 * The custom-metrics API name of a preset (what an HPA `Pods` metric names and what the generated
 * prometheus-adapter rule exposes): its own name for computed values, else the series with ':'
 * replaced by '_'.
 */
export function presetHpaMetricName(id: PresetId): string {
  const p = METRIC_PRESETS[id];
  return p.customMetricName ?? p.series.replaceAll(":", "_");
}
