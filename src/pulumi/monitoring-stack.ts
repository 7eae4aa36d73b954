/**
 * The optional monitoring stack as Helm releases: kube-prometheus-stack, and optionally
 * dcgm-exporter and prometheus-adapter, with the values of `src/monitoring-stack/`.
 */
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { GeneratedObjects } from "../build.js";
import {
  DCGM_EXPORTER_CHART,
  KUBE_PROMETHEUS_STACK_CHART,
  PROMETHEUS_ADAPTER_CHART,
  type HelmChartRef,
} from "../monitoring-stack/charts.js";
import {
  dcgmExporterValues,
  deepMerge,
  kubePrometheusStackValues,
  type HelmValues,
} from "../monitoring-stack/values.js";
import { prometheusAdapterValues } from "../monitoring-stack/adapter-rules.js";
import type { MonitoringStackArgs } from "./args.js";

/** Default Helm release name of kube-prometheus-stack. */
export const DEFAULT_RELEASE_NAME = "kube-prometheus-stack";
/** Default namespace of the monitoring stack. */
export const DEFAULT_MONITORING_NAMESPACE = "monitoring";

/** The releases created; `kubePrometheusStack` is what the monitoring.coreos.com objects wait for. */
export interface MonitoringStackResources {
  readonly namespace?: k8s.core.v1.Namespace;
  readonly kubePrometheusStack: k8s.helm.v3.Release;
  readonly dcgmExporter?: k8s.helm.v3.Release;
  readonly prometheusAdapter?: k8s.helm.v3.Release;
}

function release(
  name: string,
  releaseName: string,
  chart: HelmChartRef,
  namespace: string,
  values: HelmValues,
  opts: pulumi.CustomResourceOptions,
): k8s.helm.v3.Release {
  return new k8s.helm.v3.Release(
    name,
    {
      // An explicit name: Pulumi would otherwise add a random suffix, and the `release` label
      // that selects our PrometheusRule and ServiceMonitors is the release's name.
      name: releaseName,
      chart: chart.chart,
      version: chart.version,
      repositoryOpts: { repo: chart.repo },
      namespace,
      values,
    },
    opts,
  );
}

/** The label kube-prometheus-stack selects PrometheusRules (and ServiceMonitors) by. */
export function releaseSelectorLabels(ms: MonitoringStackArgs): Record<string, string> {
  return { release: ms.releaseName ?? DEFAULT_RELEASE_NAME };
}

/**
 * Installs the stack for `g` (the generated objects). `component` prefixes logical names;
 * `opts` carries the parent.
 */
export function installMonitoringStack(
  component: string,
  ms: MonitoringStackArgs,
  g: GeneratedObjects,
  opts: pulumi.CustomResourceOptions,
): MonitoringStackResources {
  const namespaceName = ms.namespace ?? DEFAULT_MONITORING_NAMESPACE;
  const releaseName = ms.releaseName ?? DEFAULT_RELEASE_NAME;
  const namespace =
    ms.createNamespace === false
      ? undefined
      : new k8s.core.v1.Namespace(
          `${component}-monitoring-namespace`,
          { metadata: { name: namespaceName } },
          opts,
        );
  const after = (r: pulumi.Resource | undefined) => ({ ...opts, dependsOn: r ? [r] : [] });

  const kpsValues = kubePrometheusStackValues({
    ruleSelectorLabels: releaseSelectorLabels(ms),
    matcherStrategy: g.resolved.notifications?.matcherStrategy,
  });
  const kubePrometheusStack = release(
    `${component}-kube-prometheus-stack`,
    releaseName,
    KUBE_PROMETHEUS_STACK_CHART,
    namespaceName,
    deepMerge(kpsValues, ms.values?.kubePrometheusStack),
    after(namespace),
  );
  // ServiceMonitor is a CRD of kube-prometheus-stack: install the exporters after it.
  const dcgmExporter = ms.dcgmExporter
    ? release(
        `${component}-dcgm-exporter`,
        "dcgm-exporter",
        DCGM_EXPORTER_CHART,
        namespaceName,
        deepMerge(
          dcgmExporterValues({
            serviceMonitorLabels: releaseSelectorLabels(ms),
            gpu: g.resolved.monitoring.gpu,
          }),
          ms.values?.dcgmExporter,
        ),
        after(kubePrometheusStack),
      )
    : undefined;
  const prometheusAdapter = ms.prometheusAdapter
    ? release(
        `${component}-prometheus-adapter`,
        "prometheus-adapter",
        PROMETHEUS_ADAPTER_CHART,
        namespaceName,
        deepMerge(
          // prometheus-operated: the Service the operator creates for every Prometheus it runs.
          prometheusAdapterValues(g, { prometheusUrl: `http://prometheus-operated.${namespaceName}.svc` }),
          ms.values?.prometheusAdapter,
        ),
        after(kubePrometheusStack),
      )
    : undefined;
  return { namespace, kubePrometheusStack, dcgmExporter, prometheusAdapter };
}
