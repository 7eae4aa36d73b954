/**
 * Time scale: the generated objects with every duration divided by a factor, so that a scenario
 * runs N times faster on a real Prometheus and Alertmanager (the sandbox's `--speed N`). The
 * scaled objects come from the same generator as production ({@link scaleGenerated} rewrites its
 * output); nothing is written by hand. Pure: no I/O.
 *
 * What is scaled: durations in PromQL (range selectors, `offset`, subquery range and step, and
 * literals written with a unit elsewhere), rule `for` / `keep_firing_for`, group `interval`, the
 * PromQL of `query` calls in annotation and label templates, and the Alertmanager routes'
 * `groupWait` / `groupInterval` / `repeatInterval`. What is not: prose in descriptions ("for 5m"
 * stays as written), per-second rates (a `rate()` is still per real second), time intervals (wall
 * clock), and anything outside the generated objects (evaluation and scrape intervals, the root
 * route of a base Alertmanager configuration): the runner scales those itself.
 */
import type { GeneratedObjects } from "../build.js";
import type {
  AlertmanagerConfigObject,
  AlertmanagerRoute,
} from "../alertmanager-config/alertmanager-config.js";
import type { RuleGroup } from "../rules/index.js";
import { buildPrometheusRule } from "../rules/prometheus-rule.js";
import { checkFactor, scaleDuration, scaleExpr } from "./time-scale-promql.js";
import { scaleTemplate } from "./time-scale-template.js";

export { scaleDuration, scaleExpr } from "./time-scale-promql.js";
export { scaleTemplate } from "./time-scale-template.js";

/** A rule as found in a group: the generated fields, plus ones a rule file may have. */
type AnyRule = RuleGroup["rules"][number] & {
  readonly for?: string;
  readonly keep_firing_for?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
};

function scaleValues(m: Readonly<Record<string, string>>, f: (v: string) => string): Record<string, string> {
  return Object.fromEntries(Object.entries(m).map(([k, v]) => [k, f(v)]));
}

function scaleRule<R extends AnyRule>(rule: R, factor: number): R {
  const r: AnyRule = rule;
  return {
    ...rule,
    expr: scaleExpr(r.expr, factor),
    ...(r.for !== undefined ? { for: scaleDuration(r.for, factor) } : {}),
    ...(r.keep_firing_for !== undefined ? { keep_firing_for: scaleDuration(r.keep_firing_for, factor) } : {}),
    ...(r.labels ? { labels: scaleValues(r.labels, (v) => scaleTemplate(v, factor)) } : {}),
    ...(r.annotations ? { annotations: scaleValues(r.annotations, (v) => scaleTemplate(v, factor)) } : {}),
  } as R;
}

/**
 * Rule groups with every duration divided by `factor`: each rule's `expr`, `for` and
 * `keep_firing_for`, the PromQL in its label and annotation templates, and the group's `interval`
 * when it has one. Other fields are kept; key order is unchanged.
 */
export function scaleRuleGroups<G extends RuleGroup>(groups: readonly G[], factor: number): G[] {
  checkFactor(factor);
  return groups.map((g) => {
    const interval = (g as { interval?: string }).interval;
    return {
      ...g,
      ...(interval !== undefined ? { interval: scaleDuration(interval, factor) } : {}),
      rules: g.rules.map((r) => scaleRule(r, factor)),
    };
  });
}

function scaleRoute(route: AlertmanagerRoute, factor: number): AlertmanagerRoute {
  const { groupWait, groupInterval, repeatInterval, routes } = route;
  return {
    ...route,
    ...(groupWait !== undefined ? { groupWait: scaleDuration(groupWait, factor) } : {}),
    ...(groupInterval !== undefined ? { groupInterval: scaleDuration(groupInterval, factor) } : {}),
    ...(repeatInterval !== undefined ? { repeatInterval: scaleDuration(repeatInterval, factor) } : {}),
    ...(routes ? { routes: routes.map((r) => scaleRoute(r, factor)) } : {}),
  };
}

/**
 * AlertmanagerConfig objects with `groupWait`, `groupInterval` and `repeatInterval` divided by
 * `factor` on every route at every depth. Time intervals (`muteTimeIntervals`, active intervals)
 * are wall-clock times of day and dates, and are NOT scaled. A route that sets none of the three
 * inherits them from the Alertmanager's root route, which is not part of these objects: scale that
 * where it is written. Returns copies; the input is not changed.
 */
export function scaleAlertmanagerConfigs(
  objects: readonly AlertmanagerConfigObject[],
  factor: number,
): AlertmanagerConfigObject[] {
  checkFactor(factor);
  return structuredClone(objects).map((o) => ({
    ...o,
    spec: { ...o.spec, route: scaleRoute(o.spec.route, factor) },
  }));
}

/**
 * The generated objects on a time scale: the rule groups scaled ({@link scaleRuleGroups}), the
 * PrometheusRule rebuilt from them with the production builder, the AlertmanagerConfigs scaled
 * ({@link scaleAlertmanagerConfigs}). Autoscalers are copied as they are. Factor 1 returns a deep
 * copy equal to the input.
 */
export function scaleGenerated(g: GeneratedObjects, factor: number): GeneratedObjects {
  checkFactor(factor);
  const copy = structuredClone(g);
  const ruleGroups = scaleRuleGroups(copy.ruleGroups, factor);
  return {
    ...copy,
    prometheusRule: buildPrometheusRule(copy.resolved, ruleGroups, {
      labels: copy.prometheusRule.metadata.labels,
    }),
    alertmanagerConfigs: scaleAlertmanagerConfigs(copy.alertmanagerConfigs, factor),
    ruleGroups,
  };
}
