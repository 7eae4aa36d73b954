/**
 * The arguments of the {@link AiScalingAlerts} component: the CLI's config (`ConfigInput`), with
 * Pulumi Inputs in the two places where a program passes values it does not know yet (namespace
 * names, credential values), plus the optional monitoring stack.
 */
import type * as pulumi from "@pulumi/pulumi";
import type {
  ConfigInput,
  NotificationsInput,
  ReceiverInput,
  SecretRefInput,
  WorkloadInput,
} from "../config/types.js";
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
export type CredentialInput = SecretRefInput | SecretValue;

/** A receiver of the config, where every Secret-reference field also takes a {@link SecretValue}. */
export type ReceiverArgs = ReceiverInput extends infer R
  ? R extends unknown
    ? { [K in keyof R]: NonNullable<R[K]> extends SecretRefInput ? R[K] | SecretValue : R[K] }
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

/**
 * Helm value overrides per chart, deep-merged over the generated values (objects merge, anything
 * else replaces).
 */
export interface MonitoringStackValues {
  /**
   * Over the values of kube-prometheus-stack (which select the PrometheusRule and the
   * AlertmanagerConfigs by the release label).
   * @default `{}`
   */
  readonly kubePrometheusStack?: HelmValues;
  /**
   * Over the values of dcgm-exporter (a ServiceMonitor with the release label).
   * @default `{}`
   */
  readonly dcgmExporter?: HelmValues;
  /**
   * Over the values of prometheus-adapter (the custom metrics the HPAs read).
   * @default `{}`
   */
  readonly prometheusAdapter?: HelmValues;
}

/** The monitoring stack: install one (`install: true`) or describe the existing one. */
export interface MonitoringStackArgs {
  /**
   * Install kube-prometheus-stack (and, if asked, dcgm-exporter and prometheus-adapter) as Helm
   * releases (`helm.sh/v3` Release), configured to pick up the generated objects. The PrometheusRule
   * and the AlertmanagerConfigs then wait for kube-prometheus-stack, which installs their CRDs.
   * @default `false` (a stack that is already there)
   */
  readonly install?: boolean;
  /**
   * Helm release name of kube-prometheus-stack; its `release` label selects the PrometheusRule.
   * @default `"kube-prometheus-stack"`
   */
  readonly releaseName?: string;
  /**
   * Namespace of the releases.
   * @default `"monitoring"`
   */
  readonly namespace?: string;
  /**
   * Create that namespace as a `core/v1` Namespace (with `install`).
   * @default `true`
   */
  readonly createNamespace?: boolean;
  /**
   * Also install NVIDIA dcgm-exporter with a ServiceMonitor (the GPU series of the `gpu` metric
   * and alerts).
   * @default `false`
   */
  readonly dcgmExporter?: boolean;
  /**
   * Also install prometheus-adapter, serving the HPAs' GPU and queue metrics on the custom
   * metrics API.
   * @default `false`
   */
  readonly prometheusAdapter?: boolean;
  /**
   * Existing stack only: labels the PrometheusRule must carry for that Prometheus to load it
   * (kube-prometheus-stack: `{ release: <its release name> }`). Merged over
   * `monitoring.ruleSelectorLabels`. With `install: true` the label is `release: <releaseName>`.
   * @default `{}`
   */
  readonly ruleSelectorLabels?: Readonly<Record<string, string>>;
  /**
   * Helm value overrides, deep-merged over the generated values.
   * @default `{}`
   */
  readonly values?: MonitoringStackValues;
}

/** Options for the Secret the component creates for {@link SecretValue} credentials. */
export interface SecretsArgs {
  /**
   * Name of the Secret (one per AlertmanagerConfig namespace).
   * @default `"<notifications.name ?? name>-credentials"`
   */
  readonly name?: string;
}

/** Arguments of {@link AiScalingAlerts}: the config, plus `monitoringStack` and `secrets`. */
export type AiScalingAlertsArgs = AiScalingAlertsConfig & {
  /**
   * The Prometheus Operator stack that loads the generated objects: installed by the component, or
   * described when it is already there.
   * @default `{}` (an existing stack, selecting rules by `monitoring.ruleSelectorLabels` only)
   */
  readonly monitoringStack?: MonitoringStackArgs;
  /**
   * The Secret created for credentials given as values.
   * @default `{}`
   */
  readonly secrets?: SecretsArgs;
};
