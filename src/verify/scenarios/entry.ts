/**
 * From scenarios (input series + when each alert's condition starts) to promtool test entries:
 * when each alert must fire given the workload's own `for` or window, with which labels and
 * annotations, and where an alert that is off for the workload (or does not apply) must stay
 * silent.
 */
import { CATALOG, runbookAnchor, type AlertName } from "../../catalog/catalog.js";
import { isActive, type EffectiveAlert, type ResolvedWorkload } from "../../config/resolve.js";
import { hpaMissingDescription } from "../../rules/blind-spots.js";
import { SERIES } from "../../rules/context.js";
import type { AlertDefinition, ConditionParams } from "../../rules/definition.js";
import { describer } from "../../rules/describe.js";
import { AREAS } from "../../rules/index.js";
import { formatNumber } from "../../promql/text.js";
import { isRead } from "../../rules/settings.js";
import { longestFor, seconds, type Env, type Inputs } from "./inputs.js";
import { expandTemplate, humanize, printf0 } from "./template.js";
import { durationText, EVAL_INTERVAL, seriesText, type InputSeries, type Timeline } from "./timeline.js";

/** An alert whose condition holds from `start` on, in a scenario's input. */
export interface Firing {
  readonly alert: AlertName;
  /** First evaluation (seconds, a multiple of 30) at which the condition holds. */
  readonly start: number;
  /** First evaluation at which it no longer holds (scale events last one lookback); default: never. */
  readonly until?: number;
  /** The alert's `for` is the window of its condition (the rule itself has none). */
  readonly windowed?: boolean;
  /** The value of the alert's expression at t (`$value`). */
  readonly value: (t: number) => number;
  /** Labels the alert carries besides the workload's (pod, scaledObject...). */
  readonly labels?: Readonly<Record<string, string>>;
}

/** An alert whose input stays just short of its threshold: the condition would start at `start`. */
export interface Quiet {
  readonly alert: AlertName;
  readonly start: number;
}

/** One workload's share of a scenario. */
export interface Part {
  readonly io: Inputs;
  readonly firing: readonly Firing[];
  readonly quiet?: readonly Quiet[];
}

/**
 * One test entry: the sampled workloads side by side on one timeline. The rules work per HPA, so
 * the workloads do not interfere; the expected alerts at each asserted time are those of every
 * workload, which also proves that one workload's settings do not leak into another's.
 */
export interface Scenario {
  readonly name: string;
  readonly tl: Timeline;
  readonly parts: readonly Part[];
}

export interface ExpectedAlert {
  exp_labels: Record<string, string>;
  exp_annotations: Record<string, string>;
}

export interface AlertRuleTest {
  eval_time: string;
  alertname: string;
  exp_alerts: ExpectedAlert[];
}

export interface PromqlExprTest {
  expr: string;
  eval_time: string;
  exp_samples: { labels: string; value: number }[];
}

export interface TestGroup {
  name: string;
  interval: string;
  input_series: InputSeries[];
  alert_rule_test?: AlertRuleTest[];
  promql_expr_test?: PromqlExprTest[];
}

/** The `alert_variant` id of a setting, as the rules name a non-default variant. */
export function variantId(e: EffectiveAlert): string {
  return [`for=${e.for}`, `severity=${e.severity}`, ...(e.window ? [`window=${e.window}`] : [])].join(",");
}

/** The labels every alert of this workload carries (rule labels, HPA identity, extra labels). */
export function workloadAlertLabels(env: Env, w: ResolvedWorkload, alert: AlertName): Record<string, string> {
  const e = w.alerts[alert];
  const labels: Record<string, string> = {
    severity: e.severity,
    event: CATALOG[alert].event,
    namespace: w.namespace,
    horizontalpodautoscaler: w.hpaName,
    workload: w.name,
  };
  if (env.cluster) labels[env.cluster.label] = env.cluster.value;
  for (const [k, v] of Object.entries(w.labels)) if (v !== "") labels[k] = v;
  if (variantId(e) !== variantId(env.rc.alertDefaults[alert])) labels.alert_variant = variantId(e);
  return labels;
}

