/**
 * The `notifications` part of the config: receivers (credentials only as Secret references),
 * routes, inhibitions and time intervals. Split from `schema.ts` to keep each file readable.
 */
import { z } from "zod";
import { SEVERITIES } from "../catalog/catalog.js";
import { duration, httpUrl, k8sName, labelName, namespaceName, secretRef } from "./primitives.js";

/** A matcher in Alertmanager syntax: `name="value"`, `name=~"regex"`, `name!=value`, `name!~regex`. */
export const MATCHER_RE =
  /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*(?:"((?:[^"\\]|\\.)*)"|([^"\s][^"]*?|))\s*$/;
const matcherString = z.string().regex(MATCHER_RE, {
  error: (iss) =>
    `expected a matcher such as severity="critical" or event=~"scaled_.*", got ${JSON.stringify(iss.input)}`,
});
const matchers = z
  .union([z.array(matcherString), z.record(labelName, z.string())], {
    error: 'expected a list of matchers (["severity=\\"critical\\""]) or a map of label: value',
  })
  .describe('Either ["severity=\\"critical\\"", "event=~\\"scaled_.*\\""] or { severity: critical }.');

const receiverCommon = {
  name: z
    .string()
    .regex(/^[a-zA-Z0-9][-a-zA-Z0-9_.]*$/, {
      error: (iss) =>
        `expected a receiver name (letters, digits, '-', '_', '.'), got ${JSON.stringify(iss.input)}`,
    })
    .describe("Name of the receiver, which routes refer to."),
  receive: z
    .array(z.enum(SEVERITIES))
    .optional()
    .describe("Severities this receiver gets from the default routes (default depends on type)."),
  sendResolved: z
    .boolean()
    .optional()
    .describe("Also notify when an alert resolves (default depends on type)."),
  muteTimeIntervals: z
    .array(z.string())
    .optional()
    .describe("Time intervals during which its default route is muted."),
  activeTimeIntervals: z
    .array(z.string())
    .optional()
    .describe("Time intervals outside which its default route is muted."),
};
const slackReceiver = z
  .strictObject({
    ...receiverCommon,
    type: z.literal("slack"),
    apiUrl: secretRef.describe("Incoming-webhook URL."),
    channel: z.string().optional().describe("Channel to post to, e.g. #alerts (default: the webhook's)."),
    username: z.string().optional().describe("Name the messages are posted as (default: the webhook's)."),
  })
  .describe(
    "Slack: posts to a channel through an incoming webhook. Gets critical and warning alerts from the default routes unless receive says otherwise.",
  );
const emailReceiver = z
  .strictObject({
    ...receiverCommon,
    type: z.literal("email"),
    to: z.email({ error: "expected an e-mail address" }).describe("Address to send to."),
    from: z.email({ error: "expected an e-mail address" }).describe("Sender address."),
    smarthost: z
      .string()
      .regex(/^[^\s:]+:\d+$/, { error: "expected host:port" })
      .describe("SMTP server as host:port, e.g. smtp.example.com:587."),
    authUsername: z.string().optional().describe("User name for SMTP authentication."),
    authPassword: secretRef.optional().describe("Password for SMTP authentication."),
    requireTLS: z.boolean().optional().describe("Require STARTTLS (Alertmanager's default: true)."),
  })
  .describe(
    "E-mail through an SMTP server. Gets critical and warning alerts from the default routes unless receive says otherwise.",
  );
const webhookReceiver = z
  .strictObject({
    ...receiverCommon,
    type: z.literal("webhook"),
    url: secretRef.describe("Webhook URL (kept in a Secret: such URLs often embed tokens)."),
    maxAlerts: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe("Most alerts in one message; 0, the default, sends them all."),
  })
  .describe(
    "A webhook: Alertmanager POSTs its JSON payload to a URL. Gets the info scale-event feed from the default routes unless receive says otherwise.",
  );
const pagerdutyReceiver = z
  .strictObject({
    ...receiverCommon,
    type: z.literal("pagerduty"),
    routingKey: secretRef.describe("Events API v2 routing key."),
  })
  .describe(
    "PagerDuty (Events API v2). Gets critical alerts from the default routes unless receive says otherwise.",
  );
const msteamsReceiver = z
  .strictObject({
    ...receiverCommon,
    type: z.literal("msteams"),
    webhookUrl: secretRef.describe("Incoming-webhook URL (Alertmanager >= 0.26)."),
  })
  .describe(
    "Microsoft Teams through an Office 365 connector webhook (Alertmanager >= 0.26); msteamsv2 is its successor. Gets critical and warning alerts from the default routes unless receive says otherwise.",
  );
const opsgenieReceiver = z
  .strictObject({
    ...receiverCommon,
    type: z.literal("opsgenie"),
    apiKey: secretRef.describe("API key of an Opsgenie API integration."),
    responders: z
      .array(
        z
          .strictObject({
            type: z.enum(["team", "user", "escalation", "schedule"]).describe("Kind of responder."),
            name: z.string().min(1).describe("Its name in Opsgenie."),
          })
          .describe("A team, user, escalation or schedule that Opsgenie notifies."),
      )
      .optional()
      .describe("Who Opsgenie notifies (default: as the integration decides)."),
  })
  .describe("Opsgenie. Gets critical alerts from the default routes unless receive says otherwise.");
/** An API URL that is not a credential (published in the AlertmanagerConfig). */
const apiUrl = (what: string) =>
  httpUrl(what, "it is published in the AlertmanagerConfig; credentials go in a Secret reference");
const msteamsv2Receiver = z
  .strictObject({
    ...receiverCommon,
    type: z.literal("msteamsv2"),
    webhookUrl: secretRef.describe(
      "Workflows (Power Automate) webhook URL of the Teams channel, the successor of the retired Office 365 connectors. Needs Alertmanager >= 0.28 (the operator rejects msteamsv2Configs below it).",
    ),
  })
  .describe(
    "Microsoft Teams through a Workflows (Power Automate) webhook (Alertmanager >= 0.28). Gets critical and warning alerts from the default routes unless receive says otherwise.",
  );
const discordReceiver = z
  .strictObject({
    ...receiverCommon,
    type: z.literal("discord"),
    webhookUrl: secretRef.describe(
      "Discord channel webhook URL (https://discord.com/api/webhooks/<id>/<token>: the token is in the URL). Needs Alertmanager >= 0.25; a standalone alertmanager.yml can read it from a file only from 0.26.",
    ),
  })
  .describe(
    "Discord: posts to a channel through its webhook (Alertmanager >= 0.25). Gets critical and warning alerts from the default routes unless receive says otherwise.",
  );
const telegramReceiver = z
  .strictObject({
    ...receiverCommon,
    type: z.literal("telegram"),
    botToken: secretRef.describe(
      "Bot token from @BotFather. Needs Alertmanager >= 0.24; a standalone alertmanager.yml can read it from a file only from 0.26.",
    ),
    chatId: z
      .number({ error: "expected the chat id, an integer (negative for groups and channels)" })
      .int({ error: "expected an integer chat id" })
      .refine((n) => n !== 0, { error: "must not be 0: Alertmanager and the operator require a chat id" })
      .describe("Chat id to post to (negative for groups and channels)."),
    messageThreadId: z
      .number()
      .int()
      .positive()
      .optional()
      .describe("Forum topic of the chat (Alertmanager >= 0.26; dropped below)."),
    disableNotifications: z.boolean().optional().describe("Deliver silently (no sound on the phones)."),
    apiUrl: apiUrl("the Telegram Bot API URL")
      .optional()
      .describe("Bot API URL (default https://api.telegram.org), e.g. a self-hosted Bot API server."),
  })
  .describe(
    "Telegram: a bot posts to a chat (Alertmanager >= 0.24). Gets critical and warning alerts from the default routes unless receive says otherwise.",
  );
const webexReceiver = z
  .strictObject({
    ...receiverCommon,
    type: z.literal("webex"),
    token: secretRef.describe(
      "Access token of the Webex bot, sent as Authorization: Bearer. Needs Alertmanager >= 0.25.",
    ),
    roomId: z
      .string()
      .min(1, { error: "expected the id of the Webex room (space)" })
      .describe("Room (space) id."),
    apiUrl: apiUrl("the Webex messages API URL")
      .optional()
      .describe("Messages API URL (default https://webexapis.com/v1/messages)."),
  })
  .describe(
    "Webex: a bot posts to a room (Alertmanager >= 0.25). Gets critical and warning alerts from the default routes unless receive says otherwise.",
  );
const snsReceiver = z
  .strictObject({
    ...receiverCommon,
    type: z.literal("sns"),
    topicArn: z
      .string()
      .regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/, {
        error: (iss) =>
          `expected an SNS topic ARN such as arn:aws:sns:eu-west-1:123456789012:alerts, got ${JSON.stringify(iss.input)}`,
      })
      .optional()
      .describe("Topic to publish to. Give exactly one of topicArn, targetArn or phoneNumber."),
    targetArn: z
      .string()
      .regex(/^arn:aws[a-z-]*:sns:/, {
        error: (iss) => `expected an SNS endpoint ARN (arn:aws:sns:...), got ${JSON.stringify(iss.input)}`,
      })
      .optional()
      .describe("Mobile platform endpoint to publish to."),
    phoneNumber: z
      .string()
      .regex(/^\+[1-9]\d{1,14}$/, {
        error: (iss) =>
          `expected a phone number in E.164 form such as +4915112345678, got ${JSON.stringify(iss.input)}`,
      })
      .optional()
      .describe("Phone number to text (SMS)."),
    region: z
      .string()
      .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, {
        error: (iss) => `expected an AWS region such as eu-west-1, got ${JSON.stringify(iss.input)}`,
      })
      .optional()
      .describe("AWS region (default: the topicArn's or targetArn's; required with phoneNumber)."),
    roleArn: z
      .string()
      .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, {
        error: (iss) => `expected an IAM role ARN, got ${JSON.stringify(iss.input)}`,
      })
      .optional()
      .describe(
        "IAM role to assume. Credentials are the Alertmanager pod's (IRSA, instance role or environment): Alertmanager cannot read SNS access keys from a file, and this tool never inlines a Secret.",
      ),
    apiUrl: apiUrl("the SNS API URL")
      .optional()
      .describe("SNS endpoint (default: the region's), e.g. a VPC endpoint."),
  })
  .describe(
    "Amazon SNS: publishes to a topic, a mobile endpoint or a phone number (exactly one). Gets critical and warning alerts from the default routes unless receive says otherwise.",
  );
