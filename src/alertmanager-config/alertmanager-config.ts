/**
 * The AlertmanagerConfig (monitoring.coreos.com/v1alpha1) objects that send the scaling alerts to
 * the configured receivers. Pure: plain objects out, no Pulumi, no I/O.
 *
 * How the Prometheus Operator treats them shapes this module: it renames receivers and time
 * intervals to `<namespace>/<object>/<name>`, makes each object's route a first-level child of the
 * Alertmanager's root route with `continue: true` forced, reads Secrets from the object's own
 * namespace and, under the default `alertmanagerConfigMatcherStrategy` `OnNamespace`, appends
 * `namespace="<object's namespace>"` to that route and to every inhibit rule. Hence one object per
 * workload namespace, and no `namespace` matcher of ours in the routes.
 */
import type { ResolvedConfig } from "../config/resolve.js";
import type { Notifications, Receiver } from "../config/schema.js";
import { isPinned } from "../config/matcher-strategy.js";
import type { SecretRef } from "../config/primitives.js";
import {
  UNROUTED_RECEIVER,
  buildInhibitRules,
  buildTimeIntervals,
  catalogAlertMatcher,
  compact,
  parseMatchers,
  pinNamespace,
  receiverSendResolved,
  receiverSeverities,
  severityMatcher,
  timeIntervalLocations,
  TIME_INTERVAL_LOCATIONS_ANNOTATION,
  type AlertmanagerInhibitRule,
  type AlertmanagerMatcher,
  type AlertmanagerTimeInterval,
} from "./defaults.js";
import { activeSeverities, feedRoutes } from "./feed-routes.js";
import { messageTemplates, type MessageTemplates } from "./templates.js";

export type {
  AlertmanagerInhibitRule,
  AlertmanagerMatcher,
  AlertmanagerTimeInterval,
  MatchType,
} from "./defaults.js";
export {
  parseMatcher,
  parseMatchers,
  formatMatcher,
  receiverSeverities,
  timeIntervalLocations,
  TIME_INTERVAL_LOCATIONS_ANNOTATION,
  UNROUTED_RECEIVER,
} from "./defaults.js";

/** A reference to one key of a Secret in the AlertmanagerConfig's namespace (core/v1 SecretKeySelector). */
export interface SecretKeySelector {
  name: string;
  key: string;
}

/** A key/value pair (e-mail headers, PagerDuty details). */
export interface KeyValue {
  key: string;
  value: string;
}

/** A v1alpha1 receiver, with the integrations this tool generates. Credentials are Secret references only. */
export interface AlertmanagerReceiver {
  name: string;
  slackConfigs?: {
    apiURL: SecretKeySelector;
    channel?: string;
    username?: string;
    sendResolved: boolean;
    title: string;
    text: string;
    color: string;
    fallback: string;
  }[];
  emailConfigs?: {
    to: string;
    from: string;
    smarthost: string;
    authUsername?: string;
    authPassword?: SecretKeySelector;
    requireTLS?: boolean;
    sendResolved: boolean;
    headers: KeyValue[];
    html: string;
    text: string;
  }[];
  webhookConfigs?: { urlSecret: SecretKeySelector; sendResolved: boolean; maxAlerts?: number }[];
  pagerdutyConfigs?: {
    routingKey: SecretKeySelector;
    sendResolved: boolean;
    severity: string;
    description: string;
    details: KeyValue[];
  }[];
  msteamsConfigs?: { webhookUrl: SecretKeySelector; sendResolved: boolean; title: string; text: string }[];
  /** Teams Workflows webhooks (Alertmanager >= 0.28). The CRD spells the key `webhookURL`. */
  msteamsv2Configs?: { webhookURL: SecretKeySelector; sendResolved: boolean; title: string; text: string }[];
  discordConfigs?: { apiURL: SecretKeySelector; sendResolved: boolean; title: string; message: string }[];
  telegramConfigs?: {
    botToken: SecretKeySelector;
    chatID: number;
    messageThreadID?: number;
    apiURL?: string;
    disableNotifications?: boolean;
    parseMode: "HTML";
    sendResolved: boolean;
    message: string;
  }[];
  webexConfigs?: {
    roomID: string;
    apiURL?: string;
    /** The bot token as `Authorization: Bearer`: Alertmanager refuses a webex config without it. */
    httpConfig: { authorization: { type: "Bearer"; credentials: SecretKeySelector } };
    sendResolved: boolean;
    message: string;
  }[];
  snsConfigs?: {
    topicARN?: string;
    targetARN?: string;
    phoneNumber?: string;
    apiURL?: string;
    sigv4?: { region?: string; roleArn?: string };
    sendResolved: boolean;
    subject: string;
    message: string;
  }[];
  opsgenieConfigs?: {
    apiKey: SecretKeySelector;
    sendResolved: boolean;
    message: string;
    description: string;
    priority: string;
    tags: string;
    responders?: { type: string; name: string }[];
  }[];
}

