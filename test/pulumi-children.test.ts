/**
 * The AiScalingAlerts component exposes its children as typed resources: a program can depend on
 * them (`dependsOn: alerts.prometheusRule`), read their outputs, and transform them through the
 * component's `transformations`. Under Pulumi mocks.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type * as PulumiModule from "@pulumi/pulumi";
import type * as K8sModule from "@pulumi/kubernetes";
import type { AiScalingAlertsArgs } from "../src/pulumi/index.js";
import {
  resolveOutput,
  startMocks,
  type MockedPulumi,
  type RecordedResource,
} from "./support/pulumi-mocks.js";

let mocked: MockedPulumi;
let pulumi: typeof PulumiModule;
let k8s: typeof K8sModule;
let AiScalingAlerts: typeof import("../src/pulumi/index.js").AiScalingAlerts;

before(async () => {
  mocked = await startMocks("children");
  pulumi = mocked.pulumi;
  k8s = await import("@pulumi/kubernetes");
  ({ AiScalingAlerts } = await import("../src/pulumi/index.js"));
});

const cpu = { minReplicas: 2, maxReplicas: 6, metrics: [{ type: "cpu" as const, targetUtilization: 70 }] };

const args = (over: Partial<AiScalingAlertsArgs> = {}): AiScalingAlertsArgs => ({
  namespace: "ml",
  workloads: [
    { name: "chat", autoscaling: cpu },
    { name: "embed", namespace: "search", autoscaling: cpu },
  ],
  notifications: {
    receivers: [{ name: "hook", type: "webhook", url: { value: pulumi.secret("https://h.example/t") } }],
  },
  ...over,
});

const recorded = (name: string): RecordedResource => {
  const found = mocked.resources.filter((r) => r.name === name);
  assert.equal(found.length, 1, `one resource named ${name}`);
  return found[0]!;
};

describe("children as typed resources", () => {
  it("exposes each generated object as the resource it registered, parented to the component", async () => {
    const alerts = new AiScalingAlerts("typed", args());
    assert.ok(alerts.prometheusRule instanceof k8s.apiextensions.CustomResource);
    assert.equal(alerts.horizontalPodAutoscalers.length, 2);
    for (const hpa of alerts.horizontalPodAutoscalers) {
      assert.ok(hpa instanceof k8s.autoscaling.v2.HorizontalPodAutoscaler);
    }
    assert.equal(alerts.alertmanagerConfigs.length, 2, "one per workload namespace");
    assert.equal(alerts.secrets.length, 2);
    for (const s of alerts.secrets) assert.ok(s instanceof k8s.core.v1.Secret);
    assert.ok(alerts.dashboardConfigMap instanceof k8s.core.v1.ConfigMap);
    assert.deepEqual(alerts.scaledObjects, []);
    assert.equal(alerts.monitoringStack, undefined, "no stack installed");

    // The outputs are the registered objects': a program reads them like any resource's.
    assert.equal(await resolveOutput(pulumi, alerts.prometheusRule.metadata.name), "ai-scaling-alerts");
    assert.deepEqual(
      await resolveOutput(pulumi, pulumi.all(alerts.horizontalPodAutoscalers.map((h) => h.spec.maxReplicas))),
      [6, 6],
    );
    assert.deepEqual(
      await resolveOutput(pulumi, pulumi.all(alerts.secrets.map((s) => s.metadata.namespace))),
      ["ml", "search"],
    );

    const component = await resolveOutput(pulumi, alerts.urn);
    const urns = await resolveOutput(
      pulumi,
      pulumi.all(
        [
          alerts.prometheusRule,
          ...alerts.horizontalPodAutoscalers,
          ...alerts.alertmanagerConfigs,
          ...alerts.secrets,
        ].map((r) => r.urn),
      ),
    );
    await mocked.settle();
    for (const urn of urns) {
      const name = urn.split("::").pop() ?? "";
      assert.equal(recorded(name).parent, component, `${name} is a child of the component`);
    }
  });

  it("a user resource can depend on the PrometheusRule, and on the AlertmanagerConfigs", async () => {
    const alerts = new AiScalingAlerts("deps", args());
    new k8s.core.v1.ConfigMap("after-rule", { data: { a: "b" } }, { dependsOn: alerts.prometheusRule });
    new k8s.core.v1.ConfigMap("after-routing", { data: {} }, { dependsOn: alerts.alertmanagerConfigs });
    new k8s.core.v1.ConfigMap("unrelated", { data: {} });
    const rule = await resolveOutput(pulumi, alerts.prometheusRule.urn);
    const amcfgs = await resolveOutput(pulumi, pulumi.all(alerts.alertmanagerConfigs.map((a) => a.urn)));
    await mocked.settle();
    assert.ok(recorded("after-rule").dependencies.includes(rule));
    assert.deepEqual([...recorded("after-routing").dependencies].sort(), [...amcfgs].sort());
    assert.deepEqual(recorded("unrelated").dependencies, [], "control: no dependency without dependsOn");
    // Each AlertmanagerConfig waits for the Secret of its own namespace, not another's.
    const secrets = await resolveOutput(pulumi, pulumi.all(alerts.secrets.map((x) => x.urn)));
    amcfgs.forEach((urn, i) => {
      const deps = recorded(urn.split("::").pop() ?? "").dependencies;
      assert.deepEqual(deps, [secrets[i]], urn);
    });
  });

  it("exposes the monitoring stack's Helm releases, which the custom resources wait for", async () => {
    const alerts = new AiScalingAlerts(
      "stack",
      args({ monitoringStack: { install: true, dcgmExporter: true, prometheusAdapter: true } }),
    );
    const stack = alerts.monitoringStack;
    assert.ok(stack, "the stack is exposed");
    for (const release of [stack.kubePrometheusStack, stack.dcgmExporter, stack.prometheusAdapter]) {
      assert.ok(release instanceof k8s.helm.v3.Release);
    }
    assert.ok(stack.namespace instanceof k8s.core.v1.Namespace);
    assert.equal(await resolveOutput(pulumi, stack.kubePrometheusStack.name), "kube-prometheus-stack");
    const kps = await resolveOutput(pulumi, stack.kubePrometheusStack.urn);
    const rule = (await resolveOutput(pulumi, alerts.prometheusRule.urn)).split("::").pop() ?? "";
    const hpa =
      (await resolveOutput(pulumi, alerts.horizontalPodAutoscalers[0]!.urn)).split("::").pop() ?? "";
    await mocked.settle();
    assert.ok(recorded(rule).dependencies.includes(kps), "the rule waits for the chart with its CRD");
    assert.ok(!recorded(hpa).dependencies.includes(kps), "control: a core kind does not");
  });
});

describe("the component's transformations reach its children", () => {
  it("a transformation adds a label to every child it is given", async () => {
    const addLabel: PulumiModule.ResourceTransformation = (a) => {
      const props = a.props as { metadata?: PulumiModule.Input<Record<string, unknown>> };
      if (!a.type.startsWith("kubernetes:") || props.metadata === undefined) return undefined;
      const metadata = pulumi.output(props.metadata).apply((m) => ({
        ...m,
        labels: { ...(m.labels as Record<string, string> | undefined), "cost-center": "ml-42" },
      }));
      return { props: { ...a.props, metadata }, opts: a.opts };
    };
    const alerts = new AiScalingAlerts("transformed", args(), { transformations: [addLabel] });
    await resolveOutput(pulumi, alerts.alertsByWorkload);
    await mocked.settle();
    const children = mocked.resources.filter((r) => r.custom && r.name.startsWith("transformed-"));
    assert.deepEqual([...new Set(children.map((c) => c.type))].sort(), [
      "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
      "kubernetes:core/v1:ConfigMap",
      "kubernetes:core/v1:Secret",
      "kubernetes:monitoring.coreos.com/v1:PrometheusRule",
      "kubernetes:monitoring.coreos.com/v1alpha1:AlertmanagerConfig",
    ]);
    for (const c of children) {
      const labels = (c.inputs.metadata as { labels?: Record<string, string> }).labels ?? {};
      assert.equal(labels["cost-center"], "ml-42", `${c.type} ${c.name}`);
      assert.equal(labels["app.kubernetes.io/managed-by"], "ai-scaling-alerts", "the generated labels stay");
    }
    const untouched = mocked.resources.find((r) => r.name === "typed-hpa-ml-chat");
    assert.ok(untouched, "control: the first test's HPA was registered");
    const controlLabels = (untouched.inputs.metadata as { labels: Record<string, string> }).labels;
    assert.equal(
      controlLabels["cost-center"],
      undefined,
      "control: another component's children are untouched",
    );
  });
});
