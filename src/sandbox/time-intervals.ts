/**
 * Whether an Alertmanager time interval contains a moment, as Alertmanager's `timeinterval`
 * package decides it: every given field of a period must match (times, weekdays, days of month,
 * months, years) in the period's `location` (default UTC); the interval contains the moment when
 * any of its periods does. The sandbox uses it to predict which receivers a mute interval keeps
 * quiet at the time of the run.
 */
import type { AlertmanagerYaml, RouteConfig, TimePeriodConfig } from "../operator-merge/index.js";
import { MONTHS, WEEKDAYS } from "../config/notifications-schema.js";

interface LocalTime {
  readonly year: number;
  /** 1-12 */
  readonly month: number;
  readonly day: number;
  /** 0 = Sunday */
  readonly weekday: number;
  /** Minutes since midnight. */
  readonly minutes: number;
  readonly daysInMonth: number;
}

function localTime(at: Date, location: string | undefined): LocalTime {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: location && location !== "Local" ? location : "UTC",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    hourCycle: "h23",
    weekday: "long",
  }).formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? "";
  const year = Number(get("year"));
  const month = Number(get("month"));
  return {
    year,
    month,
    day: Number(get("day")),
    weekday: WEEKDAYS.indexOf(get("weekday").toLowerCase()),
    minutes: Number(get("hour")) * 60 + Number(get("minute")),
    daysInMonth: new Date(Date.UTC(year, month, 0)).getUTCDate(),
  };
}

/** `"a:b"` or `"a"` as an inclusive range, names resolved through `names` (1-based when `base1`). */
function range(text: string, names?: readonly string[], base = 0): [number, number] {
  const value = (s: string) => {
    const i = names ? names.indexOf(s.trim().toLowerCase()) : -1;
    return i >= 0 ? i + base : Number(s);
  };
  const [a, b] = text.split(":");
  return [value(a ?? ""), value(b ?? a ?? "")];
}

const minutesOf = (hhmm: string) => {
  const [h, m] = hhmm.split(":").map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};

/** Whether one period contains `at`. */
export function periodContains(p: TimePeriodConfig, at: Date): boolean {
  const t = localTime(at, p.location);
  if (
    p.times &&
    !p.times.some((x) => t.minutes >= minutesOf(x.start_time) && t.minutes < minutesOf(x.end_time))
  )
    return false;
  if (
    p.weekdays &&
    !p.weekdays.some((w) => {
      const [a, b] = range(w, WEEKDAYS);
      return t.weekday >= a && t.weekday <= b;
    })
  )
    return false;
  if (
    p.days_of_month &&
    !p.days_of_month.some((d) => {
      let [a, b] = range(d);
      // Negative days count from the end of the month (-1: the last day).
      if (a < 0) a = t.daysInMonth + a + 1;
      if (b < 0) b = t.daysInMonth + b + 1;
      return t.day >= a && t.day <= b;
    })
  )
    return false;
  if (
    p.months &&
    !p.months.some((m) => {
      const [a, b] = range(m, MONTHS, 1);
      return t.month >= a && t.month <= b;
    })
  )
    return false;
  if (
    p.years &&
    !p.years.some((y) => {
      const [a, b] = range(y);
      return t.year >= a && t.year <= b;
    })
  )
    return false;
  return true;
}

/** Whether the named time interval of the configuration contains `at` (false when unknown). */
export function intervalContains(am: AlertmanagerYaml, name: string, at: Date): boolean {
  const all = [...(am.time_intervals ?? []), ...(am.mute_time_intervals ?? [])];
  const interval = all.find((i) => i.name === name);
  return interval?.time_intervals.some((p) => periodContains(p, at)) ?? false;
}

/**
 * Why Alertmanager holds back a route's notifications at `at`, or undefined when it does not: one
 * of the route's own mute intervals contains `at`, or it has active intervals and none does.
 * Alertmanager takes both from the route itself; a child route does not inherit its parent's.
 */
export function routeHeldBack(
  am: AlertmanagerYaml,
  route: Pick<RouteConfig, "mute_time_intervals" | "active_time_intervals">,
  at: Date,
): string | undefined {
  const mute = (route.mute_time_intervals ?? []).filter((n) => intervalContains(am, n, at));
  if (mute.length > 0) return `muted now by time interval ${mute.join(", ")}`;
  const active = route.active_time_intervals ?? [];
  if (active.length > 0 && !active.some((n) => intervalContains(am, n, at)))
    return `outside its active time interval ${active.join(", ")} now`;
  return undefined;
}
