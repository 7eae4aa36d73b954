/**
 * AlertmanagerConfig (v1alpha1) `muteTimeIntervals` converted to Alertmanager time intervals, named
 * `<namespace>/<object>/<name>` as the operator does (`convertMuteTimeInterval`).
 *
 * The operator writes them to the top-level `mute_time_intervals`; this module writes
 * `time_intervals`, the non-deprecated key. Alertmanager resolves route references against both
 * lists as one set of names, so routing is the same.
 *
 * Time zones: v1alpha1 has no `location` (prometheus-operator#5512), so the objects generated here
 * record each interval's IANA zone in the {@link TIME_INTERVAL_LOCATIONS_ANNOTATION} annotation.
 * The operator ignores annotations; this module writes the zones into the merged file (for a
 * standalone Alertmanager >= 0.25) and says that the operator's Alertmanager will read UTC.
 */
import { asList, compactObject, isObject, type JsonObject, type ObjectDiagnostics } from "./problems.js";
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
 * The annotation of an AlertmanagerConfig that holds the time zones of its `muteTimeIntervals`, as
 * JSON: `{"<interval name>": "<IANA zone>"}`.
 */
export const TIME_INTERVAL_LOCATIONS_ANNOTATION = "ai-scaling-alerts/time-interval-locations";

/**
 * The time zones the object's {@link TIME_INTERVAL_LOCATIONS_ANNOTATION} annotation gives, by
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
