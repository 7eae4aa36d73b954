/** The generated Grafana dashboard: its model, its ConfigMap, its queries and its links. */
export { buildDashboard, dashboardTitle, type GrafanaDashboard } from "./dashboard.js";
export {
  buildDashboardConfigMap,
  dashboardConfigMapName,
  dashboardFileKey,
  dashboardJson,
  type DashboardConfigMapObject,
} from "./configmap.js";
export { DASHBOARD_VARS, dashboardUid, dashboardUrlTemplate } from "./link.js";
export { dashboardQueries, type DashboardQueries, type RecordingSource } from "./queries.js";
export { interpolate, labelValuesQuery, panelQueries, type DashboardQuery } from "./walk.js";
