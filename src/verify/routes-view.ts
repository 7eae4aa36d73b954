/**
 * `routes`: the merged routing tree as text, and where each alert of each workload goes. The
 * debugging view that AlertmanagerConfig users otherwise lack.
 */
import {
  matchRoutes,
  routeMatchers,
  formatMatcher,
  type AlertmanagerYaml,
  type RouteConfig,
} from "../operator-merge/index.js";
import type { AlertInstance } from "./alert-labels.js";
import type { AlertRouting } from "./coverage.js";

function describeRoute(r: RouteConfig, isRoot: boolean): string {
  const matchers = isRoot ? "(root)" : `{${routeMatchers(r).map(formatMatcher).join(", ")}}`;
  const parts = [matchers, `receiver: ${r.receiver ?? "(inherited)"}`];
  if (r.continue) parts.push("continue");
  if (r.mute_time_intervals?.length) parts.push(`muted: ${r.mute_time_intervals.join(", ")}`);
  if (r.active_time_intervals?.length) parts.push(`active: ${r.active_time_intervals.join(", ")}`);
  return parts.join("  ");
}

/** The routing tree, one route per line, drawn like `tree`. */
export function formatRoutingTree(config: AlertmanagerYaml): string {
  const lines: string[] = [];
  const walk = (r: RouteConfig, prefix: string, last: boolean, isRoot: boolean) => {
    lines.push(
      isRoot ? describeRoute(r, true) : `${prefix}${last ? "└── " : "├── "}${describeRoute(r, false)}`,
    );
    const children = r.routes ?? [];
    const next = isRoot ? "" : `${prefix}${last ? "    " : "│   "}`;
    children.forEach((c, i) => walk(c, next, i === children.length - 1, false));
  };
  walk(config.route, "", true, true);
  return `${lines.join("\n")}\n`;
}

/** One line per alert x workload: where it goes. */
export function formatRoutings(routings: readonly AlertRouting[]): string {
  const rows = routings.map((r) => [
    r.instance.workload ?? "-",
    r.instance.alert,
    r.instance.labels.severity ?? "",
    r.delivered.length > 0 ? r.delivered.join(", ") : `DROPPED (${r.receivers.join(", ")})`,
  ]);
  const head = ["WORKLOAD", "ALERT", "SEVERITY", "RECEIVERS"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const fmt = (r: string[]) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return `${[fmt(head), ...rows.map(fmt)].join("\n")}\n`;
}

/** The answer to one question: the routes an alert with these labels takes, with their paths. */
export function explainRouting(config: AlertmanagerYaml, labels: Readonly<Record<string, string>>): string {
  const matched = matchRoutes(config.route, labels);
  const shown = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(", ");
  const lines = [`{${shown}}`];
  for (const m of matched) {
    const path = m.path.length === 0 ? "root" : m.path.map((i) => `routes[${i}]`).join(".");
    lines.push(`  -> ${m.receiver}  (via ${path})`);
  }
  return `${lines.join("\n")}\n`;
}

/**
 * The alert instances an `--alert` / `--label` question is about: a label the instances carry
 * filters them (`namespace`, `workload`, `severity`...); a label they do not carry is added to
 * them, as a receiver would see it.
 */
export function selectInstances(
  instances: readonly AlertInstance[],
  alert: string | undefined,
  labels: Readonly<Record<string, string>>,
): AlertInstance[] {
  return instances
    .filter(
      (i) =>
        (alert === undefined || i.alert === alert) &&
        Object.entries(labels).every(([k, v]) => !Object.hasOwn(i.labels, k) || i.labels[k] === v),
    )
    .map((i) => ({ ...i, labels: { ...i.labels, ...labels } }));
}
