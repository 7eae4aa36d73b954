/**
 * How many distinct settings (for, severity, window) one alert may have across the workloads. Each
 * is a rule of its own that Prometheus evaluates every cycle, and one more set of workloads that
 * `verify` replays on promtool for as long as its `for` or window; bounding them bounds both (see
 * bench/results/hostile-input.md for verify's time at the limits).
 */
import { ALERT_NAMES, CATALOG } from "../../catalog/catalog.js";
import { formatPath, type ConfigProblem } from "../errors.js";
import { LIMITS } from "../limits.js";
import { isActive, resolveConfig } from "../resolve.js";
import type { Config } from "../schema.js";

/** Problems of alerts with more than {@link LIMITS.settingsPerAlert} distinct settings. */
export function settingsProblems(config: Config): ConfigProblem[] {
  const rc = resolveConfig(config);
  const problems: ConfigProblem[] = [];
  for (const alert of ALERT_NAMES) {
    if (!CATALOG[alert].perWorkload) continue;
    const d = rc.alertDefaults[alert];
    const seen = new Set([`${d.for} ${d.severity} ${d.window ?? ""}`]);
    rc.workloads.forEach((w, i) => {
      const e = w.alerts[alert];
      if (!isActive(e)) return;
      const id = `${e.for} ${e.severity} ${e.window ?? ""}`;
      if (seen.has(id)) return;
      seen.add(id);
      if (seen.size === LIMITS.settingsPerAlert + 1) {
        problems.push({
          path: formatPath(["workloads", i, "alerts", alert]),
          message: `gives ${alert} a setting (for, severity, window) of its own beyond the ${LIMITS.settingsPerAlert} an alert may have across the workloads: each is one more rule Prometheus evaluates every cycle and one more timeline verify replays. Share settings between workloads`,
        });
      }
    });
  }
  return problems;
}
