/** The sandbox's pure parts: scenarios, the cluster model, receiver redirection, mute intervals, judging. */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { Ajv2020 } from "ajv/dist/2020.js";
import { generate } from "../src/build.js";
import { ConfigError } from "../src/config/errors.js";
import { loadConfigFile } from "../src/config/load.js";
import { standaloneAlertmanagerConfig } from "../src/render/alertmanager-yaml.js";
import {
  applyStep,
  availableReplicas,
  conditions,
  replicasValue,
  simHpaOf,
} from "../src/sandbox/cluster/model.js";
import { kubeStateMetricsText } from "../src/sandbox/cluster/series.js";
import { scrapeConfigs, selectorLabels } from "../src/sandbox/cluster/exporter.js";
import { judge, routedReceivers, type ExpectedItem, type ReceivedItem } from "../src/sandbox/expectations.js";
import { redirectReceivers } from "../src/sandbox/redirect.js";
import { libraryScenarios, loadScenario, parseScenario } from "../src/sandbox/scenario/load.js";
import { scenarioJsonSchema } from "../src/sandbox/scenario/json-schema.js";
import { periodContains } from "../src/sandbox/time-intervals.js";
import { parse } from "yaml";

describe("scenarios", () => {
  test("the library has the issue's scenarios, each valid against the JSON Schema and the loader", () => {
    const names = libraryScenarios();
    for (const n of [
      "gpu-spike",
      "scale-down-after-spike",
      "metrics-adapter-down",
      "gpu-capacity-shortage",
      "slow-model-load",
      "keda-scale-to-zero",
      "keda-slow-cold-start",
      "keda-scaler-failing",
      "gpu-idle",
      "pinned-min-max",
      "unconfigured-hpa",
    ])
      assert.ok(names.includes(n), `library has ${n}`);
    const validate = new Ajv2020({ strict: false }).compile(scenarioJsonSchema());
    for (const n of names) {
      const raw = parse(readFileSync(`scenarios/${n}.yaml`, "utf8")) as unknown;
      assert.ok(validate(raw), `${n}: ${JSON.stringify(validate.errors)}`);
      assert.equal(loadScenario(n).name, n, "the file name is the scenario's name");
    }
  });

  test("schema/scenario.schema.json is generated from the zod schema (npm run schema)", () => {
    assert.deepEqual(JSON.parse(readFileSync("schema/scenario.schema.json", "utf8")), scenarioJsonSchema());
  });

  test("bad scenarios name each problem with its path", () => {
    const bad = {
      name: "x",
      description: "d",
      duration: "5m",
      steps: [
        { at: "1m", set: { replicas: "max+", colour: 1 } },
        { at: "9m", set: {} },
      ],
      expect: [{ alert: "NoSuchAlert", at: "1m", within: "1m" }],
    };
    assert.throws(
      () => parseScenario(bad, "bad.yaml"),
      (e: unknown) => {
        assert.ok(e instanceof ConfigError);
        const paths = e.problems.map((p) => p.path);
        assert.ok(paths.includes("steps[0].set.replicas"), paths.join());
        assert.ok(paths.includes("steps[0].set.colour"), paths.join());
        assert.ok(paths.includes("expect[0].alert"), paths.join());
        return true;
      },
    );
    const late = {
      ...bad,
      steps: [
        { at: "1m", set: {} },
        { at: "9m", set: {} },
      ],
      expect: [],
    };
    assert.throws(() => parseScenario(late, "late.yaml"), /steps\[0\]\.at: the first step must be at 0s/);
    assert.throws(() => parseScenario(late, "late.yaml"), /steps\[1\]\.at: is after the end of the scenario/);
  });

  test("an unknown scenario names the library", () => {
    assert.throws(() => loadScenario("no-such-scenario"), /library: .*gpu-spike/);
  });
});

