/**
 * How the fields of each supported AlertmanagerConfig (v1alpha1) integration map to Alertmanager's,
 * as the Prometheus Operator 0.93 converts them (`convert*Config` in pkg/alertmanager/amcfg.go),
 * with its version rules: `reject` where the operator refuses the object for an older Alertmanager
 * (`check*Configs` in operator.go), `drop` where it leaves the field out (`sanitize`).
 */

/** How one CRD field is translated. */
export type Rule =
  /** Copied under its snake_case name. */
  | "copy"
  /** A key/value list (`[{key, value}]`) to a map. */
  | "map"
  /** Objects whose keys are snake_cased (recursively). */
  | "objects"
  /** `httpConfig` to `http_config`. */
  | "http"
  /** `tlsConfig` to `tls_config`. */
  | "tls"
  /** Copied to `to` (default: snake_case) from Alertmanager `since`; below it dropped or the object rejected. */
  | {
      readonly to?: string;
      readonly since?: string;
      readonly below?: "drop" | "reject";
      /** For a list of objects: keys renamed (others snake_cased). */
      readonly rename?: Readonly<Record<string, string>>;
      /** Email threading: `{threadByDate}` to `{enabled: true, thread_by_date}`. */
      readonly threading?: true;
      /** Nothing is written, with this warning (the field cannot be carried without inlining a secret). */
      readonly never?: string;
    }
  /** A Secret key selector to the `secret` file field (from `since`; below, a placeholder in `placeholder` or nothing). */
  | { readonly secret: string; readonly since?: string; readonly placeholder?: string };

export interface IntegrationSpec {
  readonly to: `${string}_configs`;
  /** The oldest Alertmanager that has the integration; the operator rejects the object below it. */
  readonly since?: string;
  readonly fields: Readonly<Record<string, Rule>>;
  /** The fields of which at least one must be set (or found in `global`), as `[crd fields, global keys]`. */
  readonly required?: readonly [readonly string[], readonly string[]];
}

const common = { sendResolved: "copy", httpConfig: "http" } as const;
const copies = (...names: string[]) => Object.fromEntries(names.map((k) => [k, "copy" as const]));

export const INTEGRATIONS: Readonly<Record<string, IntegrationSpec>> = {
  slackConfigs: {
    to: "slack_configs",
    fields: {
      ...common,
      apiURL: { secret: "api_url_file" },
      ...copies("channel", "username", "color", "title", "titleLink", "pretext", "text", "footer"),
      ...copies("fallback", "iconEmoji", "iconURL", "imageURL", "thumbURL", "linkNames", "shortFields"),
      ...copies("mrkdwnIn"),
      callbackId: { to: "callback_id" },
      fields: "objects",
      actions: "objects",
      timeout: { since: "0.30.0", below: "drop" },
      messageText: { since: "0.31.0", below: "reject" },
      updateMessage: { since: "0.32.0", below: "reject" },
    },
    required: [["apiURL"], ["slack_api_url", "slack_api_url_file"]],
  },
  emailConfigs: {
    to: "email_configs",
    fields: {
      ...common,
      ...copies("to", "from", "hello", "smarthost", "authUsername", "authIdentity", "html", "text"),
      requireTLS: { to: "require_tls" },
      authPassword: { secret: "auth_password_file" },
      authSecret: { secret: "auth_secret_file", since: "0.31.0" },
      headers: "map",
      tlsConfig: "tls",
      forceImplicitTLS: { to: "force_implicit_tls", since: "0.31.0", below: "reject" },
      threading: { since: "0.30.0", below: "reject", threading: true },
    },
  },
  webhookConfigs: {
    to: "webhook_configs",
    fields: {
      ...common,
      url: "copy",
      urlSecret: { secret: "url_file", since: "0.26.0", placeholder: "url" },
      maxAlerts: "copy",
      timeout: { since: "0.28.0", below: "drop" },
      payload: { since: "0.32.0", below: "reject" },
    },
    required: [["url", "urlSecret"], []],
  },
  pagerdutyConfigs: {
    to: "pagerduty_configs",
    fields: {
      ...common,
      routingKey: { secret: "routing_key_file" },
      serviceKey: { secret: "service_key_file" },
      ...copies("url", "client", "clientURL", "description", "severity", "class", "group", "component"),
      source: "copy",
      details: "map",
      pagerDutyImageConfigs: { to: "images" },
      // The CRD calls the link text `alt`; Alertmanager's key is `text` (it refuses `alt`).
      pagerDutyLinkConfigs: { to: "links", rename: { alt: "text" } },
      timeout: { since: "0.30.0", below: "drop" },
    },
    required: [["routingKey", "serviceKey"], []],
  },
  opsgenieConfigs: {
    to: "opsgenie_configs",
    fields: {
      ...common,
      apiKey: { secret: "api_key_file" },
      apiURL: "copy",
      ...copies("message", "description", "source", "tags", "note", "priority", "actions", "entity"),
      updateAlerts: "copy",
      details: "map",
      responders: "objects",
    },
    required: [["apiKey"], ["opsgenie_api_key", "opsgenie_api_key_file"]],
  },
  msteamsConfigs: {
    to: "msteams_configs",
    since: "0.26.0",
    fields: {
      ...common,
      webhookUrl: { secret: "webhook_url_file", since: "0.28.0", placeholder: "webhook_url" },
      title: "copy",
      text: "copy",
      summary: { since: "0.27.0", below: "drop" },
    },
    required: [["webhookUrl"], []],
  },
  msteamsv2Configs: {
    to: "msteamsv2_configs",
    since: "0.28.0",
    fields: {
      ...common,
      webhookURL: { secret: "webhook_url_file" },
      title: "copy",
      text: "copy",
    },
    required: [["webhookURL"], []],
  },
  discordConfigs: {
    to: "discord_configs",
    since: "0.25.0",
    fields: {
      ...common,
      apiURL: { secret: "webhook_url_file", since: "0.26.0", placeholder: "webhook_url" },
      title: "copy",
      message: "copy",
      content: { since: "0.28.0", below: "drop" },
      username: { since: "0.28.0", below: "drop" },
      avatarURL: { to: "avatar_url", since: "0.28.0", below: "drop" },
    },
    required: [["apiURL"], []],
  },
  telegramConfigs: {
    to: "telegram_configs",
    since: "0.24.0",
    fields: {
      ...common,
      apiURL: { to: "api_url" },
      botToken: { secret: "bot_token_file", since: "0.26.0", placeholder: "bot_token" },
      botTokenFile: { to: "bot_token_file", since: "0.26.0", below: "drop" },
      chatID: { to: "chat_id" },
      messageThreadID: { to: "message_thread_id", since: "0.26.0", below: "drop" },
      message: "copy",
      disableNotifications: "copy",
      parseMode: "copy",
    },
    required: [["botToken", "botTokenFile"], []],
  },
  webexConfigs: {
    to: "webex_configs",
    since: "0.25.0",
    fields: {
      ...common,
      apiURL: { to: "api_url" },
      roomID: { to: "room_id" },
      message: "copy",
    },
    required: [["roomID"], []],
  },
  snsConfigs: {
    to: "sns_configs",
    fields: {
      ...common,
      apiURL: { to: "api_url" },
      sigv4: "objects",
      topicARN: { to: "topic_arn" },
      phoneNumber: "copy",
      targetARN: { to: "target_arn" },
      subject: "copy",
      message: "copy",
      attributes: { to: "attributes" },
      useAWSHTTPClient: { to: "use_aws_http_client", since: "0.33.0", below: "drop" },
    },
  },
};