const DEFINITIONS: ReadonlyMap<AlertName, AlertDefinition> = new Map(
  AREAS.flatMap((a) => a.alerts).map((d) => [d.name, d]),
);

/** When an alert whose condition starts at `start` fires, given its `for` (or window). */
export function fireTime(start: number, forOrWindow: string, windowed: boolean, interval: number): number {
  const d = seconds(forOrWindow);
  if (!windowed) return start + Math.ceil(d / EVAL_INTERVAL - 1e-9) * EVAL_INTERVAL;
  // The window [t - d, t] must no longer hold the last sample before `start`.
  const x = start - interval + d;
  return Math.max(start, Math.floor(x / EVAL_INTERVAL + 1e-9) * EVAL_INTERVAL + EVAL_INTERVAL);
}

/** The description the rule's template gives with this scenario's input at t, if derivable. */
function expectedDescription(
  env: Env,
  io: Inputs,
  alert: AlertName,
  t: number,
  value: number,
  labels: Record<string, string>,
): string | undefined {
  const w = io.w;
  const e = w.alerts[alert];
  if (alert === "AIWorkloadHpaMissing") {
    return expandTemplate(hpaMissingDescription(e.for), { labels, value, vars: {} });
  }
  const def = DEFINITIONS.get(alert);
  if (!def) return undefined;
  const params: ConditionParams = {
    threshold: "",
    window: def.forIsWindow ? e.for : (e.window ?? ""),
    variant: {
      id: variantId(e),
      isDefault: variantId(e) === variantId(env.rc.alertDefaults[alert]),
      for: e.for,
      severity: e.severity,
      ...(e.window ? { window: e.window } : {}),
      workloads: [w],
    },
  };
  const defaultThreshold = env.rc.alertDefaults[alert].threshold;
  const overridden = env.rc.workloads.some(
    (x) => x.alerts[alert].threshold !== undefined && x.alerts[alert].threshold !== defaultThreshold,
  );
  const body = def.description(env.ctx, describer(env.ctx, alert, overridden), params);
  const tl = io.tl;
  const count = (v: number | undefined) => (v === undefined ? "?" : printf0(v));
  const recorded = (series: string) => isRead(series, env.withRules);
  const vars: Record<string, string> = {
    desired: count(tl.at(io.facts.desired, t)),
    current: count(tl.at(io.facts.current, t)),
    min: count(tl.at(io.facts.min, t)),
    max: count(tl.at(io.facts.max, t)),
    available: recorded(SERIES.targetAvailableReplicas) ? count(tl.at(io.facts.available, t)) : "?",
    queueTarget:
      w.queue && recorded(SERIES.queueTarget)
        ? humanize(Number(formatNumber(w.queue.targetPerReplica)))
        : "?",
    threshold: e.threshold === undefined ? "?" : humanize(Number(formatNumber(e.threshold))),
    // The inputs carry no kube_horizontalpodautoscaler_{spec,status}_target_metric series.
    metrics: "",
  };
  const at = (v: number) => expandTemplate(body, { labels, value: v, vars });
  const text = at(value);
  // A number printed at the edge of its rounding would depend on float noise: not exact.
  if (text === undefined || text !== at(value * (1 + 1e-9)) || text !== at(value * (1 - 1e-9)))
    return undefined;
  return text;
}

/** When a firing case fires and stops firing (an alert that cannot fire is expected once). */
function firingSpan(f: Firing, e: EffectiveAlert, interval: number): { from: number; to: number } {
  const from = fireTime(f.start, e.for, f.windowed === true, interval);
  const until = f.until ?? Number.POSITIVE_INFINITY;
  return { from, to: from < until ? until : from + EVAL_INTERVAL };
}

