/**
 * Notification templates: Alertmanager Go templates (valid for Alertmanager 0.25 and later) that
 * make a scaling alert readable at a glance instead of Alertmanager's generic label dump.
 *
 * They read the labels and annotations every alert of the catalog carries: labels `severity`,
 * `event`, `namespace`, `horizontalpodautoscaler`, `workload` (plus the workloads' extra labels,
 * such as `team`) and annotations `summary`, `description` (which already says from -> to
 * replicas, the driving metric against its target, and min/max) and `runbook_url`.
 *
 * The templates are inlined into each receiver's fields because an AlertmanagerConfig cannot ship
 * template files. They use only functions that Alertmanager 0.25 defines (`toUpper`,
 * `reReplaceAll`, `index`, `len`, `eq`...): no `trimSpace`, `date`, `since` or `humanizeDuration`.
 */

/** The templates of every receiver kind. Each string is one Alertmanager Go template. */
export interface MessageTemplates {
  /** One line: status (FIRING / RESOLVED), severity, workload and event. Slack, Teams, e-mail subject. */
  readonly title: string;
  /** Slack `mrkdwn` body: per alert, bold summary, description, extra labels and `<url|Runbook>`. */
  readonly slackText: string;
  /** Slack attachment colour: red for critical, orange otherwise, green once resolved. */
  readonly slackColor: string;
  /** E-mail HTML body (rendered by Alertmanager with html/template, so values are escaped). */
  readonly emailHtml: string;
  /** E-mail plain-text body. */
  readonly emailText: string;
  /** Markdown body with `[Runbook](url)` links: Microsoft Teams (both integrations) and Discord. */
  readonly teamsText: string;
  /** Webex markdown message (Webex has no title field): the title in bold, then {@link teamsText}. */
  readonly webexMarkdown: string;
  /** Telegram message in its HTML parse mode (`<b>`, `<a href>`; Alertmanager escapes the values). */
  readonly telegramHtml: string;
  /** Short plain text for pagers: PagerDuty `description` and Opsgenie `message`. */
  readonly pagerSummary: string;
  /** Plain-text body for pagers (Opsgenie `description`, PagerDuty `details.description`). */
  readonly pagerText: string;
  /** PagerDuty severity: critical -> critical, warning -> warning, anything else -> info. */
  readonly pagerdutySeverity: string;
  /** Opsgenie priority: critical -> P1, warning -> P3, anything else -> P5. */
  readonly opsgeniePriority: string;
  /** Opsgenie tags (comma-separated): ai-scaling-alerts, severity, event, namespace, workload. */
  readonly opsgenieTags: string;
  /** `namespace/workload` of the group; `<n> alerts in <namespace>` when the group mixes workloads. */
  readonly workload: string;
  /** The event of the group (`event` label). */
  readonly event: string;
  /** Runbook URL of the first alert of the group. */
  readonly runbook: string;
}

/** Options for {@link messageTemplates}. */
export interface TemplateOptions {
  /** Extra alert labels to show per alert (the workloads' `labels`, e.g. `team`). */
  readonly extraLabels?: readonly string[];
}

const STATUS =
  '{{ if eq .Status "firing" }}FIRING{{ if gt (len .Alerts.Firing) 1 }} x{{ len .Alerts.Firing }}{{ end }}' +
  "{{ else }}RESOLVED{{ end }}";
const SEVERITY = '{{ with .CommonLabels.severity }}{{ if ne . "none" }}{{ toUpper . }} {{ end }}{{ end }}';
const WORKLOAD =
  "{{ with .CommonLabels.workload }}{{ with $.CommonLabels.namespace }}{{ . }}/{{ end }}{{ . }}" +
  "{{ else }}{{ if eq (len .Alerts) 1 }}{{ .CommonLabels.alertname }}{{ else }}{{ len .Alerts }} alerts{{ end }}" +
  "{{ with .CommonLabels.namespace }} in {{ . }}{{ end }}{{ end }}";
const EVENT = '{{ with .CommonLabels.event }}{{ reReplaceAll "_" " " . }}{{ else }}several events{{ end }}';
const TITLE = `[${STATUS}] ${SEVERITY}${WORKLOAD}: ${EVENT}`;
const RUNBOOK = "{{ (index .Alerts 0).Annotations.runbook_url }}";

/** Inside `range .Alerts`: a resolved alert in a group that still fires is marked as such. */
const ALERT_STATUS = '{{ if and (eq .Status "resolved") (eq $.Status "firing") }}[resolved] {{ end }}';
/** Inside `range .Alerts`: which workload, when the group mixes workloads. */
const ALERT_WORKLOAD =
  "{{ if not $.CommonLabels.workload }}{{ with .Labels.workload }}{{ . }} in {{ end }}" +
  "{{ with .Labels.namespace }}{{ . }}: {{ end }}{{ end }}";

/** Escapes the three characters Slack treats as markup (`&`, `<`, `>`) in a template expression. */
function slackEscape(expr: string): string {
  return `{{ reReplaceAll ">" "&gt;" (reReplaceAll "<" "&lt;" (reReplaceAll "&" "&amp;" ${expr})) }}`;
}

/** Inside `range .Alerts`: `sep`-separated `label: value` of the extra labels that are set. */
function extraLabels(labels: readonly string[], fmt: (name: string) => string): string {
  return labels.map((l) => `{{ with index .Labels ${JSON.stringify(l)} }}${fmt(l)}{{ end }}`).join("");
}

