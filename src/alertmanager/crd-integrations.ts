/**
 * How the fields of each supported AlertmanagerConfig (v1alpha1) integration map to Alertmanager's:
 * copied under their snake_case name, turned from a key/value list into a map, or read from a
 * Secret as a `*_file` path, some only from a given Alertmanager version (see `crd-receivers.ts`).
 */

/**
 * How one CRD field is translated: `copy` (snake_case name), `map` (key/value list to map),
 * `objects` (list of objects, keys snake_cased), `http` (http_config), `to` (renamed), `secret`
 * (`*_file` path; below `since` a `placeholder` URL field or nothing), `since` (copied from that version).
 */
export type Rule =
  | "copy"
  | "map"
  | "objects"
  | "http"
  | { readonly to: string }
  | { readonly secret: string; readonly since?: string; readonly placeholder?: string }
  | { readonly since: string };

export interface IntegrationSpec {
  readonly to: `${string}_configs`;
  readonly since?: string;
  readonly fields: Readonly<Record<string, Rule>>;
  /** The fields of which at least one must be set (or found in `global`), as `[crd fields, global keys]`. */
  readonly required?: readonly [readonly string[], readonly string[]];
}

const common = { sendResolved: "copy", httpConfig: "http" } as const;
export const INTEGRATIONS: Readonly<Record<string, IntegrationSpec>> = {
  slackConfigs: {
    to: "slack_configs",
    fields: {
      ...common,
      apiURL: { secret: "api_url_file" },
      ...Object.fromEntries(
        ["channel", "username", "color", "title", "titleLink", "pretext", "text", "footer", "fallback"]
          .concat(["callbackId", "iconEmoji", "iconURL", "imageURL", "thumbURL", "linkNames", "shortFields"])
          .concat(["mrkdwnIn"])
          .map((k) => [k, "copy"]),
      ),
      fields: "objects",
      actions: "objects",
    },
    required: [["apiURL"], ["slack_api_url", "slack_api_url_file"]],
  },
  emailConfigs: {
    to: "email_configs",
    fields: {
      ...common,
      ...Object.fromEntries(
        [
          "to",
          "from",
          "hello",
          "smarthost",
          "authUsername",
          "authIdentity",
          "html",
          "text",
          "requireTLS",
        ].map((k) => [k, "copy"]),
      ),
      authPassword: { secret: "auth_password_file" },
      authSecret: { secret: "auth_secret_file", since: "0.31.0" },
      headers: "map",
    },
  },
  webhookConfigs: {
    to: "webhook_configs",
    fields: {
      ...common,
      url: "copy",
      urlSecret: { secret: "url_file", since: "0.26.0", placeholder: "url" },
      maxAlerts: "copy",
    },
    required: [["url", "urlSecret"], []],
  },
  pagerdutyConfigs: {
    to: "pagerduty_configs",
    fields: {
      ...common,
      routingKey: { secret: "routing_key_file" },
      serviceKey: { secret: "service_key_file" },
      ...Object.fromEntries(
        [
          "url",
          "client",
          "clientURL",
          "description",
          "severity",
          "class",
          "group",
          "component",
          "source",
        ].map((k) => [k, "copy"]),
      ),
      details: "map",
      pagerDutyImageConfigs: { to: "images" },
      pagerDutyLinkConfigs: { to: "links" },
    },
    required: [["routingKey", "serviceKey"], []],
  },
  opsgenieConfigs: {
    to: "opsgenie_configs",
    fields: {
      ...common,
      apiKey: { secret: "api_key_file" },
      apiURL: "copy",
      ...Object.fromEntries(
        [
          "message",
          "description",
          "source",
          "tags",
          "note",
          "priority",
          "actions",
          "entity",
          "updateAlerts",
        ].map((k) => [k, "copy"]),
      ),
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
      summary: { since: "0.27.0" },
    },
    required: [["webhookUrl"], []],
  },
};
