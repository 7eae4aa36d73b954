/**
 * The whole self-contained page: header and tables as HTML, the charting library and the page's
 * script inlined, and the data as an inline JSON element. Nothing is fetched when it is viewed.
 */
import type { SandboxTimeline, TimelineWorkload } from "../timeline.js";
import { chartAssets, type ChartAssets } from "./assets.js";
import { chartSpecs, type ChartSpec } from "./charts.js";
import { CLIENT_SCRIPT } from "./client.js";
import { escapeHtml as h, inlineScriptSource, jsonForScript } from "./escape.js";
import { eventsOf } from "./placement.js";
import { STYLE } from "./style.js";
import {
  alertsHtml,
  expectationsHtml,
  headerHtml,
  notificationsHtml,
  stepsHtml,
  unexpectedHtml,
} from "./tables.js";

const KEY =
  "How to read the charts: shaded bands are alerts, light and dashed while pending, darker while firing, " +
  "each labelled with the alert's name and state; triangles above the replicas are firing notifications, " +
  "diamonds resolved ones, crosses unexpected ones, each labelled with the receiver and its latency from " +
  "the step that caused it; dotted vertical lines are the scenario's numbered steps.";

function canvas(spec: ChartSpec): string {
  return `<div class="chart-box ${spec.kind}"><canvas id="${h(spec.canvasId)}" data-testid="${h(spec.testId)}" role="img" aria-label="${h(spec.description)}">${h(spec.description)}</canvas></div>`;
}

function targets(w: TimelineWorkload): string {
  const t: string[] = [];
  if (w.targets.gpuUtilization !== undefined) t.push(`GPU ${w.targets.gpuUtilization}%`);
  if (w.targets.queuePerReplica !== undefined) t.push(`queue ${w.targets.queuePerReplica}/replica`);
  return t.length === 0 ? "" : ` · targets: ${t.join(", ")}`;
}

function workloadSection(t: SandboxTimeline, w: TimelineWorkload, specs: readonly ChartSpec[]): string {
  const ev = eventsOf(t, w);
  const id = `${w.namespace}/${w.name}`;
  const sub =
    `HPA ${w.hpa} · min ${w.minReplicas} · max ${w.maxReplicas}${targets(w)} · ` +
    `${ev.alerts.length} alert(s), ${ev.notifications.length} notification(s)`;
  return `<section data-testid="${h(`workload-${w.namespace}-${w.name}`)}" aria-label="${h(id)}">
<h2>${h(id)}</h2>
<p class="sub">${h(sub)}</p>
${specs.map(canvas).join("\n")}
</section>`;
}

/**
 * The report page of `timeline` as one self-contained HTML document (deterministic: the same
 * timeline gives the same page). `assets` defaults to the charting library read from node_modules.
 */
export function reportHtml(timeline: SandboxTimeline, assets: ChartAssets = chartAssets()): string {
  const specs = chartSpecs(timeline);
  const sections = timeline.workloads.map((w) =>
    workloadSection(
      timeline,
      w,
      specs.filter((s) => s.workload === `${w.namespace}/${w.name}`),
    ),
  );
  const title = `${timeline.scenario.name} — ${timeline.passed ? "PASS" : "FAIL"} — sandbox timeline`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<title>${h(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${headerHtml(timeline)}
<p class="key">${h(KEY)}</p>
${sections.join("\n")}
<section class="tables">
${expectationsHtml(timeline)}
${unexpectedHtml(timeline)}
${notificationsHtml(timeline)}
${alertsHtml(timeline)}
${stepsHtml(timeline)}
</section>
</main>
<script type="application/json" id="report-data">${jsonForScript({ timeline, charts: specs })}</script>
<script>${inlineScriptSource(assets.chartJs)}</script>
<script>${inlineScriptSource(assets.annotationPlugin)}</script>
<script>${CLIENT_SCRIPT}</script>
</body>
</html>
`;
}
