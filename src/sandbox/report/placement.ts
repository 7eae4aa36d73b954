/**
 * Which alerts, notifications and steps of a timeline are drawn on which workload's charts.
 * Something that names a workload goes on that workload's charts only; something that names none
 * (a cluster-wide alert, a step of the whole scenario) goes on every workload's charts. The
 * heartbeat (severity `none`, firing all the time by design) and its expected notifications are
 * left to the tables: as bands and marks they would only cover the charts.
 */
import type {
  SandboxTimeline,
  TimelineAlert,
  TimelineNotification,
  TimelineStep,
  TimelineWorkload,
} from "../timeline.js";

/** One item with its index in the timeline's list (the index names its annotations). */
export interface Indexed<T> {
  readonly index: number;
  readonly item: T;
}

/** What one workload's charts show besides its own series. */
export interface WorkloadEvents {
  readonly alerts: readonly Indexed<TimelineAlert>[];
  readonly notifications: readonly Indexed<TimelineNotification>[];
  readonly steps: readonly Indexed<TimelineStep>[];
}

function names(w: TimelineWorkload, workload: string | undefined, namespace: string | undefined): boolean {
  return workload === w.name && (namespace === undefined || namespace === w.namespace);
}

/** The severity of the heartbeat (the dead man's switch), which is not drawn. */
export const HEARTBEAT_SEVERITY = "none";

/** Whether `alert` is drawn on `w`'s charts. */
export function alertBelongsTo(alert: TimelineAlert, w: TimelineWorkload): boolean {
  if (alert.severity === HEARTBEAT_SEVERITY) return false;
  return alert.workload === undefined || names(w, alert.workload, alert.namespace ?? alert.labels.namespace);
}

/**
 * Whether `n` is drawn on `w`'s charts: one of its alerts is `w`'s, or none names a workload. An
 * expected notification of the heartbeat alone is not drawn.
 */
export function notificationBelongsTo(n: TimelineNotification, w: TimelineWorkload): boolean {
  if (n.expected && n.alerts.length > 0 && n.alerts.every((a) => a.labels.severity === HEARTBEAT_SEVERITY))
    return false;
  const named = n.alerts.filter((a) => a.workload !== undefined);
  return named.length === 0 || named.some((a) => names(w, a.workload, a.labels.namespace));
}

/** Whether step `s` is drawn on `w`'s charts. */
export function stepBelongsTo(s: TimelineStep, w: TimelineWorkload): boolean {
  return s.workload === undefined || s.workload === w.name;
}

function indexed<T>(list: readonly T[], keep: (item: T) => boolean): Indexed<T>[] {
  return list.map((item, index) => ({ index, item })).filter((x) => keep(x.item));
}

/** The alerts, notifications and steps drawn on `w`'s charts, each with its timeline index. */
export function eventsOf(timeline: SandboxTimeline, w: TimelineWorkload): WorkloadEvents {
  return {
    alerts: indexed(timeline.alerts, (a) => alertBelongsTo(a, w)),
    notifications: indexed(timeline.notifications, (n) => notificationBelongsTo(n, w)),
    steps: indexed(timeline.steps, (s) => stepBelongsTo(s, w)),
  };
}

/** The pending span of `a` (until it fired, ended, or the scenario ended), if it was pending. */
export function pendingSpan(a: TimelineAlert, durationSeconds: number): [number, number] | undefined {
  if (a.pendingAt === undefined) return undefined;
  return [a.pendingAt, a.firingAt ?? a.endedAt ?? durationSeconds];
}

/** The firing span of `a` (until it ended or the scenario ended), if it fired. */
export function firingSpan(a: TimelineAlert, durationSeconds: number): [number, number] | undefined {
  if (a.firingAt === undefined) return undefined;
  return [a.firingAt, a.endedAt ?? durationSeconds];
}

/** The text of a notification's mark: `team-slack +31s`, `team-slack resolved +40s`, `UNEXPECTED …`. */
export function notificationLabel(n: TimelineNotification): string {
  const parts = [n.receiver];
  if (n.status === "resolved") parts.push("resolved");
  if (n.latencySeconds !== undefined) parts.push(`+${Math.round(n.latencySeconds)}s`);
  return n.expected ? parts.join(" ") : `UNEXPECTED ${parts.join(" ")}`;
}
