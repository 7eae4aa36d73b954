/**
 * Helm values under which the generated objects are picked up by a freshly installed monitoring
 * stack. Pure: plain objects out, no Pulumi, no I/O; usable with `helm install -f` as well.
 */
import type { Config } from "../config/schema.js";

/** A Helm values tree. */
export type HelmValues = { [key: string]: unknown };

/** The label every generated object carries (see `commonLabels`); selects our AlertmanagerConfigs. */
export const MANAGED_BY_LABELS: Readonly<Record<string, string>> = {
  "app.kubernetes.io/managed-by": "ai-scaling-alerts",
};

/** What {@link kubePrometheusStackValues} needs to know about the generated objects. */
export interface KubePrometheusStackValuesOptions {
  /**
   * Labels Prometheus selects PrometheusRules by; the generated PrometheusRule must carry them
   * (`monitoring.ruleSelectorLabels`). Keep them to `{ release: <release name> }`, which the chart's
   * own rules also carry: any other label here would unload the chart's default rules.
   */
  readonly ruleSelectorLabels: Readonly<Record<string, string>>;
  /** Labels Alertmanager selects AlertmanagerConfigs by (default `MANAGED_BY_LABELS`). */
  readonly alertmanagerConfigSelectorLabels?: Readonly<Record<string, string>>;
  /** `notifications.matcherStrategy` of the config (default `OnNamespace`, the operator's default). */
  readonly matcherStrategy?: NonNullable<Config["notifications"]>["matcherStrategy"];
}

/**
 * kube-prometheus-stack values that make Prometheus load the generated PrometheusRule and
 * Alertmanager merge the generated AlertmanagerConfigs, from any namespace:
 *
 * - `ruleSelectorNilUsesHelmValues: false` with an explicit `ruleSelector.matchLabels`, and
 *   `ruleNamespaceSelector: {}` (all namespaces);
 * - `alertmanagerConfigSelector.matchLabels` (only our objects), `alertmanagerConfigNamespaceSelector: {}`
 *   and `alertmanagerConfigMatcherStrategy.type` stated explicitly, so the routing the generator
 *   assumed (OnNamespace pins each object's route to its namespace) is the routing Alertmanager does.
 *
 * kube-state-metrics needs nothing: the chart's collectors include horizontalpodautoscalers,
 * deployments, statefulsets, replicasets and pods by default, and its ServiceMonitor keeps the
 * `namespace` label of the objects (honorLabels), which the rules select on.
 */
/**
 * The `--rules.alert.for-grace-period` our alerts need: shorter than the shortest `for` of the
 * catalog (2m), so that Prometheus restores every alert's `for` state after a restart.
 */
export const PROMETHEUS_FOR_GRACE_PERIOD = "1m";

export function kubePrometheusStackValues(opts: KubePrometheusStackValuesOptions): HelmValues {
  return {
    prometheus: {
      prometheusSpec: {
        ruleSelectorNilUsesHelmValues: false,
        ruleSelector: { matchLabels: { ...opts.ruleSelectorLabels } },
        ruleNamespaceSelector: {},
        // Prometheus restores the `for` state of its alerts after a restart only for alerts whose
        // `for` exceeds this grace period (default 10m): with the catalog's 2m and 5m, a restart
        // would send them back to pending, their copy in Alertmanager would expire (a false
        // "resolved") and fire again later. 1m keeps every catalog alert restored.
        additionalArgs: [{ name: "rules.alert.for-grace-period", value: PROMETHEUS_FOR_GRACE_PERIOD }],
      },
    },
    alertmanager: {
      alertmanagerSpec: {
        alertmanagerConfigSelector: {
          matchLabels: { ...(opts.alertmanagerConfigSelectorLabels ?? MANAGED_BY_LABELS) },
        },
        alertmanagerConfigNamespaceSelector: {},
        alertmanagerConfigMatcherStrategy: { type: opts.matcherStrategy ?? "OnNamespace" },
      },
    },
  };
}

/** What {@link dcgmExporterValues} needs. */
export interface DcgmExporterValuesOptions {
  /**
   * Labels the ServiceMonitor needs for Prometheus to scrape it: kube-prometheus-stack selects
   * ServiceMonitors by `release: <its release name>` unless configured otherwise.
   */
  readonly serviceMonitorLabels: Readonly<Record<string, string>>;
  /** `monitoring.gpu` of the config: which labels hold the GPU's pod and namespace. */
  readonly gpu: Pick<Config["monitoring"]["gpu"], "podLabel" | "namespaceLabel">;
}

/**
 * dcgm-exporter values: a ServiceMonitor that kube-prometheus-stack scrapes, with `honorLabels`
 * set to match `monitoring.gpu`:
 *
 * - the project default (`podLabel: exported_pod`, `namespaceLabel: exported_namespace`) is what
 *   the chart's default `honorLabels: false` produces: Prometheus renames the exporter's `pod` and
 *   `namespace` (the GPU's consumer) to `exported_*`, as they clash with the target's own labels;
 * - `podLabel: pod` with `namespaceLabel: namespace` needs `honorLabels: true`.
 *
 * Throws for any other combination: the chart produces no other label names.
 */
export function dcgmExporterValues(opts: DcgmExporterValuesOptions): HelmValues {
  const { podLabel, namespaceLabel } = opts.gpu;
  let honorLabels: boolean;
  if (podLabel === "exported_pod" && namespaceLabel === "exported_namespace") honorLabels = false;
  else if (podLabel === "pod" && namespaceLabel === "namespace") honorLabels = true;
  else {
    throw new Error(
      `monitoring.gpu labels ${podLabel}/${namespaceLabel} cannot come from the dcgm-exporter chart: use exported_pod/exported_namespace (honorLabels false) or pod/namespace (honorLabels true)`,
    );
  }
  return {
    serviceMonitor: {
      enabled: true,
      honorLabels,
      additionalLabels: { ...opts.serviceMonitorLabels },
    },
  };
}

function isPlainObject(v: unknown): v is HelmValues {
  if (typeof v !== "object" || v === null) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * Merges `override` into `base` without modifying either: plain objects merge key by key; anything
 * else in `override` (arrays, scalars, null, class instances such as Pulumi Outputs) replaces the
 * value in `base` as it is.
 */
export function deepMerge(base: HelmValues, override: HelmValues | undefined): HelmValues {
  const out: HelmValues = { ...base };
  for (const [k, v] of Object.entries(override ?? {})) {
    const prev = out[k];
    out[k] = isPlainObject(prev) && isPlainObject(v) ? deepMerge(prev, v) : v;
  }
  return out;
}
