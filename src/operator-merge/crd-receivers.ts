/**
 * AlertmanagerConfig (v1alpha1) receivers converted to Alertmanager receivers, for the integrations
 * the Prometheus Operator 0.93 converts them: slack, email, webhook, pagerduty, opsgenie, msteams,
 * msteamsv2, discord, telegram, webex and sns (fields and versions in `crd-integrations.ts`).
 * camelCase fields become snake_case ones, key/value lists (`headers`, `details`) become maps.
 *
 * Credentials are never inlined. The operator copies Secret values into the configuration; a
 * standalone Alertmanager cannot read Secrets, so each Secret key selector becomes the `*_file`
 * field pointing at `<secretsDir>/<namespace>/<secret>/<key>` (mount the Secrets there). Alertmanager
 * 0.25 (checked with its `amtool check-config`) accepts slack `api_url_file`, pagerduty
 * `routing_key_file` / `service_key_file`, opsgenie `api_key_file` and email `auth_password_file`.
 * It lacks:
 * - webhook `url_file` (Alertmanager >= 0.26): below that, `url` gets a placeholder in the reserved
 *   `.invalid` domain that names the file it stands for, so the configuration loads and routes, every
 *   delivery fails visibly (`alertmanager_notifications_failed_total`), and a warning says so;
 * - `msteams_configs` altogether (>= 0.26; the operator rejects the object below that, and so do we).
 *   Its `webhook_url_file` was added in 0.27 but only works from 0.28 (alertmanager#3728); below 0.28
 *   `webhook_url` gets the same kind of placeholder;
 * - email `auth_secret_file` (>= 0.31): dropped with a warning (CRAM-MD5 then fails);
 * - discord `webhook_url_file` and telegram `bot_token_file` (>= 0.26): placeholders below that;
 * - `msteamsv2_configs` (>= 0.28): the operator rejects the object below that, and so do we;
 * - any file form of the SNS sigv4 access keys: they are left out with a warning (use a role).
 */
import { INTEGRATIONS, type IntegrationSpec } from "./crd-integrations.js";
import { httpConfig, secretFile, tlsConfig, type ReceiverContext } from "./crd-http.js";
import { atLeast } from "../catalog/alertmanager-versions.js";
import { asList, isObject, snakeCase, type JsonObject } from "./problems.js";
import type { IntegrationConfig, ReceiverConfig } from "./types.js";

export type { ReceiverContext };

/** Recursively snake_cases the keys of nested objects (Slack fields and actions, responders, ...). */
function snakeKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(snakeKeys);
  if (!isObject(v)) return v;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [snakeCase(k), snakeKeys(x)]));
}

/** A list of objects with some keys renamed (the others snake_cased). */
function renamed(v: unknown, rename: Readonly<Record<string, string>>): unknown {
  if (!Array.isArray(v)) return v;
  return v.map((o) =>
    isObject(o) ? Object.fromEntries(Object.entries(o).map(([k, x]) => [rename[k] ?? snakeCase(k), x])) : o,
  );
}

/** SNS `sigv4`: region, profile, role ARN; the access keys have no `*_file` form in Alertmanager. */
function sigv4(raw: unknown, path: string, ctx: ReceiverContext): JsonObject | undefined {
  if (!isObject(raw)) return undefined;
  const out: JsonObject = {};
  for (const [k, to] of [
    ["region", "region"],
    ["profile", "profile"],
    ["roleArn", "role_arn"],
  ] as const)
    if (typeof raw[k] === "string" && raw[k] !== "") out[to] = raw[k];
  if (typeof raw.externalId === "string" && raw.externalId !== "") {
    if (atLeast(ctx.version, "0.33.0")) out.external_id = raw.externalId;
    else
      ctx.diag.warn(
        `${path}.externalId`,
        "unsupported-field",
        "externalId needs Alertmanager >= 0.33.0; the operator drops it for older versions, and so does this tool. Fix: upgrade Alertmanager (and set alertmanagerVersion) or remove it.",
      );
  }
  for (const k of ["accessKey", "secretKey"])
    if (raw[k] !== undefined && raw[k] !== null)
      ctx.diag.warn(
        `${path}.${k}`,
        "secret-file-unsupported",
        `Alertmanager's sigv4 has no file form of ${k} and a Secret value is never inlined, so the access key pair is left out: SNS then uses the pod's AWS credentials (environment, IRSA or instance role). Fix: give the Alertmanager pod an AWS role (roleArn), or substitute the keys at deploy time.`,
      );
  return out;
}

