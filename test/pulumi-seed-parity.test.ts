/**
 * examples/seed-parity under Pulumi mocks: the original design's resources and names, the routing
 * it never built, and credentials from Pulumi config secrets that stay secret.
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
  slackWebhookUrl: "https://hooks.slack.example/services/T000/B000/seed-parity-slack-token",
  webhookUrl: "https://events.example.com/ingest?token=seed-parity-webhook-token",
  smtpPassword: "seed-parity-smtp-password",
};
const COMPONENT = "ai-scaling-alerts:index:AiScalingAlerts";

let mocked: MockedPulumi;
let program: Record<string, unknown>;

before(async () => {
  mocked = await startMocks("seed-parity", SECRETS, Object.keys(SECRETS));
  program = (await import(exampleUrl("seed-parity"))) as Record<string, unknown>;
  await resolveOutput(mocked.pulumi, program.alert_rule_name as string);
  await mocked.settle();
});

const one = (type: string) => oneOfType(mocked, type);
const spec = (r: { inputs: Record<string, unknown> }) => r.inputs.spec as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const metadata = (r: { inputs: Record<string, unknown> }) => r.inputs.metadata as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe("seed-parity example", () => {
  it("registers the component and exactly its children", () => {
    assert.deepEqual(
      mocked.resources.map((r) => r.type).sort(),
      [
        COMPONENT,
        "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
        // The generated Grafana dashboard, for kube-prometheus-stack's sidecar.
        "kubernetes:core/v1:ConfigMap",
        "kubernetes:core/v1:Secret",
        "kubernetes:monitoring.coreos.com/v1:PrometheusRule",
        "kubernetes:monitoring.coreos.com/v1alpha1:AlertmanagerConfig",
      ].sort(),
    );
    const component = one(COMPONENT);
    assert.equal(component.name, "ai-workload");
    assert.deepEqual(component.inputs, {}, "the component records no inputs (they hold credentials)");
    for (const r of mocked.resources.filter((x) => x.type !== COMPONENT)) {
      assert.ok(r.parent, `${r.type} ${r.name} has a parent`);
      assert.equal(typeOfUrn(r.parent), COMPONENT, `${r.name}'s parent`);
      assert.ok(r.parent.endsWith("::ai-workload"), r.parent);
    }
  });

  it("keeps the original HPA: ai-workload-deployment in default, 1 to 10 replicas at 80 % CPU", () => {
    const hpa = one("kubernetes:autoscaling/v2:HorizontalPodAutoscaler");
    assert.equal(hpa.name, "ai-workload-hpa-default-ai-workload-hpa");
    assert.deepEqual(
      { name: metadata(hpa).name, namespace: metadata(hpa).namespace },
      { name: "ai-workload-hpa", namespace: "default" },
    );
    const s = spec(hpa);
    assert.deepEqual(s.scaleTargetRef, {
      apiVersion: "apps/v1",
      kind: "Deployment",
      name: "ai-workload-deployment",
    });
    assert.equal(s.minReplicas, 1);
    assert.equal(s.maxReplicas, 10);
    assert.deepEqual(s.metrics, [
      {
        type: "Resource",
        resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 80 } },
      },
    ]);
  });

  it("keeps the PrometheusRule's name, namespace and CPU alert, among the scaling-event alerts", () => {
    const rule = one("kubernetes:monitoring.coreos.com/v1:PrometheusRule");
    assert.equal(metadata(rule).name, "ai-workload-scaling-alert");
    assert.equal(metadata(rule).namespace, "monitoring");
    assert.equal(metadata(rule).labels.release, "kube-prometheus-stack");
    const groups = spec(rule).groups as {
      name: string;
      rules: { alert?: string; for?: string; labels?: Record<string, string> }[];
    }[];
    assert.ok(
      groups.every((g) => g.name.startsWith("ai-workload-scaling-alert.")),
      groups.map((g) => g.name).join(),
    );
    const alerts = groups.flatMap((g) => g.rules).filter((r) => r.alert);
    const cpu = alerts.find((r) => r.alert === "AIWorkloadHighCpuUtilization");
    assert.ok(cpu, "AIWorkloadHighCpuUtilization is kept");
    assert.equal(cpu.for, "5m");
    assert.equal(cpu.labels?.severity, "warning");
    for (const name of ["AIWorkloadScaledUp", "AIWorkloadScaledDown", "AIWorkloadAtMaxReplicas"]) {
      assert.ok(
        alerts.some((r) => r.alert === name),
        name,
      );
    }
  });

  it("exports alert_rule_name, and the alerts per workload", async () => {
    assert.equal(
      await resolveOutput(mocked.pulumi, program.alert_rule_name as string),
      "ai-workload-scaling-alert",
    );
    const byWorkload = await resolveOutput(
      mocked.pulumi,
      program.alerts_by_workload as Record<string, string[]>,
    );
    assert.deepEqual(Object.keys(byWorkload), ["default/ai-workload-deployment"]);
    const names = byWorkload["default/ai-workload-deployment"]!;
    assert.ok(names.includes("AIWorkloadHighCpuUtilization"));
    assert.ok(!names.includes("AIWorkloadGpuSaturated"), "GPU alerts do not apply to a CPU workload");
    assert.ok(!names.includes("AIScalingAlertsHeartbeat"), "the heartbeat is not per workload");
  });

  it("routes to e-mail, Slack and a webhook, each credential a reference to the created Secret", () => {
    const amcfg = one("kubernetes:monitoring.coreos.com/v1alpha1:AlertmanagerConfig");
    assert.equal(metadata(amcfg).namespace, "default", "OnNamespace: the workload's namespace");
    const receivers = spec(amcfg).receivers as Record<string, any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
    const byName = Object.fromEntries(receivers.map((r) => [r.name, r]));
    const ref = { name: "ai-workload-scaling-alert-credentials" };
    assert.deepEqual(byName.slack.slackConfigs[0].apiURL, { ...ref, key: "slack.apiUrl" });
    assert.deepEqual(byName.webhook.webhookConfigs[0].urlSecret, { ...ref, key: "webhook.url" });
    assert.deepEqual(byName.email.emailConfigs[0].authPassword, { ...ref, key: "email.authPassword" });
    const routes = spec(amcfg).route.routes as { receiver: string }[];
    assert.deepEqual(new Set(routes.map((r) => r.receiver)), new Set(["email", "slack", "webhook"]));
  });

  it("creates the Secret in the AlertmanagerConfig's namespace, its stringData a Pulumi secret", async () => {
    const secret = one("kubernetes:core/v1:Secret");
    assert.deepEqual(
      { name: metadata(secret).name, namespace: metadata(secret).namespace },
      { name: "ai-workload-scaling-alert-credentials", namespace: "default" },
    );
    assert.ok(
      mocked.pulumi.runtime.isRpcSecret(secret.inputs.stringData),
      "stringData reaches the engine as a secret",
    );
    assert.deepEqual(mocked.pulumi.runtime.unwrapRpcSecret(secret.inputs.stringData), {
      "email.authPassword": SECRETS.smtpPassword,
      "slack.apiUrl": SECRETS.slackWebhookUrl,
      "webhook.url": SECRETS.webhookUrl,
    });
  });

  it("registers objects that pass their published schemas", () => {
    const objects = mocked.resources
      .filter((r) => r.type.startsWith("kubernetes:") && r.type !== "kubernetes:core/v1:Secret")
      .map((r) => r.inputs as unknown as KubernetesObject);
    assert.equal(objects.length, 4, "HPA, PrometheusRule, AlertmanagerConfig and the dashboard's ConfigMap");
    assert.deepEqual(schemaViolations(objects), []);
  });

  it("never puts a credential in a plain input of any resource", () => {
    assert.ok(mocked.resources.length >= 5);
    assertNoPlainCredential(mocked, Object.values(SECRETS));
  });
});
