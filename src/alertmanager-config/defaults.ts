/**
 * Routing defaults and matcher helpers: which severities each receiver kind gets, whether it is
 * told about resolutions, the inhibit rules (default and user), the time intervals, and the
 * conversion of the config's Alertmanager-syntax matchers into AlertmanagerConfig (v1alpha1) matchers.
 */
import { ALERT_NAMES, SEVERITIES, type Severity } from "../catalog/catalog.js";
import { MATCHER_RE, type Notifications, type Receiver, type ReceiverType } from "../config/schema.js";
import { TIME_INTERVAL_LOCATIONS_ANNOTATION } from "../catalog/annotations.js";

/** A matcher operator, as in the v1alpha1 `Matcher.matchType` (Alertmanager >= 0.22). */
export type MatchType = "=" | "!=" | "=~" | "!~";

/** A v1alpha1 AlertmanagerConfig matcher. The deprecated `regex` field is never used. */
export interface AlertmanagerMatcher {
  name: string;
  value: string;
  matchType: MatchType;
}

/** A v1alpha1 inhibit rule: while an alert matching `sourceMatch` fires, alerts matching `targetMatch` (and equal on `equal`) are muted. */
export interface AlertmanagerInhibitRule {
  sourceMatch: AlertmanagerMatcher[];
  targetMatch: AlertmanagerMatcher[];
  equal: string[];
}

/**
 * A v1alpha1 time interval (the CRD's `MuteTimeInterval`; routes use it for mute and active times).
 */
export interface AlertmanagerTimeInterval {
  name: string;
  timeIntervals: {
    times?: { startTime: string; endTime: string }[];
    weekdays?: string[];
    daysOfMonth?: { start: number; end: number }[];
    months?: string[];
    years?: string[];
  }[];
}

/** Drops the keys whose value is undefined, so that rendered YAML has no empty fields. */
export function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

export { UNROUTED_RECEIVER } from "../catalog/catalog.js";

/**
 * Severities a receiver kind gets from the default routes when it has no `receive`: pagers are
 * woken only for critical alerts, chat and e-mail see critical and warning, and the webhook is the
 * low-noise feed of `info` scale events. SNS fans out to people (e-mail, SMS), so it is treated as e-mail. The heartbeat (`none`) goes only to receivers that list it.
 */
export const DEFAULT_RECEIVE: Readonly<Record<ReceiverType, readonly Severity[]>> = {
  pagerduty: ["critical"],
  opsgenie: ["critical"],
  slack: ["critical", "warning"],
  msteams: ["critical", "warning"],
  msteamsv2: ["critical", "warning"],
  discord: ["critical", "warning"],
  telegram: ["critical", "warning"],
  webex: ["critical", "warning"],
  email: ["critical", "warning"],
  sns: ["critical", "warning"],
  webhook: ["info"],
};

/**
 * Whether a receiver kind is told when an alert resolves, unless the receiver sets `sendResolved`.
 * True for pagers (PagerDuty and Opsgenie close the incident themselves) and for the human-facing
 * chat and e-mail receivers (the RESOLVED message closes the loop). False for webhooks: they carry
 * the point-in-time scale-event feed and dead man's switches, for which a resolution is noise.
 */
export const DEFAULT_SEND_RESOLVED: Readonly<Record<ReceiverType, boolean>> = {
  pagerduty: true,
  opsgenie: true,
  slack: true,
  msteams: true,
  msteamsv2: true,
  discord: true,
  telegram: true,
  webex: true,
  email: true,
  sns: true,
  webhook: false,
};

/** The severities the default routes send to a receiver (its `receive`, else its kind's default), in order of urgency. */
export function receiverSeverities(receiver: Pick<Receiver, "type" | "receive">): Severity[] {
  const wanted = receiver.receive ?? DEFAULT_RECEIVE[receiver.type];
  return SEVERITIES.filter((s) => wanted.includes(s));
}

/** Whether a receiver is told about resolutions: its `sendResolved`, else {@link DEFAULT_SEND_RESOLVED}. */
export function receiverSendResolved(receiver: Pick<Receiver, "type" | "sendResolved">): boolean {
  return receiver.sendResolved ?? DEFAULT_SEND_RESOLVED[receiver.type];
}

