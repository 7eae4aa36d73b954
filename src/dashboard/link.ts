/**
 * Where the generated dashboard lives in Grafana and how an alert links to it: its UID, its
 * variables' names, and the `dashboard_url` annotation template. Plain strings, no Grafana SDK,
 * so that the rules can import it.
 */
import type { ResolvedConfig } from "../config/resolve.js";

/** Names of the dashboard's template variables (`var-<name>` in its URL). */
export const DASHBOARD_VARS = {
  datasource: "datasource",
  cluster: "cluster",
  namespace: "namespace",
  workload: "workload",
  /** Hidden: the selected workload's HPA, read from the recorded HPA info. */
  hpa: "hpa",
  /** Hidden: the selected workload's KEDA ScaledObject, if any. */
  scaledObject: "scaledobject",
} as const;

/**
 * The dashboard's UID: `monitoring.grafana.dashboardUid`, else `asa-` and a 32-bit FNV-1a hash
 * of `<namespace>/<name>` (stable, at most 40 characters, distinct per config).
 */
export function dashboardUid(rc: ResolvedConfig): string {
  const configured = rc.monitoring.grafana.dashboardUid;
  if (configured !== undefined) return configured;
  let h = 0x811c9dc5;
  for (const c of `${rc.namespace}/${rc.name}`) {
    h ^= c.codePointAt(0) ?? 0;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return `asa-${rc.name.slice(0, 27)}-${h.toString(16).padStart(8, "0")}`.replace(/[^a-zA-Z0-9_-]/g, "-");
}

/**
 * The `dashboard_url` annotation of an alert, as a Prometheus template: Grafana's URL, the
 * dashboard, and, for an alert about one workload, the variables that open its view (namespace,
 * workload and, with a cluster label, cluster). Undefined without `monitoring.grafana.url` or
 * without a dashboard.
 */
export function dashboardUrlTemplate(rc: ResolvedConfig, perWorkload: boolean): string | undefined {
  const g = rc.monitoring.grafana;
  if (g.url === undefined || !g.dashboard) return undefined;
  const base = `${g.url.replace(/\/+$/, "")}/d/${dashboardUid(rc)}`;
  const vars: [string, string][] = [];
  const cluster = rc.monitoring.clusterLabel;
  if (cluster) vars.push([DASHBOARD_VARS.cluster, cluster]);
  if (perWorkload) vars.push([DASHBOARD_VARS.namespace, "namespace"], [DASHBOARD_VARS.workload, "workload"]);
  if (vars.length === 0) return base;
  // Label values go through urlquery: a cluster name may hold any character.
  const query = vars.map(([v, label]) => `var-${v}={{ $labels.${label} | urlquery }}`).join("&");
  return `${base}?${query}`;
}
