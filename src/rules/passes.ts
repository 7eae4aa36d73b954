/**
 * Cross-cutting passes, applied once over every alert rule rather than written into each: the
 * `event` label, the static `summary`, the `runbook_url` that points at docs/runbooks.md and, with
 * `monitoring.grafana.url`, the `dashboard_url` that opens the generated dashboard on the workload.
 */
import { CATALOG, runbookAnchor, type AlertName } from "../catalog/catalog.js";
import type { ResolvedConfig } from "../config/resolve.js";
import { dashboardUrlTemplate } from "../dashboard/link.js";

export interface AlertRule {
  readonly alert: AlertName;
  readonly expr: string;
  readonly for?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

/** Adds the labels and annotations every alert of the catalog carries. */
export function applyCommonPasses(rules: readonly AlertRule[], rc: ResolvedConfig): AlertRule[] {
  const base = rc.monitoring.runbookBaseUrl;
  const dashboard = {
    perWorkload: dashboardUrlTemplate(rc, true),
    other: dashboardUrlTemplate(rc, false),
  };
  return rules.map((r) => {
    const dashboardUrl = CATALOG[r.alert].perWorkload ? dashboard.perWorkload : dashboard.other;
    return {
      ...r,
      labels: { ...r.labels, event: CATALOG[r.alert].event },
      annotations: {
        summary: CATALOG[r.alert].summary,
        ...r.annotations,
        runbook_url: `${base}#${runbookAnchor(r.alert)}`,
        ...(dashboardUrl === undefined ? {} : { dashboard_url: dashboardUrl }),
      },
    };
  });
}
