/**
 * The AiScalingAlerts component on its own, under Pulumi mocks: input errors that name the field,
 * credential forms, Secrets per AlertmanagerConfig namespace, an existing stack's rule labels.
 * (Failures inside an apply leave Pulumi's runtime unusable: they are in pulumi-namespace-errors.)
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type * as PulumiModule from "@pulumi/pulumi";
import type { AiScalingAlertsArgs } from "../src/pulumi/index.js";
import { resolveOutput, startMocks, type MockedPulumi } from "./support/pulumi-mocks.js";

let mocked: MockedPulumi;
let pulumi: typeof PulumiModule;
let AiScalingAlerts: typeof import("../src/pulumi/index.js").AiScalingAlerts;

before(async () => {
  mocked = await startMocks("component");
  pulumi = mocked.pulumi;
  ({ AiScalingAlerts } = await import("../src/pulumi/index.js"));
});

const workload = (over: Record<string, unknown> = {}) => ({
  name: "chat",
  autoscaling: { minReplicas: 2, maxReplicas: 6, metrics: [{ type: "cpu" as const, targetUtilization: 70 }] },
  ...over,
});

function base(over: Partial<AiScalingAlertsArgs> = {}): AiScalingAlertsArgs {
  return { namespace: "ml", workloads: [workload()], ...over } as AiScalingAlertsArgs;
}

const registered = (prefix: string, type: string) =>
  mocked.resources.filter((r) => r.name.startsWith(`${prefix}-`) && r.type === type);

describe("input errors", () => {
  const throwsNaming = (name: string, args: AiScalingAlertsArgs, ...expected: RegExp[]) => {
    let error: unknown;
    try {
      new AiScalingAlerts(name, args);
    } catch (e) {
      error = e;
    }
    assert.ok(error instanceof pulumi.ResourceError, `expected a ResourceError, got ${String(error)}`);
    for (const re of expected) assert.match(error.message, re);
    assert.match(error.message, new RegExp(`^AiScalingAlerts ${name}: invalid config`));
  };

  it("maxReplicas below minReplicas names workloads[0].autoscaling.maxReplicas", () => {
    const w = workload({
      autoscaling: { minReplicas: 4, maxReplicas: 2, metrics: [{ type: "cpu", targetUtilization: 70 }] },
    });
    throwsNaming(
      "bad-max",
      base({ workloads: [w] }),
      /workloads\[0\]\.autoscaling\.maxReplicas: must be >= minReplicas \(4\), got 2/,
    );
  });

  it("a route to an unknown receiver names notifications.routes[0].receiver", () => {
    throwsNaming(
      "bad-route",
      base({
        notifications: {
          receivers: [{ name: "slack", type: "slack", apiUrl: { secret: "s", key: "k" } }],
          routes: [{ receiver: "pager", matchers: { severity: "critical" } }],
        },
      }),
      /notifications\.routes\[0\]\.receiver: receiver pager is not defined/,
    );
  });

  it("an inline string credential, or a bare Output, is rejected with its path, never echoed", () => {
    const inline = "https://hooks.slack.example/inline-credential";
    let message = "";
    try {
      new AiScalingAlerts(
        "bad-credentials",
        base({
          notifications: {
            receivers: [
              { name: "slack", type: "slack", apiUrl: inline as never },
              { name: "hook", type: "webhook", url: pulumi.secret("https://x.example/t") as never },
            ],
          },
        }),
      );
    } catch (e) {
      message = (e as Error).message;
    }
    assert.match(message, /notifications\.receivers\[0\]\.apiUrl: inline credentials are not allowed/);
    assert.match(message, /notifications\.receivers\[1\]\.url: a bare Output or Promise/);
    assert.ok(!message.includes(inline));
  });

  it("reports every problem at once, credential and schema problems together", () => {
    throwsNaming(
      "many",
      base({
        workloads: [workload({ name: "Not_A_Name" })],
        notifications: { receivers: [{ name: "slack", type: "slack", apiUrl: "x" as never }] },
      }),
      /workloads\[0\]\.name: expected a Kubernetes name/,
      /notifications\.receivers\[0\]\.apiUrl: inline credentials/,
    );
  });
});

describe("credentials and placement", () => {
  it("creates no Secret for Secret references", async () => {
    const c = new AiScalingAlerts(
      "refs",
      base({
        notifications: {
          receivers: [{ name: "hook", type: "webhook", url: { secret: "existing", key: "url" } }],
        },
      }),
    );
    assert.deepEqual(await resolveOutput(pulumi, c.secretNames), []);
    await mocked.settle();
    assert.equal(registered("refs", "kubernetes:core/v1:Secret").length, 0);
    const [amcfg] = registered("refs", "kubernetes:monitoring.coreos.com/v1alpha1:AlertmanagerConfig");
    const hook = (
      amcfg!.inputs.spec as { receivers: { name: string; webhookConfigs?: unknown[] }[] }
    ).receivers.find((r) => r.name === "hook");
    assert.deepEqual((hook!.webhookConfigs![0] as { urlSecret: unknown }).urlSecret, {
      name: "existing",
      key: "url",
    });
  });

  it("creates one Secret per AlertmanagerConfig namespace, with its given name", async () => {
    const c = new AiScalingAlerts(
      "two-ns",
      base({
        workloads: [workload({ namespace: "team-a" }), workload({ name: "embed", namespace: "team-b" })],
        notifications: {
          receivers: [
            { name: "hook", type: "webhook", url: { value: pulumi.secret("https://h.example/t") } },
          ],
        },
        secrets: { name: "alert-creds" },
      }),
    );
    assert.deepEqual(await resolveOutput(pulumi, c.secretNames), [
      "team-a/alert-creds",
      "team-b/alert-creds",
    ]);
    assert.deepEqual(await resolveOutput(pulumi, c.alertmanagerConfigNames), [
      "team-a/ai-scaling-alerts",
      "team-b/ai-scaling-alerts",
    ]);
    assert.deepEqual(await resolveOutput(pulumi, c.horizontalPodAutoscalerNames), [
      "team-a/chat",
      "team-b/embed",
    ]);
    assert.deepEqual(await resolveOutput(pulumi, c.scaledObjectNames), []);
  });

  it("labels the PrometheusRule for an existing stack, and names children stably", async () => {
    const c = new AiScalingAlerts(
      "existing",
      base({
        monitoringStack: { ruleSelectorLabels: { release: "prom" } },
        monitoring: { ruleSelectorLabels: { team: "ml" } },
      }),
    );
    assert.equal(await resolveOutput(pulumi, c.prometheusRuleName), "ai-scaling-alerts");
    await mocked.settle();
    const [rule] = registered("existing", "kubernetes:monitoring.coreos.com/v1:PrometheusRule");
    assert.equal(rule!.name, "existing-rule-ml-ai-scaling-alerts");
    const labels = (rule!.inputs.metadata as { labels: Record<string, string> }).labels;
    assert.equal(labels.release, "prom");
    assert.equal(labels.team, "ml");
    assert.equal(labels["app.kubernetes.io/managed-by"], "ai-scaling-alerts");
    assert.equal(registered("existing", "kubernetes:helm.sh/v3:Release").length, 0, "no stack installed");
  });

  it("creates KEDA ScaledObjects generically, as custom resources", async () => {
    const keda = {
      engine: "keda",
      minReplicas: 1,
      maxReplicas: 4,
      metrics: [{ type: "queue", server: "vllm", targetPerReplica: 8 }],
    };
    const c = new AiScalingAlerts("keda", base({ workloads: [workload({ autoscaling: keda })] }));
    assert.deepEqual(await resolveOutput(pulumi, c.scaledObjectNames), ["ml/chat"]);
    assert.deepEqual(await resolveOutput(pulumi, c.horizontalPodAutoscalerNames), []);
    await mocked.settle();
    const [so] = registered("keda", "kubernetes:keda.sh/v1alpha1:ScaledObject");
    assert.equal(so?.name, "keda-scaledobject-ml-chat");
    assert.equal((so!.inputs.spec as { minReplicaCount: number }).minReplicaCount, 1);
  });
});
