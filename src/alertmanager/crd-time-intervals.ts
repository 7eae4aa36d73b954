/**
 * AlertmanagerConfig (v1alpha1) `muteTimeIntervals` converted to Alertmanager time intervals, named
 * `<namespace>/<object>/<name>` as the operator does (`convertMuteTimeInterval`).
 *
 * The operator writes them to the top-level `mute_time_intervals`; this module writes
 * `time_intervals`, the non-deprecated key. Alertmanager resolves route references against both
 * lists as one set of names, so routing is the same.
 */
import { asList, compactObject, isObject, type ObjectDiagnostics } from "./problems.js";
import type { TimeIntervalConfig, TimePeriodConfig } from "./types.js";

const HHMM = /^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$/;
const minutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3));

function strings(v: unknown): string[] | undefined {
  const list = (asList(v) ?? []).filter((x): x is string => typeof x === "string");
  return list.length > 0 ? list.map((s) => s.toLowerCase()) : undefined;
}

/** One period (`times`, `weekdays`, `daysOfMonth`, `months`, `years`), checked as Alertmanager does. */
function convertPeriod(raw: unknown, path: string, diag: ObjectDiagnostics): TimePeriodConfig {
  if (!isObject(raw)) return {};
  const times = (asList(raw.times) ?? []).filter(isObject).flatMap((t, i) => {
    const start = String(t.startTime ?? "");
    const end = String(t.endTime ?? "");
    if (!HHMM.test(start) || !HHMM.test(end) || minutes(start) >= minutes(end)) {
      diag.reject(
        `${path}.times[${i}]`,
        "invalid-time-interval",
        `time range ${start || "?"}-${end || "?"} is not HH:MM-HH:MM with start before end; the interval is refused. Fix it (use two ranges to cross midnight: 22:00-24:00 and 00:00-07:00).`,
      );
      return [];
    }
    return [{ start_time: start, end_time: end }];
  });
  const days = (asList(raw.daysOfMonth) ?? []).filter(isObject).map((d) => {
    const start = Number(d.start ?? 0);
    const end = d.end === undefined ? start : Number(d.end);
    return start === end ? `${start}` : `${start}:${end}`;
  });
  return compactObject<TimePeriodConfig>({
    times: times.length > 0 ? times : undefined,
    weekdays: strings(raw.weekdays),
    days_of_month: days.length > 0 ? days : undefined,
    months: strings(raw.months),
    years: strings(raw.years),
  });
}

/**
 * Converts the object's `muteTimeIntervals`; `prefix` gives the namespaced name. Duplicate names
 * are reported (Alertmanager refuses a configuration with two intervals of one name).
 */
export function convertTimeIntervals(
  raw: unknown,
  path: string,
  prefix: (name: string) => string,
  diag: ObjectDiagnostics,
): TimeIntervalConfig[] {
  const seen = new Set<string>();
  return (asList(raw) ?? []).flatMap((t, i) => {
    const at = `${path}[${i}]`;
    if (!isObject(t) || typeof t.name !== "string" || t.name === "") {
      diag.reject(
        at,
        "invalid-time-interval",
        "a time interval without a name; the object is rejected. Fix: name it.",
      );
      return [];
    }
    if (seen.has(t.name)) {
      diag.reject(
        `${at}.name`,
        "duplicate-time-interval",
        `time interval "${t.name}" is defined twice; Alertmanager refuses duplicate names. Fix: merge or rename them.`,
      );
      return [];
    }
    seen.add(t.name);
    const periods = (asList(t.timeIntervals) ?? []).map((p, j) =>
      convertPeriod(p, `${at}.timeIntervals[${j}]`, diag),
    );
    return [{ name: prefix(t.name), time_intervals: periods }];
  });
}

/** The names defined in an object's `muteTimeIntervals` (for reference checks). */
export function timeIntervalNames(raw: unknown): Set<string> {
  return new Set(
    (asList(raw) ?? []).flatMap((t) => (isObject(t) && typeof t.name === "string" ? [t.name] : [])),
  );
}
