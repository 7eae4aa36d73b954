/**
 * What the {@link AiScalingAlerts} constructor does, as a function over its arguments (the class
 * only copies the result into its outputs, as pulumi-eks splits `Cluster` and `createCluster`).
 */
import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { generate, type GeneratedObjects, type KubernetesObject } from "../build.js";
import { CATALOG } from "../catalog/catalog.js";
import { ConfigError, type ConfigProblem } from "../config/errors.js";
import { parseConfig } from "../config/load.js";
import { isActive } from "../config/resolve.js";
import type { AiScalingAlertsArgs } from "./args.js";
import { createCustomResource, createDashboardConfigMap, createHorizontalPodAutoscaler } from "./children.js";
import { extractCredentials } from "./credentials.js";
import {
  installMonitoringStack,
  releaseSelectorLabels,
  type MonitoringStackResources,
} from "./monitoring-stack.js";
import { placeholdNamespaces, planGeneration } from "./namespaces.js";
import { createCredentialSecrets } from "./secrets.js";

/** The children of one component, and the generation they were created from. */
export interface CreatedChildren {
  readonly horizontalPodAutoscalers: k8s.autoscaling.v2.HorizontalPodAutoscaler[];
  readonly scaledObjects: k8s.apiextensions.CustomResource[];
  readonly prometheusRule: k8s.apiextensions.CustomResource;
  readonly alertmanagerConfigs: k8s.apiextensions.CustomResource[];
  readonly secrets: k8s.core.v1.Secret[];
  readonly dashboardConfigMap: k8s.core.v1.ConfigMap | undefined;
  readonly monitoringStack: MonitoringStackResources | undefined;
  /** The generation with the real namespace names. */
  readonly generated: pulumi.Output<GeneratedObjects>;
}

/** Alert names that apply to and are enabled for each workload, keyed `<namespace>/<workload>`. */
export function alertsByWorkload(g: GeneratedObjects): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const w of g.resolved.workloads) {
    out[`${w.namespace}/${w.name}`] = Object.values(w.alerts)
      .filter((a) => isActive(a) && CATALOG[a.name].perWorkload)
      .map((a) => a.name);
  }
  return out;
}

/**
 * Validates `args`, generates the objects and creates them as children of `parent` (so that they
 * inherit its providers, transformations and protection). Throws a `pulumi.ResourceError` naming
 * every bad field.
 */
export function createChildren(
  name: string,
  parent: pulumi.ComponentResource,
  args: AiScalingAlertsArgs,
): CreatedChildren {
  const { monitoringStack: ms = {}, secrets, ...config } = args;
  const { notifications, monitoring = {} } = config;
  const secretName =
    secrets?.name ?? `${notifications?.name ?? config.name ?? "ai-scaling-alerts"}-credentials`;
  const credentials = extractCredentials(notifications?.receivers ?? [], secretName);
  const withRefs: Record<string, unknown> = {
    ...config,
    ...(notifications && { notifications: { ...notifications, receivers: credentials.receivers } }),
    monitoring: {
      ...monitoring,
      ruleSelectorLabels: {
        ...monitoring.ruleSelectorLabels,
        ...(ms.install ? releaseSelectorLabels(ms) : ms.ruleSelectorLabels),
      },
    },
  };

  const generateWith = (c: Record<string, unknown>): GeneratedObjects => {
    let problems: ConfigProblem[] = [...credentials.problems];
    try {
      const parsed = parseConfig(c);
      if (problems.length === 0) return generate(parsed);
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      problems = [...problems, ...e.problems];
    }
    throw new pulumi.ResourceError(new ConfigError(problems, `AiScalingAlerts ${name}`).message, parent);
  };
  const plan = planGeneration(placeholdNamespaces(withRefs), generateWith);
  const { planned } = plan;

  const opts: pulumi.CustomResourceOptions = { parent, deleteBeforeReplace: true };
  const monitoringStack = ms.install ? installMonitoringStack(name, ms, planned, { parent }) : undefined;
  const secretsByNamespace = createCredentialSecrets(
    name,
    secretName,
    credentials.values,
    planned.alertmanagerConfigs,
    plan.namespace,
    opts,
  );

  // CRD users wait for the chart that installs the CRDs; an AlertmanagerConfig for its Secret,
  // which the operator needs to exist when it reads the object.
  const chart: pulumi.Resource[] = monitoringStack ? [monitoringStack.kubePrometheusStack] : [];
  const secretOf = (ns: string): pulumi.Resource[] => {
    const secret = secretsByNamespace.get(ns);
    return secret ? [secret] : [];
  };
  const custom = (o: KubernetesObject, dependsOn: pulumi.Resource[]) =>
    createCustomResource(name, o, plan.input(o), { ...opts, dependsOn });

  const dashboard = planned.dashboardConfigMap;
  return {
    horizontalPodAutoscalers: planned.horizontalPodAutoscalers.map((o) =>
      createHorizontalPodAutoscaler(name, o, plan.input(o), opts),
    ),
    scaledObjects: planned.scaledObjects.map((o) => custom(o, [])),
    prometheusRule: custom(planned.prometheusRule, chart),
    alertmanagerConfigs: planned.alertmanagerConfigs.map((o) =>
      custom(o, [...chart, ...secretOf(o.metadata.namespace)]),
    ),
    secrets: [...secretsByNamespace.values()],
    dashboardConfigMap: dashboard
      ? createDashboardConfigMap(
          name,
          dashboard,
          plan.actual.apply((g) => g.dashboardConfigMap ?? dashboard),
          opts,
        )
      : undefined,
    monitoringStack,
    generated: plan.actual,
  };
}
