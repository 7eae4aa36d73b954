/** The rule groups wrapped in a `monitoring.coreos.com/v1` PrometheusRule. */
import type { ResolvedConfig } from "../config/resolve.js";
import type { RuleGroup } from "./index.js";

export interface PrometheusRuleObject {
  apiVersion: "monitoring.coreos.com/v1";
  kind: "PrometheusRule";
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  spec: { groups: RuleGroup[] };
}

/**
 * Builds the PrometheusRule. Its metadata labels include `monitoring.ruleSelectorLabels`, because
 * the Prometheus Operator selects rules by the object's labels (not by group or rule labels).
 */
export function buildPrometheusRule(
  rc: ResolvedConfig,
  groups: readonly RuleGroup[],
  common: { labels: Readonly<Record<string, string>> },
): PrometheusRuleObject {
  return {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "PrometheusRule",
    metadata: {
      name: rc.name,
      namespace: rc.namespace,
      labels: { ...common.labels, ...rc.monitoring.ruleSelectorLabels },
    },
    spec: { groups: [...groups] },
  };
}
