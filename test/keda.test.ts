/**
 * KEDA and scale to zero: the config rules, the generated ScaledObject (checked against its schema),
 * which alerts KEDA workloads get, and the metric presets. The alerts' behaviour is proven by
 * promtool in test/promtool/scale-to-zero.test.yml.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { scaledObjectProblems } from "../src/autoscaling/keda-schema.js";
import { generate, kubernetesObjects } from "../src/build.js";
import { ConfigError } from "../src/config/errors.js";
import { parseConfig } from "../src/config/load.js";
import { isActive } from "../src/config/resolve.js";
import { METRIC_PRESETS, PRESET_IDS, REMOVED_SERIES } from "../src/presets/ai-metrics.js";
import { schemaViolations } from "../src/render/schema-check.js";
import { prometheusAdapterRules } from "../src/monitoring-stack/adapter-rules.js";

const gateway = {
  type: "prometheus",
  name: "gateway-queue",
  query: 'sum(gateway_requests_pending{service="chat"})',
  threshold: 4,
};

function config(autoscaling: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return {
    namespace: "ml",
    workloads: [
      {
        name: "chat",
        autoscaling: {
          engine: "keda",
          minReplicas: 0,
          maxReplicas: 4,
          metrics: [gateway, { type: "queue", server: "vllm", targetPerReplica: 8 }],
          ...autoscaling,
        },
        ...extra,
      },
    ],
  };
}

function problems(input: unknown): string[] {
  try {
    parseConfig(input);
    return [];
  } catch (e) {
    assert.ok(e instanceof ConfigError);
    return e.problems.map((p) => `${p.path}: ${p.message}`);
  }
}

describe("KEDA config", () => {
  it("accepts scale to zero with a trigger that exists at zero replicas", () => {
    assert.deepEqual(problems(config({})), []);
  });

  it("refuses scale to zero when every trigger comes from the workload's own pods", () => {
    const found = problems(config({ metrics: [{ type: "queue", server: "vllm", targetPerReplica: 8 }] }));
    assert.equal(found.length, 1);
    assert.match(found[0] ?? "", /^workloads\[0\]\.autoscaling\.metrics: .*never wake up/);
  });

  it("refuses scale to zero, prometheus triggers and keda settings without engine keda", () => {
    const found = problems(config({ engine: "hpa", keda: { pollingInterval: 5 } }));
    assert.ok(found.some((p) => /^workloads\[0\]\.autoscaling\.minReplicas: .*needs engine: keda/.test(p)));
    assert.ok(
      found.some((p) => /^workloads\[0\]\.autoscaling\.metrics\[0\]\.type: .*needs engine: keda/.test(p)),
    );
    assert.ok(
      found.some((p) => /^workloads\[0\]\.autoscaling\.keda: only allowed with engine: keda/.test(p)),
    );
  });

  it("refuses HPA-only metric types with engine keda, and hpaName on the workload", () => {
    const found = problems(
      config(
        { minReplicas: 1, metrics: [{ type: "pods", name: "x", averageValue: 1 }] },
        { hpaName: "mine" },
      ),
    );
    assert.ok(
      found.some((p) =>
        /^workloads\[0\]\.autoscaling\.metrics\[0\]\.type: type pods is not available/.test(p),
      ),
    );
    assert.ok(found.some((p) => /^workloads\[0\]\.hpaName: .*autoscaling\.keda\.hpaName/.test(p)));
  });

  it("names removed series and what replaced them", () => {
    const found = problems({
      namespace: "ml",
      workloads: [
        {
          name: "chat",
          autoscaling: {
            minReplicas: 1,
            maxReplicas: 2,
            metrics: [
              { type: "queue", server: "vllm", targetPerReplica: 8, metric: "vllm:gpu_cache_usage_perc" },
            ],
          },
        },
      ],
    });
    assert.ok(
      found.some(
        (p) =>
          p.includes("metric: vllm:gpu_cache_usage_perc is removed") &&
          p.includes("vllm:kv_cache_usage_perc"),
      ),
    );
  });
});

describe("config checks found by the generated unit tests", () => {
  it("refuses a `for` on the zero-transition events that could never fire", () => {
    const found = problems(
      config({}, { alerts: { AIWorkloadScaledToZero: { for: "1m" }, AIWorkloadColdStart: { for: "2m" } } }),
    );
    assert.ok(
      found.some((p) =>
        /^workloads\[0\]\.alerts\.AIWorkloadScaledToZero\.for: must be shorter than 1m/.test(p),
      ),
      found.join("\n"),
    );
    assert.ok(
      found.some((p) => /^workloads\[0\]\.alerts\.AIWorkloadColdStart\.for: must be shorter than 1m/.test(p)),
      found.join("\n"),
    );
  });

  it("reserves KEDA's labels", () => {
    const found = problems(config({}, { labels: { scaler: "x" } }));
    assert.ok(
      found.some((p) => /^workloads\[0\]\.labels\.scaler: label scaler is set by the alerts/.test(p)),
      found.join("\n"),
    );
  });

  it("reserves the cluster label and checks the KEDA selector", () => {
    const found = problems({
      ...config({}, { labels: { region: "eu" } }),
      monitoring: { clusterLabel: "region", keda: { selector: "job=" } },
    });
    assert.ok(
      found.some((p) => /^workloads\[0\]\.labels\.region: is monitoring\.clusterLabel/.test(p)),
      found.join("\n"),
    );
    assert.ok(
      found.some((p) => /^monitoring\.keda\.selector: expected PromQL label matchers/.test(p)),
      found.join("\n"),
    );
  });
});

describe("KEDA ScaledObject", () => {
  const g = generate(parseConfig(config({ keda: { cooldownPeriod: 600 } })));
  const so = g.scaledObjects[0];

  it("replaces the HPA and passes its schema", () => {
    assert.equal(g.horizontalPodAutoscalers.length, 0);
    assert.equal(g.scaledObjects.length, 1);
    assert.deepEqual(schemaViolations(kubernetesObjects(g)), []);
  });

  it("scales to zero on the gateway and on the queue per replica", () => {
    assert.ok(so);
    assert.equal(so.metadata.name, "chat");
    assert.equal(so.spec.minReplicaCount, 0);
    assert.equal(so.spec.maxReplicaCount, 4);
    assert.equal(so.spec.cooldownPeriod, 600);
    assert.deepEqual(so.spec.triggers[0], {
      type: "prometheus",
      name: "gateway-queue",
      metricType: "AverageValue",
      metadata: {
        serverAddress: "http://kube-prometheus-stack-prometheus.monitoring.svc:9090",
        query: 'sum(gateway_requests_pending{service="chat"})',
        threshold: "4",
      },
    });
  });

  it("queries the workload's own pods for pod-level metrics", () => {
    const q = so?.spec.triggers[1];
    assert.equal(
      q?.metadata.query,
      'sum(vllm:num_requests_waiting{namespace="ml", pod=~"chat-[a-z0-9]+-[a-z0-9]+"})',
    );
    assert.equal(q?.metadata.threshold, "8");
  });

  it("watches the HPA KEDA creates, named after the ScaledObject unless named", () => {
    assert.equal(g.resolved.workloads[0]?.hpaName, "keda-hpa-chat");
    const named = generate(parseConfig(config({ keda: { scaledObjectName: "so", hpaName: "chat-hpa" } })));
    assert.equal(named.resolved.workloads[0]?.hpaName, "chat-hpa");
    assert.equal(named.scaledObjects[0]?.spec.advanced.horizontalPodAutoscalerConfig.name, "chat-hpa");
    assert.equal(named.scaledObjects[0]?.metadata.name, "so");
  });

  it("gives scale-to-zero workloads the cold-start alerts and KEDA workloads the scaler alert", () => {
    const active = (cfg: unknown) =>
      Object.values(generate(parseConfig(cfg)).resolved.workloads[0]?.alerts ?? {})
        .filter(isActive)
        .map((a) => a.name);
    const zero = active(config({}));
    for (const a of [
      "AIWorkloadScaledToZero",
      "AIWorkloadColdStart",
      "AIWorkloadColdStartSlow",
      "AIWorkloadScalerErrors",
    ]) {
      assert.ok(zero.includes(a as never), a);
    }
    const one = active(config({ minReplicas: 1 }));
    assert.ok(one.includes("AIWorkloadScalerErrors"));
    assert.ok(!one.includes("AIWorkloadColdStartSlow"));
    const plain = active({
      namespace: "ml",
      workloads: [
        {
          name: "x",
          autoscaling: { minReplicas: 1, maxReplicas: 2, metrics: [{ type: "cpu", targetUtilization: 80 }] },
        },
      ],
    });
    assert.ok(!plain.includes("AIWorkloadScalerErrors"));
    assert.ok(!plain.includes("AIWorkloadColdStart"));
  });

  it("is caught by its schema when broken", () => {
    assert.ok(so);
    const broken = structuredClone(so) as unknown as { spec: Record<string, unknown> };
    broken.spec.minReplicas = 0;
    (broken.spec.triggers as { metadata: Record<string, unknown> }[])[0]!.metadata.threshold = 4;
    const found = scaledObjectProblems(broken);
    assert.ok(
      found.some((p) => p.includes("minReplicas")),
      found.join("\n"),
    );
    assert.ok(
      found.some((p) => p.startsWith("spec.triggers.0.metadata.threshold")),
      found.join("\n"),
    );
  });
});

describe("metric presets", () => {
  /** One HPA workload scaling on a preset. */
  const withPreset = (preset: string, targetPerReplica: number) =>
    generate(
      parseConfig({
        namespace: "ml",
        workloads: [
          {
            name: "triton",
            autoscaling: {
              minReplicas: 1,
              maxReplicas: 3,
              metrics: [{ type: "preset", preset, targetPerReplica }],
            },
          },
        ],
      }),
    );

  it("never name a removed series", () => {
    assert.ok(Object.keys(REMOVED_SERIES).includes("vllm:gpu_cache_usage_perc"));
    for (const id of PRESET_IDS) {
      const { series, perPod } = METRIC_PRESETS[id];
      const query = perPod('namespace="ml"', "namespace, pod");
      for (const removed of Object.keys(REMOVED_SERIES)) {
        assert.notEqual(series, removed, id);
        assert.ok(!query.includes(`${removed}{`), `${id} reads ${removed}`);
      }
    }
  });

  it("feed the HPA, KEDA and the queue alerts from one definition", () => {
    const g = withPreset("triton-queue", 5);
    const hpa = g.horizontalPodAutoscalers[0];
    assert.deepEqual(hpa?.spec.metrics[0], {
      type: "Pods",
      pods: {
        metric: { name: "nv_inference_pending_request_count" },
        target: { type: "AverageValue", averageValue: "5" },
      },
    });
    assert.equal(g.resolved.workloads[0]?.queue?.metric, "nv_inference_pending_request_count");
    assert.ok(
      g.ruleGroups.some((r) => r.rules.some((x) => "alert" in x && x.alert === "AIWorkloadQueueBacklog")),
    );
  });

  it("give prometheus-adapter the per-pod query of computed presets under their own name", () => {
    const g = withPreset("triton-queue-time", 50000);
    const pods = g.horizontalPodAutoscalers[0]?.spec.metrics[0];
    assert.equal(
      pods?.type === "Pods" ? pods.pods.metric.name : "",
      "nv_inference_queue_time_per_request_us",
    );
    const [rule] = prometheusAdapterRules(g);
    assert.equal(rule?.name.as, "nv_inference_queue_time_per_request_us");
    assert.match(
      rule?.metricsQuery ?? "",
      /rate\(nv_inference_queue_duration_us\{<<\.LabelMatchers>>\}\[1m\]\)\) \/ sum by \(<<\.GroupBy>>\) \(rate\(nv_inference_request_success/,
    );
  });
});
