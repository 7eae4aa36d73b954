/** Config validation: every rule, every problem reported at once with its path, and the defaults. */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { Ajv2020 } from "ajv/dist/2020.js";
import { parse } from "yaml";
import { readFileSync } from "node:fs";
import { ConfigError } from "../src/config/errors.js";
import { configJsonSchema } from "../src/config/json-schema.js";
import { loadConfigFile, parseConfig, parseConfigYaml } from "../src/config/load.js";
import { resolveConfig } from "../src/config/resolve.js";

const EXAMPLE = join(import.meta.dirname, "..", "examples", "llm-serving.yaml");

/** A minimal valid config, to be spread and broken one field at a time. */
function base(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    namespace: "ml",
    workloads: [
      {
        name: "llm",
        autoscaling: { minReplicas: 1, maxReplicas: 4, metrics: [{ type: "cpu", targetUtilization: 80 }] },
      },
    ],
    ...extra,
  };
}

/** The problems a config yields, as "path: message" lines. */
function problems(input: unknown): string[] {
  try {
    parseConfig(input);
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected ConfigError, got ${String(e)}`);
    return e.problems.map((p) => `${p.path}: ${p.message}`);
  }
  return [];
}

function assertProblem(input: unknown, path: string, message: RegExp): void {
  const found = problems(input);
  assert.ok(
    found.some((p) => p.startsWith(`${path}: `) && message.test(p.slice(path.length + 2))),
    `expected a problem at ${path} matching ${message}; got:\n${found.join("\n")}`,
  );
}

const workload = (w: Record<string, unknown>) =>
  base({ workloads: [{ name: "llm", existingHpa: true, ...w }] });

describe("config: the bundled example", () => {
  it("is valid and resolves its two workloads", () => {
    const rc = resolveConfig(loadConfigFile(EXAMPLE));
    assert.deepEqual(
      rc.workloads.map((w) => [w.namespace, w.name, w.hpaName, w.gpu, w.queue?.metric]),
      [
        ["ml-serving", "llm-chat", "llm-chat", true, "vllm:num_requests_waiting"],
        ["ml-serving", "embeddings", "embeddings", false, undefined],
      ],
    );
  });
});

describe("config: structural validation", () => {
  it("reports every problem at once, each with its path", () => {
    const found = problems({
      namespace: "Bad_NS",
      workloads: [
        {
          name: "x",
          kindd: "Deployment",
          autoscaling: { minReplicas: 2, maxReplicas: 1, metrics: [{ type: "gpux" }] },
        },
      ],
    });
    assert.deepEqual(found.sort(), [
      "namespace: expected a namespace name (lower-case letters, digits and '-', at most 63), got \"Bad_NS\"",
      "workloads[0].autoscaling.maxReplicas: must be >= minReplicas (2), got 1",
      "workloads[0].autoscaling.metrics[0].type: expected a metric with type cpu, memory, gpu, queue, preset, prometheus, pods, object or external",
      "workloads[0].kindd: unknown key (check the spelling; see the config reference)",
    ]);
  });

  it("rejects unknown keys at every level", () => {
    assertProblem(base({ monitorin: {} }), "monitorin", /unknown key/);
    assertProblem(base({ monitoring: { gpu: { metrc: "x" } } }), "monitoring.gpu.metrc", /unknown key/);
    assertProblem(
      workload({ alerts: { AIWorkloadAtMaxReplica: {} } }),
      "workloads[0].alerts.AIWorkloadAtMaxReplica",
      /unknown key/,
    );
    assertProblem(
      workload({ alerts: { AIWorkloadAtMaxReplicas: { threshold: 3 } } }),
      "workloads[0].alerts.AIWorkloadAtMaxReplicas.threshold",
      /unknown key/,
    );
  });

  it("requires workloads, and names the missing field", () => {
    assertProblem({}, "workloads", /required/);
    assertProblem(base({ workloads: [] }), "workloads", /at least one workload/);
    assertProblem(base({ workloads: [{ existingHpa: true }] }), "workloads[0].name", /required/);
  });

  it("checks names, durations, severities and thresholds", () => {
    assertProblem(workload({ name: "LLM_chat" }), "workloads[0].name", /Kubernetes name.*"LLM_chat"/);
    assertProblem(
      workload({ alerts: { AIWorkloadAtMaxReplicas: { for: "5 minutes" } } }),
      "workloads[0].alerts.AIWorkloadAtMaxReplicas.for",
      /duration.*"5 minutes"/,
    );
    assertProblem(
      workload({ alerts: { AIWorkloadAtMaxReplicas: { severity: "page" } } }),
      "workloads[0].alerts.AIWorkloadAtMaxReplicas.severity",
      /critical/,
    );
    assertProblem(
      workload({ alerts: { AIWorkloadGpuSaturated: { threshold: 150 } } }),
      "workloads[0].alerts.AIWorkloadGpuSaturated.threshold",
      /<= 100/,
    );
    assertProblem(workload({ labels: { "bad-label": "x" } }), "workloads[0].labels.bad-label", /label name/);
    assertProblem(
      workload({ labels: { severity: "x" } }),
      "workloads[0].labels.severity",
      /cannot be overridden/,
    );
  });

  it("wants either autoscaling or existingHpa, not both and not neither", () => {
    assertProblem(base({ workloads: [{ name: "x" }] }), "workloads[0].autoscaling", /existingHpa: true/);
    assertProblem(
      base({
        workloads: [
          {
            name: "x",
            existingHpa: true,
            autoscaling: {
              minReplicas: 1,
              maxReplicas: 2,
              metrics: [{ type: "cpu", targetUtilization: 50 }],
            },
          },
        ],
      }),
      "workloads[0].existingHpa",
      /not both/,
    );
  });

  it("checks autoscaling bounds and metrics", () => {
    const as = (a: Record<string, unknown>) =>
      base({
        workloads: [
          {
            name: "x",
            autoscaling: {
              minReplicas: 1,
              maxReplicas: 2,
              metrics: [{ type: "cpu", targetUtilization: 50 }],
              ...a,
            },
          },
        ],
      });
    assertProblem(
      as({ minReplicas: 0 }),
      "workloads[0].autoscaling.minReplicas",
      /scale to zero needs engine: keda/,
    );
    assertProblem(as({ metrics: [] }), "workloads[0].autoscaling.metrics", /at least one metric/);
    assertProblem(
      as({
        metrics: [
          { type: "cpu", targetUtilization: 50 },
          { type: "cpu", targetUtilization: 60 },
        ],
      }),
      "workloads[0].autoscaling.metrics[1].type",
      /given twice/,
    );
    assertProblem(
      as({ metrics: [{ type: "queue", server: "ollama", targetPerReplica: 4 }] }),
      "workloads[0].autoscaling.metrics[0].server",
      /vllm/,
    );
    assertProblem(
      as({ metrics: [{ type: "queue", server: "vllm", targetPerReplica: 0.0001 }] }),
      "workloads[0].autoscaling.metrics[0].targetPerReplica",
      /3 decimal places/,
    );
    assertProblem(
      as({ metrics: [{ type: "external", name: "q", value: 1, averageValue: 2 }] }),
      "workloads[0].autoscaling.metrics[0]",
      /exactly one of value or averageValue/,
    );
    assertProblem(
      as({ metrics: [{ type: "pods", name: "q", averageValue: "1.2.3" }] }),
      "workloads[0].autoscaling.metrics[0].averageValue",
      /quantity/,
    );
    assertProblem(
      as({ behavior: { scaleDown: { stabilizationWindowSeconds: 7200 } } }),
      "workloads[0].autoscaling.behavior.scaleDown.stabilizationWindowSeconds",
      /3600/,
    );
  });

  it("refuses a queue signal that contradicts the queue metric", () => {
    assertProblem(
      base({
        workloads: [
          {
            name: "x",
            autoscaling: {
              minReplicas: 1,
              maxReplicas: 2,
              metrics: [{ type: "queue", server: "vllm", targetPerReplica: 8 }],
            },
            signals: { queue: { server: "tgi", targetPerReplica: 8 } },
          },
        ],
      }),
      "workloads[0].signals.queue",
      /conflicts/,
    );
  });

  it("never accepts an inline credential", () => {
    const n = {
      receivers: [{ name: "s", type: "slack", apiUrl: "https://hooks.slack.com/services/T0/B0/XYZ" }],
    };
    assertProblem(
      base({ notifications: n }),
      "notifications.receivers[0].apiUrl",
      /inline credentials are not allowed/,
    );
    assertProblem(
      base({ notifications: { receivers: [{ name: "p", type: "pagerduty" }] } }),
      "notifications.receivers[0].routingKey",
      /required: a Secret reference/,
    );
    assertProblem(
      base({
        notifications: { receivers: [{ name: "p", type: "pagerduty", routingKey: { secret: "pd" } }] },
      }),
      "notifications.receivers[0].routingKey.key",
      /required/,
    );
  });

  it("checks receiver types and matchers", () => {
    assertProblem(
      base({ notifications: { receivers: [{ name: "x", type: "wechat" }] } }),
      "notifications.receivers[0].type",
      /slack, email, webhook, pagerduty, opsgenie, msteams, msteamsv2, discord, telegram, webex or sns/,
    );
    const receivers = [{ name: "w", type: "webhook", url: { secret: "w", key: "url" } }];
    assertProblem(
      base({ notifications: { receivers, routes: [{ receiver: "w", matchers: ["severity critical"] }] } }),
      "notifications.routes[0].matchers[0]",
      /expected a matcher such as severity="critical"/,
    );
  });
});

describe("config: cross-references", () => {
  const receivers = [{ name: "w", type: "webhook", url: { secret: "w", key: "url" } }];

  it("names a route's unknown receiver and lists the defined ones", () => {
    assertProblem(
      base({ notifications: { receivers, routes: [{ receiver: "pager" }] } }),
      "notifications.routes[0].receiver",
      /receiver pager is not defined \(defined: w\)/,
    );
  });

  it("finds duplicate receivers, workloads, HPAs and time intervals", () => {
    assertProblem(
      base({ notifications: { receivers: [...receivers, ...receivers] } }),
      "notifications.receivers[1].name",
      /duplicate receiver/,
    );
    assertProblem(
      base({
        workloads: [
          { name: "a", existingHpa: true },
          { name: "a", existingHpa: true },
        ],
      }),
      "workloads[1].name",
      /duplicate of workloads\[0\]/,
    );
    assertProblem(
      base({
        workloads: [
          { name: "a", existingHpa: true },
          { name: "b", hpaName: "a", existingHpa: true },
        ],
      }),
      "workloads[1].hpaName",
      /already used by workloads\[0\]/,
    );
    const ti = { name: "night", intervals: [{ times: [{ start: "00:00", end: "06:00" }] }] };
    assertProblem(
      base({ notifications: { receivers, timeIntervals: [ti, ti] } }),
      "notifications.timeIntervals[1].name",
      /duplicate time interval/,
    );
  });

  it('reserves the catch-all receiver\'s name and keeps "..." alone in groupBy', () => {
    assertProblem(
      base({ notifications: { receivers: [{ ...receivers[0], name: "ai-scaling-alerts-unrouted" }] } }),
      "notifications.receivers[0].name",
      /reserved/,
    );
    assertProblem(
      base({ notifications: { receivers, groupBy: ["...", "namespace"] } }),
      "notifications.groupBy",
      /only entry/,
    );
  });

  it("checks time intervals like the CRD does", () => {
    const ti = (i: Record<string, unknown>) =>
      base({ notifications: { receivers, timeIntervals: [{ name: "t", intervals: [i] }] } });
    assertProblem(
      ti({ months: ["smarch"] }),
      "notifications.timeIntervals[0].intervals[0].months[0]",
      /month/,
    );
    assertProblem(
      ti({ weekdays: ["funday"] }),
      "notifications.timeIntervals[0].intervals[0].weekdays[0]",
      /weekday/,
    );
    assertProblem(
      ti({ daysOfMonth: [{ start: 1, end: 40 }] }),
      "notifications.timeIntervals[0].intervals[0].daysOfMonth[0].end",
      /31/,
    );
    assertProblem(
      ti({ times: [{ start: "9am", end: "17:00" }] }),
      "notifications.timeIntervals[0].intervals[0].times[0].start",
      /HH:MM/,
    );
  });

  it("names undefined time intervals", () => {
    assertProblem(
      base({ notifications: { receivers: [{ ...receivers[0], muteTimeIntervals: ["weekend"] }] } }),
      "notifications.receivers[0].muteTimeIntervals[0]",
      /weekend is not defined/,
    );
  });

  it("catches an AlertmanagerConfig namespace that OnNamespace would make deaf to a workload", () => {
    assertProblem(
      base({ notifications: { namespace: "monitoring", receivers } }),
      "workloads[0].namespace",
      /namespace="monitoring".*would reach no receiver/,
    );
    assert.deepEqual(
      problems(base({ notifications: { namespace: "monitoring", matcherStrategy: "None", receivers } })),
      [],
    );
  });

  it("checks PromQL selectors with the PromQL grammar", () => {
    assertProblem(
      base({ monitoring: { kubeStateMetricsSelector: "job=kube-state-metrics" } }),
      "monitoring.kubeStateMetricsSelector",
      /PromQL label matchers/,
    );
    assert.deepEqual(
      problems(
        base({ monitoring: { kubeStateMetricsSelector: 'job=~"ksm|kube-state-metrics", cluster!=""' } }),
      ),
      [],
    );
  });

  it("refuses windows that would give invalid or never-firing rules", () => {
    assertProblem(
      base({ alerts: { AIWorkloadScaleUpStalled: { for: "0s" } } }),
      "alerts.AIWorkloadScaleUpStalled.for",
      /longer than 0s/,
    );
    assertProblem(
      workload({ alerts: { AIWorkloadScalingFlapping: { window: "0m" } } }),
      "workloads[0].alerts.AIWorkloadScalingFlapping.window",
      /longer than 0s/,
    );
    assertProblem(
      workload({ alerts: { AIWorkloadScaledUp: { for: "2m" } } }),
      "workloads[0].alerts.AIWorkloadScaledUp.for",
      /shorter than 1m/,
    );
    assert.deepEqual(problems(workload({ alerts: { AIWorkloadScaledDown: { for: "30s" } } })), []);
  });

  it("keeps the heartbeat out of per-workload overrides", () => {
    assertProblem(
      workload({ alerts: { AIScalingAlertsHeartbeat: { enabled: false } } }),
      "workloads[0].alerts.AIScalingAlertsHeartbeat",
      /top-level alerts/,
    );
  });
});

describe("config: YAML files", () => {
  const dir = mkdtempSync(join(tmpdir(), "asa-config-"));
  process.on("exit", () => rmSync(dir, { recursive: true, force: true }));

  it("reports YAML syntax errors with line and column", () => {
    assert.throws(
      () => parseConfigYaml("workloads:\n  - name: a\n    existingHpa: true\n  bad: [\n", "c.yaml"),
      (e: ConfigError) =>
        e instanceof ConfigError &&
        /^c\.yaml: invalid config/.test(e.message) &&
        /line \d+, column \d+/.test(e.message),
    );
  });

  it("rejects duplicate keys (the second would silently win)", () => {
    assert.throws(() => parseConfigYaml("namespace: a\nnamespace: b\nworkloads: []\n"), ConfigError);
  });

  it("names a missing file", () => {
    assert.throws(() => loadConfigFile(join(dir, "nope.yaml")), /nope\.yaml: file not found$/);
  });

  it("takes a file and prefixes problems with its name", () => {
    const f = join(dir, "c.yaml");
    writeFileSync(f, "workloads:\n  - name: a\n");
    assert.throws(
      () => loadConfigFile(f),
      (e: Error) => e.message.startsWith(`${f}: invalid config, 1 problem:`),
    );
  });
});

describe("config: defaults and precedence", () => {
  it("applies catalog <- top-level alerts <- workload alerts", () => {
    const rc = resolveConfig(
      parseConfig(
        base({
          alerts: {
            AIWorkloadAtMaxReplicas: { for: "10m" },
            AIWorkloadHighCpuUtilization: { threshold: 70 },
          },
          workloads: [
            { name: "a", existingHpa: true },
            {
              name: "b",
              existingHpa: true,
              alerts: {
                AIWorkloadAtMaxReplicas: { for: "15m", severity: "critical" },
                AIWorkloadScaledUp: { enabled: false },
              },
            },
          ],
        }),
      ),
    );
    const [a, b] = rc.workloads;
    assert.equal(a?.alerts.AIWorkloadAtMaxReplicas.for, "10m");
    assert.equal(a?.alerts.AIWorkloadAtMaxReplicas.severity, "warning");
    assert.equal(a?.alerts.AIWorkloadHighCpuUtilization.threshold, 70);
    assert.equal(b?.alerts.AIWorkloadAtMaxReplicas.for, "15m");
    assert.equal(b?.alerts.AIWorkloadAtMaxReplicas.severity, "critical");
    assert.equal(b?.alerts.AIWorkloadScaledUp.enabled, false);
    assert.equal(rc.alertDefaults.AIWorkloadAtMaxReplicas.for, "10m");
  });

  it("fills monitoring defaults (kube-state-metrics job, DCGM exported_* labels)", () => {
    const m = parseConfig(base()).monitoring;
    assert.equal(m.kubeStateMetricsSelector, 'job="kube-state-metrics"');
    assert.deepEqual(m.gpu, {
      metric: "DCGM_FI_DEV_GPU_UTIL",
      podLabel: "exported_pod",
      namespaceLabel: "exported_namespace",
      selector: "",
    });
  });

  it("applies GPU and queue alerts only to workloads with that data", () => {
    const rc = resolveConfig(loadConfigFile(EXAMPLE));
    const [chat, emb] = rc.workloads;
    assert.equal(chat?.alerts.AIWorkloadGpuSaturated.applies, true);
    assert.equal(chat?.alerts.AIWorkloadQueueBacklog.applies, true);
    assert.equal(emb?.alerts.AIWorkloadGpuSaturated.applies, false);
    assert.equal(emb?.alerts.AIWorkloadQueueBacklog.applies, false);
  });
});

describe("config: published JSON Schema", () => {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  const validate = ajv.compile(configJsonSchema());

  it("is what schema/config.schema.json holds (run npm run schema after changing the schema)", () => {
    const committed = JSON.parse(
      readFileSync(join(import.meta.dirname, "..", "schema", "config.schema.json"), "utf8"),
    );
    assert.deepEqual(committed, JSON.parse(JSON.stringify(configJsonSchema())));
  });

  it("accepts the bundled example and rejects a misspelt key", () => {
    const example = parse(readFileSync(EXAMPLE, "utf8")) as Record<string, unknown>;
    assert.ok(validate(example), JSON.stringify(validate.errors));
    assert.equal(validate({ ...example, workload: [] }), false);
  });
});