/** Matcher on the `severity` label for the given severities: `=` for one, `=~"a|b"` for several. */
export function severityMatcher(severities: readonly Severity[]): AlertmanagerMatcher {
  return severities.length === 1
    ? { name: "severity", matchType: "=", value: severities[0] as string }
    : { name: "severity", matchType: "=~", value: severities.join("|") };
}

/**
 * Matcher that selects the alerts of the catalog (`alertname=~"AIWorkloadScaledUp|..."`). The top
 * route carries it so that the receivers get only this tool's alerts, not every alert of the
 * namespace that the operator's namespace matcher lets through.
 */
export function catalogAlertMatcher(): AlertmanagerMatcher {
  return { name: "alertname", matchType: "=~", value: ALERT_NAMES.join("|") };
}

/** Labels that must be equal between source and target of an inhibition, by default. */
export function defaultInhibitEqual(clusterLabel?: string): string[] {
  return ["namespace", "horizontalpodautoscaler", ...(clusterLabel ? [clusterLabel] : [])];
}

/**
 * The default inhibitions between scaling events of one HPA: (1) an autoscaler that cannot read its
 * metrics or cannot scale explains being at max or a stalled scale-up; (2) being at max explains the
 * scale-up notifications; (3) flapping replaces the individual scale events; (4) a failing KEDA
 * scaler explains its HPA's unavailable metrics; (5) a cold start over budget is the precise name of
 * the stalled scale-up it causes.
 */
export function defaultInhibitRules(equal: readonly string[]): AlertmanagerInhibitRule[] {
  const ev = (values: string[]): AlertmanagerMatcher[] => [
    values.length === 1
      ? { name: "event", matchType: "=", value: values[0] as string }
      : { name: "event", matchType: "=~", value: values.join("|") },
  ];
  return [
    [
      ["metrics_unavailable", "unable_to_scale"],
      ["at_max", "scale_up_stalled"],
    ],
    [["at_max"], ["scaled_up"]],
    [["flapping"], ["scaled_up", "scaled_down"]],
    [["scaler_error"], ["metrics_unavailable"]],
    [["cold_start_slow"], ["scale_up_stalled"]],
  ].map(([source, target]) => ({
    sourceMatch: ev(source as string[]),
    targetMatch: ev(target as string[]),
    equal: [...equal],
  }));
}

/** Undoes Alertmanager's escaping in a matcher value (`\"`, `\\`, `\n`; other backslashes stay literal). */
function unescapeValue(raw: string): string {
  return raw.replace(/\\([\s\S])/g, (_, c: string) =>
    c === "n" ? "\n" : c === '"' || c === "\\" ? c : `\\${c}`,
  );
}

/**
 * Parses one matcher in Alertmanager syntax (the config's {@link MATCHER_RE}): `name="value"`,
 * `name!=value`, `name=~"regex"`, `name!~regex`. Quotes are optional; escapes in the value are
 * undone as Alertmanager does. Throws on anything else.
 */
export function parseMatcher(text: string): AlertmanagerMatcher {
  const m = MATCHER_RE.exec(text);
  if (!m) throw new Error(`invalid matcher ${JSON.stringify(text)}: expected e.g. severity="critical"`);
  const [, name, op, quoted, bare] = m;
  return { name: name as string, matchType: op as MatchType, value: unescapeValue(quoted ?? bare ?? "") };
}

/**
 * Converts config matchers into v1alpha1 matchers: a list of Alertmanager matcher strings, or a map
 * of label -> value (each an equality matcher).
 */
export function parseMatchers(input: string[] | Record<string, string>): AlertmanagerMatcher[] {
  if (Array.isArray(input)) return input.map(parseMatcher);
  return Object.entries(input).map(([name, value]) => ({ name, matchType: "=", value }));
}

/** Formats a matcher in Alertmanager syntax, with the value quoted and escaped (`name=~"a|b"`). */
export function formatMatcher(m: AlertmanagerMatcher): string {
  const value = m.value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
  return `${m.name}${m.matchType}"${value}"`;
}

