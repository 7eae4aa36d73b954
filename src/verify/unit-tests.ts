/**
 * promtool unit tests for the rules generated from any config, so that `verify` proves they
 * behave as the user configured them: each active alert fires for each workload exactly when it
 * should (its own `for`, window and threshold), with the workload's severity, labels and
 * annotations, and an alert that is off for a workload (or does not apply to it) stays silent
 * under the very input that would trigger it.
 *
 * The scenarios live in `scenarios/`, one timeline per group of alerts that can share one (see each
 * module); this file picks the workloads, assembles the entries and adds the heartbeat and
 * AIScalingAlertsMetricsAbsent (not per workload; see `scenarios/blind-spots.ts`). The result
 * is plain data for `toYaml`, to run with `promtool test rules` next to the rules as `rules.yml`.
 */
import { isActive, type ResolvedConfig, type ResolvedWorkload } from "../config/resolve.js";
import { HEARTBEAT_DESCRIPTION } from "../rules/heartbeat.js";
import { AREAS } from "../rules/index.js";
import { buildEntry, variantId, type Scenario, type TestGroup } from "./scenarios/entry.js";
import { globalAlertTests, hpaMissingScenario, metricsAbsentTest } from "./scenarios/blind-spots.js";
import { eventsScenario } from "./scenarios/events.js";
import { flappingQuietScenario, idleScenario } from "./scenarios/idle.js";
import { ALERTS_PER_WORKLOAD, makeEnv, seconds, type Env } from "./scenarios/inputs.js";
import { stateScenario } from "./scenarios/state.js";
import { durationText, EVAL_INTERVAL } from "./scenarios/timeline.js";

export { UnitTestInputError } from "./scenarios/selectors.js";
export type { AlertRuleTest, PromqlExprTest, TestGroup } from "./scenarios/entry.js";

/** A promtool unit test file. */
export interface PromtoolTestFile {
  rule_files: string[];
  evaluation_interval: string;
  group_eval_order: string[];
  tests: TestGroup[];
}

export interface UnitTestOptions {
  /**
   * At most this many workloads get tests (default 20), chosen so that every setting of every
   * alert (each variant, `off`, each threshold) is covered by at least one of them: those come
   * first, even beyond the cap.
   */
  readonly maxWorkloads?: number;
}

export const DEFAULT_MAX_WORKLOADS = 20;

/** What a workload exercises: each alert's setting (variant or off) must be covered. */
function settings(w: ResolvedWorkload): string[] {
  return ALERTS_PER_WORKLOAD.map((a) => `${a}=${isActive(w.alerts[a]) ? variantId(w.alerts[a]) : "off"}`);
}

/** Other traits worth covering when there is room: thresholds, kinds, data sources, labels. */
function traits(w: ResolvedWorkload): string[] {
  return [
    ...ALERTS_PER_WORKLOAD.flatMap((a) =>
      isActive(w.alerts[a]) && w.alerts[a].threshold !== undefined
        ? [`${a}:threshold=${w.alerts[a].threshold}`]
        : [],
    ),
    `kind=${w.kind}`,
    `gpu=${w.gpu}`,
    `queue=${w.queue?.metric ?? "none"}`,
    `keda=${w.scaledObjectName !== undefined}`,
    `scaleToZero=${w.scaleToZero}`,
    `labels=${Object.keys(w.labels).sort().join(",")}`,
    `hpaName=${w.hpaName === w.name}`,
  ];
}

/** Greedy cover: repeatedly the workload that covers most of what is not covered yet. */
function cover(
  pool: ResolvedWorkload[],
  chosen: Set<ResolvedWorkload>,
  features: (w: ResolvedWorkload) => string[],
  limit: number,
): void {
  const covered = new Set([...chosen].flatMap(features));
  while (chosen.size < limit) {
    let best: ResolvedWorkload | undefined;
    let bestGain = 0;
    for (const w of pool) {
      if (chosen.has(w)) continue;
      const gain = new Set(features(w).filter((f) => !covered.has(f))).size;
      if (gain > bestGain) [best, bestGain] = [w, gain];
    }
    if (!best) return;
    chosen.add(best);
    for (const f of features(best)) covered.add(f);
  }
}

/** The workloads that get tests, in config order. */
export function sampleWorkloads(
  rc: ResolvedConfig,
  maxWorkloads = DEFAULT_MAX_WORKLOADS,
): ResolvedWorkload[] {
  const pool = [...rc.workloads];
  if (pool.length <= maxWorkloads) return pool;
  const chosen = new Set<ResolvedWorkload>();
  cover(pool, chosen, settings, Number.POSITIVE_INFINITY);
  cover(pool, chosen, traits, maxWorkloads);
  for (const w of pool) if (chosen.size < maxWorkloads) chosen.add(w);
  return pool.filter((w) => chosen.has(w));
}

function scenarios(env: Env, workloads: readonly ResolvedWorkload[]): Scenario[] {
  return [
    stateScenario(env, workloads),
    eventsScenario(env, workloads),
    idleScenario(env, workloads),
    flappingQuietScenario(env, workloads),
    hpaMissingScenario(env, workloads),
  ];
}

/** The heartbeat fires from the first evaluation after its `for`, or never when it is off. */
function heartbeatTest(env: Env): TestGroup {
  const rc = env.rc;
  const hb = rc.alertDefaults.AIScalingAlertsHeartbeat;
  const name = "AIScalingAlertsHeartbeat";
  const at = Math.ceil(seconds(hb.for) / EVAL_INTERVAL - 1e-9) * EVAL_INTERVAL;
  const tests = globalAlertTests(env, name, at, HEARTBEAT_DESCRIPTION);
  return {
    name: hb.enabled ? "heartbeat fires" : "heartbeat is off",
    interval: "30s",
    input_series: [],
    alert_rule_test: tests,
  };
}

/**
 * promtool unit tests for the rules `buildRuleGroups(rc)` generates (expected in `rules.yml`).
 * Throws {@link UnitTestInputError} when the config's selectors admit no test input.
 */
export function buildUnitTests(rc: ResolvedConfig, options: UnitTestOptions = {}): PromtoolTestFile {
  const env = makeEnv(rc);
  const tests: TestGroup[] = [];
  const sampled = sampleWorkloads(rc, options.maxWorkloads);
  for (const s of scenarios(env, sampled)) {
    const entry = buildEntry(env, s);
    if (entry) tests.push(entry);
  }
  tests.push(metricsAbsentTest(env, sampled));
  tests.push(heartbeatTest(env));
  return {
    rule_files: ["rules.yml"],
    evaluation_interval: durationText(EVAL_INTERVAL),
    // The recording groups (facts, config, signals) first, as each evaluation cycle of a real
    // Prometheus sees them after the first: otherwise promtool picks a random group order, and an
    // alert would read the previous cycle's recorded series (one evaluation late, some of the time).
    group_eval_order: [
      ...["state", "facts", "config", "signals"].map((g) => `${rc.name}.${g}`),
      ...AREAS.map((a) => `${rc.name}.${a.area}`),
      `${rc.name}.meta`,
    ],
    tests,
  };
}
