/**
 * One Pulumi resource per generated Kubernetes object, chosen by apiVersion and kind: the typed
 * resource for `autoscaling/v2` HorizontalPodAutoscalers, a `CustomResource` for everything else
 * (PrometheusRule, AlertmanagerConfig, and any kind the core adds later, such as KEDA ScaledObjects).
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { KubernetesObject } from "../build.js";
import type { DashboardConfigMapObject } from "../dashboard/configmap.js";

const KIND_SLUGS: Readonly<Record<string, string>> = {
  HorizontalPodAutoscaler: "hpa",
  PrometheusRule: "rule",
  AlertmanagerConfig: "amcfg",
  ScaledObject: "scaledobject",
};

/** Short, stable word for a kind in logical names: `hpa`, `rule`, `amcfg`, else the kind in lower case. */
export function kindSlug(kind: string): string {
  return KIND_SLUGS[kind] ?? kind.toLowerCase();
}

/**
 * The logical (Pulumi) name of a child: `<component>-<kind slug>-<namespace>-<name>`, e.g.
 * `alerts-hpa-ml-serving-llm-chat`. Stable as long as the object's namespace and name are.
 */
export function childName(component: string, o: KubernetesObject): string {
  return `${component}-${kindSlug(o.kind)}-${o.metadata.namespace}-${o.metadata.name}`;
}

/** A created child: the resource, and the kind it was created for. */
export interface Child {
  readonly kind: string;
  readonly resource: k8s.autoscaling.v2.HorizontalPodAutoscaler | k8s.apiextensions.CustomResource;
}

/**
 * Creates the resource for `planned` (whose apiVersion, kind and top-level fields are final) with
 * the inputs of `input` (the same object, or an Output of it with the real namespace names).
 */
export function createChild(
  name: string,
  planned: KubernetesObject,
  input: pulumi.Input<KubernetesObject>,
  opts: pulumi.CustomResourceOptions,
): Child {
  const o = pulumi.output(input as pulumi.Input<unknown>) as pulumi.Output<Record<string, unknown>>;
  const field = <T>(key: string) => o.apply((x) => x[key] as T);
  if (planned.apiVersion === "autoscaling/v2" && planned.kind === "HorizontalPodAutoscaler") {
    const resource = new k8s.autoscaling.v2.HorizontalPodAutoscaler(
      name,
      {
        metadata: field<k8s.types.input.meta.v1.ObjectMeta>("metadata"),
        spec: field<k8s.types.input.autoscaling.v2.HorizontalPodAutoscalerSpec>("spec"),
      },
      opts,
    );
    return { kind: planned.kind, resource };
  }
  const args: k8s.apiextensions.CustomResourceArgs = { apiVersion: planned.apiVersion, kind: planned.kind };
  for (const key of Object.keys(planned)) {
    if (key !== "apiVersion" && key !== "kind") args[key] = field<unknown>(key);
  }
  return { kind: planned.kind, resource: new k8s.apiextensions.CustomResource(name, args, opts) };
}

/** `<namespace>/<name>` of a created child, from its outputs. */
export function qualifiedName(r: { metadata: pulumi.Output<{ name?: string; namespace?: string }> }) {
  return r.metadata.apply((m) => `${m.namespace ?? ""}/${m.name ?? ""}`);
}

/**
 * Creates the dashboard's ConfigMap for Grafana's sidecar. `planned` fixes the logical name
 * (`<component>-dashboard-<namespace>-<name>`); `input` is the same object with the real
 * namespace names (the dashboard's variables and title hold them).
 */
export function createDashboardConfigMap(
  component: string,
  planned: DashboardConfigMapObject,
  input: pulumi.Output<DashboardConfigMapObject>,
  opts: pulumi.CustomResourceOptions,
): k8s.core.v1.ConfigMap {
  return new k8s.core.v1.ConfigMap(
    `${component}-dashboard-${planned.metadata.namespace}-${planned.metadata.name}`,
    { metadata: input.apply((c) => ({ ...c.metadata })), data: input.apply((c) => ({ ...c.data })) },
    opts,
  );
}
