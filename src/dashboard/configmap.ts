/**
 * The dashboard as a ConfigMap for the Grafana sidecar that kube-prometheus-stack and the Grafana
 * chart run: labelled so that the sidecar loads it (`grafana_dashboard: "1"` by default), with the
 * folder annotation the sidecar files it under. See
 * https://github.com/grafana/helm-charts/tree/main/charts/grafana#sidecar-for-dashboards
 */
import type { ResolvedConfig } from "../config/resolve.js";
import type { GrafanaDashboard } from "./dashboard.js";

/** A `v1` ConfigMap holding the dashboard JSON under one key. */
export interface DashboardConfigMapObject {
  readonly apiVersion: "v1";
  readonly kind: "ConfigMap";
  readonly metadata: {
    readonly name: string;
    readonly namespace: string;
    readonly labels: Readonly<Record<string, string>>;
    readonly annotations: Readonly<Record<string, string>>;
  };
  readonly data: Readonly<Record<string, string>>;
}

/** The ConfigMap's name: `<config name>-dashboard`. */
export function dashboardConfigMapName(rc: ResolvedConfig): string {
  return `${rc.name.slice(0, 253 - "-dashboard".length)}-dashboard`;
}

/**
 * The key of the dashboard in the ConfigMap, which the sidecar uses as the file name: unique per
 * config (`<namespace>-<name>.json`), so that two configs' dashboards do not overwrite each other
 * in one folder.
 */
export function dashboardFileKey(rc: ResolvedConfig): string {
  return `${rc.namespace}-${rc.name}.json`.slice(-253);
}

/** The dashboard JSON as written to files and ConfigMaps: two-space indented, one final newline. */
export function dashboardJson(d: GrafanaDashboard): string {
  return `${JSON.stringify(d, null, 2)}\n`;
}

/** Builds the ConfigMap; `labels` are the labels every generated object carries. */
export function buildDashboardConfigMap(
  rc: ResolvedConfig,
  d: GrafanaDashboard,
  common: { readonly labels: Readonly<Record<string, string>> },
): DashboardConfigMapObject {
  const g = rc.monitoring.grafana;
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: {
      name: dashboardConfigMapName(rc),
      namespace: g.namespace ?? rc.namespace,
      labels: { ...common.labels, ...g.configMapLabels },
      annotations: { [g.folderAnnotation]: g.folder },
    },
    data: { [dashboardFileKey(rc)]: dashboardJson(d) },
  };
}