/** A v1alpha1 route. Child routes (`routes`) have the same shape. */
export interface AlertmanagerRoute {
  /** Required on the top route; a child route without one inherits its parent's. */
  receiver?: string;
  matchers?: AlertmanagerMatcher[];
  continue?: boolean;
  groupBy?: string[];
  groupWait?: string;
  groupInterval?: string;
  repeatInterval?: string;
  muteTimeIntervals?: string[];
  activeTimeIntervals?: string[];
  routes?: AlertmanagerRoute[];
}

/** A `monitoring.coreos.com/v1alpha1` `AlertmanagerConfig`, as a plain object. */
export interface AlertmanagerConfigObject {
  apiVersion: "monitoring.coreos.com/v1alpha1";
  kind: "AlertmanagerConfig";
  metadata: {
    name: string;
    namespace: string;
    labels: Record<string, string>;
    /** `TIME_INTERVAL_LOCATIONS_ANNOTATION` when a time interval has a time zone. */
    annotations?: Record<string, string>;
  };
  spec: {
    route: AlertmanagerRoute;
    receivers: AlertmanagerReceiver[];
    inhibitRules?: AlertmanagerInhibitRule[];
    muteTimeIntervals?: AlertmanagerTimeInterval[];
  };
}

const secret = (ref: SecretRef): SecretKeySelector => ({ name: ref.secret, key: ref.key });

/** The region of an SNS ARN (`arn:aws:sns:<region>:<account>:<name>`), if it has one. */
function arnRegion(arn: string | undefined): string | undefined {
  return arn?.split(":")[3] || undefined;
}

