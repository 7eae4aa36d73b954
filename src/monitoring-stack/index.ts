/**
 * The optional monitoring stack, as pure data: pinned Helm charts and the values under which the
 * generated objects are picked up (kube-prometheus-stack), GPU series are scraped (dcgm-exporter)
 * and the HPAs' custom metrics are served (prometheus-adapter). No Pulumi, no I/O: the Pulumi
 * component installs these, and they work as `helm install -f` values just the same.
 *
 * @packageDocumentation
 */
export {
  DCGM_EXPORTER_CHART,
  KUBE_PROMETHEUS_STACK_CHART,
  PROMETHEUS_ADAPTER_CHART,
  PROMETHEUS_COMMUNITY_REPO,
  type HelmChartRef,
} from "./charts.js";
export {
  MANAGED_BY_LABELS,
  dcgmExporterValues,
  deepMerge,
  kubePrometheusStackValues,
  type DcgmExporterValuesOptions,
  type HelmValues,
  type KubePrometheusStackValuesOptions,
} from "./values.js";
export {
  prometheusAdapterRules,
  prometheusAdapterValues,
  type AdapterRule,
  type PrometheusAdapterValuesOptions,
} from "./adapter-rules.js";
