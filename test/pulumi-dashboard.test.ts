/**
 * The AiScalingAlerts component creates the dashboard's ConfigMap for Grafana's sidecar, under
 * Pulumi mocks: the sidecar's label, the folder annotation, the dashboard JSON the CLI renders,
 * the real namespace when the namespace is an Output, and none with `grafana.dashboard: false`.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type * as PulumiModule from "@pulumi/pulumi";
import type { AiScalingAlertsArgs } from "../src/pulumi/index.js";
import { generate } from "../src/build.js";
import { parseConfig } from "../src/config/load.js";
import { resolveOutput, startMocks, type MockedPulumi } from "./support/pulumi-mocks.js";

let mocked: MockedPulumi;
let pulumi: typeof PulumiModule;
let AiScalingAlerts: typeof import("../src/pulumi/index.js").AiScalingAlerts;

before(async () => {
  mocked = await startMocks("dashboard");
  pulumi = mocked.pulumi;
  ({ AiScalingAlerts } = await import("../src/pulumi/index.js"));
});

const CONFIG_MAP = "kubernetes:core/v1:ConfigMap";
const config = {
  namespace: "ml",
  workloads: [
    {
      name: "chat",
      autoscaling: { minReplicas: 2, maxReplicas: 6, metrics: [{ type: "gpu", targetUtilization: 70 }] },
    },
  ],
};
const registered = (prefix: string, type: string) =>
  mocked.resources.filter((r) => r.name.startsWith(`${prefix}-`) && r.type === type);

describe("the dashboard's ConfigMap", () => {
  it("is created with the sidecar's label, the folder annotation and the dashboard the CLI renders", async () => {
    const grafana = { folder: "Inference", folderAnnotation: "k8s-sidecar-target-directory" };
    const c = new AiScalingAlerts("dash", {
      ...config,
      monitoring: { grafana },
    } as unknown as AiScalingAlertsArgs);
    assert.equal(await resolveOutput(pulumi, c.dashboardConfigMapName), "ml/ai-scaling-alerts-dashboard");
    await mocked.settle();
    const maps = registered("dash", CONFIG_MAP);
    assert.equal(maps.length, 1);
    const cm = maps[0]!;
    assert.equal(cm.name, "dash-dashboard-ml-ai-scaling-alerts-dashboard");
    const metadata = cm.inputs.metadata as {
      namespace: string;
      labels: Record<string, string>;
      annotations: Record<string, string>;
    };
    assert.equal(metadata.namespace, "ml");
    assert.equal(metadata.labels.grafana_dashboard, "1");
    assert.equal(metadata.labels["app.kubernetes.io/managed-by"], "ai-scaling-alerts");
    assert.deepEqual(metadata.annotations, { "k8s-sidecar-target-directory": "Inference" });
    const expected = generate(parseConfig({ ...config, monitoring: { grafana } })).dashboardConfigMap;
    assert.deepEqual(cm.inputs.data, expected?.data);
    const json = JSON.parse(Object.values(cm.inputs.data as Record<string, string>)[0]!) as { uid: string };
    assert.equal(json.uid, expected && JSON.parse(Object.values(expected.data)[0]!).uid);
    assert.ok(cm.parent?.endsWith("::dash"), "the ConfigMap is a child of the component");
  });

  it("holds the real namespace when the namespace is an Output", async () => {
    const c = new AiScalingAlerts("dash-output", {
      ...config,
      namespace: pulumi.output("team-x"),
    } as unknown as AiScalingAlertsArgs);
    assert.equal(await resolveOutput(pulumi, c.dashboardConfigMapName), "team-x/ai-scaling-alerts-dashboard");
    await mocked.settle();
    const [cm] = registered("dash-output", CONFIG_MAP);
    const data = Object.values(cm!.inputs.data as Record<string, string>)[0]!;
    assert.match(data, /team-x/);
    assert.doesNotMatch(data, /input-namespace-/);
  });

  it("is not created with grafana.dashboard: false", async () => {
    const c = new AiScalingAlerts("no-dash", {
      ...config,
      monitoring: { grafana: { dashboard: false } },
    } as unknown as AiScalingAlertsArgs);
    assert.equal(await resolveOutput(pulumi, c.dashboardConfigMapName), "");
    await mocked.settle();
    assert.equal(registered("no-dash", CONFIG_MAP).length, 0);
  });
});
