/**
 * The pure core's entry point: one validated config in, every generated object out. The CLI, the
 * Pulumi component and the checks all call this; nothing here does I/O or imports Pulumi.
 */
import { buildHorizontalPodAutoscaler, type HorizontalPodAutoscalerObject } from "./autoscaling/hpa.js";
import { buildScaledObject, type ScaledObjectObject } from "./autoscaling/keda.js";
import type { Config } from "./config/schema.js";
import { resolveConfig, type ResolvedConfig } from "./config/resolve.js";
import {
  buildAlertmanagerConfigs,
  type AlertmanagerConfigObject,
} from "./alertmanager-config/alertmanager-config.js";
import { buildRuleGroups, type RuleGroup } from "./rules/index.js";
import { buildPrometheusRule, type PrometheusRuleObject } from "./rules/prometheus-rule.js";
import { scaleGenerated } from "./time-scale/time-scale.js";
import { buildDashboard, type GrafanaDashboard } from "./dashboard/dashboard.js";
import { buildDashboardConfigMap, type DashboardConfigMapObject } from "./dashboard/configmap.js";

/** Everything generated from one config. */
export interface GeneratedObjects {
  readonly resolved: ResolvedConfig;
  /** HPAs for the workloads that do not already have one. */
  readonly horizontalPodAutoscalers: readonly HorizontalPodAutoscalerObject[];
  /** KEDA ScaledObjects for the workloads with `engine: keda` (KEDA creates their HPAs). */
  readonly scaledObjects: readonly ScaledObjectObject[];
  readonly prometheusRule: PrometheusRuleObject;
  /** One per namespace under the OnNamespace matcher strategy; none without `notifications`. */
  readonly alertmanagerConfigs: readonly AlertmanagerConfigObject[];
  /** The rule groups (also inside the PrometheusRule), for plain Prometheus rule files. */
  readonly ruleGroups: readonly RuleGroup[];
  /** The Grafana dashboard (docs/dashboard.md); absent with `monitoring.grafana.dashboard: false`. */
  readonly dashboard?: GrafanaDashboard;
  /** The dashboard as a ConfigMap for Grafana's sidecar; present with {@link GeneratedObjects.dashboard}. */
  readonly dashboardConfigMap?: DashboardConfigMapObject;
}

/** A Kubernetes object as generated here. */
export type KubernetesObject =
  HorizontalPodAutoscalerObject | ScaledObjectObject | PrometheusRuleObject | AlertmanagerConfigObject;

/** Labels every generated object carries. */
export function commonLabels(rc: ResolvedConfig): Record<string, string> {
  return { "app.kubernetes.io/managed-by": "ai-scaling-alerts", "app.kubernetes.io/part-of": rc.name };
}

/** Options of {@link generate}. */
export interface GenerateOptions {
  /**
   * Divides every duration of the rules and routes by this factor (a finite number >= 1; default
   * 1, production), so that a sandbox runs scenarios this many times faster. See `scaleGenerated`.
   */
  readonly timeScale?: number;
}

/** Generates every object for a validated config (see `parseConfig` / `loadConfigFile`). Pure. */
export function generate(config: Config, options: GenerateOptions = {}): GeneratedObjects {
  const { timeScale = 1 } = options;
  const g = generateUnscaled(config);
  return timeScale === 1 ? g : scaleGenerated(g, timeScale);
}

function generateUnscaled(config: Config): GeneratedObjects {
  const resolved = resolveConfig(config);
  const common = { labels: commonLabels(resolved) };
  const ruleGroups = buildRuleGroups(resolved);
  const dashboard = resolved.monitoring.grafana.dashboard
    ? buildDashboard(resolved, { ruleGroups })
    : undefined;
  return {
    resolved,
    horizontalPodAutoscalers: resolved.workloads.flatMap(
      (w) => buildHorizontalPodAutoscaler(w, common) ?? [],
    ),
    scaledObjects: resolved.workloads.flatMap((w) => buildScaledObject(resolved, w, common) ?? []),
    prometheusRule: buildPrometheusRule(resolved, ruleGroups, common),
    alertmanagerConfigs: buildAlertmanagerConfigs(resolved, common),
    ruleGroups,
    ...(dashboard && {
      dashboard,
      dashboardConfigMap: buildDashboardConfigMap(resolved, dashboard, common),
    }),
  };
}

/** All Kubernetes objects in apply order (autoscalers, then the PrometheusRule, then routing). */
export function kubernetesObjects(g: GeneratedObjects): KubernetesObject[] {
  return [...g.horizontalPodAutoscalers, ...g.scaledObjects, g.prometheusRule, ...g.alertmanagerConfigs];
}

/** Every object a render writes, to check against its schema: {@link kubernetesObjects} and the dashboard's ConfigMap. */
export function schemaCheckedObjects(g: GeneratedObjects): (KubernetesObject | DashboardConfigMapObject)[] {
  return [...kubernetesObjects(g), ...(g.dashboardConfigMap ? [g.dashboardConfigMap] : [])];
}
