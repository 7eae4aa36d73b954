/**
 * examples/gpu-inference under Pulumi mocks: queue- and GPU-based autoscaling, the full catalog, the
 * monitoring stack as Helm releases whose values pick up the generated objects, and a namespace
 * given as another resource's Output.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { KubernetesObject } from "../src/build.js";
import type { AdapterRule } from "../src/monitoring-stack/index.js";
import { schemaViolations } from "../src/render/schema-check.js";
import {
  exampleUrl,
  assertNoPlainCredential,
  oneOfType,
  resourcesOfType,
  resolveOutput,
  startMocks,
  typeOfUrn,
  type MockedPulumi,
  type RecordedResource,
} from "./support/pulumi-mocks.js";

const SECRETS = {
  pagerdutyRoutingKey: "gpu-inference-pagerduty-routing-key",
  slackWebhookUrl: "https://hooks.slack.example/services/T1/B1/gpu-inference-slack-token",
};
const COMPONENT = "ai-scaling-alerts:index:AiScalingAlerts";
const RELEASE = "kubernetes:helm.sh/v3:Release";

let mocked: MockedPulumi;
let program: Record<string, unknown>;

before(async () => {
  mocked = await startMocks("gpu-inference", SECRETS, Object.keys(SECRETS));
  program = (await import(exampleUrl("gpu-inference"))) as Record<string, unknown>;
  await resolveOutput(mocked.pulumi, program.alertsByWorkload as object);
  await mocked.settle();
});

/* eslint-disable @typescript-eslint/no-explicit-any -- registered inputs are untyped JSON */
const ofType = (type: string) => resourcesOfType(mocked, type);
const one = (type: string) => oneOfType(mocked, type);
const release = (chart: string): Record<string, any> => {
  const r = ofType(RELEASE).find((x) => x.inputs.chart === chart);
  assert.ok(r, `release of ${chart}`);
  return r.inputs;
};
const urnOf = (r: RecordedResource) =>
  `urn:pulumi:test::gpu-inference::${typeOfUrn(r.parent ?? "")}$${r.type}::${r.name}`;
/* eslint-enable @typescript-eslint/no-explicit-any */

