/**
 * The catalog as Prometheus rule groups, and as a PrometheusRule object. Rules are written once per
 * distinct setting (see `variants.ts`), never once per workload.
 */
import type { AlertName } from "../catalog/catalog.js";
import type { ResolvedConfig } from "../config/resolve.js";
import { narrowTo, ruleContext, SERIES, type RuleContext } from "./context.js";
import { highCpuUtilization } from "./cpu.js";
import type { AlertDefinition, ConditionParams } from "./definition.js";
import { describer } from "./describe.js";
import { gpuSaturated, gpuUnderutilized } from "./gpu.js";
import { HEARTBEAT_DESCRIPTION, HEARTBEAT_EXPR, heartbeatNamespace } from "./heartbeat.js";
import { hpaMissingRules, metricsAbsentRule } from "./blind-spots.js";
import { atMaxReplicas, scaleUpStalled, scalingInactive, unableToScale } from "./hpa-health.js";
import { applyCommonPasses, type AlertRule } from "./passes.js";
import { formatNumber, labels, str } from "./promql.js";
import { queueBacklog } from "./queue.js";
import { scalerErrors } from "./keda.js";
import { coldStart, coldStartSlow, scaledToZero } from "./scale-to-zero.js";
import { scaledDown, scaledUp, scalingFlapping } from "./scaling-events.js";
import { podsUnschedulable } from "./scheduling.js";
import { clusterViewRules, configDataRules, isRead, type RecordingRule } from "./settings.js";
import { planCatalog, type AlertPlan, type CatalogPlan, type Variant } from "./variants.js";

export type { AlertRule } from "./passes.js";
export type { RecordingRule } from "./settings.js";

/** Rule groups by alert area; the group name is `<config name>.<area>`. */
export const AREAS: readonly { readonly area: string; readonly alerts: readonly AlertDefinition[] }[] = [
  { area: "scaling-events", alerts: [scaledUp, scaledDown, scalingFlapping] },
  { area: "hpa-health", alerts: [atMaxReplicas, scalingInactive, unableToScale, scaleUpStalled] },
  { area: "scheduling", alerts: [podsUnschedulable] },
  { area: "gpu", alerts: [gpuSaturated, gpuUnderutilized] },
  { area: "queue", alerts: [queueBacklog] },
  { area: "cpu", alerts: [highCpuUtilization] },
  { area: "scale-to-zero", alerts: [scaledToZero, coldStart, coldStartSlow] },
  { area: "keda", alerts: [scalerErrors] },
];

export type Rule = RecordingRule | AlertRule;

/** A Prometheus rule group. */
export interface RuleGroup {
  readonly name: string;
  readonly rules: readonly Rule[];
}

/** The threshold per (namespace, horizontalpodautoscaler): overrides as data, else the default. */
function thresholdExpr(alert: AlertName, defaultValue: number | undefined): string {
  const overrides = `${SERIES.alertThreshold}{alert=${str(alert)}}`;
  if (defaultValue === undefined) return overrides;
  return `(${overrides} or on (namespace, horizontalpodautoscaler) (max by (namespace, horizontalpodautoscaler) (${SERIES.hpaInfo}) * 0 + ${formatNumber(defaultValue)}))`;
}

function variantFilter(plan: AlertPlan, v: Variant): string {
  const listed = (id: string) =>
    `and on (namespace, horizontalpodautoscaler) ${SERIES.alertVariant}{alert=${str(plan.alert)}, variant=${str(id)}}`;
  if (!v.isDefault || plan.defaultMode === "include") return listed(v.id);
  return `unless on (namespace, horizontalpodautoscaler) ${SERIES.alertVariant}{alert=${str(plan.alert)}}`;
}

/**
 * A rule that lists its workloads (an override variant, or a default variant in inclusion mode)
 * names their HPAs in its selectors, so it reads their series rather than every HPA's, when the
 * list is short (always up to 50; up to 200 when it is at most a quarter of all workloads). The
 * cap keeps the rule text, which each listed name lengthens, well inside the PrometheusRule size
 * limit.
 */
function narrows(listed: number, total: number): boolean {
  return listed <= 50 || (listed <= 200 && listed * 4 <= total);
}

