/**
 * The dashboard's queries on the real Prometheus of a sandbox run: during a library scenario, with
 * the generated rules loaded, every panel, annotation and variable query of the dashboard runs
 * without error, the ones that must show data for that scenario return series, and the scale
 * events the dashboard annotates are the ones the sandbox's timeline shows. A missing binary fails.
 */
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { generate } from "../src/build.js";
import { loadConfigFile } from "../src/config/load.js";
import type { Config } from "../src/config/schema.js";
import {
  DASHBOARD_VARS,
  interpolate,
  labelValuesQuery,
  panelQueries,
  type DashboardQuery,
} from "../src/dashboard/index.js";
import { SCALE_EVENT_ALERTS } from "../src/dashboard/queries.js";
import { stopAll } from "../src/sandbox/index.js";
import { pickWorkload, runSandbox } from "../src/sandbox/run.js";
import { loadScenario } from "../src/sandbox/scenario/load.js";
import type { SandboxTimeline } from "../src/sandbox/timeline.js";

after(() => stopAll());

const SPEED = 30;

interface Answer {
  readonly query: DashboardQuery;
  readonly promql: string;
  /** Prometheus refused the query (HTTP 400/422): its error. */
  readonly error?: string;
  /** Series returned (label sets). */
  readonly series: readonly Record<string, string>[];
}

/** A query Prometheus could not answer (not up yet, or the run ended): the pass is dropped, not failed. */
class Unreachable extends Error {}

async function ask(base: string, q: DashboardQuery, promql: string, start: number): Promise<Answer> {
  const now = Date.now() / 1000;
  const params = q.instant
    ? new URLSearchParams({ query: promql, time: String(now) })
    : new URLSearchParams({ query: promql, start: String(start), end: String(now), step: "1" });
  let res: Response;
  try {
    res = await fetch(`${base}/api/v1/${q.instant ? "query" : "query_range"}?${params}`, {
      signal: AbortSignal.timeout(10_000),
    });
  } catch (e) {
    throw new Unreachable(String(e));
  }
  // Prometheus answers 503 (plain text) while it starts or shuts down: the run is not at its queries.
  if (res.status === 503) throw new Unreachable(`HTTP 503: ${await res.text()}`);
  const body = (await res.json()) as {
    status: string;
    error?: string;
    data?: { result: { metric: Record<string, string> }[] };
  };
  if (body.status !== "success")
    return { query: q, promql, error: body.error ?? `HTTP ${res.status}`, series: [] };
  return { query: q, promql, series: (body.data?.result ?? []).map((r) => r.metric) };
}

/**
 * Runs a scenario and, while it runs, every query of the dashboard again and again (range queries
 * from the start of the run); returns the timeline and the last complete pass.
 */
async function runWithDashboard(
  config: Config,
  scenarioName: string,
): Promise<{ timeline: SandboxTimeline; answers: Answer[]; values: Record<string, string> }> {
  const g = generate(config);
  assert.ok(g.dashboard);
  const scenario = loadScenario(scenarioName);
  const w = pickWorkload(g.resolved, scenario.workload.needs);
  const values: Record<string, string> = {
    [DASHBOARD_VARS.datasource]: "prometheus",
    [DASHBOARD_VARS.namespace]: w.namespace,
    [DASHBOARD_VARS.workload]: w.name,
    [DASHBOARD_VARS.hpa]: w.hpaName,
    [DASHBOARD_VARS.scaledObject]: w.scaledObjectName ?? "",
    __rate_interval: "20s",
    __interval: "1s",
    __range: "10m",
  };
  const queries = panelQueries(g.dashboard);
  let base: string | undefined;
  let started = 0;
  let inFlight: Promise<void> | undefined;
  let last: Answer[] = [];
  const pass = async (): Promise<void> => {
    try {
      const answers: Answer[] = [];
      for (const q of queries) {
        const text = interpolate(q.expr, values);
        const promql = labelValuesQuery(text)?.selector ?? text;
        answers.push(await ask(base as string, q, promql, started));
      }
      last = answers;
    } catch (e) {
      if (!(e instanceof Unreachable)) throw e;
    }
  };
  const timeline = await runSandbox({
    config,
    scenario,
    speed: SPEED,
    log: (line) => {
      const m = /^sandbox: Prometheus (http:\/\/127\.0\.0\.1:\d+),/.exec(line);
      if (m) {
        base = m[1];
        started = Date.now() / 1000;
      } else if (base && !inFlight && /^\s*\d+:\d\d\s/.test(line)) {
        // Each new line of the live timeline starts a pass, one at a time.
        inFlight = pass().finally(() => (inFlight = undefined));
      }
    },
  });
  await inFlight;
  assert.ok(base, "the sandbox logged its Prometheus address");
  assert.ok(
    last.length === queries.length,
    "a complete pass of the dashboard's queries ran during the scenario",
  );
  return { timeline, answers: last, values };
}