describe("gpu-inference example", () => {
  it("registers the component, its children and the monitoring stack, all parented to it", () => {
    const children = mocked.resources.filter((r) => r.type !== COMPONENT && r.name !== "llm-serving");
    assert.deepEqual(
      children.map((r) => r.type).sort(),
      [
        "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
        // The generated Grafana dashboard, for kube-prometheus-stack's sidecar.
        "kubernetes:core/v1:ConfigMap",
        "kubernetes:core/v1:Namespace",
        "kubernetes:core/v1:Secret",
        "kubernetes:monitoring.coreos.com/v1:PrometheusRule",
        "kubernetes:monitoring.coreos.com/v1alpha1:AlertmanagerConfig",
        RELEASE,
        RELEASE,
        RELEASE,
      ].sort(),
    );
    for (const r of children) {
      assert.equal(typeOfUrn(r.parent ?? ""), COMPONENT, `${r.type} ${r.name}`);
      assert.ok(r.parent?.endsWith("::gpu-inference"), r.parent);
    }
  });

  it("generates with the namespace Output's value, names children after its placeholder", () => {
    const hpa = one("kubernetes:autoscaling/v2:HorizontalPodAutoscaler");
    assert.equal(hpa.name, "gpu-inference-hpa-input-namespace-0-vllm-llama");
    assert.equal(hpa.inputs.metadata.namespace, "llm-serving");
    assert.equal(
      one("kubernetes:monitoring.coreos.com/v1:PrometheusRule").inputs.metadata.namespace,
      "llm-serving",
    );
    assert.equal(one("kubernetes:core/v1:Secret").inputs.metadata.namespace, "llm-serving");
    const rule = JSON.stringify(one("kubernetes:monitoring.coreos.com/v1:PrometheusRule").inputs.spec);
    assert.ok(rule.includes("llm-serving"), "the rules select the real namespace");
    assert.ok(!rule.includes("input-namespace"), "no placeholder reaches the rules");
    const ns = mocked.resources.find((r) => r.name === "llm-serving")!;
    assert.ok(
      hpa.dependencies.some((d) => d.endsWith("::llm-serving")),
      "children wait for the Namespace",
    );
    assert.equal(ns.type, "kubernetes:core/v1:Namespace");
  });

  it("scales on vLLM's queue and on GPU utilisation, through custom metrics", () => {
    const spec = one("kubernetes:autoscaling/v2:HorizontalPodAutoscaler").inputs.spec;
    assert.equal(spec.minReplicas, 2);
    assert.equal(spec.maxReplicas, 16);
    assert.deepEqual(
      spec.metrics.map((m: { pods: { metric: { name: string }; target: unknown } }) => [
        m.pods.metric.name,
        m.pods.target,
      ]),
      [
        ["vllm_num_requests_waiting", { type: "AverageValue", averageValue: "8" }],
        ["DCGM_FI_DEV_GPU_UTIL", { type: "AverageValue", averageValue: "75" }],
      ],
    );
  });

  it("pins the charts and installs CRD users after kube-prometheus-stack", () => {
    const kps = release("kube-prometheus-stack");
    assert.deepEqual(
      [kps.name, kps.version, kps.namespace, kps.repositoryOpts.repo],
      ["kube-prometheus-stack", "88.5.3", "monitoring", "https://prometheus-community.github.io/helm-charts"],
    );
    assert.deepEqual(
      [release("prometheus-adapter").version, release("dcgm-exporter").version],
      ["5.3.0", "4.8.3"],
    );
    const kpsRelease = ofType(RELEASE).find((r) => r.inputs.chart === "kube-prometheus-stack")!;
    const kpsUrn = urnOf(kpsRelease);
    for (const type of [
      "kubernetes:monitoring.coreos.com/v1:PrometheusRule",
      "kubernetes:monitoring.coreos.com/v1alpha1:AlertmanagerConfig",
    ]) {
      assert.ok(
        one(type).dependencies.includes(kpsUrn),
        `${type} depends on ${kpsUrn}: ${one(type).dependencies.join(", ")}`,
      );
    }
    for (const r of ofType(RELEASE).filter((x) => x !== kpsRelease)) {
      assert.ok(r.dependencies.includes(kpsUrn), `${r.inputs.chart} waits for kube-prometheus-stack`);
    }
    const amcfg = one("kubernetes:monitoring.coreos.com/v1alpha1:AlertmanagerConfig");
    assert.ok(
      amcfg.dependencies.some((d) => d.includes("core/v1:Secret")),
      "the AlertmanagerConfig waits for its Secret",
    );
  });

  it("configures kube-prometheus-stack to select the generated PrometheusRule and AlertmanagerConfig", () => {
    const values = release("kube-prometheus-stack").values;
    const ruleLabels = one("kubernetes:monitoring.coreos.com/v1:PrometheusRule").inputs.metadata.labels;
    const p = values.prometheus.prometheusSpec;
    assert.equal(p.ruleSelectorNilUsesHelmValues, false);
    assert.deepEqual(p.ruleNamespaceSelector, {});
    assert.deepEqual(p.ruleSelector.matchLabels, { release: "kube-prometheus-stack" });
    for (const [k, v] of Object.entries(p.ruleSelector.matchLabels)) assert.equal(ruleLabels[k], v, k);
    const a = values.alertmanager.alertmanagerSpec;
    const amLabels = one("kubernetes:monitoring.coreos.com/v1alpha1:AlertmanagerConfig").inputs.metadata
      .labels;
    for (const [k, v] of Object.entries(a.alertmanagerConfigSelector.matchLabels))
      assert.equal(amLabels[k], v, k);
    assert.deepEqual(a.alertmanagerConfigNamespaceSelector, {});
    assert.deepEqual(a.alertmanagerConfigMatcherStrategy, { type: "OnNamespace" });
  });

  it("has prometheus-adapter serve exactly the HPA's custom metrics, and dcgm-exporter scraped", () => {
    const adapter = release("prometheus-adapter").values;
    assert.equal(adapter.prometheus.url, "http://prometheus-operated.monitoring.svc");
    const rules = adapter.rules.custom as AdapterRule[];
    const hpaMetrics = one("kubernetes:autoscaling/v2:HorizontalPodAutoscaler").inputs.spec.metrics.map(
      (m: { pods: { metric: { name: string } } }) => m.pods.metric.name,
    );
    assert.deepEqual(rules.map((r) => r.name.as).sort(), [...hpaMetrics].sort());
    const dcgm = release("dcgm-exporter").values.serviceMonitor;
    assert.deepEqual(dcgm, {
      enabled: true,
      honorLabels: false,
      additionalLabels: { release: "kube-prometheus-stack" },
    });
    const gpuRule = rules.find((r) => r.name.as === "DCGM_FI_DEV_GPU_UTIL")!;
    assert.deepEqual(gpuRule.resources.overrides, {
      exported_namespace: { resource: "namespace" },
      exported_pod: { resource: "pod" },
    });
  });

  it("alerts on GPU and queue as well as on scaling events", async () => {
    const byWorkload = await resolveOutput(
      mocked.pulumi,
      program.alertsByWorkload as Record<string, string[]>,
    );
    const names = byWorkload["llm-serving/vllm-llama"];
    assert.ok(names, Object.keys(byWorkload).join());
    for (const n of [
      "AIWorkloadScaledUp",
      "AIWorkloadGpuSaturated",
      "AIWorkloadGpuUnderutilized",
      "AIWorkloadQueueBacklog",
    ]) {
      assert.ok(names.includes(n), n);
    }
    const alertNames = (
      one("kubernetes:monitoring.coreos.com/v1:PrometheusRule").inputs.spec.groups as {
        rules: { alert?: string }[];
      }[]
    )
      .flatMap((g) => g.rules.map((r) => r.alert))
      .filter(Boolean);
    for (const n of names) assert.ok(alertNames.includes(n), `${n} is in the PrometheusRule`);
  });

  it("keeps credentials secret and registers schema-valid objects", () => {
    const secret = one("kubernetes:core/v1:Secret");
    assert.ok(mocked.pulumi.runtime.isRpcSecret(secret.inputs.stringData));
    assertNoPlainCredential(mocked, Object.values(SECRETS));
    const objects = mocked.resources
      .filter((r) => r.type.includes("autoscaling/v2") || r.type.includes("monitoring.coreos.com"))
      .map((r) => r.inputs as unknown as KubernetesObject);
    assert.equal(objects.length, 3);
    assert.deepEqual(schemaViolations(objects), []);
  });
});
