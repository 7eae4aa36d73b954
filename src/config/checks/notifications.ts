/**
 * Limits of `notifications` that the schema's shapes cannot say, checked once the structure is
 * sound: what Alertmanager and the Prometheus Operator would refuse (zero or overlong intervals, bad
 * or repeated `groupBy` labels, reversed time ranges, day 0, an int32 overflow), matchers written
 * the way Alertmanager's grammar reads them (no `==`, valid regexes), and matchers that could never
 * match one of this config's alerts, so that a route or inhibition is never silently dead.
 */
import { ALERT_NAMES, CATALOG, SEVERITIES } from "../../catalog/catalog.js";
import { matchesValue, MatcherError, parseMatcher, type Matcher } from "../../matchers/matcher.js";
import { formatPath, type ConfigProblem } from "../errors.js";
import { INT32_MAX, LIMITS } from "../limits.js";
import { durationSeconds } from "../primitives.js";
import { MONTHS, WEEKDAYS } from "../notifications-schema.js";
import type { Config } from "../schema.js";

type Path = (string | number)[];
type Add = (path: Path, message: string) => void;
type Notifications = NonNullable<Config["notifications"]>;

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function checkDuration(add: Add, value: string | undefined, path: Path, nonZero: boolean): void {
  if (value === undefined) return;
  const s = durationSeconds(value);
  if (nonZero && s === 0) add(path, "must be longer than 0s: Alertmanager refuses a zero interval");
  else if (s > LIMITS.notificationDurationSeconds)
    add(
      path,
      `must be at most ${LIMITS.notificationDurationSeconds / 3600}h (Alertmanager keeps its notification log for --data.retention, 120h by default), got ${JSON.stringify(value)}`,
    );
}

function checkGroupBy(add: Add, labels: readonly string[] | undefined, path: Path): void {
  const seen = new Set<string>();
  labels?.forEach((label, i) => {
    if (label !== "..." && !LABEL_NAME.test(label))
      add(
        [...path, i],
        `expected a label name ([a-zA-Z_][a-zA-Z0-9_]*) or "...", got ${JSON.stringify(label)}`,
      );
    else if (seen.has(label))
      add([...path, i], `${JSON.stringify(label)} is listed twice: the Prometheus Operator refuses that`);
    seen.add(label);
  });
}

/**
 * Parses one matcher string as Alertmanager does, refusing what it would misread: an unquoted value
 * that starts with an operator character (`severity==critical` is severity="=critical" to
 * Alertmanager 0.25, an error to later versions) and regexes it refuses. Returns the matcher, the
 * problem, or undefined for a valid Go regex JavaScript cannot run (Alertmanager judges it).
 */
export function strictMatcher(text: string): Matcher | string | undefined {
  const m = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*([\s\S]*?)\s*$/.exec(text);
  const raw = m?.[3] ?? "";
  if (m && /^[=!~]/.test(raw)) {
    return `${JSON.stringify(`${m[2]}${raw[0]}`)} is not an operator (use =, !=, =~ or !~, and quote the value: ${m[1]}="value"); Alertmanager would read ${JSON.stringify(text.trim())} as ${m[1]}${m[2]}"${raw}", which never matches`;
  }
  try {
    return parseMatcher(text);
  } catch (e) {
    if (e instanceof MatcherError && e.kind === "invalid") return `is not a valid matcher: ${e.message}`;
    if (e instanceof MatcherError) return undefined;
    throw e;
  }
}

/** The values a label has on this config's alerts, where they are known in advance. */
function knownValues(config: Config, n: Notifications): Record<string, readonly string[]> {
  const namespaces = new Set(config.workloads.map((w) => w.namespace ?? config.namespace));
  namespaces.add(n.namespace ?? config.workloads[0]?.namespace ?? config.namespace);
  return {
    alertname: ALERT_NAMES,
    severity: SEVERITIES,
    event: ALERT_NAMES.map((a) => CATALOG[a].event),
    namespace: [...namespaces].sort(),
  };
}

/** Checks one side of a route or inhibition: each matcher parses, and can match one of the alerts. */
function checkMatchers(
  add: Add,
  known: Record<string, readonly string[]>,
  input: string[] | Record<string, string> | undefined,
  path: Path,
  what: string,
): void {
  if (input === undefined) return;
  const entries: [Path, Matcher | string | undefined][] = Array.isArray(input)
    ? input.map((text, i) => [[...path, i], strictMatcher(text)])
    : Object.entries(input).map(([name, value]) => [[...path, name], { name, operator: "=", value }]);
  for (const [at, m] of entries) {
    if (typeof m === "string") {
      add(at, m);
      continue;
    }
    const values = m && known[m.name];
    if (!m || !values) continue;
    let matches: boolean;
    try {
      matches = values.some((v) => matchesValue(m, v));
    } catch {
      continue; // A regex JavaScript cannot run: Alertmanager judges it.
    }
    if (!matches) {
      const list = values.length > 6 ? `${values.slice(0, 6).join(", ")}, ...` : values.join(", ");
      add(
        at,
        `${m.name}${m.operator}${JSON.stringify(m.value)} matches no ${m.name} this config's alerts carry (${list}): the ${what} would never match`,
      );
    }
  }
}

