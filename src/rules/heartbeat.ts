/** The heartbeat: always firing, so a dead man's switch notices when alerting itself breaks. */
import type { RuleContext } from "./context.js";

/** Namespace label of the heartbeat, so that the (namespace-pinned) AlertmanagerConfig routes it. */
export function heartbeatNamespace(ctx: RuleContext): string {
  return ctx.rc.notifications?.namespace ?? ctx.rc.workloads[0]?.namespace ?? ctx.rc.namespace;
}

export const HEARTBEAT_EXPR = "vector(1)";

export const HEARTBEAT_DESCRIPTION =
  "Always firing while Prometheus evaluates the ai-scaling-alerts rules and reaches Alertmanager. Route it to a dead man's switch: silence from it means alerting is broken.";
