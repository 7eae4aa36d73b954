/**
 * AlertmanagerConfig (v1alpha1) `muteTimeIntervals` converted to Alertmanager time intervals, named
 * `<namespace>/<object>/<name>` as the operator does (`convertMuteTimeInterval`).
 *
 * The operator writes them to the top-level `mute_time_intervals`; this module writes
 * `time_intervals`, the non-deprecated key. Alertmanager resolves route references against both
 * lists as one set of names, so routing is the same.
 *
 * Time zones: v1alpha1 has no `location` (prometheus-operator#5512), so the objects generated here
 * record each interval's IANA zone in the `TIME_INTERVAL_LOCATIONS_ANNOTATION` annotation.
 * The operator ignores annotations; this module writes the zones into the merged file (for a
 * standalone Alertmanager >= 0.25) and says that the operator's Alertmanager will read UTC.
 */
import { asList, compactObject, isObject, type JsonObject, type ObjectDiagnostics } from "./problems.js";
import type { TimeIntervalConfig, TimePeriodConfig } from "./types.js";
import { MONTHS, WEEKDAYS } from "../config/notifications-schema.js";
import { TIME_INTERVAL_LOCATIONS_ANNOTATION } from "../catalog/annotations.js";

const HHMM = /^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$/;
const minutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3));

/** A `start:end` (or single) range parsed by `item`, as the operator's `parseRange`; throws a reason. */
function range(text: string, item: (s: string) => number): [number, number] {
  const parts = text.split(":");
  if (parts.length > 2) throw new Error(`invalid range ${JSON.stringify(text)}`);
  const [a, b] = [item(parts[0] as string), item((parts[1] ?? parts[0]) as string)];
  if (a > b) throw new Error(`${JSON.stringify(text)} ends before it starts`);
  return [a, b];
}

function named(names: readonly string[], base: number, what: string, numeric: (i: number) => boolean) {
  return (s: string): number => {
    const i = names.indexOf(s.toLowerCase());
    if (i >= 0) return i + base;
    if (/^-?\d+$/.test(s) && numeric(Number(s))) return Number(s);
    throw new Error(`${JSON.stringify(s)} is not a valid ${what}`);
  };
}
const weekday = named(WEEKDAYS, 0, "weekday", (i) => i >= 0 && i <= 6);
const month = named(MONTHS, 1, "month", (i) => i >= 1 && i <= 12);
const year = (s: string): number => {
  if (!/^\d+$/.test(s)) throw new Error(`${JSON.stringify(s)} is not a year`);
  return Number(s);
};

/** The operator's DayOfMonthRange check (copied from Alertmanager's): both ends set, in range, ordered. */
function dayRange(d: JsonObject): string {
  const [start, end] = [d.start, d.end].map((x) => (typeof x === "number" ? x : 0)) as [number, number];
  for (const x of [start, end])
    if (x === 0 || x < -31 || x > 31)
      throw new Error(
        `${x} is not a valid day of the month (start and end are both required, -31..31, not 0)`,
      );
  if (start < 0 && end > 0) throw new Error("end day must be negative if start day is negative");
  if ((start < 0 ? 28 + start : start) > (end < 0 ? 28 + end : end))
    throw new Error(`end day ${end} is always before start day ${start}`);
  return start === end ? `${start}` : `${start}:${end}`;
}

/** Converts each entry of a list with `convert`; a failure rejects the object with the operator's reason. */
function each<T>(
  v: unknown,
  path: string,
  diag: ObjectDiagnostics,
  convert: (x: unknown) => T,
): T[] | undefined {
  const out = (asList(v) ?? []).flatMap((x, i) => {
    try {
      return [convert(x)];
    } catch (e) {
      diag.reject(
        `${path}[${i}]`,
        "invalid-time-interval",
        `${(e as Error).message}: the operator rejects the object (Alertmanager would refuse the whole file). Fix the value.`,
      );
      return [];
    }
  });
  return out.length > 0 ? out : undefined;
}