export const receiverSchema = z.discriminatedUnion(
  "type",
  [
    slackReceiver,
    emailReceiver,
    webhookReceiver,
    pagerdutyReceiver,
    msteamsReceiver,
    msteamsv2Receiver,
    opsgenieReceiver,
    discordReceiver,
    telegramReceiver,
    webexReceiver,
    snsReceiver,
  ],
  {
    error:
      "expected a receiver with type slack, email, webhook, pagerduty, opsgenie, msteams, msteamsv2, discord, telegram, webex or sns",
  },
);
export type Receiver = z.infer<typeof receiverSchema>;
export type ReceiverType = Receiver["type"];

const routeSchema = z
  .strictObject({
    receiver: z.string().min(1).describe("Name of the receiver the matching alerts go to."),
    matchers: matchers.optional(),
    continue: z
      .boolean()
      .optional()
      .describe("Keep looking for further routes after this one (default true)."),
    groupBy: z
      .array(z.string())
      .optional()
      .describe("Labels that group alerts into one notification (default: notifications.groupBy)."),
    groupWait: duration
      .optional()
      .describe("Wait before the first notification of a new group (default: notifications.groupWait)."),
    groupInterval: duration
      .optional()
      .describe(
        "Wait before notifying of new alerts in a group already notified (default: notifications.groupInterval).",
      ),
    repeatInterval: duration
      .optional()
      .describe(
        "Wait before repeating a notification that has not changed (default: notifications.repeatInterval).",
      ),
    muteTimeIntervals: z
      .array(z.string())
      .optional()
      .describe("Names of time intervals during which this route is muted."),
    activeTimeIntervals: z
      .array(z.string())
      .optional()
      .describe("Names of time intervals outside which this route is muted."),
  })
  .describe(
    "A route: the alerts it matches go to its receiver. Routes are tried in order, before the default per-severity routes.",
  )
  .meta({ examples: [{ receiver: "inference-slack", matchers: { team: "inference" } }] });