/** Time ranges Alertmanager refuses: start not before end, a reversed range, day 0. */
function checkTimeIntervals(add: Add, n: Notifications): void {
  const month = (m: string) => (/^\d+$/.test(m) ? Number(m) : MONTHS.indexOf(m.toLowerCase()) + 1);
  const minutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3));
  const range = (s: string) => s.split(":") as [string, string?];
  n.timeIntervals.forEach((t, i) =>
    t.intervals.forEach((iv, j) => {
      const at = (...rest: Path): Path => ["notifications", "timeIntervals", i, "intervals", j, ...rest];
      iv.times?.forEach((x, k) => {
        if (minutes(x.start) >= minutes(x.end))
          add(
            at("times", k),
            `start ${x.start} is not before end ${x.end}: Alertmanager refuses it (to cross midnight use two ranges, e.g. 22:00-24:00 and 00:00-07:00)`,
          );
      });
      iv.weekdays?.forEach((w, k) => {
        const [a, b] = range(w);
        if (b !== undefined && WEEKDAYS.indexOf(a.toLowerCase()) > WEEKDAYS.indexOf(b.toLowerCase()))
          add(
            at("weekdays", k),
            `${JSON.stringify(w)} ends before it starts (weeks run sunday to saturday): Alertmanager refuses it; use two ranges`,
          );
      });
      iv.months?.forEach((m, k) => {
        const [a, b] = range(m);
        if (b !== undefined && month(a) > month(b))
          add(
            at("months", k),
            `${JSON.stringify(m)} ends before it starts: Alertmanager refuses it; use two ranges`,
          );
      });
      iv.years?.forEach((y, k) => {
        const [a, b] = range(y);
        if (b !== undefined && Number(a) > Number(b))
          add(at("years", k), `${JSON.stringify(y)} ends before it starts: Alertmanager refuses it`);
      });
      iv.daysOfMonth?.forEach((d, k) => {
        if (d.start === 0 || d.end === 0)
          add(at("daysOfMonth", k), "day 0 does not exist: days run 1 to 31, or -1 (the last) to -31");
        else if (Math.sign(d.start) === Math.sign(d.end) && d.start > d.end)
          add(at("daysOfMonth", k), `ends (${d.end}) before it starts (${d.start}): Alertmanager refuses it`);
      });
    }),
  );
}

/** Problems of `config.notifications` beyond its schema (none without notifications). */
export function notificationProblems(config: Config): ConfigProblem[] {
  const n = config.notifications;
  if (!n) return [];
  const problems: ConfigProblem[] = [];
  const add: Add = (path, message) => problems.push({ path: formatPath(path), message });
  const p = (...rest: Path): Path => ["notifications", ...rest];

  checkDuration(add, n.groupWait, p("groupWait"), false);
  checkDuration(add, n.groupInterval, p("groupInterval"), true);
  checkDuration(add, n.repeatInterval, p("repeatInterval"), true);
  checkDuration(add, n.scaleEventGroupInterval, p("scaleEventGroupInterval"), true);
  checkDuration(add, n.heartbeat.groupWait, p("heartbeat", "groupWait"), false);
  checkDuration(add, n.heartbeat.groupInterval, p("heartbeat", "groupInterval"), true);
  checkDuration(add, n.heartbeat.repeatInterval, p("heartbeat", "repeatInterval"), true);
  checkGroupBy(add, n.groupBy, p("groupBy"));

  const known = knownValues(config, n);
  n.routes.forEach((r, i) => {
    checkDuration(add, r.groupWait, p("routes", i, "groupWait"), false);
    checkDuration(add, r.groupInterval, p("routes", i, "groupInterval"), true);
    checkDuration(add, r.repeatInterval, p("routes", i, "repeatInterval"), true);
    checkGroupBy(add, r.groupBy, p("routes", i, "groupBy"));
    checkMatchers(add, known, r.matchers, p("routes", i, "matchers"), "route");
  });
  n.inhibitions.forEach((x, i) => {
    checkMatchers(add, known, x.source, p("inhibitions", i, "source"), "inhibition");
    checkMatchers(add, known, x.target, p("inhibitions", i, "target"), "inhibition");
  });
  n.receivers.forEach((r, i) => {
    if (r.type === "webhook" && r.maxAlerts !== undefined && r.maxAlerts > INT32_MAX)
      add(
        p("receivers", i, "maxAlerts"),
        `must be at most ${INT32_MAX} (the operator stores it as a 32-bit integer)`,
      );
  });
  checkTimeIntervals(add, n);
  return problems;
}
