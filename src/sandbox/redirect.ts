/**
 * The sandbox's Alertmanager configuration: the merged `alertmanager.yml` that `render -f
 * prometheus` writes, with every receiver's integrations replaced by one webhook to the local
 * recorder. Routes, grouping, timings, inhibitions and time intervals are kept exactly, so what
 * arrives at the recorder is what the real receivers would get; no traffic leaves the machine and
 * no credential is read.
 */
import type { AlertmanagerYaml, IntegrationConfig, ReceiverConfig } from "../operator-merge/index.js";

/**
 * Alertmanager's own `send_resolved` default per integration (`Default*Config` in
 * https://github.com/prometheus/alertmanager/blob/main/config/notifiers.go).
 */
const SEND_RESOLVED_DEFAULT: Readonly<Record<string, boolean>> = {
  webhook_configs: true,
  pagerduty_configs: true,
  opsgenie_configs: true,
  msteams_configs: true,
  msteamsv2_configs: true,
  discord_configs: true,
  telegram_configs: true,
  webex_configs: true,
  sns_configs: true,
  slack_configs: false,
  email_configs: false,
};

/** The integrations of a receiver: `[key, configs]` for each `*_configs` list that has entries. */
function integrations(r: ReceiverConfig): [string, IntegrationConfig[]][] {
  return Object.entries(r).filter(
    (e): e is [string, IntegrationConfig[]] =>
      e[0].endsWith("_configs") && Array.isArray(e[1]) && e[1].length > 0,
  );
}

/** Whether a receiver is told about resolutions (its first integration's `send_resolved`). */
export function sendsResolved(r: ReceiverConfig): boolean {
  const first = integrations(r)[0];
  if (!first) return false;
  const [key, configs] = first;
  const explicit = configs[0]?.send_resolved;
  return typeof explicit === "boolean" ? explicit : (SEND_RESOLVED_DEFAULT[key] ?? true);
}

/**
 * The same configuration with each receiver that has integrations sending to `urlFor(name)`
 * instead (one webhook, the receiver's `send_resolved` kept). Receivers without integrations (the
 * operator's `null`, the catalog's unrouted one) stay without.
 */
export function redirectReceivers(
  am: AlertmanagerYaml,
  urlFor: (receiver: string) => string,
): AlertmanagerYaml {
  const copy = structuredClone(am);
  copy.receivers = am.receivers.map((r) => {
    if (integrations(r).length === 0) return { name: r.name };
    return {
      name: r.name,
      webhook_configs: [{ url: urlFor(r.name), send_resolved: sendsResolved(r), max_alerts: 0 }],
    };
  });
  // Global settings only configure the real integrations (SMTP, Slack, API URLs...), none of which
  // runs here; keep only what affects timing.
  if (copy.global) {
    const resolveTimeout = copy.global.resolve_timeout;
    copy.global = resolveTimeout !== undefined ? { resolve_timeout: resolveTimeout } : {};
  }
  delete (copy as { templates?: unknown }).templates;
  return copy;
}

/** The receiver's name as the config calls it: the operator prefixes `<namespace>/<object>/`. */
export function configReceiverName(merged: string): string {
  return merged.split("/").pop() ?? merged;
}
