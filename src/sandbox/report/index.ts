/**
 * The sandbox's report: `timeline.json` and a self-contained `timeline.html` that draws a
 * {@link SandboxTimeline} with Chart.js (inlined, so the page works offline).
 *
 * ```ts
 * const { html } = writeReport("out/report", timeline);
 * ```
 *
 * @packageDocumentation
 */
import type { SandboxTimeline } from "../timeline.js";

/** Writes `timeline.json` and `timeline.html` into a directory. */
export { writeReport } from "./write.js";
/** The report page as a string (no I/O beyond reading the charting library once). */
export { reportHtml } from "./page.js";
/** The charting library's browser builds, as inlined into the page. */
export { chartAssets, type ChartAssets } from "./assets.js";
/** The Chart.js configurations of the page, as JSON. */
export { chartSpecs, type ChartSpec, type XY } from "./charts.js";
/** The annotations' options, as JSON. */
export type { AnnotationOptions } from "./annotations.js";
/** What the page publishes on `window.__timeline` once drawn. */
export type { PageSummary, DrawnAnnotation, DrawnDataset } from "./client.js";
/** Escaping for HTML and inline `<script>` contexts. */
export { escapeHtml, jsonForScript, inlineScriptSource } from "./escape.js";
export type { SandboxTimeline };