function variantRule(fullCtx: RuleContext, def: AlertDefinition, plan: AlertPlan, v: Variant): AlertRule {
  const listed = !v.isDefault || plan.defaultMode === "include";
  const ctx =
    listed && narrows(v.workloads.length, fullCtx.rc.workloads.length)
      ? narrowTo(fullCtx, v.workloads)
      : fullCtx;
  const params: ConditionParams = {
    threshold: thresholdExpr(plan.alert, plan.defaultThreshold),
    window: def.forIsWindow ? v.for : (v.window ?? ""),
    variant: v,
  };
  const copied = labels(["workload", ...ctx.rc.extraLabelNames]);
  const expr = [
    `(\n${indent(def.condition(ctx, params))}\n)`,
    `* on (${ctx.idList}) group_left(${copied}) ${SERIES.hpaInfo}`,
    variantFilter(plan, v),
  ].join("\n");
  const forValue = def.forIsWindow ? undefined : v.for;
  return {
    alert: plan.alert,
    expr,
    ...(forValue && forValue !== "0s" ? { for: forValue } : {}),
    // promtool flags rules with the same name and labels as duplicates: a non-default variant is
    // told apart by the label that names it.
    labels: v.isDefault ? { severity: v.severity } : { severity: v.severity, alert_variant: v.id },
    annotations: { description: describe(ctx, def, params) },
  };
}

function describe(ctx: RuleContext, def: AlertDefinition, params: ConditionParams): string {
  const d = describer(ctx, def.name);
  return d.finish(def.description(ctx, d, params));
}

function indent(s: string): string {
  return s
    .split("\n")
    .map((l) => `  ${l}`)
    .join("\n");
}

/**
 * The rules of the `<name>.meta` group, about the alerting itself rather than one alert area: the
 * heartbeat, and the blind-spot alerts (see `blind-spots.ts`), which cannot join the recorded HPA
 * info like the areas' alerts do.
 */
function metaRules(ctx: RuleContext, plan: CatalogPlan): AlertRule[] {
  const { rc } = ctx;
  const rules: AlertRule[] = [];
  const hb = rc.alertDefaults.AIScalingAlertsHeartbeat;
  if (hb.enabled) {
    rules.push({
      alert: "AIScalingAlertsHeartbeat",
      expr: HEARTBEAT_EXPR,
      ...(hb.for !== "0s" ? { for: hb.for } : {}),
      labels: { severity: hb.severity, namespace: heartbeatNamespace(ctx) },
      annotations: { description: HEARTBEAT_DESCRIPTION },
    });
  }
  const absent = rc.alertDefaults.AIScalingAlertsMetricsAbsent;
  if (absent.enabled) rules.push(metricsAbsentRule(ctx, absent));
  const missing = plan.alerts.find((a) => a.alert === "AIWorkloadHpaMissing");
  if (missing) rules.push(...hpaMissingRules(ctx, missing));
  return rules;
}

/** Builds every rule group for a config. Pure. */
export function buildRuleGroups(rc: ResolvedConfig): RuleGroup[] {
  const ctx = ruleContext(rc);
  const plan = planCatalog(rc);
  const active = new Set(plan.alerts.map((a) => a.alert));
  // AIWorkloadHpaMissing lists its workloads in its own rules (one per variant): no data series.
  const data: CatalogPlan = {
    ...plan,
    memberships: plan.memberships.filter((m) => !OWN_SELECTION.has(m.alert)),
  };
  const groups: RuleGroup[] = [
    {
      name: `${rc.name}.settings`,
      rules: [...configDataRules(ctx, data), ...clusterViewRules(ctx)].filter((r) =>
        isRead(r.record, active),
      ),
    },
  ];
  for (const { area, alerts } of AREAS) {
    const rules: AlertRule[] = [];
    for (const def of alerts) {
      const alertPlan = plan.alerts.find((a) => a.alert === def.name);
      if (!alertPlan) continue;
      for (const v of alertPlan.variants) rules.push(variantRule(ctx, def, alertPlan, v));
    }
    if (rules.length > 0) groups.push({ name: `${rc.name}.${area}`, rules: applyCommonPasses(rules, rc) });
  }
  const meta = metaRules(ctx, plan);
  if (meta.length > 0) groups.push({ name: `${rc.name}.meta`, rules: applyCommonPasses(meta, rc) });
  return groups;
}

/** Per-workload alerts whose rules name their workloads themselves, rather than through data series. */
const OWN_SELECTION: ReadonlySet<AlertName> = new Set<AlertName>(["AIWorkloadHpaMissing"]);
