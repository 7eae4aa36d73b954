/**
 * examples/keda-scale-to-zero under Pulumi mocks: a KEDA ScaledObject that scales to zero instead of
 * an HPA, alerts on the HPA KEDA creates, and the scale-to-zero alerts for the workload.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { KubernetesObject } from "../src/build.js";
import { schemaViolations } from "../src/render/schema-check.js";
import {
  exampleUrl,
  assertNoPlainCredential,
  oneOfType,
  resolveOutput,
  startMocks,
  typeOfUrn,
  type MockedPulumi,
} from "./support/pulumi-mocks.js";

const SECRETS = {
  opsgenieApiKey: "keda-example-opsgenie-api-key-0123",
  scalingFeedUrl: "https://feed.example.com/hooks/keda-example-token",
};
const COMPONENT = "ai-scaling-alerts:index:AiScalingAlerts";
const SCALED_OBJECT = "kubernetes:keda.sh/v1alpha1:ScaledObject";

let mocked: MockedPulumi;
let program: Record<string, unknown>;
let alertsByWorkload: Record<string, string[]>;

before(async () => {
  mocked = await startMocks("keda-scale-to-zero", SECRETS, Object.keys(SECRETS));
  program = (await import(exampleUrl("keda-scale-to-zero"))) as Record<string, unknown>;
  alertsByWorkload = await resolveOutput(
    mocked.pulumi,
    program.alertsByWorkload as object as Record<string, string[]>,
  );
  await mocked.settle();
});

const one = (type: string) => oneOfType(mocked, type);

describe("keda-scale-to-zero example", () => {
  it("registers a ScaledObject and no HPA, every child parented to the component", () => {
    const children = mocked.resources.filter((r) => r.type !== COMPONENT);
    assert.deepEqual(
      children.map((r) => r.type).sort(),
      [
        "kubernetes:core/v1:Secret",
        // The generated Grafana dashboard, for kube-prometheus-stack's sidecar.
        "kubernetes:core/v1:ConfigMap",
        SCALED_OBJECT,
        "kubernetes:monitoring.coreos.com/v1:PrometheusRule",
        "kubernetes:monitoring.coreos.com/v1alpha1:AlertmanagerConfig",
      ].sort(),
    );
    for (const r of children) assert.equal(typeOfUrn(r.parent ?? ""), COMPONENT, `${r.type} ${r.name}`);
  });

  it("scales to zero, wakes on the gateway and scales on the vLLM queue", () => {
    const so = one(SCALED_OBJECT).inputs;
    assert.equal(so.apiVersion, "keda.sh/v1alpha1");
    assert.equal(so.metadata.name, "summarizer");
    assert.equal(so.metadata.namespace, "batch-llm");
    assert.equal(so.spec.minReplicaCount, 0);
    assert.equal(so.spec.maxReplicaCount, 6);
    assert.equal(so.spec.cooldownPeriod, 900);
    assert.deepEqual(
      so.spec.triggers.map((t: { name: string; metadata: { threshold: string } }) => [
        t.name,
        t.metadata.threshold,
      ]),
      [
        ["gateway-queue", "10"],
        ["vllm-queue", "8"],
      ],
    );
    assert.match(
      so.spec.triggers[1].metadata.query,
      /^sum\(vllm:num_requests_waiting\{namespace="batch-llm", pod=~"summarizer-/,
    );
  });

  it("alerts on KEDA's HPA with the scale-to-zero alerts and the workload's own budget", () => {
    const names = alertsByWorkload["batch-llm/summarizer"] ?? [];
    for (const a of [
      "AIWorkloadScaledToZero",
      "AIWorkloadColdStart",
      "AIWorkloadColdStartSlow",
      "AIWorkloadScalerErrors",
    ]) {
      assert.ok(names.includes(a), a);
    }
    const rule = one("kubernetes:monitoring.coreos.com/v1:PrometheusRule").inputs;
    const text = JSON.stringify(rule.spec);
    assert.match(text, /keda-hpa-summarizer/);
    // The 8m budget is this workload's own variant of AIWorkloadColdStartSlow.
    assert.match(text, /min_over_time\(workload_hpa:target_spec_replicas:max\[8m1ms\]\)/);
  });

  it("keeps credentials secret and registers schema-valid objects", () => {
    const secret = one("kubernetes:core/v1:Secret");
    assert.ok(mocked.pulumi.runtime.isRpcSecret(secret.inputs.stringData));
    assertNoPlainCredential(mocked, Object.values(SECRETS));
    const objects = mocked.resources
      .filter((r) => r.type === SCALED_OBJECT || r.type.includes("monitoring.coreos.com"))
      .map((r) => r.inputs as unknown as KubernetesObject);
    assert.equal(objects.length, 3);
    assert.deepEqual(schemaViolations(objects), []);
  });
});