/** One period (`times`, `weekdays`, `daysOfMonth`, `months`, `years`), checked as the operator does. */
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
  const text = (x: unknown) => (typeof x === "string" ? x : String(x));
  const fmt =
    (names: readonly string[] | undefined, base: number) =>
    ([a, b]: [number, number]) => {
      const n = (i: number) => (names ? (names[i - base] as string) : `${i}`);
      return a === b ? n(a) : `${n(a)}:${n(b)}`;
    };
  return compactObject<TimePeriodConfig>({
    times: times.length > 0 ? times : undefined,
    weekdays: each(raw.weekdays, `${path}.weekdays`, diag, (x) => fmt(WEEKDAYS, 0)(range(text(x), weekday))),
    days_of_month: each(raw.daysOfMonth, `${path}.daysOfMonth`, diag, (x) => {
      if (!isObject(x)) throw new Error(`${JSON.stringify(x)} is not {start, end}`);
      return dayRange(x);
    }),
    months: each(raw.months, `${path}.months`, diag, (x) => fmt(MONTHS, 1)(range(text(x), month))),
    years: each(raw.years, `${path}.years`, diag, (x) => fmt(undefined, 0)(range(text(x), year))),
  });
}

/**
 * The time zones the object's `TIME_INTERVAL_LOCATIONS_ANNOTATION` annotation gives, by
 * interval name; a malformed annotation is reported and ignored.
 */
export function timeIntervalLocations(metadata: unknown, diag: ObjectDiagnostics): Map<string, string> {
  const annotations = isObject(metadata) && isObject(metadata.annotations) ? metadata.annotations : {};
  const raw = annotations[TIME_INTERVAL_LOCATIONS_ANNOTATION];
  if (raw === undefined) return new Map();
  const path = `metadata.annotations["${TIME_INTERVAL_LOCATIONS_ANNOTATION}"]`;
  let parsed: unknown;
  try {
    parsed = typeof raw === "string" ? JSON.parse(raw) : undefined;
  } catch {
    parsed = undefined;
  }
  const entries = isObject(parsed) ? Object.entries(parsed as JsonObject) : undefined;
  if (!entries || entries.some(([, v]) => typeof v !== "string" || v === "")) {
    diag.error(
      path,
      "invalid-time-interval",
      `expected a JSON object of interval name to IANA time zone, e.g. {"quiet-hours": "Europe/Berlin"}, got ${JSON.stringify(raw)}; the time zones are ignored. Fix the annotation.`,
    );
    return new Map();
  }
  return new Map(entries as [string, string][]);
}

/**
 * Converts the object's `muteTimeIntervals`; `prefix` gives the namespaced name. Duplicate names
 * are reported (Alertmanager refuses a configuration with two intervals of one name). An interval
 * with a time zone in `locations` gets it as `location` on each of its periods, with a warning that
 * the operator does not carry it.
 */
export function convertTimeIntervals(
  raw: unknown,
  path: string,
  prefix: (name: string) => string,
  diag: ObjectDiagnostics,
  locations: ReadonlyMap<string, string> = new Map(),
): TimeIntervalConfig[] {
  const seen = new Set<string>();
  const out = (asList(raw) ?? []).flatMap((t, i) => {
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
    const location = locations.get(t.name);
    const periods = (asList(t.timeIntervals) ?? []).map((p, j) => {
      const period = convertPeriod(p, `${at}.timeIntervals[${j}]`, diag);
      return location === undefined ? period : { ...period, location };
    });
    if (location !== undefined)
      diag.warn(
        `${at}.name`,
        "time-zone-not-in-crd",
        `time interval "${t.name}" is meant in ${location}: the merged alertmanager.yml sets location: ${location}, but the Prometheus Operator's AlertmanagerConfig (v1alpha1) has no location field (prometheus-operator#5512), so an operator-managed Alertmanager applies these times in UTC. Fix: run the merged alertmanager.yml on a standalone Alertmanager (>= 0.25), or give the times in UTC for the operator (and shift them at daylight-saving changes).`,
      );
    return [{ name: prefix(t.name), time_intervals: periods }];
  });
  for (const name of locations.keys())
    if (!seen.has(name))
      diag.error(
        `metadata.annotations["${TIME_INTERVAL_LOCATIONS_ANNOTATION}"]`,
        "undefined-time-interval",
        `gives a time zone for "${name}", which spec.muteTimeIntervals does not define; it is ignored. Fix the name.`,
      );
  return out;
}

/** The names defined in an object's `muteTimeIntervals` (for reference checks). */
export function timeIntervalNames(raw: unknown): Set<string> {
  return new Set(
    (asList(raw) ?? []).flatMap((t) => (isObject(t) && typeof t.name === "string" ? [t.name] : [])),
  );
}