/** The operator's per-integration checks that reject the object (validation/v1alpha1, operator.go). */
function checkIntegration(raw: JsonObject, spec: IntegrationSpec, path: string, ctx: ReceiverContext): void {
  const set = (v: unknown) => v !== undefined && v !== null && v !== "";
  const reject = (field: string, why: string) =>
    ctx.diag.reject(
      field ? `${path}.${field}` : path,
      "missing-field",
      `${why}; the operator rejects the object.`,
    );
  if (spec.to === "telegram_configs") {
    if (set(raw.botToken) && set(raw.botTokenFile))
      reject("botTokenFile", "only one of botToken or botTokenFile may be configured. Fix: keep one");
    if (!set(raw.chatID) || raw.chatID === 0) reject("chatID", "chatID is mandatory. Fix: set the chat id");
  }
  if (spec.to === "sns_configs") {
    const n = ["topicARN", "targetARN", "phoneNumber"].filter((k) => set(raw[k])).length;
    if (n !== 1)
      reject("", "an SNS config must set exactly one of topicARN, targetARN or phoneNumber. Fix: set one");
  }
  if (spec.to === "email_configs" && Array.isArray(raw.headers)) {
    const seen = new Set<string>();
    for (const h of raw.headers.filter(isObject)) {
      const k = String(h.key).toLowerCase();
      if (seen.has(k)) reject("headers", `duplicate header "${k}". Fix: give each header once`);
      seen.add(k);
    }
  }
}

/** The placeholder written for a Secret whose `*_file` field this Alertmanager lacks. */
function placeholder(rule: { secret: string; since?: string }, file: string): string {
  const [, ns, secret, key] = /^.*\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(file) ?? [];
  const since = (rule.since ?? "").replace(/\.0$/, "").replace(/\./g, "-");
  return `https://${rule.secret.replace(/_/g, "-")}-needs-alertmanager-${since}.invalid/${ns}/${secret}/${key}`;
}

/** Converts one Secret field (see the module comment for the versions that lack a `*_file`). */
function convertSecret(
  v: unknown,
  k: string,
  rule: { secret: string; since?: string; placeholder?: string },
  at: string,
  out: IntegrationConfig,
  ctx: ReceiverContext,
): void {
  const file = secretFile(v, at, ctx);
  if (file === undefined) return;
  if (rule.since === undefined || atLeast(ctx.version, rule.since)) {
    out[rule.secret] = file;
    return;
  }
  if (rule.placeholder) out[rule.placeholder] = placeholder(rule, file);
  ctx.diag.warn(
    at,
    "secret-file-unsupported",
    rule.placeholder
      ? `Alertmanager before ${rule.since} has no ${rule.secret} and a Secret value is never inlined, so ${rule.placeholder} is a placeholder in the .invalid domain: this integration routes but every delivery fails. Fix: run Alertmanager >= ${rule.since} (and set alertmanagerVersion), or substitute ${file} at deploy time.`
      : `Alertmanager before ${rule.since} has no ${rule.secret} and a Secret value is never inlined, so ${k} is left out. Fix: run Alertmanager >= ${rule.since} (and set alertmanagerVersion).`,
  );
}

/** Converts one integration (`slackConfigs[i]`, ...) by its spec. */
function convertIntegration(
  raw: unknown,
  spec: IntegrationSpec,
  path: string,
  ctx: ReceiverContext,
): IntegrationConfig | undefined {
  if (!isObject(raw)) {
    ctx.diag.reject(path, "missing-field", `expected an object, got ${JSON.stringify(raw)}.`);
    return undefined;
  }
  const out: IntegrationConfig = {};
  for (const [k, v] of Object.entries(raw)) {
    const rule = spec.fields[k];
    const at = `${path}.${k}`;
    if (v === undefined || v === null || v === "") continue;
    if (rule === undefined) {
      ctx.diag.warn(
        at,
        "unsupported-field",
        `${k} is not a field of ${spec.to.replace(/_configs$/, "")} in the AlertmanagerConfig CRD (v1alpha1), so the API server drops it. Fix: check the spelling, or remove it.`,
      );
    } else if (rule === "copy") out[snakeCase(k)] = v;
    else if (rule === "objects") out[snakeCase(k)] = k === "sigv4" ? sigv4(v, at, ctx) : snakeKeys(v);
    else if (rule === "http") {
      const http = httpConfig(v, at, ctx);
      if (http) out.http_config = http;
    } else if (rule === "tls") {
      const tls = tlsConfig(v, at, ctx);
      if (tls) out.tls_config = tls;
    } else if (rule === "map") {
      const list = (asList(v) ?? []).filter(isObject);
      if (list.length > 0)
        out[snakeCase(k)] = Object.fromEntries(list.map((kv) => [String(kv.key), kv.value ?? ""]));
    } else if ("secret" in rule) convertSecret(v, k, rule, at, out, ctx);
    else if (rule.since !== undefined && !atLeast(ctx.version, rule.since)) {
      if (rule.below === "reject")
        ctx.diag.reject(
          at,
          "unsupported-field",
          `${k} needs Alertmanager >= ${rule.since}: the operator rejects the object for older versions. Fix: upgrade Alertmanager (and set alertmanagerVersion) or remove it.`,
        );
      else
        ctx.diag.warn(
          at,
          "unsupported-field",
          `${k} needs Alertmanager >= ${rule.since}; the operator drops it for older versions, and so does this tool. Fix: upgrade Alertmanager (and set alertmanagerVersion) or remove it.`,
        );
    } else if (rule.threading) {
      const by = isObject(v) ? v.threadByDate : undefined;
      out.threading = {
        enabled: true,
        ...(by === "Daily" ? { thread_by_date: "daily" } : by === "None" ? { thread_by_date: "none" } : {}),
      };
    } else out[rule.to ?? snakeCase(k)] = rule.rename ? renamed(v, rule.rename) : v;
  }
  checkRequired(raw, spec, path, ctx);
  checkIntegration(raw, spec, path, ctx);
  return out;
}