function slackText(extra: readonly string[]): string {
  return (
    "{{ range .Alerts }}" +
    `*${ALERT_STATUS}${ALERT_WORKLOAD}${slackEscape(".Annotations.summary")}*\n` +
    `${slackEscape(".Annotations.description")}\n` +
    extraLabels(extra, (l) => `${l}: {{ . }} · `) +
    "{{ with .Annotations.runbook_url }}<{{ . }}|Runbook>{{ end }}\n" +
    "{{ end }}"
  );
}

function emailText(extra: readonly string[]): string {
  return (
    `${TITLE}\n\n` +
    "{{ range .Alerts }}" +
    `${ALERT_STATUS}${ALERT_WORKLOAD}{{ .Annotations.summary }}\n` +
    "{{ .Annotations.description }}\n" +
    extraLabels(extra, (l) => `${l}: {{ . }}\n`) +
    "{{ with .Annotations.runbook_url }}Runbook: {{ . }}\n{{ end }}" +
    "\n{{ end }}"
  );
}

function emailHtml(extra: readonly string[]): string {
  return (
    '<!DOCTYPE html>\n<html><body style="font-family: sans-serif">\n' +
    `<h2>${TITLE}</h2>\n` +
    '{{ range .Alerts }}<div style="margin-bottom: 1em">\n' +
    `<p><strong>${ALERT_STATUS}${ALERT_WORKLOAD}{{ .Annotations.summary }}</strong></p>\n` +
    "<p>{{ .Annotations.description }}</p>\n" +
    extraLabels(extra, (l) => `<p>${l}: {{ . }}</p>\n`) +
    '{{ with .Annotations.runbook_url }}<p><a href="{{ . }}">Runbook</a></p>\n{{ end }}' +
    "</div>\n{{ end }}</body></html>\n"
  );
}

function teamsText(extra: readonly string[]): string {
  return (
    "{{ range .Alerts }}" +
    `**${ALERT_STATUS}${ALERT_WORKLOAD}{{ .Annotations.summary }}**\n\n` +
    "{{ .Annotations.description }}\n\n" +
    extraLabels(extra, (l) => `${l}: {{ . }} · `) +
    "{{ with .Annotations.runbook_url }}[Runbook]({{ . }}){{ end }}\n\n" +
    "{{ end }}"
  );
}

/**
 * Telegram (parse mode HTML): Alertmanager renders this template with Go's html/template when the
 * parse mode is HTML, so every value is escaped for it (a bare `<` or `&` would make Telegram refuse
 * the message); only `<b>` and `<a>` are markup. Escaping here too would show `&amp;lt;`.
 */
function telegramHtml(extra: readonly string[]): string {
  return (
    `<b>${TITLE}</b>\n\n` +
    "{{ range .Alerts }}" +
    `<b>${ALERT_STATUS}${ALERT_WORKLOAD}{{ .Annotations.summary }}</b>\n` +
    "{{ .Annotations.description }}\n" +
    extraLabels(extra, (l) => `${l}: {{ . }} · `) +
    '{{ with .Annotations.runbook_url }}<a href="{{ . }}">Runbook</a>{{ end }}\n\n' +
    "{{ end }}"
  );
}

const PAGER_TEXT =
  "{{ range .Alerts }}" +
  `${ALERT_STATUS}${ALERT_WORKLOAD}{{ .Annotations.summary }} {{ .Annotations.description }}` +
  "{{ with .Annotations.runbook_url }} Runbook: {{ . }}{{ end }}\n" +
  "{{ end }}";

/**
 * Builds the message templates. Pure: the same options always give the same strings.
 * @param options - extra labels (such as `team`) to show in each alert's block.
 */
export function messageTemplates(options: TemplateOptions = {}): MessageTemplates {
  const extra = [...(options.extraLabels ?? [])].sort();
  return {
    title: TITLE,
    slackText: slackText(extra),
    slackColor:
      '{{ if eq .Status "resolved" }}good{{ else if eq .CommonLabels.severity "critical" }}danger' +
      "{{ else }}warning{{ end }}",
    emailHtml: emailHtml(extra),
    emailText: emailText(extra),
    teamsText: teamsText(extra),
    webexMarkdown: `**${TITLE}**\n\n${teamsText(extra)}`,
    telegramHtml: telegramHtml(extra),
    pagerSummary: TITLE,
    pagerText: PAGER_TEXT,
    pagerdutySeverity:
      '{{ if eq .CommonLabels.severity "critical" }}critical' +
      '{{ else if eq .CommonLabels.severity "warning" }}warning{{ else }}info{{ end }}',
    opsgeniePriority:
      '{{ if eq .CommonLabels.severity "critical" }}P1' +
      '{{ else if eq .CommonLabels.severity "warning" }}P3{{ else }}P5{{ end }}',
    opsgenieTags:
      "ai-scaling-alerts{{ with .CommonLabels.severity }},{{ . }}{{ end }}" +
      "{{ with .CommonLabels.event }},{{ . }}{{ end }}{{ with .CommonLabels.namespace }},{{ . }}{{ end }}" +
      "{{ with .CommonLabels.workload }},{{ . }}{{ end }}",
    workload: WORKLOAD,
    event: EVENT,
    runbook: RUNBOOK,
  };
}
