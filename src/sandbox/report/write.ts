/** Writes a timeline's report files into a directory. */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { SandboxTimeline } from "../timeline.js";
import { reportHtml } from "./page.js";

/**
 * Writes `timeline.json` (pretty JSON) and the self-contained `timeline.html` into `dir` (created
 * if missing) and returns their paths.
 */
export function writeReport(dir: string, timeline: SandboxTimeline): { json: string; html: string } {
  mkdirSync(dir, { recursive: true });
  const json = join(dir, "timeline.json");
  const html = join(dir, "timeline.html");
  writeFileSync(json, `${JSON.stringify(timeline, null, 2)}\n`);
  writeFileSync(html, reportHtml(timeline));
  return { json, html };
}
