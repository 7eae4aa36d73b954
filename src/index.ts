/**
 * ai-scaling-alerts: alerting on the scaling events of AI workloads on Kubernetes, as code.
 *
 * The pure core: validate a config ({@link parseConfig}, {@link loadConfigFile}), then
 * {@link generate} the HorizontalPodAutoscalers or KEDA ScaledObjects, the PrometheusRule with the
 * alert catalog and the AlertmanagerConfig routing; merge the routing as the Prometheus Operator
 * does ({@link standaloneAlertmanagerConfig}) and {@link verify} it all. Nothing here imports
 * Pulumi (the component is `ai-scaling-alerts/pulumi`); only `loadConfigFile` and `verify` (which
 * runs promtool/amtool) do I/O.
 *
 * @packageDocumentation
 */
export { generate, kubernetesObjects, commonLabels } from "./build.js";
export type { GeneratedObjects, KubernetesObject } from "./build.js";
export { parseConfig, parseConfigYaml, loadConfigFile, defineConfig } from "./config/load.js";
export { ConfigError, type ConfigProblem } from "./config/errors.js";
export { configJsonSchema } from "./config/json-schema.js";
export { resolveConfig, QUEUE_METRICS } from "./config/resolve.js";
export type { ResolvedConfig, ResolvedWorkload, EffectiveAlert } from "./config/resolve.js";
export type {
  Config,
  ConfigInput,
  Workload,
  Receiver,
  AutoscalingMetric,
  AlertOverride,
} from "./config/schema.js";
export { CATALOG, ALERT_NAMES, SEVERITIES } from "./catalog/catalog.js";
export type { AlertName, AlertSpec, Severity } from "./catalog/catalog.js";
export { buildRuleGroups } from "./rules/index.js";
export type { RuleGroup, AlertRule, RecordingRule } from "./rules/index.js";
export { buildPrometheusRule, type PrometheusRuleObject } from "./rules/prometheus-rule.js";
export { buildHorizontalPodAutoscaler, type HorizontalPodAutoscalerObject } from "./autoscaling/hpa.js";
export {
  buildAlertmanagerConfigs,
  type AlertmanagerConfigObject,
} from "./alertmanager-config/alertmanager-config.js";
export { toYaml, toYamlStream } from "./render/yaml.js";
export { schemaViolations } from "./render/schema-check.js";
export { buildScaledObject, type ScaledObjectObject } from "./autoscaling/keda.js";
export { METRIC_PRESETS, PRESET_IDS, presetHpaMetricName } from "./presets/ai-metrics.js";
export type { MetricPreset, PresetId } from "./presets/ai-metrics.js";
export {
  mergeAlertmanagerConfigs,
  receiversFor,
  matchRoutes,
  unreachableRoutes,
  inhibited,
} from "./operator-merge/index.js";
export type { AlertmanagerYaml, MergeOptions, MergeResult, MergeProblem } from "./operator-merge/index.js";
export { standaloneAlertmanagerConfig, type StandaloneOptions } from "./render/alertmanager-yaml.js";
export { verify, type VerifyOptions } from "./verify/verify.js";
export { formatReport, failed, type Check, type CheckStatus } from "./verify/report.js";
export { buildUnitTests } from "./verify/unit-tests.js";
export * from "./monitoring-stack/index.js";
