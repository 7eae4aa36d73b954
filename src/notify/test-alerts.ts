/**
 * The synthetic alerts of `test-notify`: for each receiver of the merged Alertmanager
 * configuration, one alert of the catalog that the routing tree sends to it, with exactly the
 * labels that alert carries when it really fires (plus `test="true"` and a `test_run` that tells
 * runs apart), so that posting them checks on the real cluster that every receiver gets its
 * message. Pure: the caller gives the time and posts the alerts.
 */
import {
  configMatchers,
  inhibited,
  matchesAll,
  matchRoutes,
  type AlertmanagerYaml,
  type LabelSet,
} from "../operator-merge/index.js";
import { CATALOG, runbookAnchor, type AlertName } from "../catalog/catalog.js";
import type { ResolvedConfig } from "../config/resolve.js";
import { configReceiverName } from "../sandbox/redirect.js";
import { routeHeldBack } from "../sandbox/time-intervals.js";
import { alertInstances, type AlertInstance } from "../verify/alert-labels.js";
import { receiverKind } from "../verify/coverage.js";

/** The label every test alert carries: `test="true"`. */
export const TEST_LABEL = "test";
/** The label naming the run, so a second run is a new alert that Alertmanager notifies again. */
export const TEST_RUN_LABEL = "test_run";
/** How long a test alert lives before it resolves by itself (its `endsAt`). */
export const TEST_ALERT_LIFETIME_MS = 5 * 60_000;

/** One synthetic alert, ready for `POST /api/v2/alerts`. */
export interface TestAlert {
  readonly alert: AlertName;
  /** `<namespace>/<workload>`, undefined for the heartbeat. */
  readonly workload?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly startsAt: string;
  readonly endsAt: string;
  /** The receivers this alert was chosen to test. */
  readonly targets: readonly string[];
  /** Every receiver the configuration routes it to, in routing-tree order (as `amtool config routes test`). */
  readonly predicted: readonly string[];
}

/** One receiver under test. */
export interface TargetReceiver {
  /** Its name in the merged configuration (`<namespace>/<object>/<receiver>` for the operator's). */
  readonly receiver: string;
  /** Index in {@link TestPlan.alerts} of the alert sent for it; undefined when no alert routes to it. */
  readonly alert?: number;
  /** Why Alertmanager will not notify it now although the alert routes to it (a time interval). */
  readonly muted?: string;
}

/** What `test-notify` sends. */
export interface TestPlan {
  readonly runId: string;
  readonly alerts: readonly TestAlert[];
  readonly targets: readonly TargetReceiver[];
}

export interface PlanOptions {
  /** The moment of posting: `startsAt`, and the time intervals are judged at it. */
  readonly now: Date;
  /** Only the receivers with this name, merged (`ns/object/name`) or as the config calls it (`name`). */
  readonly receiver?: string;
}

/**
 * Whether two receiver names name the same receiver: equal, or, when either is the plain name
 * the config gives it (`team-slack`), equal to the last part of the other (the operator's merge
 * names it `<namespace>/<object>/team-slack`).
 */
export function sameReceiver(a: string, b: string): boolean {
  if (a === b) return true;
  const qualified = (n: string) => n.split("/").length === 3;
  return !(qualified(a) && qualified(b)) && configReceiverName(a) === configReceiverName(b);
}

/**
 * The receivers to test: those of the merged configuration that deliver (have integrations),
 * limited to `receiver` when given.
 */
export function receiversToTest(config: AlertmanagerYaml, receiver?: string): string[] {
  return config.receivers
    .filter((r) => receiverKind(r) !== "drop")
    .map((r) => r.name)
    .filter((n) => receiver === undefined || sameReceiver(n, receiver));
}

/** Why the route ending at `receiver` does not notify at `at`, if it does not. */
function mutedReason(
  config: AlertmanagerYaml,
  labels: LabelSet,
  receiver: string,
  at: Date,
): string | undefined {
  for (const m of matchRoutes(config.route, labels)) {
    if (m.receiver !== receiver) continue;
    return routeHeldBack(config, m.route, at);
  }
  return undefined;
}

interface Candidate {
  readonly instance: AlertInstance;
  readonly labels: Record<string, string>;
  readonly predicted: string[];
  /** Whether it mutes other alerts while it fires (matches an inhibit rule's source side). */
  readonly inhibits: boolean;
  readonly muted: ReadonlyMap<string, string>;
}

