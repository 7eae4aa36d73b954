/**
 * The Helm charts the optional monitoring stack installs, pinned. Bumping a version here is a
 * deliberate change: the values in `values.ts` and `adapter-rules.ts` were written against these.
 */

/** A Helm chart at a pinned version, and the repository that serves it. */
export interface HelmChartRef {
  /** Chart name inside the repository. */
  readonly chart: string;
  /** Exact chart version. */
  readonly version: string;
  /** URL of the Helm repository (`helm repo add <name> <repo>`). */
  readonly repo: string;
}

/** Helm repository of the prometheus-community charts. */
export const PROMETHEUS_COMMUNITY_REPO = "https://prometheus-community.github.io/helm-charts";

/**
 * kube-prometheus-stack: Prometheus Operator, Prometheus, Alertmanager, kube-state-metrics. 88.5.3
 * bundles operator v0.93.1, Prometheus v3.14.0, Alertmanager v0.34.0 and kube-state-metrics 2.20.0.
 */
export const KUBE_PROMETHEUS_STACK_CHART: HelmChartRef = {
  chart: "kube-prometheus-stack",
  version: "88.5.3",
  repo: PROMETHEUS_COMMUNITY_REPO,
};

/** prometheus-adapter (app v0.12.0): serves Prometheus series on the custom metrics API for the HPAs. */
export const PROMETHEUS_ADAPTER_CHART: HelmChartRef = {
  chart: "prometheus-adapter",
  version: "5.3.0",
  repo: PROMETHEUS_COMMUNITY_REPO,
};

/** NVIDIA dcgm-exporter (image 4.6.0-4.8.3): per-GPU utilisation series (`DCGM_FI_DEV_GPU_UTIL`). */
export const DCGM_EXPORTER_CHART: HelmChartRef = {
  chart: "dcgm-exporter",
  version: "4.8.3",
  repo: "https://nvidia.github.io/dcgm-exporter/helm-charts",
};