function receiver(r: Receiver, t: MessageTemplates): AlertmanagerReceiver {
  const sendResolved = receiverSendResolved(r);
  switch (r.type) {
    case "slack":
      return {
        name: r.name,
        slackConfigs: [
          compact({
            apiURL: secret(r.apiUrl),
            channel: r.channel,
            username: r.username,
            sendResolved,
            title: t.title,
            text: t.slackText,
            color: t.slackColor,
            fallback: t.title,
          }),
        ],
      };
    case "email":
      return {
        name: r.name,
        emailConfigs: [
          compact({
            to: r.to,
            from: r.from,
            smarthost: r.smarthost,
            authUsername: r.authUsername,
            authPassword: r.authPassword && secret(r.authPassword),
            requireTLS: r.requireTLS,
            sendResolved,
            headers: [{ key: "Subject", value: t.title }],
            html: t.emailHtml,
            text: t.emailText,
          }),
        ],
      };
    case "webhook":
      return {
        name: r.name,
        webhookConfigs: [compact({ urlSecret: secret(r.url), sendResolved, maxAlerts: r.maxAlerts })],
      };
    case "pagerduty":
      return {
        name: r.name,
        pagerdutyConfigs: [
          {
            routingKey: secret(r.routingKey),
            sendResolved,
            severity: t.pagerdutySeverity,
            description: t.pagerSummary,
            details: [
              { key: "workload", value: t.workload },
              { key: "event", value: t.event },
              { key: "description", value: t.pagerText },
              { key: "runbook", value: t.runbook },
            ],
          },
        ],
      };
    case "msteams":
      return {
        name: r.name,
        msteamsConfigs: [
          { webhookUrl: secret(r.webhookUrl), sendResolved, title: t.title, text: t.teamsText },
        ],
      };
    case "msteamsv2":
      return {
        name: r.name,
        msteamsv2Configs: [
          { webhookURL: secret(r.webhookUrl), sendResolved, title: t.title, text: t.teamsText },
        ],
      };
    case "discord":
      return {
        name: r.name,
        discordConfigs: [
          { apiURL: secret(r.webhookUrl), sendResolved, title: t.title, message: t.teamsText },
        ],
      };
    case "telegram":
      return {
        name: r.name,
        telegramConfigs: [
          compact({
            botToken: secret(r.botToken),
            chatID: r.chatId,
            messageThreadID: r.messageThreadId,
            apiURL: r.apiUrl,
            disableNotifications: r.disableNotifications,
            parseMode: "HTML" as const,
            sendResolved,
            message: t.telegramHtml,
          }),
        ],
      };
    case "webex":
      return {
        name: r.name,
        webexConfigs: [
          compact({
            roomID: r.roomId,
            apiURL: r.apiUrl,
            httpConfig: { authorization: { type: "Bearer" as const, credentials: secret(r.token) } },
            sendResolved,
            message: t.webexMarkdown,
          }),
        ],
      };
    case "sns": {
      const sigv4 = compact({ region: r.region ?? arnRegion(r.topicArn ?? r.targetArn), roleArn: r.roleArn });
      return {
        name: r.name,
        snsConfigs: [
          compact({
            topicARN: r.topicArn,
            targetARN: r.targetArn,
            phoneNumber: r.phoneNumber,
            apiURL: r.apiUrl,
            sigv4: Object.keys(sigv4).length > 0 ? sigv4 : undefined,
            sendResolved,
            subject: t.title,
            message: t.emailText,
          }),
        ],
      };
    }
    case "opsgenie":
      return {
        name: r.name,
        opsgenieConfigs: [
          compact({
            apiKey: secret(r.apiKey),
            sendResolved,
            message: t.pagerSummary,
            description: t.pagerText,
            priority: t.opsgeniePriority,
            tags: t.opsgenieTags,
            responders: r.responders?.map((x) => ({ type: x.type, name: x.name })),
          }),
        ],
      };
  }
}

/**
 * The child routes: the user's routes first (`continue` defaults to true, so they add receivers
 * rather than replace the defaults), then, with `defaultRoutes`, one route per receiver for the
 * severities it receives. Each has the scale-event and heartbeat children of {@link feedRoutes}
 * where they apply. `ns` is the object's namespace under `OnNamespace` (see {@link pinNamespace}).
 */
function childRoutes(rc: ResolvedConfig, n: Notifications, ns: string | undefined): AlertmanagerRoute[] {
  const severities = activeSeverities(rc);
  const withFeed = (route: AlertmanagerRoute): AlertmanagerRoute => {
    const children = feedRoutes(n, severities, { ...route, matchers: route.matchers ?? [] });
    return children.length > 0 ? { ...route, routes: children } : route;
  };
  const routes: AlertmanagerRoute[] = [];
  for (const r of n.routes) {
    const matchers = pinNamespace(r.matchers ? parseMatchers(r.matchers) : [], ns);
    if (matchers === undefined) continue;
    routes.push(
      withFeed(
        compact({
          receiver: r.receiver,
          matchers: matchers.length > 0 ? matchers : undefined,
          continue: r.continue ?? true,
          groupBy: r.groupBy,
          groupWait: r.groupWait,
          groupInterval: r.groupInterval,
          repeatInterval: r.repeatInterval,
          muteTimeIntervals: r.muteTimeIntervals,
          activeTimeIntervals: r.activeTimeIntervals,
        }),
      ),
    );
  }
  if (!n.defaultRoutes) return routes;
  for (const r of n.receivers) {
    const receives = receiverSeverities(r);
    if (receives.length === 0) continue;
    routes.push(
      withFeed(
        compact({
          receiver: r.name,
          matchers: [severityMatcher(receives)],
          continue: true,
          muteTimeIntervals: r.muteTimeIntervals,
          activeTimeIntervals: r.activeTimeIntervals,
        }),
      ),
    );
  }
  return routes;
}

