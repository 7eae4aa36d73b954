/**
 * Cross-cutting passes, applied once over every alert rule rather than written into each: the
 * `event` label, the static `summary`, and the `runbook_url` that points at docs/runbooks.md.
 */
import { CATALOG, runbookAnchor, type AlertName } from "../catalog/catalog.js";
import type { ResolvedConfig } from "../config/resolve.js";

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
  return rules.map((r) => ({
    ...r,
    labels: { ...r.labels, event: CATALOG[r.alert].event },
    annotations: {
      summary: CATALOG[r.alert].summary,
      ...r.annotations,
      runbook_url: `${base}#${runbookAnchor(r.alert)}`,
    },
  }));
}