describe("the cluster model", () => {
  const rc = generate(loadConfigFile("examples/llm-serving.yaml")).resolved;
  const w = rc.workloads[0];
  assert.ok(w);

  test("replica counts relative to the bounds", () => {
    const h = { min: 2, max: 8 };
    assert.deepEqual(
      [replicasValue(h, "min"), replicasValue(h, "max-1"), replicasValue(h, "min+4"), replicasValue(h, 3)],
      [2, 7, 6, 3],
    );
  });

  test("new pods become available after the startup time; unschedulable ones never", () => {
    const h = simHpaOf(w, 0);
    applyStep(h, { startup: "90s" }, 0, 0);
    applyStep(h, { replicas: "min+4", unschedulable: 1 }, 60_000, 0);
    assert.equal(h.desired, 6);
    assert.equal(availableReplicas(h, 60_000), 2);
    assert.equal(availableReplicas(h, 150_000), 5, "3 of the 4 new pods ready after 90s; 1 unschedulable");
    assert.equal(h.pods.filter((p) => p.unschedulable).length, 1);
    const ksm = kubeStateMetricsText([h], 150_000);
    assert.match(ksm, /kube_pod_status_unschedulable\{namespace="ml-serving",pod="[^"]+"\} 1/);
    assert.match(
      ksm,
      /kube_deployment_status_replicas_available\{namespace="ml-serving",deployment="llm-chat"\} 5/,
    );
  });

  test("conditions follow the state unless set", () => {
    const h = simHpaOf(w, 0);
    assert.deepEqual(conditions(h), { AbleToScale: true, ScalingActive: true, ScalingLimited: false });
    applyStep(h, { replicas: "max" }, 0, 0);
    assert.equal(conditions(h).ScalingLimited, true);
    applyStep(h, { scalingLimited: false, scalingActive: false }, 0, 0);
    assert.deepEqual(conditions(h), { AbleToScale: true, ScalingActive: false, ScalingLimited: false });
  });

  test("scrape jobs carry the labels the config's selectors ask for", () => {
    assert.deepEqual(selectorLabels('job="kubelet", metrics_path="/metrics/cadvisor"', "f"), {
      job: "kubelet",
      metrics_path: "/metrics/cadvisor",
    });
    assert.throws(
      () => selectorLabels('job=~"ksm.*"', "monitoring.kubeStateMetricsSelector"),
      /monitoring.kubeStateMetricsSelector: .* only simulate =/,
    );
    const jobs = scrapeConfigs(rc, 9999).map((j) => j.job_name);
    assert.deepEqual(jobs, [
      "kube-state-metrics",
      "kubelet",
      "dcgm-exporter",
      "inference-server",
      "keda-operator",
    ]);
  });
});

describe("routing in the sandbox", () => {
  const g = generate(loadConfigFile("examples/llm-serving.yaml"));
  const am = standaloneAlertmanagerConfig(g).config;

  test("every receiver with integrations posts to the recorder instead, send_resolved kept, no credential file read", () => {
    const r = redirectReceivers(am, (n) => `http://127.0.0.1:1/r/${n}`);
    const text = JSON.stringify(r);
    assert.ok(!/_file"/.test(text), "no *_file left");
    const slack = r.receivers.find((x) => x.name.endsWith("/team-slack"));
    assert.deepEqual(slack?.webhook_configs, [
      { url: `http://127.0.0.1:1/r/${slack?.name}`, send_resolved: true, max_alerts: 0 },
    ]);
    const feed = r.receivers.find((x) => x.name.endsWith("/scaling-feed"));
    assert.equal(feed?.webhook_configs?.[0]?.send_resolved, false);
    assert.deepEqual(r.route, am.route, "routing tree unchanged");
    assert.deepEqual(r.inhibit_rules, am.inhibit_rules, "inhibitions unchanged");
    assert.deepEqual(r.time_intervals, am.time_intervals, "time intervals unchanged");
  });

  test("mute intervals are evaluated in their location", () => {
    const p = { times: [{ start_time: "22:00", end_time: "24:00" }], location: "Europe/Berlin" };
    assert.equal(
      periodContains(p, new Date("2026-01-15T21:30:00Z")),
      true,
      "22:30 in Berlin (winter, UTC+1)",
    );
    assert.equal(
      periodContains(p, new Date("2026-07-15T21:30:00Z")),
      true,
      "23:30 in Berlin (summer, UTC+2)",
    );
    assert.equal(periodContains(p, new Date("2026-01-15T20:30:00Z")), false, "21:30 in Berlin");
    assert.equal(
      periodContains({ weekdays: ["sunday"] }, new Date("2026-11-29T12:00:00Z")),
      true,
      "a Sunday",
    );
    assert.equal(
      periodContains({ weekdays: ["monday:friday"] }, new Date("2026-11-29T12:00:00Z")),
      false,
      "not a weekday",
    );
    assert.equal(
      periodContains({ days_of_month: ["-1"] }, new Date("2026-02-28T12:00:00Z")),
      true,
      "last day of February",
    );
  });

  test("a scale event goes to the scaling feed, except when quiet hours mute it", () => {
    const labels = {
      alertname: "AIWorkloadScaledUp",
      namespace: "ml-serving",
      severity: "info",
      event: "scaled_up",
      workload: "llm-chat",
    };
    const quiet = am.time_intervals?.find((t) => t.name.endsWith("quiet-hours"));
    assert.ok(quiet);
    const inQuiet = [new Date("2026-06-01T23:30:00Z"), new Date("2026-06-01T12:00:00Z")].map((d) =>
      quiet.time_intervals.some((p) => periodContains(p, d)),
    );
    assert.deepEqual(inQuiet, [true, false]);
    assert.deepEqual(routedReceivers(am, labels, new Date("2026-06-01T12:00:00Z")), ["scaling-feed"]);
    assert.deepEqual(routedReceivers(am, labels, new Date("2026-06-01T23:30:00Z")), []);
    assert.deepEqual(routedReceivers(am, { ...labels, severity: "critical", event: "at_max" }, new Date()), [
      "oncall-pagerduty",
      "oncall-opsgenie",
      "team-slack",
      "team-teams",
      "team-email",
    ]);
  });
});

describe("judging a run", () => {
  const exp = (o: Partial<ExpectedItem>): ExpectedItem => ({
    alertname: "A",
    workload: "w",
    receiver: "r",
    status: "firing",
    labels: {},
    from: 60,
    to: 180,
    ...o,
  });
  const got = (o: Partial<ReceivedItem>): ReceivedItem => ({
    t: 100,
    receiver: "r",
    alertname: "A",
    workload: "w",
    status: "firing",
    labels: {},
    fingerprint: "f1",
    ...o,
  });

  test("met, late, unexpected, repeated and resolved notifications", () => {
    const v = judge(
      [exp({}), exp({ alertname: "B", from: 0, to: 30 })],
      [
        got({}),
        got({ t: 200 }), // a repeat of f1: accounted for
        got({ t: 210, status: "resolved" }), // its resolution: accounted for
        got({ alertname: "B", t: 45, fingerprint: "f2" }), // late: misses B, and is unexpected
        got({ alertname: "AIScalingAlertsHeartbeat", workload: undefined, fingerprint: "hb" }),
      ],
    );
    assert.deepEqual(
      v.expectations.map((e) => e.ok),
      [true, false],
    );
    assert.deepEqual(
      v.unexpected.map((u) => `${u.alertname}@${u.t}`),
      ["B@45"],
    );
  });

  test("labels must match: a step with other replicas does not meet the expectation", () => {
    const v = judge([exp({ labels: { replicas: "6" } })], [got({ labels: { replicas: "8" } })]);
    assert.equal(v.expectations[0]?.ok, false);
    assert.equal(v.unexpected.length, 1);
  });
});
