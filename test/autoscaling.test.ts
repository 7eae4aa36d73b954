import { test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2";
import {
  AI_DEFAULT_BEHAVIOR,
  buildHorizontalPodAutoscaler,
  hpaMetricNameFor,
  toQuantity,
  type HorizontalPodAutoscalerObject,
} from "../src/autoscaling/hpa.js";
import { loadConfigFile, parseConfig } from "../src/config/load.js";
import { resolveConfig, type ResolvedWorkload } from "../src/config/resolve.js";

const EXAMPLE = fileURLToPath(new URL("../examples/llm-serving.yaml", import.meta.url));
const COMMON = { labels: { "app.kubernetes.io/managed-by": "ai-scaling-alerts" } };

/** Throws when the object does not match the published autoscaling/v2 OpenAPI schema. */
function validate(obj: unknown): void {
  new HorizontalPodAutoscaler(obj as ConstructorParameters<typeof HorizontalPodAutoscaler>[0]).validate();
}

/** Resolves a one-workload config built from the given workload fields. */
function workload(fields: Record<string, unknown>): ResolvedWorkload {
  const config = parseConfig({ namespace: "ml", workloads: [{ name: "w", ...fields }] });
  const w = resolveConfig(config).workloads[0];
  assert.ok(w);
  return w;
}

function hpaFor(autoscaling: Record<string, unknown>): HorizontalPodAutoscalerObject {
  const hpa = buildHorizontalPodAutoscaler(workload({ autoscaling }), COMMON);
  assert.ok(hpa);
  validate(hpa);
  return hpa;
}

const minimal = (extra: Record<string, unknown> = {}) => ({
  minReplicas: 1,
  maxReplicas: 3,
  metrics: [{ type: "cpu", targetUtilization: 60 }],
  ...extra,
});

test("example config: llm-chat scales on the GPU and the vLLM queue", () => {
  const resolved = resolveConfig(loadConfigFile(EXAMPLE));
  const w = resolved.workloads.find((x) => x.name === "llm-chat");
  assert.ok(w);
  const hpa = buildHorizontalPodAutoscaler(w, COMMON);
  assert.ok(hpa);
  validate(hpa);
  assert.equal(hpa.apiVersion, "autoscaling/v2");
  assert.equal(hpa.kind, "HorizontalPodAutoscaler");
  assert.deepEqual(hpa.metadata, {
    name: "llm-chat",
    namespace: "ml-serving",
    labels: { "app.kubernetes.io/managed-by": "ai-scaling-alerts", "app.kubernetes.io/name": "llm-chat" },
  });
  assert.deepEqual(hpa.spec.scaleTargetRef, { apiVersion: "apps/v1", kind: "Deployment", name: "llm-chat" });
  assert.equal(hpa.spec.minReplicas, 2);
  assert.equal(hpa.spec.maxReplicas, 8);
  assert.deepEqual(hpa.spec.metrics, [
    {
      type: "Pods",
      pods: {
        metric: { name: "DCGM_FI_DEV_GPU_UTIL" },
        target: { type: "AverageValue", averageValue: "70" },
      },
    },
    {
      type: "Pods",
      pods: {
        metric: { name: "vllm_num_requests_waiting" },
        target: { type: "AverageValue", averageValue: "8" },
      },
    },
  ]);
  assert.deepEqual(hpa.spec.behavior, AI_DEFAULT_BEHAVIOR);
});

test("example config: embeddings keeps the original CPU 80 %, 1 to 10 replicas", () => {
  const resolved = resolveConfig(loadConfigFile(EXAMPLE));
  const w = resolved.workloads.find((x) => x.name === "embeddings");
  assert.ok(w);
  const hpa = buildHorizontalPodAutoscaler(w, COMMON);
  assert.ok(hpa);
  validate(hpa);
  assert.equal(hpa.metadata.name, "embeddings");
  assert.equal(hpa.spec.minReplicas, 1);
  assert.equal(hpa.spec.maxReplicas, 10);
  assert.deepEqual(hpa.spec.metrics, [
    { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 80 } } },
  ]);
});

