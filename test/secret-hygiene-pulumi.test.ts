/**
 * Secret hygiene of the Pulumi component, under mocks: sentinel credentials given as `{ value }`
 * (secret Outputs, plain Outputs, plain strings) reach the engine only inside secret-wrapped
 * inputs; no resource's plain inputs and none of the component's outputs hold one; and the
 * credentials the component refuses (inline strings, pasted URLs in Secret names and keys, users
 * and passwords in URLs) are named in its error without being repeated.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type * as PulumiModule from "@pulumi/pulumi";
import type { AiScalingAlertsArgs } from "../src/pulumi/index.js";
import { assertNoSentinel, sentinel } from "./support/sentinels.js";
import { plainParts, resolveOutput, startMocks, type MockedPulumi } from "./support/pulumi-mocks.js";

let mocked: MockedPulumi;
let pulumi: typeof PulumiModule;
let AiScalingAlerts: typeof import("../src/pulumi/index.js").AiScalingAlerts;

before(async () => {
  mocked = await startMocks("hygiene");
  pulumi = mocked.pulumi;
  ({ AiScalingAlerts } = await import("../src/pulumi/index.js"));
});

const WORKLOADS = [
  {
    name: "chat",
    autoscaling: {
      minReplicas: 2,
      maxReplicas: 6,
      metrics: [{ type: "cpu" as const, targetUtilization: 70 }],
    },
  },
  {
    name: "embed",
    namespace: "team-b",
    autoscaling: {
      engine: "keda" as const,
      minReplicas: 1,
      maxReplicas: 4,
      metrics: [{ type: "cpu" as const, targetUtilization: 70 }],
      keda: { prometheusServerAddress: "http://prometheus.monitoring:9090" },
    },
  },
];

const args = (over: Record<string, unknown>): AiScalingAlertsArgs =>
  ({ namespace: "ml", workloads: WORKLOADS, ...over }) as unknown as AiScalingAlertsArgs;

/** Every registered resource's inputs, secrets left out: what the engine keeps in plain text. */
function assertNoPlainSentinel(prefix: string): number {
  const mine = mocked.resources.filter((r) => r.name === prefix || r.name.startsWith(`${prefix}-`));
  for (const r of mine) assertNoSentinel(`${r.type} ${r.name}`, JSON.stringify(plainParts(pulumi, r.inputs)));
  return mine.length;
}

/** The component's error message, which must name `paths` and repeat no sentinel. */
function refusal(name: string, a: AiScalingAlertsArgs, ...paths: RegExp[]): string {
  let error: unknown;
  try {
    new AiScalingAlerts(name, a);
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof pulumi.ResourceError, `expected a ResourceError, got ${String(error)}`);
  assertNoSentinel(`${name}: error`, `${error.message}\n${error.stack ?? ""}`);
  for (const p of paths) assert.match(error.message, p);
  return error.message;
}

