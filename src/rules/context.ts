/**
 * What every rule builder needs to know about the monitoring conventions: selectors, the labels
 * that identify an HPA, and the names of the recorded series the catalog shares.
 */
import type { ResolvedConfig } from "../config/resolve.js";
import { labels, oneOf, sel } from "../promql/text.js";

export { KSM, SERIES } from "../catalog/series.js";

export interface RuleContext {
  readonly rc: ResolvedConfig;
  /** kube-state-metrics matchers. */
  readonly ksm: string;
  /** Matcher restricting to the configured workloads' namespaces. */
  readonly nsMatcher: string;
  /** Labels that identify one HPA across clusters: [cluster?, namespace, horizontalpodautoscaler]. */
  readonly id: readonly string[];
  /** The same, as text for `by (...)` / `on (...)`. */
  readonly idList: string;
  /** [cluster?] as a prefix for other label lists. */
  readonly clusterPrefix: readonly string[];
  /** The workload's labels every recorded fact carries besides `id`: workload and the extra labels. */
  readonly workloadLabels: string;
  /** `metric{ksm, extra...}` */
  ksmSel(metric: string, ...extra: string[]): string;
  /**
   * `max by (id) (metric{ksm, namespace=~..., extra...})`: one series per HPA of the configured
   * namespaces, whatever the number of kube-state-metrics replicas.
   */
  perHpa(metric: string, ...extra: string[]): string;
}

export function ruleContext(rc: ResolvedConfig): RuleContext {
  const ksm = rc.monitoring.kubeStateMetricsSelector;
  const clusterPrefix = rc.monitoring.clusterLabel ? [rc.monitoring.clusterLabel] : [];
  const id = [...clusterPrefix, "namespace", "horizontalpodautoscaler"];
  const idList = labels(id);
  const ksmSel = (metric: string, ...extra: string[]) => sel(metric, ksm, ...extra);
  const nsMatcher = oneOf(
    "namespace",
    rc.workloads.map((w) => w.namespace),
  );
  return {
    rc,
    ksm,
    nsMatcher,
    id,
    idList,
    clusterPrefix,
    workloadLabels: labels(["workload", ...rc.extraLabelNames]),
    ksmSel,
    perHpa: (metric, ...extra) => `max by (${idList}) (${ksmSel(metric, nsMatcher, ...extra)})`,
  };
}