/** The namespaces that get an AlertmanagerConfig: one per workload namespace unless placement is fixed. */
function placement(rc: ResolvedConfig, n: Notifications): string[] {
  if (n.namespace !== undefined || n.matcherStrategy === "None") return [n.namespace ?? rc.namespace];
  return [...new Set(rc.workloads.map((w) => w.namespace))].sort();
}

/**
 * Builds the AlertmanagerConfig objects for `rc.notifications` ([] when there is none).
 *
 * - Placement: unless `matcherStrategy: None` or `notifications.namespace` is given, one object
 *   per distinct workload namespace (sorted), since the operator pins each object's route to its own
 *   namespace; each carries every receiver, so the referenced Secrets must exist in each namespace.
 *   Otherwise one object in `notifications.namespace ?? rc.namespace`. Name:
 *   `notifications.name ?? rc.name`; labels: `common.labels`.
 * - Route: the top route matches only the catalog's alerts and goes to {@link UNROUTED_RECEIVER}
 *   (no integrations: a catalog alert no child route takes is dropped); grouping from
 *   `notifications`. Children: user routes, then the per-receiver default routes.
 * - Receivers: credentials only as Secret references; `sendResolved` per receiver kind unless set
 *   (see `DEFAULT_SEND_RESOLVED`); the message templates of {@link messageTemplates}.
 * - Inhibit rules: the default scaling-event inhibitions, then the user's.
 * - Time intervals: `spec.muteTimeIntervals`; their time zones, which v1alpha1 cannot hold, in
 *   the `TIME_INTERVAL_LOCATIONS_ANNOTATION` annotation (see `timeIntervalLocations`).
 */
export function buildAlertmanagerConfigs(
  rc: ResolvedConfig,
  common: { labels: Record<string, string> },
): AlertmanagerConfigObject[] {
  const n = rc.notifications;
  if (!n) return [];
  const templates = messageTemplates({ extraLabels: rc.extraLabelNames });
  const receivers = [{ name: UNROUTED_RECEIVER }, ...n.receivers.map((r) => receiver(r, templates))];
  const intervals = buildTimeIntervals(n);
  const locations = timeIntervalLocations(n);
  const annotations =
    Object.keys(locations).length > 0
      ? { [TIME_INTERVAL_LOCATIONS_ANNOTATION]: JSON.stringify(locations) }
      : undefined;
  return placement(rc, n).map((namespace): AlertmanagerConfigObject => {
    const amNs = rc.monitoring.operator.alertmanagerNamespace;
    const pinned = isPinned(n.matcherStrategy, namespace, amNs) ? namespace : undefined;
    const routes = childRoutes(rc, n, pinned);
    const inhibit = buildInhibitRules(n, rc.monitoring.clusterLabel, pinned);
    return {
      apiVersion: "monitoring.coreos.com/v1alpha1",
      kind: "AlertmanagerConfig",
      metadata: compact({
        name: n.name ?? rc.name,
        namespace,
        labels: { ...common.labels },
        annotations: annotations && { ...annotations },
      }),
      spec: compact({
        route: compact({
          receiver: UNROUTED_RECEIVER,
          matchers: [catalogAlertMatcher()],
          groupBy: [...n.groupBy],
          groupWait: n.groupWait,
          groupInterval: n.groupInterval,
          repeatInterval: n.repeatInterval,
          routes: routes.length > 0 ? routes : undefined,
        }),
        receivers: structuredClone(receivers),
        inhibitRules: inhibit.length > 0 ? inhibit : undefined,
        muteTimeIntervals: intervals.length > 0 ? structuredClone(intervals) : undefined,
      }),
    };
  });
}