/** The checks of the operator (and of Alertmanager's loader) on mandatory integration fields. */
function checkRequired(raw: JsonObject, spec: IntegrationSpec, path: string, ctx: ReceiverContext): void {
  const set = (v: unknown) => v !== undefined && v !== null && v !== "";
  if (spec.required) {
    const [fields, globals] = spec.required;
    if (!fields.some((f) => set(raw[f])) && !globals.some((g) => set(ctx.global[g])))
      ctx.diag.reject(
        path,
        "missing-field",
        `${spec.to} needs ${fields.join(" or ")}${globals.length ? ` (or ${globals.join("/")} in the global section)` : ""}; without it the configuration is refused. Fix: set ${fields[0]}.`,
      );
  }
  if (spec.to !== "email_configs") return;
  if (!set(raw.to))
    ctx.diag.reject(
      `${path}.to`,
      "missing-field",
      "an email config without `to`: the operator rejects the object. Fix: set to.",
    );
  for (const [field, global] of [
    ["smarthost", "smtp_smarthost"],
    ["from", "smtp_from"],
  ] as const)
    if (!set(raw[field]) && !set(ctx.global[global]))
      ctx.diag.reject(
        `${path}.${field}`,
        "missing-field",
        `${field} is neither set here nor as ${global} in the global section; the operator rejects the object. Fix: set ${field}.`,
      );
  if (
    typeof raw.smarthost === "string" &&
    raw.smarthost !== "" &&
    !/^(\[[^\]]+\]|[^:\s]+):\d+$/.test(raw.smarthost)
  )
    ctx.diag.reject(
      `${path}.smarthost`,
      "missing-field",
      `smarthost "${raw.smarthost}" is not host:port. Fix it.`,
    );
}

/** Converts one CRD receiver, named `name` in the output. Problems go to `ctx.diag`. */
export function convertReceiver(
  raw: JsonObject,
  name: string,
  path: string,
  ctx: ReceiverContext,
): ReceiverConfig {
  const out: ReceiverConfig = { name };
  for (const [k, v] of Object.entries(raw)) {
    if (k === "name" || v === undefined || v === null) continue;
    const spec = INTEGRATIONS[k];
    if (!spec) {
      ctx.diag.warn(
        `${path}.${k}`,
        k.endsWith("Configs") ? "unsupported-receiver" : "unsupported-field",
        `${k} is not translated by this tool (it handles ${Object.keys(INTEGRATIONS).join(", ")}), so the receiver lacks it here. Fix: use one of those, or check this receiver by hand.`,
      );
      continue;
    }
    if (spec.since && !atLeast(ctx.version, spec.since)) {
      ctx.diag.reject(
        `${path}.${k}`,
        "unsupported-receiver",
        `${k} needs Alertmanager >= ${spec.since}: the operator rejects the object for older versions (and Alertmanager would refuse ${spec.to}). Fix: upgrade Alertmanager (and set alertmanagerVersion) or use another integration.`,
      );
      continue;
    }
    const list = asList(v) ?? [];
    const configs = list.flatMap((c, i): IntegrationConfig[] => {
      const converted = convertIntegration(c, spec, `${path}.${k}[${i}]`, ctx);
      return converted ? [converted] : [];
    });
    if (configs.length > 0) out[spec.to] = configs;
  }
  return out;
}