test("the schema check is not vacuous: invalid HPAs are rejected", () => {
  const good = hpaFor(minimal());
  const badReplicas = { ...good, spec: { ...good.spec, maxReplicas: "3" } };
  assert.throws(() => validate(badReplicas), /maxReplicas/);
  const badQuantity = structuredClone(good) as unknown as { spec: { metrics: unknown[] } };
  badQuantity.spec.metrics = [
    { type: "Pods", pods: { metric: { name: "m" }, target: { type: "AverageValue", averageValue: "lots" } } },
  ];
  assert.throws(() => validate(badQuantity), /averageValue/);
  const noTarget = { ...good, spec: { ...good.spec, scaleTargetRef: undefined } };
  assert.throws(() => validate(noTarget), /scaleTargetRef/);
});

test("a workload with an existing HPA gets none", () => {
  assert.equal(buildHorizontalPodAutoscaler(workload({ existingHpa: true }), COMMON), undefined);
});

test("hpaName, namespace and StatefulSet kind are used", () => {
  const w = workload({ kind: "StatefulSet", hpaName: "w-hpa", namespace: "other", autoscaling: minimal() });
  const hpa = buildHorizontalPodAutoscaler(w, { labels: { "app.kubernetes.io/name": "ignored", a: "b" } });
  assert.ok(hpa);
  validate(hpa);
  assert.equal(hpa.metadata.name, "w-hpa");
  assert.equal(hpa.metadata.namespace, "other");
  assert.deepEqual(hpa.metadata.labels, { a: "b", "app.kubernetes.io/name": "w" });
  assert.deepEqual(hpa.spec.scaleTargetRef, { apiVersion: "apps/v1", kind: "StatefulSet", name: "w" });
});

test("every metric type maps to its autoscaling/v2 MetricSpec", () => {
  const hpa = hpaFor(
    minimal({
      metrics: [
        { type: "cpu", targetUtilization: 75 },
        { type: "memory", targetUtilization: 90 },
        { type: "gpu", targetUtilization: 65, hpaMetricName: "gpu_util" },
        { type: "queue", server: "triton", targetPerReplica: 0.5 },
        { type: "pods", name: "tokens_per_second", averageValue: 1500 },
        {
          type: "object",
          name: "requests_per_second",
          describedObject: { apiVersion: "networking.k8s.io/v1", kind: "Ingress", name: "chat" },
          selector: { matchLabels: { route: "chat" } },
          value: "2k",
        },
        {
          type: "object",
          name: "queue_len",
          describedObject: { apiVersion: "v1", kind: "Service", name: "chat" },
          averageValue: 30,
        },
        {
          type: "external",
          name: "sqs_messages",
          selector: { matchLabels: { queue: "jobs" } },
          averageValue: 20,
        },
        { type: "external", name: "pubsub_backlog", value: 2.5 },
      ],
    }),
  );
  assert.deepEqual(hpa.spec.metrics, [
    { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 75 } } },
    {
      type: "Resource",
      resource: { name: "memory", target: { type: "Utilization", averageUtilization: 90 } },
    },
    {
      type: "Pods",
      pods: { metric: { name: "gpu_util" }, target: { type: "AverageValue", averageValue: "65" } },
    },
    {
      type: "Pods",
      pods: {
        metric: { name: "nv_inference_pending_request_count" },
        target: { type: "AverageValue", averageValue: "500m" },
      },
    },
    {
      type: "Pods",
      pods: { metric: { name: "tokens_per_second" }, target: { type: "AverageValue", averageValue: "1500" } },
    },
    {
      type: "Object",
      object: {
        metric: { name: "requests_per_second", selector: { matchLabels: { route: "chat" } } },
        describedObject: { apiVersion: "networking.k8s.io/v1", kind: "Ingress", name: "chat" },
        target: { type: "Value", value: "2k" },
      },
    },
    {
      type: "Object",
      object: {
        metric: { name: "queue_len" },
        describedObject: { apiVersion: "v1", kind: "Service", name: "chat" },
        target: { type: "AverageValue", averageValue: "30" },
      },
    },
    {
      type: "External",
      external: {
        metric: { name: "sqs_messages", selector: { matchLabels: { queue: "jobs" } } },
        target: { type: "AverageValue", averageValue: "20" },
      },
    },
    {
      type: "External",
      external: { metric: { name: "pubsub_backlog" }, target: { type: "Value", value: "2500m" } },
    },
  ]);
});