export type RouteInput = z.infer<typeof routeSchema>;

const inhibitionSchema = z
  .strictObject({
    source: matchers.describe("Alerts that, while firing, mute others."),
    target: matchers.describe("Alerts that are muted."),
    equal: z
      .array(labelName)
      .optional()
      .describe("Labels that must be equal (default namespace, horizontalpodautoscaler)."),
  })
  .describe(
    "An inhibition: while an alert matching source fires, the alerts matching target (with the same equal labels) are muted.",
  );

/** Weekday names in Alertmanager's order (0 = Sunday), lower case. */
export const WEEKDAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];
const weekdayRange = z
  .string()
  .refine((s) => s.split(":").every((d) => WEEKDAYS.includes(d.toLowerCase())) && s.split(":").length <= 2, {
    error: (iss) => `expected a weekday or range such as monday:friday, got ${JSON.stringify(iss.input)}`,
  });
/** Month names (index 0 = January), lower case. */
export const MONTHS = [
  "january",
  "february",
  "march",
  "april",
  "may",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
];
const monthRange = z.string().refine(
  (s) => {
    const parts = s.toLowerCase().split(":");
    return (
      parts.length <= 2 &&
      parts.every((m) => MONTHS.includes(m) || (/^\d{1,2}$/.test(m) && +m >= 1 && +m <= 12))
    );
  },
  {
    error: (iss) =>
      `expected a month (name or 1-12) or range such as may:august, got ${JSON.stringify(iss.input)}`,
  },
);
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, { error: "expected HH:MM" });
const dayOfMonth = z.number().int().min(-31).max(31);

