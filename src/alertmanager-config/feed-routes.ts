/**
 * Child routes with their own timings, nested under the routes that can carry these alerts:
 *
 * - the **scale-event feed** (AIWorkloadScaledUp/Down, AIWorkloadScaledToZero, AIWorkloadColdStart)
 *   gets `notifications.scaleEventGroupInterval` (default 30s). A scale event fires for one minute
 *   only; with the default group interval of 5m, a later step of a workload whose group already
 *   exists would wait for a flush that comes after it resolved, and a webhook (no resolved
 *   notifications) would never hear of it. Grouping (`groupBy`, `groupWait`) is inherited, so a
 *   burst is still one notification per group.
 * - the **heartbeat** gets `notifications.heartbeat` (default group_wait 0s, group_interval 1m,
 *   repeat_interval 50s): one ping a minute for a dead man's switch instead of one every 4h.
 *
 * Alertmanager inherits receiver, grouping and timings from the parent route but not its mute or
 * active time intervals (`dispatch/route.go`), so the children repeat the parent's.
 */
import { CATALOG, scaleEventAlerts, type AlertName, type Severity } from "../catalog/catalog.js";
import { isActive, type ResolvedConfig } from "../config/resolve.js";
import type { Notifications } from "../config/schema.js";
import { accepts, type AlertmanagerMatcher } from "./defaults.js";
import type { AlertmanagerRoute } from "./alertmanager-config.js";

/** What the children copy from, and how the parent constrains them. */
export interface FeedParent {
  readonly matchers: readonly AlertmanagerMatcher[];
  readonly muteTimeIntervals?: string[];
  readonly activeTimeIntervals?: string[];
  /** Set by a user route: then it keeps its own timing for the scale events. */
  readonly groupInterval?: string;
  /** Set by a user route: then it keeps its own timing for the heartbeat. */
  readonly repeatInterval?: string;
}

/** The severities each alert has for some workload (or, for the heartbeat, config-wide) when active. */
export function activeSeverities(rc: ResolvedConfig): Map<AlertName, Set<Severity>> {
  const out = new Map<AlertName, Set<Severity>>();
  const add = (a: AlertName, s: Severity) => out.set(a, new Set([...(out.get(a) ?? []), s]));
  for (const w of rc.workloads)
    for (const [a, e] of Object.entries(w.alerts) as [AlertName, (typeof w.alerts)[AlertName]][])
      if (isActive(e)) add(a, e.severity);
  const hb = rc.alertDefaults.AIScalingAlertsHeartbeat;
  if (hb.enabled) add("AIScalingAlertsHeartbeat", hb.severity);
  return out;
}

/**
 * Whether the parent's matchers can let an alert through, judged on the labels known in advance
 * (`alertname`, `event`, its severities); matchers on other labels, and regexes JavaScript cannot
 * read, are given the benefit of the doubt.
 */
function mayPass(
  parent: readonly AlertmanagerMatcher[],
  alert: AlertName,
  severities: Set<Severity>,
): boolean {
  return parent.every((m) => {
    if (m.name === "alertname") return accepts(m, alert) !== false;
    if (m.name === "event") return accepts(m, CATALOG[alert].event) !== false;
    if (m.name === "severity") return [...severities].some((s) => accepts(m, s) !== false);
    return true;
  });
}

/** `event="x"`, or `event=~"x|y"` for several. */
function eventMatcher(alerts: readonly AlertName[]): AlertmanagerMatcher {
  const events = alerts.map((a) => CATALOG[a].event);
  return events.length === 1
    ? { name: "event", matchType: "=", value: events[0] as string }
    : { name: "event", matchType: "=~", value: events.join("|") };
}

/**
 * The children of one route: the scale-event child (unless the route sets its own
 * `groupInterval`) and the heartbeat child (unless it sets its own `repeatInterval`), each only
 * when an alert it is for is active and can pass the route's matchers. `severities` comes from
 * {@link activeSeverities}.
 */
export function feedRoutes(
  n: Pick<Notifications, "scaleEventGroupInterval" | "heartbeat">,
  severities: ReadonlyMap<AlertName, Set<Severity>>,
  parent: FeedParent,
): AlertmanagerRoute[] {
  const passes = (a: AlertName) => {
    const s = severities.get(a);
    return s !== undefined && mayPass(parent.matchers, a, s);
  };
  const times = {
    ...(parent.muteTimeIntervals ? { muteTimeIntervals: [...parent.muteTimeIntervals] } : {}),
    ...(parent.activeTimeIntervals ? { activeTimeIntervals: [...parent.activeTimeIntervals] } : {}),
  };
  const children: AlertmanagerRoute[] = [];
  const events = scaleEventAlerts().filter(passes);
  if (parent.groupInterval === undefined && events.length > 0)
    children.push({ matchers: [eventMatcher(events)], groupInterval: n.scaleEventGroupInterval, ...times });
  if (parent.repeatInterval === undefined && passes("AIScalingAlertsHeartbeat"))
    children.push({
      matchers: [eventMatcher(["AIScalingAlertsHeartbeat"])],
      groupWait: n.heartbeat.groupWait,
      groupInterval: n.heartbeat.groupInterval,
      repeatInterval: n.heartbeat.repeatInterval,
      ...times,
    });
  return children;
}