/** Whether a matcher accepts a value: true, false, or undefined when its regex is not JavaScript-compatible. */
export function accepts(m: AlertmanagerMatcher, value: string): boolean | undefined {
  if (m.matchType === "=") return m.value === value;
  if (m.matchType === "!=") return m.value !== value;
  let re: RegExp;
  try {
    re = new RegExp(`^(?:${m.value})$`);
  } catch {
    return undefined;
  }
  return re.test(value) === (m.matchType === "=~");
}

/**
 * Applies what the operator does under `OnNamespace` (it appends `namespace="<ns>"` to the route or
 * inhibit rule) to user matchers: `namespace` matchers that accept `ns` are redundant and dropped;
 * if one rejects `ns` the route could never match, and `undefined` is returned so it is left out of
 * this namespace's object. Regexes JavaScript cannot compile are kept for Alertmanager to judge.
 * Without a pinned namespace (`None` strategy) the matchers are returned as they are.
 */
export function pinNamespace(
  matchers: AlertmanagerMatcher[],
  ns: string | undefined,
): AlertmanagerMatcher[] | undefined {
  if (ns === undefined) return matchers;
  const out: AlertmanagerMatcher[] = [];
  for (const m of matchers) {
    if (m.name !== "namespace") {
      out.push(m);
      continue;
    }
    const ok = accepts(m, ns);
    if (ok === false) return undefined;
    if (ok === undefined) out.push(m);
  }
  return out;
}

/**
 * The inhibit rules: the defaults (with `defaultInhibitions`), then the user's, whose `equal`
 * defaults to {@link defaultInhibitEqual}. `ns`: the object's namespace under `OnNamespace`, where
 * user `namespace` matchers are resolved by {@link pinNamespace} (a rule that cannot match is left out).
 */
export function buildInhibitRules(
  n: Notifications,
  clusterLabel: string | undefined,
  ns: string | undefined,
): AlertmanagerInhibitRule[] {
  const equal = defaultInhibitEqual(clusterLabel);
  const rules = n.defaultInhibitions ? defaultInhibitRules(equal) : [];
  for (const i of n.inhibitions) {
    const sourceMatch = pinNamespace(parseMatchers(i.source), ns);
    const targetMatch = pinNamespace(parseMatchers(i.target), ns);
    if (sourceMatch === undefined || targetMatch === undefined) continue;
    rules.push({ sourceMatch, targetMatch, equal: i.equal ?? [...equal] });
  }
  return rules;
}

/**
 * Maps the config's time intervals to v1alpha1 ones (weekday and month names in lower case). A
 * `location` is not among them: the v1alpha1 CRD has no such field (see
 * {@link timeIntervalLocations}).
 */
export function buildTimeIntervals(n: Notifications): AlertmanagerTimeInterval[] {
  return n.timeIntervals.map((t) => ({
    name: t.name,
    timeIntervals: t.intervals.map((i) =>
      compact({
        times: i.times?.map((x) => ({ startTime: x.start, endTime: x.end })),
        weekdays: i.weekdays?.map((d) => d.toLowerCase()),
        daysOfMonth: i.daysOfMonth?.map((d) => ({ start: d.start, end: d.end })),
        months: i.months?.map((m) => m.toLowerCase()),
        years: i.years,
      }),
    ),
  }));
}

/**
 * The time zone of each time interval that has one (interval name -> IANA name). The Prometheus
 * Operator's AlertmanagerConfig v1alpha1 has no `location` field (prometheus-operator#5512: the
 * API server would prune it, and `kubectl apply` with strict validation refuses it), so an
 * operator-managed Alertmanager reads the times as UTC. The objects carry the zones in the
 * {@link TIME_INTERVAL_LOCATIONS_ANNOTATION} annotation instead: the merged alertmanager.yml sets
 * them as `location`, and the merge warns that the operator will not.
 */
export function timeIntervalLocations(n: Notifications): Record<string, string> {
  return Object.fromEntries(n.timeIntervals.flatMap((t) => (t.location ? [[t.name, t.location]] : [])));
}

export { TIME_INTERVAL_LOCATIONS_ANNOTATION };
