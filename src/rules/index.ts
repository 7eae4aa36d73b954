/**
 * The catalog as Prometheus rule groups, and as a PrometheusRule object. Rules are written once per
 * distinct setting (see `variants.ts`), never once per workload.
 *
 * Groups, in order: `<name>.state` (the configured HPAs and the facts the alerts of minutes read),
 * `<name>.facts` (desired replicas, the target's spec.replicas and the scale steps, at the global
 * evaluation interval), `<name>.config` and `<name>.signals` (config data and pod-level signals),
 * then one group per alert area, and `<name>.meta`. Only the facts and the events (scale steps,
 * scale to zero and waking) run at the global interval; the rest every {@link SLOW_GROUP_INTERVAL}.
 */
import { SLOW_GROUP_INTERVAL, type AlertName } from "../catalog/catalog.js";
import type { ResolvedConfig } from "../config/resolve.js";
import { ruleContext, SERIES, type RuleContext } from "./context.js";
import { highCpuUtilization } from "./cpu.js";
import type { AlertDefinition, ConditionParams } from "./definition.js";
import { describer } from "./describe.js";
import { factRules, stateRules } from "./facts.js";
import { gpuSaturated, gpuUnderutilized } from "./gpu.js";
import { HEARTBEAT_DESCRIPTION, HEARTBEAT_EXPR, heartbeatNamespace } from "./heartbeat.js";
import { hpaMissingRules, metricsAbsentRule } from "./blind-spots.js";
import { atMaxReplicas, scaleUpStalled, scalingInactive, unableToScale } from "./hpa-health.js";
import { applyCommonPasses, type AlertRule } from "./passes.js";
import { formatNumber, str } from "../promql/text.js";
import { queueBacklog } from "./queue.js";
import { scalerErrors } from "./keda.js";
import { coldStart, coldStartSlow, scaledToZero } from "./scale-to-zero.js";
import { scaledDown, scaledUp, scalingFlapping } from "./scaling-events.js";
import { podsUnschedulable } from "./scheduling.js";
import { configDataRules, hpaInfoRule, isRead, type RecordingRule } from "./settings.js";
import { signalRules } from "./signals.js";
import { planCatalog, type AlertPlan, type CatalogPlan, type Variant } from "./variants.js";

export type { AlertRule } from "./passes.js";
export type { RecordingRule } from "./settings.js";

/** An alert area: a rule group `<config name>.<area>`, slow or at the global interval. */
export interface Area {
  readonly area: string;
  readonly alerts: readonly AlertDefinition[];
  /** Evaluated every {@link SLOW_GROUP_INTERVAL} rather than at the global interval. */
  readonly slow?: boolean;
}

/** Rule groups by alert area; the group name is `<config name>.<area>`. */
export const AREAS: readonly Area[] = [
  { area: "scaling-events", alerts: [scaledUp, scaledDown] },
  { area: "scale-to-zero", alerts: [scaledToZero, coldStart] },
  { area: "hpa-health", alerts: [atMaxReplicas, scalingInactive, unableToScale, scaleUpStalled], slow: true },
  { area: "cold-start", alerts: [coldStartSlow], slow: true },
  { area: "flapping", alerts: [scalingFlapping], slow: true },
  { area: "scheduling", alerts: [podsUnschedulable], slow: true },
  { area: "gpu", alerts: [gpuSaturated, gpuUnderutilized], slow: true },
  { area: "queue", alerts: [queueBacklog], slow: true },
  { area: "cpu", alerts: [highCpuUtilization], slow: true },
  { area: "keda", alerts: [scalerErrors], slow: true },
];

export type Rule = RecordingRule | AlertRule;

/** A Prometheus rule group. */
export interface RuleGroup {
  readonly name: string;
  /** Evaluation interval of this group; the global evaluation interval when absent. */
  readonly interval?: string;
  readonly rules: readonly Rule[];
}

/**
 * What an alert compares with: its default as a number, or the recorded threshold per HPA when
 * some workload overrides it.
 */