interface Expected {
  readonly labels: Record<string, string>;
  readonly description: string | undefined;
}

/** The promtool test entry of a scenario, or undefined when it asserts nothing. */
export function buildEntry(env: Env, s: Scenario): TestGroup | undefined {
  const interval = s.tl.interval;
  /** Asserted (alert, time) pairs. */
  const points = new Map<string, { alert: AlertName; t: number }>();
  const check = (alert: AlertName, t: number) => {
    if (t >= 0) points.set(`${alert}@${t}`, { alert, t });
  };
  for (const { io, firing, quiet } of s.parts) {
    const w = io.w;
    for (const f of firing) {
      const e = w.alerts[f.alert];
      if (isActive(e)) {
        const { from, to } = firingSpan(f, e, interval);
        check(f.alert, from - EVAL_INTERVAL);
        check(f.alert, from);
        // An event that resolves on its own (a scale event, one lookback long): when it does.
        if (Number.isFinite(to) && to > from + EVAL_INTERVAL) {
          check(f.alert, to - EVAL_INTERVAL);
          check(f.alert, to);
        }
      } else if (env.withRules.has(f.alert)) {
        // Off for this workload, or it lacks the data: the same input must leave it silent until
        // any rule of the alert would have fired.
        check(f.alert, fireTime(f.start, longestFor(env, f.alert), f.windowed === true, interval));
      }
    }
    for (const q of quiet ?? []) {
      const e = w.alerts[q.alert];
      if (!isActive(e)) continue;
      const t = fireTime(q.start, e.for, false, interval);
      check(q.alert, t);
      check(q.alert, t + EVAL_INTERVAL);
    }
  }
  if (points.size === 0) return undefined;

  const expectedAt = (alert: AlertName, t: number): Expected[] =>
    s.parts.flatMap(({ io, firing }) =>
      firing.flatMap((f) => {
        const e = io.w.alerts[f.alert];
        if (f.alert !== alert || !isActive(e)) return [];
        const span = firingSpan(f, e, interval);
        if (t < span.from || t >= span.to) return [];
        const labels = { ...workloadAlertLabels(env, io.w, alert), ...f.labels };
        return [{ labels, description: expectedDescription(env, io, alert, t, f.value(t), labels) }];
      }),
    );

  const alertTests: AlertRuleTest[] = [];
  const exprTests: PromqlExprTest[] = [];
  const sorted = [...points.values()].sort((a, b) => a.t - b.t || a.alert.localeCompare(b.alert));
  for (const { alert, t } of sorted) {
    const expected = expectedAt(alert, t);
    const evalTime = durationText(t);
    if (expected.every((x) => x.description !== undefined)) {
      alertTests.push({
        eval_time: evalTime,
        alertname: alert,
        exp_alerts: expected.map((x) => ({
          exp_labels: x.labels,
          exp_annotations: {
            summary: CATALOG[alert].summary,
            description: x.description as string,
            runbook_url: `${env.rc.monitoring.runbookBaseUrl}#${runbookAnchor(alert)}`,
          },
        })),
      });
    } else {
      // A description that cannot be derived exactly: compare the labels through ALERTS.
      exprTests.push({
        expr: seriesText("ALERTS", { alertname: alert, alertstate: "firing" }),
        eval_time: evalTime,
        exp_samples: expected.map((x) => ({
          labels: seriesText("ALERTS", { alertname: alert, alertstate: "firing", ...x.labels }),
          value: 1,
        })),
      });
    }
  }
  const end = Math.max(...sorted.map((p) => p.t));
  return {
    name: s.name,
    interval: durationText(interval),
    input_series: s.tl.render(end),
    ...(alertTests.length > 0 ? { alert_rule_test: alertTests } : {}),
    ...(exprTests.length > 0 ? { promql_expr_test: exprTests } : {}),
  };
}