const find = (answers: readonly Answer[], owner: string, refId?: string): Answer => {
  const a = answers.find((x) => x.query.owner === owner && (refId === undefined || x.query.refId === refId));
  assert.ok(a, `a query ${owner} ${refId ?? ""}`);
  return a;
};

function assertNoErrors(answers: readonly Answer[]): void {
  const errors = answers
    .filter((a) => a.error !== undefined)
    .map((a) => `${a.query.owner} ${a.query.refId}: ${a.error}`);
  assert.deepEqual(errors, [], "every query of the dashboard runs without error");
}

function assertData(answers: readonly Answer[], must: readonly [string, string?][]): void {
  const empty = must
    .map(([owner, refId]) => find(answers, owner, refId))
    .filter((a) => a.series.length === 0)
    .map((a) => `${a.query.owner} ${a.query.refId}: ${a.promql}`);
  assert.deepEqual(empty, [], "the queries that must show data for this scenario return series");
}

/** The scale events the dashboard annotates, and those the sandbox's timeline shows, for the workload. */
function assertSameScaleEvents(answers: readonly Answer[], t: SandboxTimeline, workload: string): void {
  const key = (l: Readonly<Record<string, string>>) => `${l.alertname}:${l.replicas ?? ""}`;
  const annotated = find(answers, "Scale events").series.map(key).sort();
  const timeline = t.alerts
    .filter(
      (a) =>
        a.workload === workload &&
        a.firingAt !== undefined &&
        SCALE_EVENT_ALERTS.includes(a.alertname as never),
    )
    .map((a) => key(a.labels))
    .sort();
  assert.ok(timeline.length > 0, "the scenario has scale events");
  assert.deepEqual([...new Set(annotated)], [...new Set(timeline)]);
}

describe("the dashboard on the real Prometheus during a scenario", { concurrency: 2 }, () => {
  test("gpu-spike (examples/llm-serving.yaml): every query runs, the GPU workload's panels show data", async () => {
    const { timeline, answers, values } = await runWithDashboard(
      loadConfigFile("examples/llm-serving.yaml"),
      "gpu-spike",
    );
    if (!timeline.passed) console.log(JSON.stringify(timeline.expectations.filter((e) => !e.ok)));
    assertNoErrors(answers);
    assertData(answers, [
      ["Replicas: desired, current, available against min and max", "A"],
      ["Replicas: desired, current, available against min and max", "B"],
      ["Replicas: desired, current, available against min and max", "C"],
      ["Replicas: desired, current, available against min and max", "D"],
      ["Replicas: desired, current, available against min and max", "E"],
      ["HPA conditions"],
      ["HPA metrics against their targets", "A"],
      ["HPA metrics against their targets", "B"],
      ["GPU utilisation"],
      ["Queue per replica against its target", "A"],
      ["Queue per replica against its target", "B"],
      ["Unschedulable pods"],
      ["Catalog alerts of the workload"],
      ["Firing now"],
      ["Scale events"],
      ["Catalog alerts"],
      [DASHBOARD_VARS.namespace],
      [DASHBOARD_VARS.workload],
      [DASHBOARD_VARS.hpa],
    ]);
    // The variables offer the driven workload.
    const wl = find(answers, DASHBOARD_VARS.workload).series.map((s) => s.workload);
    assert.ok(wl.includes(values[DASHBOARD_VARS.workload] as string), wl.join(", "));
    // Max replicas reached 8 and the GPU alerts' thresholds show: the numbers are the scenario's.
    const conditions = find(answers, "HPA conditions")
      .series.map((s) => s.condition)
      .sort();
    assert.deepEqual(conditions, ["AbleToScale", "ScalingActive", "ScalingLimited"]);
    assertSameScaleEvents(answers, timeline, values[DASHBOARD_VARS.workload] as string);
  });

  test("keda-scale-to-zero (examples/batch-llm-keda.yaml): the KEDA and cold-start panels show data", async () => {
    const { timeline, answers, values } = await runWithDashboard(
      loadConfigFile("examples/batch-llm-keda.yaml"),
      "keda-scale-to-zero",
    );
    if (!timeline.passed) console.log(JSON.stringify(timeline.expectations.filter((e) => !e.ok)));
    assertNoErrors(answers);
    assertData(answers, [
      ["Replicas: desired, current, available against min and max", "A"],
      ["KEDA scaler activity", "A"],
      ["KEDA scaler activity", "B"],
      ["KEDA scaler activity", "C"],
      ["Scale to zero and cold starts"],
      ["Scale events"],
      [DASHBOARD_VARS.scaledObject],
    ]);
    const cold = find(answers, "Scale to zero and cold starts")
      .series.map((s) => s.alertname)
      .sort();
    assert.deepEqual(cold, ["AIWorkloadColdStart", "AIWorkloadScaledToZero"]);
    assertSameScaleEvents(answers, timeline, values[DASHBOARD_VARS.workload] as string);
  });
});