function thresholdFor(ctx: RuleContext, plan: AlertPlan, overridden: boolean): string {
  if (plan.defaultThreshold === undefined) return "";
  if (!overridden) return formatNumber(plan.defaultThreshold);
  return `on (${ctx.idList}) group_left () ${SERIES.alertThreshold}{alert=${str(plan.alert)}}`;
}

/**
 * Which workloads a variant's rule covers: those listed for it in the recorded variants, or, for
 * the default variant, all but those listed on another variant (nothing to add when none is).
 */
function variantFilter(ctx: RuleContext, plan: AlertPlan, v: Variant, listedAny: boolean): string[] {
  const variant = `${SERIES.alertVariant}{alert=${str(plan.alert)}, variant=${str(v.id)}}`;
  if (!v.isDefault || plan.defaultMode === "include") {
    return [`# Only the workloads on this variant of the alert.`, `and on (${ctx.idList}) ${variant}`];
  }
  if (!listedAny) return [];
  return [
    `# Workloads with their own settings for this alert have a rule of their own.`,
    `unless on (${ctx.idList}) ${SERIES.alertVariant}{alert=${str(plan.alert)}}`,
  ];
}

function variantRule(
  ctx: RuleContext,
  def: AlertDefinition,
  plan: AlertPlan,
  v: Variant,
  data: CatalogPlan,
): AlertRule {
  const overridden = data.thresholds.some((t) => t.alert === plan.alert);
  const listedAny = data.memberships.some((m) => m.alert === plan.alert);
  const params: ConditionParams = {
    threshold: thresholdFor(ctx, plan, overridden),
    window: def.forIsWindow ? v.for : (v.window ?? ""),
    variant: v,
  };
  const expr = [def.condition(ctx, params), ...variantFilter(ctx, plan, v, listedAny)].join("\n");
  const forValue = def.forIsWindow ? undefined : v.for;
  const d = describer(ctx, def.name, overridden);
  return {
    alert: plan.alert,
    expr,
    ...(forValue && forValue !== "0s" ? { for: forValue } : {}),
    // promtool flags rules with the same name and labels as duplicates: a non-default variant is
    // told apart by the label that names it.
    labels: v.isDefault ? { severity: v.severity } : { severity: v.severity, alert_variant: v.id },
    annotations: { description: d.finish(def.description(ctx, d, params)) },
  };
}

/**
 * The rules of the `<name>.meta` group, about the alerting itself rather than one alert area: the
 * heartbeat, and the blind-spot alerts (see `blind-spots.ts`), which cannot read the recorded
 * facts like the areas' alerts do.
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
  const active = new Set<AlertName>(plan.alerts.map((a) => a.alert));
  // AIWorkloadHpaMissing lists its workloads in its own rules (one per variant): no data series.
  const data: CatalogPlan = {
    ...plan,
    memberships: plan.memberships.filter((m) => !OWN_SELECTION.has(m.alert)),
  };
  const read = (rules: readonly RecordingRule[]) => rules.filter((r) => isRead(r.record, active));
  const groups: RuleGroup[] = [];
  const push = (name: string, rules: readonly Rule[], slow = false) => {
    if (rules.length > 0)
      groups.push({ name: `${rc.name}.${name}`, ...(slow ? { interval: SLOW_GROUP_INTERVAL } : {}), rules });
  };
  push("state", read(stateRules(ctx, hpaInfoRule(ctx))), true);
  push("facts", read(factRules(ctx)));
  push("config", read(configDataRules(ctx, data)), true);
  push("signals", read(signalRules(ctx)), true);
  for (const { area, alerts, slow } of AREAS) {
    const rules: AlertRule[] = [];
    for (const def of alerts) {
      const alertPlan = plan.alerts.find((a) => a.alert === def.name);
      if (!alertPlan) continue;
      for (const v of alertPlan.variants) rules.push(variantRule(ctx, def, alertPlan, v, data));
    }
    push(area, applyCommonPasses(rules, rc), slow);
  }
  push("meta", applyCommonPasses(metaRules(ctx, plan), rc), true);
  return groups;
}

/** Per-workload alerts whose rules name their workloads themselves, rather than through data series. */
const OWN_SELECTION: ReadonlySet<AlertName> = new Set<AlertName>(["AIWorkloadHpaMissing"]);
