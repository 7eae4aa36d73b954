/**
 * The annotations of the charts (chartjs-plugin-annotation options as JSON): limit and target
 * lines, alert bands, step lines and notification marks. Ids say what each is (`line-*`,
 * `band-<alert>-<state>`, `step-<n>`, `mark-<n>`, `*-label`), numbered by the timeline's lists.
 */
import type { SandboxTimeline } from "../timeline.js";
import { assignLanes, lanesUsed } from "./lanes.js";
import { INK, markColor, severityColor } from "./palette.js";
import { firingSpan, notificationLabel, pendingSpan, type WorkloadEvents } from "./placement.js";

/**
 * An annotation of chartjs-plugin-annotation, as JSON. (Its own `.d.ts` files do not resolve under
 * `moduleResolution: nodenext`, so the options used here are typed loosely.)
 */
export interface AnnotationOptions {
  readonly type: "box" | "line" | "point" | "label";
  readonly [option: string]: unknown;
}

/** Annotations by id. */
export type Annotations = Record<string, AnnotationOptions>;

/** Rows of the notification strip above the replicas. */
export const MARK_LANES = 3;
/** Rows of the steps strip below the replicas. */
export const STEP_LANES = 3;

/** A labelled horizontal line (min, max, a target) at `value` of scale `scaleID`. */
export function horizontal(
  id: string,
  scaleID: string,
  value: number,
  text: string,
  color: string,
  position: "start" | "end",
): Annotations {
  return {
    [id]: {
      type: "line",
      scaleID,
      value,
      borderColor: color,
      borderWidth: 1.5,
      borderDash: [4, 4],
      label: {
        display: true,
        content: text,
        position,
        yAdjust: -9,
        backgroundColor: "rgba(255,255,255,0.7)",
        color,
        font: { size: 11, weight: "bold" },
        padding: 2,
      },
    },
  };
}

/** Height of one row of band labels, px. */
const ROW_PX = 17;
/** Approximate height of the replicas plot, px (see the page's stylesheet). */
const REPLICAS_PLOT_PX = 220;

/**
 * Bands of the alerts, full height. Labels of firing bands stack from the top (in the head room
 * above max), labels of pending bands from the bottom (below min), one row per alert.
 */
export function bands(
  events: WorkloadEvents,
  duration: number,
  yScaleID: string,
  labelled: boolean,
): Annotations {
  const out: Annotations = {};
  const rows = { pending: 0, firing: 0 };
  for (const { index, item: a } of events.alerts) {
    const spans = { pending: pendingSpan(a, duration), firing: firingSpan(a, duration) };
    for (const state of ["pending", "firing"] as const) {
      const span = spans[state];
      if (span === undefined) continue;
      const firing = state === "firing";
      const row = rows[state]++;
      out[`band-${index}-${state}`] = {
        type: "box",
        xMin: span[0],
        xMax: span[1],
        yScaleID,
        backgroundColor: severityColor(a.severity, firing ? 0.24 : 0.1),
        borderColor: severityColor(a.severity, firing ? 0.85 : 0.6),
        borderWidth: 1,
        borderDash: firing ? [] : [4, 3],
        drawTime: "beforeDatasetsDraw",
        label: {
          display: labelled,
          drawTime: "afterDatasetsDraw",
          content: `${a.alertname} ${state}`,
          position: { x: "start", y: firing ? "start" : "end" },
          yAdjust: (firing ? 1 : -1) * row * ROW_PX,
          color: INK.label,
          backgroundColor: "rgba(255,255,255,0.85)",
          font: { size: 11, weight: firing ? "bold" : "normal" },
          padding: { top: 1, bottom: 1, left: 3, right: 3 },
        },
      };
    }
  }
  return out;
}

/** Head room above max, in replicas, for `rows` rows of firing labels. */
export function headRoom(maxReplicas: number, rows: number): number {
  const px = rows * ROW_PX + 6;
  const units = (px * maxReplicas) / Math.max(60, REPLICAS_PLOT_PX - px);
  return Math.max(1, Math.ceil(units), Math.ceil(maxReplicas * 0.1));
}

/** Annotations and how many lanes of their strip they use (0: none). */
export interface InLanes {
  readonly annotations: Annotations;
  readonly lanes: number;
}

/**
 * Vertical lines of the steps; when `labelled`, each with a label (`step-N-label`) in the steps strip
 * below the replicas.
 */
export function steps(timeline: SandboxTimeline, events: WorkloadEvents, labelled: boolean): InLanes {
  const out: Annotations = {};
  const texts = events.steps.map(({ index, item }) => ({ t: item.t, text: `${index + 1}. ${item.label}` }));
  const lanes = assignLanes(texts, timeline.durationSeconds, STEP_LANES);
  events.steps.forEach(({ index, item: s }, i) => {
    out[`step-${index}`] = {
      type: "line",
      scaleID: "x",
      value: s.t,
      borderColor: INK.step,
      borderWidth: 1,
      borderDash: [2, 3],
    };
    if (!labelled) return;
    out[`step-${index}-label`] = {
      type: "label",
      xValue: s.t,
      yValue: STEP_LANES - (lanes[i]?.lane ?? 0) - 0.5,
      yScaleID: "steps",
      content: lanes[i]?.text,
      position: { x: "start", y: "center" },
      xAdjust: 3,
      color: INK.step,
      backgroundColor: "rgba(255,255,255,0.85)",
      font: { size: 11 },
      padding: { top: 1, bottom: 1, left: 2, right: 2 },
    };
  });
  return { annotations: out, lanes: lanesUsed(lanes) };
}

/**
 * Marks of the notifications (`mark-N`, with `mark-N-label`) in the strip above the replicas, in
 * lanes so that labels do not collide.
 */
export function marks(timeline: SandboxTimeline, events: WorkloadEvents): InLanes {
  const out: Annotations = {};
  const texts = events.notifications.map(({ item }) => ({ t: item.t, text: notificationLabel(item) }));
  const lanes = assignLanes(texts, timeline.durationSeconds, MARK_LANES, 14);
  events.notifications.forEach(({ index, item: n }, i) => {
    const y = MARK_LANES - (lanes[i]?.lane ?? 0) - 0.5;
    const color = markColor(n.status, n.expected);
    out[`mark-${index}`] = {
      type: "point",
      xValue: n.t,
      yValue: y,
      yScaleID: "marks",
      pointStyle: n.expected ? (n.status === "firing" ? "triangle" : "rectRot") : "crossRot",
      radius: 6,
      backgroundColor: color,
      borderColor: color,
      borderWidth: n.expected ? 1 : 3,
    };
    out[`mark-${index}-label`] = {
      type: "label",
      xValue: n.t,
      yValue: y,
      yScaleID: "marks",
      content: lanes[i]?.text,
      position: { x: "start", y: "center" },
      xAdjust: 9,
      color: INK.label,
      font: { size: 11, weight: n.expected ? "normal" : "bold" },
    };
  });
  return { annotations: out, lanes: lanesUsed(lanes) };
}