test("queue metric names: server default, custom series and hpaMetricName", () => {
  const names = (metric: Record<string, unknown>) => {
    const m = hpaFor(minimal({ metrics: [metric] })).spec.metrics[0];
    assert.ok(m && m.type === "Pods");
    return m.pods.metric.name;
  };
  assert.equal(names({ type: "queue", server: "vllm", targetPerReplica: 4 }), "vllm_num_requests_waiting");
  assert.equal(names({ type: "queue", server: "sglang", targetPerReplica: 4 }), "sglang_num_queue_reqs");
  assert.equal(names({ type: "queue", server: "tgi", targetPerReplica: 4 }), "tgi_queue_size");
  assert.equal(
    names({ type: "queue", server: "vllm", targetPerReplica: 4, metric: "job:vllm_waiting:sum" }),
    "job_vllm_waiting_sum",
  );
  assert.equal(names({ type: "queue", server: "vllm", targetPerReplica: 4, hpaMetricName: "q" }), "q");
  assert.equal(names({ type: "gpu", targetUtilization: 80 }), "DCGM_FI_DEV_GPU_UTIL");
  assert.equal(hpaMetricNameFor({ type: "gpu", targetUtilization: 80, hpaMetricName: "g" }), "g");
});

test("number quantities become strings without float noise", () => {
  assert.equal(toQuantity(8), "8");
  assert.equal(toQuantity(0.5), "500m");
  assert.equal(toQuantity(0.1 + 0.2), "300m");
  assert.equal(toQuantity(1.25), "1250m");
  assert.equal(toQuantity(1e21), "1000000000000000000000");
  assert.equal(toQuantity("1.5Gi"), "1.5Gi");
  assert.throws(() => toQuantity(0.0001), RangeError);
  assert.throws(() => toQuantity(0), RangeError);
  const hpa = hpaFor(minimal({ metrics: [{ type: "queue", server: "vllm", targetPerReplica: 2.75 }] }));
  const m = hpa.spec.metrics[0];
  assert.ok(m && m.type === "Pods");
  assert.deepEqual(m.pods.target, { type: "AverageValue", averageValue: "2750m" });
});

test("behaviour: the AI defaults when the config gives none", () => {
  const { behavior } = hpaFor(minimal()).spec;
  assert.deepEqual(behavior, {
    scaleUp: {
      stabilizationWindowSeconds: 0,
      selectPolicy: "Max",
      policies: [
        { type: "Percent", value: 100, periodSeconds: 30 },
        { type: "Pods", value: 4, periodSeconds: 30 },
      ],
    },
    scaleDown: {
      stabilizationWindowSeconds: 600,
      selectPolicy: "Max",
      policies: [{ type: "Pods", value: 1, periodSeconds: 120 }],
    },
  });
  // The output is a copy: changing it leaves the shared defaults intact.
  behavior.scaleDown.policies.push({ type: "Percent", value: 10, periodSeconds: 60 });
  assert.equal(AI_DEFAULT_BEHAVIOR.scaleDown.policies.length, 1);
  assert.ok(Object.isFrozen(AI_DEFAULT_BEHAVIOR.scaleDown.policies[0]));
});

test("behaviour: a user field overrides only that field", () => {
  const { behavior } = hpaFor(minimal({ behavior: { scaleDown: { stabilizationWindowSeconds: 300 } } })).spec;
  assert.deepEqual(behavior.scaleUp, AI_DEFAULT_BEHAVIOR.scaleUp);
  assert.deepEqual(behavior.scaleDown, { ...AI_DEFAULT_BEHAVIOR.scaleDown, stabilizationWindowSeconds: 300 });
});

test("behaviour: user policies replace the default policies", () => {
  const policies = [{ type: "Percent", value: 50, periodSeconds: 60 }];
  const { behavior } = hpaFor(
    minimal({
      behavior: { scaleUp: { policies, selectPolicy: "Min" }, scaleDown: { selectPolicy: "Disabled" } },
    }),
  ).spec;
  assert.deepEqual(behavior.scaleUp, { stabilizationWindowSeconds: 0, selectPolicy: "Min", policies });
  assert.deepEqual(behavior.scaleDown, { ...AI_DEFAULT_BEHAVIOR.scaleDown, selectPolicy: "Disabled" });
});
