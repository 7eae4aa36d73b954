/**
 * A plain Alertmanager configuration file (`alertmanager.yml`), with the snake_case keys Alertmanager
 * reads. Only the parts this project produces or inspects are typed closely; integrations keep an
 * open shape, since Alertmanager has many and this module only writes a few of them.
 */

/** A route of the routing tree. The root route is the same shape without matchers or `continue`. */
export interface RouteConfig {
  /** Receiver name; a child route without one inherits its parent's. */
  receiver?: string;
  group_by?: string[];
  group_wait?: string;
  group_interval?: string;
  repeat_interval?: string;
  /** Matchers in Alertmanager syntax (`name="value"`, `=~`, `!=`, `!~`); one string may hold several, comma-separated. */
  matchers?: string[];
  /** Deprecated equality matchers (`label: value`). */
  match?: Record<string, string>;
  /** Deprecated regex matchers (`label: regex`), anchored like the others. */
  match_re?: Record<string, string>;
  /** Keep looking for matching siblings after this route matched (default false). */
  continue?: boolean;
  mute_time_intervals?: string[];
  active_time_intervals?: string[];
  routes?: RouteConfig[];
}

/** One integration of a receiver (`slack_configs[i]`, `webhook_configs[i]`, ...). */
export type IntegrationConfig = Record<string, unknown>;

/** A receiver: a name and its integrations. A receiver without integrations drops what reaches it. */
export interface ReceiverConfig {
  name: string;
  slack_configs?: IntegrationConfig[];
  email_configs?: IntegrationConfig[];
  webhook_configs?: IntegrationConfig[];
  pagerduty_configs?: IntegrationConfig[];
  opsgenie_configs?: IntegrationConfig[];
  /** Alertmanager >= 0.26 only. */
  msteams_configs?: IntegrationConfig[];
  [integration: `${string}_configs`]: IntegrationConfig[] | undefined;
}

/** While an alert matching the source matchers fires, alerts matching the target matchers (and equal on `equal`) are muted. */
export interface InhibitRuleConfig {
  source_matchers?: string[];
  target_matchers?: string[];
  /** Deprecated forms of the matchers. */
  source_match?: Record<string, string>;
  source_match_re?: Record<string, string>;
  target_match?: Record<string, string>;
  target_match_re?: Record<string, string>;
  equal?: string[];
}

/** One period of a time interval; every given field must match. Ranges are `"start:end"` strings. */
export interface TimePeriodConfig {
  times?: { start_time: string; end_time: string }[];
  weekdays?: string[];
  days_of_month?: string[];
  months?: string[];
  years?: string[];
  location?: string;
}

/** A named time interval, usable in routes as mute or active time. */
export interface TimeIntervalConfig {
  name: string;
  time_intervals: TimePeriodConfig[];
}

/** An Alertmanager configuration file. */
export interface AlertmanagerYaml {
  global?: Record<string, unknown>;
  route: RouteConfig;
  receivers: ReceiverConfig[];
  inhibit_rules?: InhibitRuleConfig[];
  time_intervals?: TimeIntervalConfig[];
  /** Deprecated top-level name of `time_intervals` (one namespace with it). */
  mute_time_intervals?: TimeIntervalConfig[];
  templates?: string[];
}

/** A set of alert labels. A label that is absent matches as the empty string. */
export type LabelSet = Readonly<Record<string, string>>;