describe("credentials given as values", () => {
  it("reach the engine only as secrets; no plain input and no output holds one", async () => {
    const c = new AiScalingAlerts(
      "values",
      args({
        monitoring: { runbookBaseUrl: "https://runbooks.example/ai.md" },
        monitoringStack: { install: true },
        notifications: {
          receivers: [
            {
              name: "slack",
              type: "slack",
              apiUrl: { value: pulumi.secret(`https://hooks.example/${sentinel("pulumi-slack")}`) },
            },
            { name: "hook", type: "webhook", url: { value: pulumi.output(sentinel("pulumi-output")) } },
            { name: "pager", type: "pagerduty", routingKey: { value: sentinel("pulumi-plain") } },
            {
              name: "genie",
              type: "opsgenie",
              apiKey: { value: Promise.resolve(sentinel("pulumi-promise")) },
            },
            {
              name: "mail",
              type: "email",
              to: "a@example.org",
              from: "b@example.org",
              smarthost: "smtp.example.org:587",
              authPassword: { value: pulumi.secret(sentinel("pulumi-smtp")) },
            },
          ],
        },
      }),
    );
    const outputs = Object.entries(c).filter(([, v]) => pulumi.Output.isInstance(v));
    assert.ok(outputs.length >= 7, outputs.map(([k]) => k).join());
    for (const [key, output] of outputs) {
      const value = await resolveOutput(pulumi, output as PulumiModule.Output<unknown>);
      const secret = await pulumi.isSecret(output as PulumiModule.Output<unknown>);
      if (!secret) assertNoSentinel(`output ${key}`, JSON.stringify(value));
    }
    assert.deepEqual(await resolveOutput(pulumi, c.secretNames), [
      "ml/ai-scaling-alerts-credentials",
      "team-b/ai-scaling-alerts-credentials",
    ]);
    await mocked.settle();
    assert.ok(assertNoPlainSentinel("values") > 8);
    const secrets = mocked.resources.filter(
      (r) => r.type === "kubernetes:core/v1:Secret" && r.name.startsWith("values-"),
    );
    assert.equal(secrets.length, 2);
    for (const s of secrets) {
      assert.ok(pulumi.runtime.isRpcSecret(s.inputs.stringData), `${s.name}: stringData is not secret`);
      // ...and it is the sentinels that it holds, so the check above had them to find.
      assert.match(JSON.stringify(s.inputs.stringData), /SENTINEL-pulumi-plain-7f3a/);
    }
  });

  it("given as plain strings, Outputs and Promises, still reach the engine only as secrets", async () => {
    new AiScalingAlerts(
      "plain-values",
      args({
        notifications: {
          receivers: [
            { name: "hook", type: "webhook", url: { value: pulumi.output(sentinel("plain-output")) } },
            { name: "pager", type: "pagerduty", routingKey: { value: sentinel("plain-string") } },
            {
              name: "genie",
              type: "opsgenie",
              apiKey: { value: Promise.resolve(sentinel("plain-promise")) },
            },
          ],
        },
      }),
    );
    await mocked.settle();
    assert.ok(assertNoPlainSentinel("plain-values") > 4);
    const secrets = mocked.resources.filter(
      (r) => r.type === "kubernetes:core/v1:Secret" && r.name.startsWith("plain-values-"),
    );
    assert.equal(secrets.length, 2);
    for (const s of secrets) assert.ok(pulumi.runtime.isRpcSecret(s.inputs.stringData), s.name);
  });
});

describe("credentials the component refuses", () => {
  it("inline strings, named and not repeated", async () => {
    refusal(
      "inline",
      args({
        notifications: {
          receivers: [
            { name: "slack", type: "slack", apiUrl: `https://hooks.example/${sentinel("pulumi-inline")}` },
            { name: "hook", type: "webhook", url: pulumi.secret(sentinel("pulumi-bare-output")) },
          ],
        },
      }),
      /notifications\.receivers\[0\]\.apiUrl: inline credentials/,
      /notifications\.receivers\[1\]\.url: a bare Output or Promise/,
    );
    await mocked.settle();
    assertNoPlainSentinel("inline");
  });

  it("a URL pasted into the Secret's name, a Secret key, or a reference beside a value", async () => {
    refusal(
      "pasted",
      args({
        secrets: { name: `https://hooks.example/${sentinel("pulumi-secret-name")}` },
        notifications: {
          receivers: [
            { name: "slack", type: "slack", apiUrl: { value: pulumi.secret("x") } },
            {
              name: "hook",
              type: "webhook",
              url: { secret: "alerting", key: `https://hooks.example/${sentinel("pulumi-key")}` },
            },
            {
              name: "pager",
              type: "pagerduty",
              routingKey: { secret: "alerting", key: "k", value: sentinel("pulumi-beside") },
            },
          ],
        },
      }),
      /notifications\.receivers\[0\]\.apiUrl\.secret: expected the name of a Secret .*looks like a URL/,
      /notifications\.receivers\[1\]\.url\.key: expected a key of the Secret .*looks like a URL/,
      /notifications\.receivers\[2\]\.routingKey\.value: unknown key/,
    );
    await mocked.settle();
    assertNoPlainSentinel("pasted");
    assert.equal(mocked.resources.filter((r) => r.name.startsWith("pasted-")).length, 0);
  });

  it("a user and password in the runbook URL or in KEDA's Prometheus address", async () => {
    const [chat, embed] = WORKLOADS;
    refusal(
      "userinfo",
      args({
        monitoring: { runbookBaseUrl: `https://ops:${sentinel("pulumi-runbook")}@runbooks.example/` },
        workloads: [
          chat,
          {
            ...embed,
            autoscaling: {
              ...embed!.autoscaling,
              keda: { prometheusServerAddress: `http://k:${sentinel("pulumi-keda")}@prometheus:9090` },
            },
          },
        ],
      }),
      /monitoring\.runbookBaseUrl: must not hold a user or password/,
      /workloads\[1\]\.autoscaling\.keda\.prometheusServerAddress: must not hold a user or password/,
    );
    await mocked.settle();
    assertNoPlainSentinel("userinfo");
  });
});
