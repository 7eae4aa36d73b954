/**
 * What the Prometheus Operator and Alertmanager make of the generated routing
 * (`import { mergeAlertmanagerConfigs } from "ai-scaling-alerts/operator-merge"`), as pure
 * functions over plain data: the operator's merge of AlertmanagerConfig objects into one
 * `alertmanager.yml` ({@link mergeAlertmanagerConfigs}, after `pkg/alertmanager/amcfg.go`), and
 * the routing simulator that tells which receivers an alert reaches ({@link receiversFor},
 * {@link matchRoutes}) and which routes can never match ({@link unreachableRoutes}).
 *
 * @example
 * ```ts
 * import { generate, loadConfigFile } from "ai-scaling-alerts";
 * import { mergeAlertmanagerConfigs, receiversFor } from "ai-scaling-alerts/operator-merge";
 *
 * const g = generate(loadConfigFile("alerts.yaml"));
 * const { config, problems } = mergeAlertmanagerConfigs(g.alertmanagerConfigs, {
 *   matcherStrategy: "OnNamespace",
 *   alertmanagerNamespace: "monitoring",
 * });
 * receiversFor(config, { alertname: "AIWorkloadAtMaxReplicas", namespace: "ml", severity: "critical" });
 * ```
 *
 * @module ai-scaling-alerts/operator-merge
 */
export type {
  AlertmanagerYaml,
  InhibitRuleConfig,
  IntegrationConfig,
  LabelSet,
  ReceiverConfig,
  RouteConfig,
  TimeIntervalConfig,
  TimePeriodConfig,
} from "./types.js";
export type { MergeProblem, MergeProblemCode } from "./problems.js";
export {
  mergeAlertmanagerConfigs,
  type MatcherStrategy,
  type MergeOptions,
  type MergeResult,
} from "./merge.js";
export { matchRoutes, receiversFor, type MatchedRoute } from "./route-match.js";
export { MatcherError } from "../matchers/matcher.js";
export { unreachableRoutes, type UnreachableRoute } from "./unreachable.js";
