/**
 * The Alertmanager side, as pure functions over plain data: what the Prometheus Operator makes of
 * AlertmanagerConfig objects ({@link mergeAlertmanagerConfigs}), and how Alertmanager then routes
 * ({@link matchRoutes}, {@link receiversFor}, {@link unreachableRoutes}) and inhibits
 * ({@link inhibited}) alerts.
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
  DEFAULT_SECRETS_DIR,
  NULL_RECEIVER,
  mergeAlertmanagerConfigs,
  type MatcherStrategy,
  type MergeOptions,
  type MergeResult,
} from "./merge.js";
export {
  MatcherError,
  anchoredRegex,
  configMatchers,
  escapeMatcherValue,
  formatMatcher,
  matchesAll,
  matchesValue,
  parseMatcher,
  parseMatchers,
  routeMatchers,
  type MatchOperator,
  type Matcher,
} from "../matchers/matcher.js";
export { matchRoutes, receiversFor, type MatchedRoute } from "./route-match.js";
export { unreachableRoutes, type UnreachableRoute } from "./unreachable.js";
export { inhibited, type InhibitedAlert } from "./inhibit.js";
export { MIN_ALERTMANAGER_VERSION } from "../catalog/alertmanager-versions.js";
