/**
 * The arguments of the {@link AiScalingAlerts} component: the CLI's config (`ConfigInput`), with
 * Pulumi Inputs in the two places where a program passes values it does not know yet (namespace
 * names, credential values), plus the optional monitoring stack.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { SecretRef } from "../config/primitives.js";
import type { ConfigInput } from "../config/schema.js";
import type { HelmValues } from "../monitoring-stack/values.js";

/**
 * A credential given as a value. The component stores it in a Kubernetes Secret it creates in
 * each AlertmanagerConfig's namespace (`stringData`, wrapped in `pulumi.secret`, so the state keeps
 * it encrypted) and points the receiver at that Secret. Typically
 * `{ value: new pulumi.Config().requireSecret("slackWebhookUrl") }`.
 */
export interface SecretValue {
  readonly value: pulumi.Input<string>;
}

/**
 * A receiver credential: the CLI's Secret reference `{ secret, key }` (a Secret that exists; the
 * component creates none), or a {@link SecretValue}. An inline string is rejected, as in the CLI.
 */
export type CredentialInput = SecretRef | SecretValue;

type NotificationsInput = NonNullable<ConfigInput["notifications"]>;
type ReceiverInput = NotificationsInput["receivers"][number];
type WorkloadInput = ConfigInput["workloads"][number];

/** A receiver of the config, where every Secret-reference field also takes a {@link SecretValue}. */
export type ReceiverArgs = ReceiverInput extends infer R
  ? R extends unknown
    ? { [K in keyof R]: NonNullable<R[K]> extends SecretRef ? R[K] | SecretValue : R[K] }
    : never
  : never;

/** A workload of the config; its namespace may be an Output (e.g. a Namespace resource's name). */
export type WorkloadArgs = Omit<WorkloadInput, "namespace"> & { namespace?: pulumi.Input<string> };

/** The `notifications` section, with Output namespaces and {@link CredentialInput} credentials. */
export type NotificationsArgs = Omit<NotificationsInput, "namespace" | "receivers"> & {
  namespace?: pulumi.Input<string>;
  receivers: ReceiverArgs[];
};

/**
 * The config as the CLI takes it (see the README's config reference), except that namespaces are
 * `pulumi.Input<string>` and credentials are {@link CredentialInput}s. Everything else is plain
 * data: it decides how many objects there are and what the rules say, so it must be known when the
 * program runs (and previews).
 */
export type AiScalingAlertsConfig = Omit<ConfigInput, "namespace" | "workloads" | "notifications"> & {
  namespace?: pulumi.Input<string>;
  workloads: WorkloadArgs[];
  notifications?: NotificationsArgs;
};

/** Helm value overrides per chart, deep-merged over the generated values. */
export interface MonitoringStackValues {
  readonly kubePrometheusStack?: HelmValues;
  readonly dcgmExporter?: HelmValues;
  readonly prometheusAdapter?: HelmValues;
}

/** The monitoring stack: install one (`install: true`) or describe the existing one. */
export interface MonitoringStackArgs {
  /**
   * Install kube-prometheus-stack (and, if asked, dcgm-exporter and prometheus-adapter) as Helm
   * releases, configured to pick up the generated objects. Default false: an existing stack.
   */
  readonly install?: boolean;
  /** Helm release name of kube-prometheus-stack (default `kube-prometheus-stack`). */
  readonly releaseName?: string;
  /** Namespace of the releases (default `monitoring`). */
  readonly namespace?: string;
  /** Create that namespace as a `Namespace` resource (default true when installing). */
  readonly createNamespace?: boolean;
  /** Also install NVIDIA dcgm-exporter with a ServiceMonitor (default false). */
  readonly dcgmExporter?: boolean;
  /** Also install prometheus-adapter serving the HPAs' GPU and queue metrics (default false). */
  readonly prometheusAdapter?: boolean;
  /**
   * Existing stack only: labels the PrometheusRule must carry for that Prometheus to load it
   * (kube-prometheus-stack: `{ release: <its release name> }`). Merged over
   * `monitoring.ruleSelectorLabels`. With `install: true` the label is `release: <releaseName>`.
   */
  readonly ruleSelectorLabels?: Readonly<Record<string, string>>;
  /** Value overrides, deep-merged over the generated values (objects merge, the rest replaces). */
  readonly values?: MonitoringStackValues;
}

/** Options for the Secret the component creates for {@link SecretValue} credentials. */
export interface SecretsArgs {
  /** Name of the Secret (default `<notifications.name ?? name>-credentials`). */
  readonly name?: string;
}

/** Arguments of {@link AiScalingAlerts}: the config, plus `monitoringStack` and `secrets`. */
export type AiScalingAlertsArgs = AiScalingAlertsConfig & {
  readonly monitoringStack?: MonitoringStackArgs;
  readonly secrets?: SecretsArgs;
};
