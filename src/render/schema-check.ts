/**
 * Checking generated objects against the published Kubernetes and Prometheus Operator schemas
 * (`kubernetes-models`, `@kubernetes-models/prometheus-operator`; KEDA's ScaledObject against
 * `keda-schema.ts`; the dashboard's ConfigMap against core/v1). A failure here is a bug in a
 * generator, never in the user's config: render refuses to write such output.
 */
import { AlertmanagerConfig } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1/AlertmanagerConfig";
import { PrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2";
import { ConfigMap } from "kubernetes-models/v1";
import type { KubernetesObject } from "../build.js";
import type { DashboardConfigMapObject } from "../dashboard/configmap.js";
import { scaledObjectProblems } from "../autoscaling/keda-schema.js";

/** One object that failed its schema. */
export interface SchemaViolation {
  readonly object: string;
  readonly message: string;
}

/** Validates each object against its published schema; returns the violations (empty when valid). */
export function schemaViolations(
  objects: readonly (KubernetesObject | DashboardConfigMapObject)[],
): SchemaViolation[] {
  const out: SchemaViolation[] = [];
  for (const o of objects) {
    const id = `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`;
    try {
      // The models take loosely typed input; our interfaces are the stricter contract.
      const input = o as never;
      if (o.kind === "ConfigMap") new ConfigMap(input).validate();
      else if (o.kind === "ScaledObject") {
        const problems = scaledObjectProblems(o);
        if (problems.length > 0) throw new Error(problems.join("; "));
      } else if (o.kind === "HorizontalPodAutoscaler") new HorizontalPodAutoscaler(input).validate();
      else if (o.kind === "PrometheusRule") new PrometheusRule(input).validate();
      else new AlertmanagerConfig(input).validate();
    } catch (e) {
      out.push({ object: id, message: (e as Error).message });
    }
  }
  return out;
}