function candidates(rc: ResolvedConfig, config: AlertmanagerYaml, runId: string, at: Date): Candidate[] {
  const sources = (config.inhibit_rules ?? []).map((r) =>
    configMatchers(r.source_matchers, r.source_match, r.source_match_re),
  );
  return alertInstances(rc).map((instance) => {
    const labels = { ...instance.labels, [TEST_LABEL]: "true", [TEST_RUN_LABEL]: runId };
    const predicted = matchRoutes(config.route, labels).map((m) => m.receiver);
    const muted = new Map<string, string>();
    for (const r of predicted) {
      const why = mutedReason(config, labels, r, at);
      if (why) muted.set(r, why);
    }
    return {
      instance,
      labels,
      predicted,
      inhibits: sources.some((s) => matchesAll(s, labels)),
      muted,
    };
  });
}

/**
 * Picks the alerts, greedily: each round takes the alert that reaches the most receivers not yet
 * covered, preferring, in this order, an alert that mutes nothing (a test must not silence a real
 * alert through an inhibit rule), one that the alerts already chosen do not mute, receivers it
 * reaches unmuted now, and the fewest other receivers (a warning rather than a page when only chat
 * is tested).
 */
function choose(config: AlertmanagerYaml, all: readonly Candidate[], wanted: readonly string[]): Candidate[] {
  const chosen: Candidate[] = [];
  const open = new Set(wanted);
  const delivering = new Set(receiversToTest(config));
  for (;;) {
    let best: { c: Candidate; score: number[] } | undefined;
    for (const c of all) {
      if (chosen.includes(c)) continue;
      const covers = [...new Set(c.predicted)].filter((r) => open.has(r));
      if (covers.length === 0) continue;
      const muted = inhibited(config.inhibit_rules ?? [], [...chosen.map((x) => x.labels), c.labels]);
      const score = [
        c.inhibits ? 0 : 1,
        muted.length === 0 ? 1 : 0,
        covers.filter((r) => !c.muted.has(r)).length,
        covers.length,
        -c.predicted.filter((r) => delivering.has(r) && !open.has(r)).length,
      ];
      if (!best || better(score, best.score)) best = { c, score };
    }
    if (!best) return chosen;
    chosen.push(best.c);
    for (const r of best.c.predicted) open.delete(r);
  }
}

function better(a: readonly number[], b: readonly number[]): boolean {
  for (const [i, x] of a.entries()) {
    const y = b[i] ?? 0;
    if (x !== y) return x > y;
  }
  return false;
}

function annotations(
  rc: ResolvedConfig,
  c: Candidate,
  targets: readonly string[],
  endsAt: string,
): Record<string, string> {
  const alert = c.instance.alert;
  const about = c.instance.workload ? ` of ${c.instance.workload}` : "";
  return {
    summary: `TEST, no action needed: ${CATALOG[alert].summary}`,
    description:
      `A test notification sent by ai-scaling-alerts test-notify: ${alert}${about} exactly as the ` +
      `catalog labels it, to check that ${targets.map(configReceiverName).join(", ")} receive it. ` +
      `Nothing is wrong with the workload; the alert resolves by itself at ${endsAt}.`,
    runbook_url: `${rc.monitoring.runbookBaseUrl}#${runbookAnchor(alert)}`,
  };
}

/**
 * The test alerts for a config and its merged Alertmanager configuration: one alert per receiver
 * (an alert may serve several), each receiver with the alert chosen for it, or none when no alert
 * of the catalog routes to it.
 */
export function planTestAlerts(rc: ResolvedConfig, config: AlertmanagerYaml, options: PlanOptions): TestPlan {
  const runId = options.now.toISOString();
  const wanted = receiversToTest(config, options.receiver);
  const chosen = choose(config, candidates(rc, config, runId, options.now), wanted);
  const startsAt = options.now.toISOString();
  const endsAt = new Date(options.now.getTime() + TEST_ALERT_LIFETIME_MS).toISOString();
  const targetsOf = (c: Candidate, i: number) =>
    wanted.filter((r) => chosen.findIndex((x) => x.predicted.includes(r)) === i && c.predicted.includes(r));
  const alerts = chosen.map((c, i): TestAlert => {
    const targets = targetsOf(c, i);
    return {
      alert: c.instance.alert,
      ...(c.instance.workload !== undefined ? { workload: c.instance.workload } : {}),
      labels: c.labels,
      annotations: annotations(rc, c, targets, endsAt),
      startsAt,
      endsAt,
      targets,
      predicted: c.predicted,
    };
  });
  const targets = wanted.map((receiver): TargetReceiver => {
    const i = chosen.findIndex((c) => c.predicted.includes(receiver));
    const muted = chosen[i]?.muted.get(receiver);
    return { receiver, ...(i >= 0 ? { alert: i } : {}), ...(muted ? { muted } : {}) };
  });
  return { runId, alerts, targets };
}
