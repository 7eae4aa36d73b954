/**
 * ai-scaling-alerts: alerting on the scaling events of AI workloads on Kubernetes, as code.
 *
 * The pure core: validate a config ({@link parseConfig}, {@link loadConfigFile}), then
 * {@link generate} the HorizontalPodAutoscalers, the PrometheusRule with the alert catalog and the
 * AlertmanagerConfig routing. Nothing here does I/O (except `loadConfigFile`) or imports Pulumi.
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
export { buildAlertmanagerConfigs, type AlertmanagerConfigObject } from "./routing/alertmanager-config.js";
export { toYaml, toYamlStream } from "./render/yaml.js";
export { schemaViolations } from "./render/schema-check.js";