/**
 * Why `name` is not an IANA time zone Alertmanager can load, or undefined when it is one. Node's
 * `Intl` knows the IANA database; Alertmanager (Go's `time.LoadLocation`) reads it with the case
 * as written, so a name in the wrong case is refused with the right spelling.
 */
export function timeZoneProblem(name: string): string | undefined {
  let canonical: string;
  try {
    canonical = new Intl.DateTimeFormat("en-US", { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return `expected an IANA time zone such as Europe/Berlin or America/New_York, got ${JSON.stringify(name)}`;
  }
  const wrongCase = name.split("/").some((part) => !/^[A-Z]/.test(part));
  if (wrongCase || (name !== canonical && name.toLowerCase() === canonical.toLowerCase()))
    return `time zone names are case-sensitive for Alertmanager: write ${JSON.stringify(canonical)}, not ${JSON.stringify(name)}`;
  return undefined;
}

const timeZone = z.string().superRefine((name, ctx) => {
  const problem = timeZoneProblem(name);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

const timeIntervalSchema = z
  .strictObject({
    name: z
      .string()
      .regex(/^[a-zA-Z0-9][-a-zA-Z0-9_.]*$/)
      .describe("Name of the interval, which routes and receivers refer to."),
    location: timeZone
      .optional()
      .describe(
        "IANA time zone of the times, e.g. Europe/Berlin (default UTC). Needs Alertmanager >= 0.25; the Prometheus Operator's AlertmanagerConfig cannot carry it (see the README).",
      ),
    intervals: z
      .array(
        z
          .strictObject({
            times: z
              .array(
                z
                  .strictObject({
                    start: hhmm.describe("Start, HH:MM."),
                    end: hhmm.describe("End, HH:MM, not included (24:00 for midnight)."),
                  })
                  .describe("A time of day range."),
              )
              .optional()
              .describe("Times of day."),
            weekdays: z
              .array(weekdayRange)
              .optional()
              .describe("Weekdays or ranges of them.")
              .meta({ examples: [["monday:friday"]] }),
            daysOfMonth: z
              .array(
                z
                  .strictObject({
                    start: dayOfMonth.describe(
                      "First day (1 to 31, or -31 to -1 counted from the month's end).",
                    ),
                    end: dayOfMonth.describe(
                      "Last day, included (1 to 31, or -31 to -1 from the month's end).",
                    ),
                  })
                  .describe("A range of days of the month."),
              )
              .optional()
              .describe("Days of the month; negative days count from the end (-1: the last day)."),
            months: z
              .array(monthRange)
              .optional()
              .describe("Months or ranges of them, by name or number (1-12).")
              .meta({ examples: [["may:august", "12"]] }),
            years: z
              .array(
                z.string().regex(/^\d{4}(:\d{4})?$/, { error: "expected a year or range such as 2026:2027" }),
              )
              .optional()
              .describe("Years or ranges of them.")
              .meta({ examples: [["2026:2027"]] }),
          })
          .describe(
            "A range of time: it matches when every field it gives matches (a field left out always does).",
          ),
      )
      .min(1)
      .describe("The ranges; the interval matches when any of them does."),
  })
  .describe(
    "A named time interval, which routes and receivers are muted during (muteTimeIntervals) or outside of (activeTimeIntervals).",
  );

/** The Prometheus Operator's `alertmanagerConfigMatcherStrategy.type` values. */
export const MATCHER_STRATEGIES = [
  "OnNamespace",
  "OnNamespaceExceptForAlertmanagerNamespace",
  "None",
] as const;
export type MatcherStrategy = (typeof MATCHER_STRATEGIES)[number];

export const notificationsSchema = z
  .strictObject({
    name: k8sName.optional().describe("Name of the AlertmanagerConfig (default: the top-level name)."),
    namespace: namespaceName
      .optional()
      .describe("Namespace of the AlertmanagerConfig and its Secrets (default: the workloads' namespace)."),
    matcherStrategy: z
      .enum(MATCHER_STRATEGIES)
      .default("OnNamespace")
      .describe(
        "The Alertmanager's alertmanagerConfigMatcherStrategy.type; OnNamespace is the operator default.",
      ),
    groupBy: z
      .array(z.string())
      .default(["namespace", "alertname"])
      .describe("Labels that group alerts into one notification."),
    groupWait: duration
      .default("30s")
      .describe("Wait before the first notification of a new group, to collect its alerts."),
    groupInterval: duration
      .default("5m")
      .describe("Wait before notifying of new alerts in a group already notified."),
    repeatInterval: duration
      .default("4h")
      .describe("Wait before repeating a notification that has not changed."),
    scaleEventGroupInterval: duration
      .refine((d) => !/^(0[a-z]+)+$/.test(d), { error: "must be longer than 0s" })
      .default("30s")
      .describe(
        "group_interval of the scale-event feed (scaled up/down, scaled to zero, cold start) on every route that sets none: a step of a workload whose group is already notified goes out within this, while it still fires.",
      ),
    heartbeat: z
      .strictObject({
        groupWait: duration.default("0s").describe("group_wait of the heartbeat's routes."),
        groupInterval: duration
          .refine((d) => !/^(0[a-z]+)+$/.test(d), { error: "must be longer than 0s" })
          .default("30s")
          .describe("group_interval of the heartbeat's routes."),
        repeatInterval: duration
          .refine((d) => !/^(0[a-z]+)+$/.test(d), { error: "must be longer than 0s" })
          .default("55s")
          .describe("repeat_interval of the heartbeat's routes."),
      })
      .prefault({})
      .describe(
        "Timings of the heartbeat on every route that sets no repeatInterval, for a dead man's switch (default: a ping every minute). Alertmanager repeats only at a group_interval flush, and only once repeatInterval has passed since the last notification was logged, a moment after its flush: the period is the first whole number of groupIntervals above repeatInterval. Keep repeatInterval a few seconds short of that multiple (55s for 2 x 30s): equal to it, a flush is skipped now and then.",
      ),
    receivers: z
      .array(receiverSchema)
      .min(1, { error: "give at least one receiver" })
      .describe("Where notifications go; the default routes send each receiver the severities it receives.")
      .meta({
        examples: [
          [{ name: "oncall", type: "pagerduty", routingKey: { secret: "alerting", key: "pagerduty" } }],
        ],
      }),
    routes: z.array(routeSchema).default([]).describe("Routes tried before the default per-severity routes."),
    defaultRoutes: z
      .boolean()
      .default(true)
      .describe("Add one route per receiver for the severities it receives."),
    inhibitions: z.array(inhibitionSchema).default([]).describe("Inhibitions, after the default ones."),
    defaultInhibitions: z
      .boolean()
      .default(true)
      .describe(
        "Add the default inhibitions between the scaling events of one HPA (e.g. at max replicas mutes scaled up; flapping mutes single scale events).",
      ),
    timeIntervals: z
      .array(timeIntervalSchema)
      .default([])
      .describe("Named time intervals, which routes and receivers are muted during or outside of."),
  })
  .describe(
    "Where notifications go: an AlertmanagerConfig with receivers (credentials as Secret references), routes, inhibitions and time intervals. Without it, no AlertmanagerConfig is generated.",
  );
