/** The short human summary `render --summary` (and `npm start`) prints. */
import { CATALOG } from "../catalog/catalog.js";
import type { GeneratedObjects } from "../build.js";
import { isActive } from "../config/resolve.js";
import { kubernetesObjects } from "../build.js";
import { receiverSeverities } from "../alertmanager-config/alertmanager-config.js";
import type { AlertRule } from "../rules/index.js";

/** Lines describing what was generated: objects, alerts per workload, receivers. */
export function summaryLines(g: GeneratedObjects, where: string): string[] {
  // The dashboard's ConfigMap is written too, though it is not one of the schema-checked objects.
  const objects = [...kubernetesObjects(g), ...(g.dashboardConfigMap ? [g.dashboardConfigMap] : [])];
  const lines = [`Rendered ${objects.length} objects to ${where}:`];
  for (const o of objects) lines.push(`  ${o.kind} ${o.metadata.namespace}/${o.metadata.name}`);

  const rules = g.ruleGroups.flatMap((gr) => gr.rules);
  const alerting = rules.filter((r): r is AlertRule => "alert" in r);
  lines.push(
    `Rules: ${rules.length} in ${g.ruleGroups.length} groups (${alerting.length} alerting, ${rules.length - alerting.length} recording); the count depends on distinct settings, not on the number of workloads.`,
  );
  lines.push("Alerts per workload:");
  for (const w of g.resolved.workloads) {
    const active = Object.values(w.alerts).filter((a) => isActive(a) && CATALOG[a.name].perWorkload);
    const hpa = w.keda
      ? `ScaledObject ${w.keda.scaledObjectName} -> KEDA's HPA ${w.hpaName}${w.scaleToZero ? ", scales to zero" : ""}`
      : w.autoscaling
        ? `HPA ${w.hpaName}`
        : `existing HPA ${w.hpaName}`;
    lines.push(`  ${w.namespace}/${w.name} (${w.kind}, ${hpa}): ${active.length} alerts`);
    lines.push(
      `    ${active.map((a) => `${a.name}${a.severity !== "info" ? ` [${a.severity}]` : ""}`).join(", ")}`,
    );
  }
  const n = g.resolved.notifications;
  if (!n) {
    lines.push("Receivers: none (no notifications section; no AlertmanagerConfig generated).");
  } else {
    lines.push(
      `Receivers (${g.alertmanagerConfigs.map((a) => `${a.metadata.namespace}/${a.metadata.name}`).join(", ")}):`,
    );
    for (const r of n.receivers) {
      const sev = receiverSeverities(r);
      lines.push(`  ${r.name} (${r.type}): ${sev.length > 0 ? sev.join(", ") : "explicit routes only"}`);
    }
  }
  return lines;
}
