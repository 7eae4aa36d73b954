/**
 * The Secrets the component creates for credentials given as values (`{ value }`): one per
 * namespace that has an AlertmanagerConfig, since the operator reads an AlertmanagerConfig's
 * Secrets from its own namespace.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { AlertmanagerConfigObject } from "../alertmanager-config/alertmanager-config.js";

/**
 * Creates the Secret `secretName` holding `values` (key -> credential, stored as `stringData` and
 * marked secret, so that Pulumi's state keeps it encrypted) in the namespace of each of
 * `alertmanagerConfigs`, with that object's labels. `namespace` maps a planned namespace name to
 * the real one. Returns the Secrets by planned namespace (none when `values` is empty).
 */
export function createCredentialSecrets(
  component: string,
  secretName: string,
  values: ReadonlyMap<string, pulumi.Input<string>>,
  alertmanagerConfigs: readonly AlertmanagerConfigObject[],
  namespace: (planned: string) => pulumi.Input<string>,
  opts: pulumi.CustomResourceOptions,
): Map<string, k8s.core.v1.Secret> {
  const secrets = new Map<string, k8s.core.v1.Secret>();
  if (values.size === 0) return secrets;
  const stringData = pulumi.secret(pulumi.output(Object.fromEntries(values)));
  for (const amcfg of alertmanagerConfigs) {
    const ns = amcfg.metadata.namespace;
    if (secrets.has(ns)) continue;
    const secret = new k8s.core.v1.Secret(
      `${component}-secret-${ns}-${secretName}`,
      {
        metadata: { name: secretName, namespace: namespace(ns), labels: { ...amcfg.metadata.labels } },
        type: "Opaque",
        stringData,
      },
      { ...opts, additionalSecretOutputs: ["data", "stringData"] },
    );
    secrets.set(ns, secret);
  }
  return secrets;
}
