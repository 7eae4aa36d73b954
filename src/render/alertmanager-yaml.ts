/**
 * The standalone `alertmanager.yml`: the generated AlertmanagerConfig objects (and any others the
 * user has) merged into a root configuration exactly as the Prometheus Operator does it. A
 * standalone Alertmanager runs it, and so do `verify` and the tests.
 */
import {
  mergeAlertmanagerConfigs,
  type AlertmanagerYaml,
  type MergeResult,
} from "../operator-merge/index.js";
import type { GeneratedObjects } from "../build.js";

export interface StandaloneOptions {
  /** The user's own root configuration: global settings, root route, other receivers. */
  readonly base?: Partial<AlertmanagerYaml>;
  /** AlertmanagerConfig objects already in the cluster, merged alongside ours. */
  readonly extraObjects?: readonly unknown[];
  /** Where Secrets are mounted (`<dir>/<namespace>/<secret>/<key>`). */
  readonly secretsDir?: string;
  /** Overrides `monitoring.operator.alertmanagerVersion`. */
  readonly alertmanagerVersion?: string;
}

/** Merges the generated AlertmanagerConfigs (plus `extraObjects`) as the operator would. */
export function standaloneAlertmanagerConfig(
  g: GeneratedObjects,
  options: StandaloneOptions = {},
): MergeResult {
  const op = g.resolved.monitoring.operator;
  return mergeAlertmanagerConfigs([...g.alertmanagerConfigs, ...(options.extraObjects ?? [])], {
    matcherStrategy: g.resolved.notifications?.matcherStrategy ?? "OnNamespace",
    alertmanagerNamespace: op.alertmanagerNamespace,
    alertmanagerVersion: options.alertmanagerVersion ?? op.alertmanagerVersion,
    ...(options.base ? { base: options.base } : {}),
    ...(options.secretsDir ? { secretsDir: options.secretsDir } : {}),
  });
}
