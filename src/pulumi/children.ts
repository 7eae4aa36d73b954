/**
 * One Pulumi resource per generated Kubernetes object: the typed resource for `autoscaling/v2`
 * HorizontalPodAutoscalers and the dashboard's `core/v1` ConfigMap, a `CustomResource` for the
 * custom kinds (PrometheusRule, AlertmanagerConfig, KEDA ScaledObject).
 */
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { KubernetesObject } from "../build.js";
import type { HorizontalPodAutoscalerObject } from "../autoscaling/hpa.js";
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

/**
 * Creates the HorizontalPodAutoscaler for `planned` (which fixes its logical name) with the inputs
 * of `input` (the same object with the real namespace names).
 */
export function createHorizontalPodAutoscaler(
  component: string,
  planned: HorizontalPodAutoscalerObject,
  input: pulumi.Output<HorizontalPodAutoscalerObject>,
  opts: pulumi.CustomResourceOptions,
): k8s.autoscaling.v2.HorizontalPodAutoscaler {
  return new k8s.autoscaling.v2.HorizontalPodAutoscaler(
    childName(component, planned),
    { metadata: input.apply((o) => o.metadata), spec: input.apply((o) => o.spec) },
    opts,
  );
}

/**
 * Creates a `CustomResource` for `planned`, whose apiVersion, kind and top-level fields are final,
 * with the values of `input` (the same object with the real namespace names).
 */
export function createCustomResource(
  component: string,
  planned: KubernetesObject,
  input: pulumi.Output<KubernetesObject>,
  opts: pulumi.CustomResourceOptions,
): k8s.apiextensions.CustomResource {
  const args: k8s.apiextensions.CustomResourceArgs = { apiVersion: planned.apiVersion, kind: planned.kind };
  for (const key of Object.keys(planned)) {
    if (key !== "apiVersion" && key !== "kind") args[key] = input.apply((o): unknown => Reflect.get(o, key));
  }
  return new k8s.apiextensions.CustomResource(childName(component, planned), args, opts);
}

/** `<namespace>/<name>` of a created child, from its outputs. */
export function qualifiedName(r: {
  metadata: pulumi.Output<{ name?: string; namespace?: string }>;
}): pulumi.Output<string> {
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
