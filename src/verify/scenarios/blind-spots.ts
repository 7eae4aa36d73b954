/**
 * The blind spots (see src/rules/blind-spots.ts):
 *
 * - the sampled workloads' scale targets are reported but not their HPAs, while one HPA that no
 *   workload is configured with is: AIWorkloadHpaMissing fires for each sampled workload at its own
 *   `for` and severity (silent where it is off), AIScalingAlertsMetricsAbsent stays silent;
 * - kube-state-metrics reports the scale targets but no HPA at all: AIScalingAlertsMetricsAbsent
 *   fires at its `for` (never when it is off), AIWorkloadHpaMissing stays silent for every workload.
 */
import { CATALOG, runbookAnchor } from "../../catalog/catalog.js";
import type { ResolvedWorkload } from "../../config/resolve.js";
import { metricsAbsentDescription } from "../../rules/blind-spots.js";
import { KSM } from "../../rules/context.js";
import { heartbeatNamespace } from "../../rules/heartbeat.js";
import type { AlertRuleTest, Part, Scenario, TestGroup } from "./entry.js";
import { fireTime } from "./entry.js";
import { Inputs, longestFor, MIN_REPLICAS, seconds, type Env } from "./inputs.js";
import { durationText, EVAL_INTERVAL, Timeline } from "./timeline.js";

/**
 * The tests of an alert about the alerting itself (not per workload, the heartbeat's namespace):
 * silent one evaluation before `at` and firing at `at`, or silent when it is off.
 */
export function globalAlertTests(
  env: Env,
  name: "AIScalingAlertsHeartbeat" | "AIScalingAlertsMetricsAbsent",
  at: number,
  description: string,
): AlertRuleTest[] {
  const e = env.rc.alertDefaults[name];
  if (!e.enabled)
    return [
      { eval_time: "0s", alertname: name, exp_alerts: [] },
      { eval_time: durationText(at + EVAL_INTERVAL), alertname: name, exp_alerts: [] },
    ];
  return [
    ...(at > 0 ? [{ eval_time: durationText(at - EVAL_INTERVAL), alertname: name, exp_alerts: [] }] : []),
    {
      eval_time: durationText(at),
      alertname: name,
      exp_alerts: [
        {
          exp_labels: {
            severity: e.severity,
            event: CATALOG[name].event,
            namespace: heartbeatNamespace(env.ctx),
          },
          exp_annotations: {
            summary: CATALOG[name].summary,
            description,
            runbook_url: `${env.rc.monitoring.runbookBaseUrl}#${runbookAnchor(name)}`,
          },
        },
      ],
    },
  ];
}

/** A name for an HPA that no configured workload of `namespace` has. */
function unconfiguredHpa(env: Env, namespace: string): string {
  const taken = new Set(env.rc.workloads.filter((w) => w.namespace === namespace).map((w) => w.hpaName));
  let name = "verify-unconfigured-hpa";
  for (let i = 2; taken.has(name); i++) name = `verify-unconfigured-hpa-${i}`;
  return name;
}

/**
 * AIWorkloadHpaMissing: the sampled workloads' scale targets are reported from 0s, their HPAs
 * never; one HPA no workload is configured with is. AIScalingAlertsMetricsAbsent is asserted
 * silent at its `for` (on the first part: it is not per workload, but a workload's settings for it
 * are the config-wide ones).
 */
export function hpaMissingScenario(env: Env, sampled: readonly ResolvedWorkload[]): Scenario {
  const tl = new Timeline(EVAL_INTERVAL);
  const parts: Part[] = sampled.map((w, i) => {
    const io = new Inputs(env, w, tl);
    io.targetSpec(MIN_REPLICAS);
    if (i === 0) io.ksm(KSM.info, { horizontalpodautoscaler: unconfiguredHpa(env, w.namespace) }, 1);
    return {
      io,
      firing: [{ alert: "AIWorkloadHpaMissing", start: 0, value: () => 1 }],
      quiet: i === 0 ? [{ alert: "AIScalingAlertsMetricsAbsent", start: 0 }] : [],
    };
  });
  return {
    name: "the sampled workloads' Deployments and StatefulSets are reported, their HPAs are not",
    tl,
    parts,
  };
}

/**
 * kube-state-metrics reports the sampled workloads' Deployments and StatefulSets but no HPA (down
 * for HPAs, or run without them): AIScalingAlertsMetricsAbsent fires at its `for` (never when it
 * is off), and AIWorkloadHpaMissing, whose condition would otherwise hold for every workload,
 * stays silent.
 */
export function metricsAbsentTest(env: Env, sampled: readonly ResolvedWorkload[]): TestGroup {
  const rc = env.rc;
  const name = "AIScalingAlertsMetricsAbsent";
  const e = rc.alertDefaults.AIScalingAlertsMetricsAbsent;
  const at = fireTime(0, e.for, false, EVAL_INTERVAL);
  const tests = globalAlertTests(
    env,
    name,
    at,
    // The rule escapes `{{` of the selector text as {{ "{{" }}, which renders as `{{`.
    metricsAbsentDescription(env.ctx, e.for).replaceAll('{{ "{{" }}', "{{"),
  );
  if (env.withRules.has("AIWorkloadHpaMissing")) {
    const t = fireTime(0, longestFor(env, "AIWorkloadHpaMissing"), false, EVAL_INTERVAL);
    for (const x of [t, t + EVAL_INTERVAL])
      tests.push({ eval_time: durationText(x), alertname: "AIWorkloadHpaMissing", exp_alerts: [] });
  }
  tests.sort((a, b) => seconds(a.eval_time) - seconds(b.eval_time));
  const tl = new Timeline(EVAL_INTERVAL);
  for (const w of sampled) new Inputs(env, w, tl).targetSpec(MIN_REPLICAS);
  return {
    name: e.enabled
      ? "kube-state-metrics reports Deployments and StatefulSets but no HPA: AIScalingAlertsMetricsAbsent fires"
      : "kube-state-metrics reports Deployments and StatefulSets but no HPA: AIScalingAlertsMetricsAbsent is off",
    interval: durationText(EVAL_INTERVAL),
    input_series: tl.render(Math.max(...tests.map((x) => seconds(x.eval_time)))),
    alert_rule_test: tests,
  };
}
