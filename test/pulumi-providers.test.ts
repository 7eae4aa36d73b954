/**
 * A provider given to the AiScalingAlerts component reaches every child, as the mock engine sees
 * it: `newResource` receives each child's provider reference (`<provider urn>::<provider id>`),
 * whether the program passes `provider`, `providers` as a list or as a map; without one, the
 * children get the default provider (the negative control).
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type * as PulumiModule from "@pulumi/pulumi";
import type * as K8sModule from "@pulumi/kubernetes";
import type { AiScalingAlertsArgs } from "../src/pulumi/index.js";
import { resolveOutput } from "./support/pulumi-mocks.js";

/** What the mock engine's newResource received. */
interface Registered {
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  readonly provider: string;
}

const registered: Registered[] = [];
let pulumi: typeof PulumiModule;
let k8s: typeof K8sModule;
let AiScalingAlerts: typeof import("../src/pulumi/index.js").AiScalingAlerts;

before(async () => {
  pulumi = await import("@pulumi/pulumi");
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        registered.push({
          type: args.type,
          name: args.name,
          custom: args.custom ?? false,
          provider: args.provider ?? "",
        });
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: (args) => args.inputs,
    },
    "providers",
    "test",
    false,
  );
  k8s = await import("@pulumi/kubernetes");
  ({ AiScalingAlerts } = await import("../src/pulumi/index.js"));
});

const settle = () => (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();

/** A config that creates every kind of child: HPA, ScaledObject, rule, routing, Secrets, dashboard, stack. */
const everyKind = (): AiScalingAlertsArgs => ({
  namespace: "ml",
  workloads: [
    {
      name: "chat",
      autoscaling: { minReplicas: 2, maxReplicas: 6, metrics: [{ type: "cpu", targetUtilization: 70 }] },
    },
    {
      name: "batch",
      autoscaling: {
        engine: "keda",
        minReplicas: 1,
        maxReplicas: 4,
        metrics: [{ type: "queue", server: "vllm", targetPerReplica: 8 }],
      },
    },
  ],
  notifications: {
    receivers: [{ name: "hook", type: "webhook", url: { value: pulumi.secret("https://h.example/t") } }],
  },
  monitoringStack: { install: true, dcgmExporter: true, prometheusAdapter: true },
});

const EVERY_CHILD_TYPE = [
  "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
  "kubernetes:keda.sh/v1alpha1:ScaledObject",
  "kubernetes:monitoring.coreos.com/v1:PrometheusRule",
  "kubernetes:monitoring.coreos.com/v1alpha1:AlertmanagerConfig",
  "kubernetes:core/v1:Secret",
  "kubernetes:core/v1:ConfigMap",
  "kubernetes:core/v1:Namespace",
  "kubernetes:helm.sh/v3:Release",
];

/** The custom resources a component registered (its children), by the prefix of their names. */
const childrenOf = (component: string) =>
  registered.filter((r) => r.custom && r.name.startsWith(`${component}-`) && !r.type.startsWith("pulumi:"));

async function providerRef(p: PulumiModule.ProviderResource): Promise<string> {
  const [urn, id] = await Promise.all([resolveOutput(pulumi, p.urn), resolveOutput(pulumi, p.id)]);
  return `${urn}::${id}`;
}

async function assertEveryChildUses(component: string, ref: string) {
  await settle();
  const children = childrenOf(component);
  assert.deepEqual(
    [...new Set(children.map((c) => c.type))].sort(),
    [...EVERY_CHILD_TYPE].sort(),
    "the component created every kind of child",
  );
  for (const c of children) assert.equal(c.provider, ref, `${c.type} ${c.name}`);
}

describe("a provider given to the component reaches every child", () => {
  it("opts.provider", async () => {
    const cluster = new k8s.Provider("cluster-a", { kubeconfig: "{}" });
    new AiScalingAlerts("via-provider", everyKind(), { provider: cluster });
    await assertEveryChildUses("via-provider", await providerRef(cluster));
  });

  it("opts.providers as a list", async () => {
    const cluster = new k8s.Provider("cluster-b", { kubeconfig: "{}" });
    new AiScalingAlerts("via-list", everyKind(), { providers: [cluster] });
    await assertEveryChildUses("via-list", await providerRef(cluster));
  });

  it("opts.providers as a map by package", async () => {
    const cluster = new k8s.Provider("cluster-c", { kubeconfig: "{}" });
    new AiScalingAlerts("via-map", everyKind(), { providers: { kubernetes: cluster } });
    await assertEveryChildUses("via-map", await providerRef(cluster));
  });

  it("a parent's provider reaches the component's children too", async () => {
    const cluster = new k8s.Provider("cluster-d", { kubeconfig: "{}" });
    const group = new pulumi.ComponentResource("test:index:Group", "group", {}, { providers: [cluster] });
    new AiScalingAlerts("via-parent", everyKind(), { parent: group });
    await assertEveryChildUses("via-parent", await providerRef(cluster));
  });

  it("without one, the children use the default provider (negative control)", async () => {
    new AiScalingAlerts("no-provider", everyKind());
    await settle();
    const children = childrenOf("no-provider");
    assert.ok(children.length >= EVERY_CHILD_TYPE.length);
    const named = registered.filter((r) => r.type === "pulumi:providers:kubernetes").map((r) => r.name);
    for (const c of children) {
      assert.ok(!named.some((n) => c.provider.includes(`::${n}::`)), `${c.type} ${c.name}: ${c.provider}`);
    }
  });
});
