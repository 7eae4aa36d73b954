/**
 * ai-scaling-alerts: alerting on the scaling events of AI workloads on Kubernetes, as code.
 *
 * What a library user needs, in the order of use:
 *
 * 1. **Validate a config**: {@link parseConfig} (an object), {@link parseConfigYaml} (YAML text),
 *    {@link loadConfigFile} (a file), {@link defineConfig} (a typed literal); bad input throws a
 *    {@link ConfigError} naming each field. {@link configJsonSchema} is the JSON Schema for editors.
 * 2. **Generate** the HorizontalPodAutoscalers or KEDA ScaledObjects, the PrometheusRule with the
 *    alert catalog ({@link CATALOG}), the AlertmanagerConfigs and the dashboard: {@link generate}.
 * 3. **Render** them as files ({@link outputFiles}, written atomically by {@link writeOutput}) or
 *    as one YAML stream ({@link outputStream}); {@link standaloneAlertmanagerConfig} merges the
 *    routing into an `alertmanager.yml` as the Prometheus Operator does.
 * 4. **Verify** it all with promtool and amtool: {@link verify}, {@link formatReport}.
 *
 * The optional monitoring stack's Helm charts and values ({@link kubePrometheusStackValues}...) are
 * here too. Nothing here imports Pulumi: the component is `ai-scaling-alerts/pulumi`; the operator's
 * merge and the routing simulator are `ai-scaling-alerts/operator-merge`. Only `loadConfigFile`,
 * `writeOutput` and `verify` (which runs promtool and amtool) do I/O.
 *
 * @example
 * ```ts
 * import { generate, loadConfigFile, outputFiles, verify, formatReport } from "ai-scaling-alerts";
 *
 * const g = generate(loadConfigFile("alerts.yaml"));
 * for (const file of outputFiles(g, "kubernetes", "alerts.yaml")) console.log(file.name);
 * console.log(formatReport(verify(g)));
 * ```
 *
 * @module ai-scaling-alerts
 */

// 1. The config
export { parseConfig, parseConfigYaml, loadConfigFile, defineConfig } from "./config/load.js";
export { ConfigError, type ConfigProblem } from "./config/errors.js";
export { configJsonSchema } from "./config/json-schema.js";
export type { Config } from "./config/schema.js";
export type * from "./config/types.js";
export type { AlertOverride } from "./config/schema.js";
export type {
  EffectiveAlert,
  ResolvedConfig,
  ResolvedKeda,
  ResolvedQueue,
  ResolvedWorkload,
} from "./config/resolve.js";
export { CATALOG, ALERT_NAMES } from "./catalog/catalog.js";
export type { AlertName, AlertRequirement, AlertSpec, Severity, ThresholdSpec } from "./catalog/catalog.js";

// 2. Generation
export { generate, kubernetesObjects } from "./build.js";
export type { GeneratedObjects, GenerateOptions, KubernetesObject } from "./build.js";
export type {
  HorizontalPodAutoscalerObject,
  HPABehavior,
  HPAScalingPolicy,
  HPAScalingRules,
  MetricIdentifier,
  MetricSpec,
  MetricTarget,
} from "./autoscaling/hpa.js";
export type { ScaledObjectObject, ScaledObjectTrigger } from "./autoscaling/keda.js";
export type { PrometheusRuleObject } from "./rules/prometheus-rule.js";
export type { RuleGroup, Rule, AlertRule, RecordingRule } from "./rules/index.js";
export type {
  AlertmanagerConfigObject,
  AlertmanagerReceiver,
  AlertmanagerRoute,
  KeyValue,
  SecretKeySelector,
} from "./alertmanager-config/alertmanager-config.js";
export type {
  AlertmanagerInhibitRule,
  AlertmanagerMatcher,
  AlertmanagerTimeInterval,
  MatchType,
} from "./alertmanager-config/defaults.js";
export type { DashboardConfigMapObject } from "./dashboard/configmap.js";
export type { GrafanaDashboard } from "./dashboard/dashboard.js";

// 3. Rendering
export { outputFiles, outputStream, type OutputFile, type OutputFormat } from "./render/output.js";
export { writeOutput, OutputError, type WriteResult, type WriteOptions } from "./render/write-output.js";
export { standaloneAlertmanagerConfig, type StandaloneOptions } from "./render/alertmanager-yaml.js";
export type { AlertmanagerYaml, MergeResult, MergeProblem } from "./operator-merge/index.js";

// 4. Verification
export { verify, type VerifyOptions } from "./verify/verify.js";
export { formatReport, type Check, type CheckStatus, type DetailLevel } from "./verify/report.js";

// The optional monitoring stack, as Helm charts and values
export {
  DCGM_EXPORTER_CHART,
  KUBE_PROMETHEUS_STACK_CHART,
  PROMETHEUS_ADAPTER_CHART,
  type HelmChartRef,
} from "./monitoring-stack/charts.js";
export {
  dcgmExporterValues,
  kubePrometheusStackValues,
  type DcgmExporterValuesOptions,
  type HelmValues,
  type KubePrometheusStackValuesOptions,
} from "./monitoring-stack/values.js";
export {
  prometheusAdapterValues,
  type PrometheusAdapterValuesOptions,
} from "./monitoring-stack/adapter-rules.js";
