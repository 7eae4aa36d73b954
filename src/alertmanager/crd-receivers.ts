/**
 * AlertmanagerConfig (v1alpha1) receivers converted to Alertmanager receivers, for the integrations
 * this project generates: slack, email, webhook, pagerduty, opsgenie and msteams. camelCase fields
 * become snake_case ones, key/value lists (`headers`, `details`) become maps.
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
 * - email `auth_secret_file` (>= 0.31): dropped with a warning (CRAM-MD5 then fails).
 */
import { INTEGRATIONS, type IntegrationSpec } from "./crd-integrations.js";
import { atLeast, type Version } from "./versions.js";
import { asList, isObject, snakeCase, type JsonObject, type ObjectDiagnostics } from "./problems.js";
import type { IntegrationConfig, ReceiverConfig } from "./types.js";

/** What the receiver conversion needs to know. */
export interface ReceiverContext {
  readonly diag: ObjectDiagnostics;
  readonly namespace: string;
  readonly secretsDir: string;
  readonly version: Version;
  /** The base configuration's `global` section (for the fields an integration may inherit). */
  readonly global: Readonly<Record<string, unknown>>;
}

/** Recursively snake_cases the keys of nested objects (Slack fields and actions, responders, ...). */
function snakeKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(snakeKeys);
  if (!isObject(v)) return v;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [snakeCase(k), snakeKeys(x)]));
}

/** The file a Secret key selector maps to, or undefined (rejected) if the selector is incomplete. */
function secretFile(sel: unknown, path: string, ctx: ReceiverContext): string | undefined {
  const ok = (s: unknown) => typeof s === "string" && s !== "";
  if (isObject(sel) && ok(sel.name) && ok(sel.key))
    return `${ctx.secretsDir.replace(/\/+$/, "")}/${ctx.namespace}/${String(sel.name)}/${String(sel.key)}`;
  const inline = typeof sel === "string";
  ctx.diag.reject(
    path,
    "secret-without-key",
    inline
      ? "a credential is written inline; the CRD only takes a Secret key selector {name, key} (the API server refuses the object). Fix: store it in a Secret in the object's namespace and reference it."
      : `Secret key selector ${JSON.stringify(sel)} lacks ${isObject(sel) && ok(sel.name) ? "key" : "name"}: the API server requires key, and without name the operator cannot read the Secret and rejects the object. Fix: {name: <secret>, key: <key in the secret>}.`,
  );
  return undefined;
}

/** The integration's http_config: redirects, proxy and authorization from Secrets; the rest is reported. */
function httpConfig(raw: unknown, path: string, ctx: ReceiverContext): JsonObject | undefined {
  if (!isObject(raw)) return undefined;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(raw)) {
    if (k === "followRedirects" || k === "enableHttp2") out[snakeCase(k)] = v;
    else if (k === "proxyURL" || k === "proxyUrl") out.proxy_url = v;
    else if (k === "bearerTokenSecret" || (k === "authorization" && isObject(v))) {
      const sel = k === "authorization" ? (v as JsonObject).credentials : v;
      const file = secretFile(sel, `${path}.${k}`, ctx);
      const type = k === "authorization" ? (v as JsonObject).type : undefined;
      if (file)
        out.authorization = {
          type: typeof type === "string" && type ? type : "Bearer",
          credentials_file: file,
        };
    } else
      ctx.diag.warn(
        `${path}.${k}`,
        "unsupported-field",
        `httpConfig.${k} is not translated by this tool, so it is missing from the configuration. Fix: set it in the base configuration's global http_config, or drop it.`,
      );
  }
  return Object.keys(out).length > 0 ? out : undefined;
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
    if (v === undefined || v === null) continue;
    if (rule === undefined) {
      ctx.diag.warn(
        at,
        "unsupported-field",
        `${k} is not translated by this tool (or is not a v1alpha1 field: the API server drops unknown fields), so it is missing from the configuration. Fix: check the spelling, or remove it.`,
      );
    } else if (rule === "copy") out[snakeCase(k)] = v;
    else if (rule === "objects") out[snakeCase(k)] = snakeKeys(v);
    else if (rule === "http") {
      const http = httpConfig(v, at, ctx);
      if (http) out.http_config = http;
    } else if (rule === "map") {
      const list = (asList(v) ?? []).filter(isObject);
      out[snakeCase(k)] = Object.fromEntries(list.map((kv) => [String(kv.key), kv.value ?? ""]));
    } else if ("to" in rule) out[rule.to] = snakeKeys(v);
    else if ("secret" in rule) {
      const file = secretFile(v, at, ctx);
      if (file === undefined) continue;
      if (rule.since === undefined || atLeast(ctx.version, rule.since)) out[rule.secret] = file;
      else if (rule.placeholder) {
        const [, ns, secret, key] = /^.*\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(file) ?? [];
        out[rule.placeholder] =
          `https://${rule.secret.replace(/_/g, "-")}-needs-alertmanager-${rule.since.replace(/\.0$/, "").replace(/\./g, "-")}.invalid/${ns}/${secret}/${key}`;
        ctx.diag.warn(
          at,
          "secret-file-unsupported",
          `Alertmanager before ${rule.since} has no ${rule.secret} and a Secret value is never inlined, so ${rule.placeholder} is a placeholder in the .invalid domain: this integration routes but every delivery fails. Fix: run Alertmanager >= ${rule.since} (and set alertmanagerVersion), or substitute ${file} at deploy time.`,
        );
      } else
        ctx.diag.warn(
          at,
          "secret-file-unsupported",
          `Alertmanager before ${rule.since} has no ${rule.secret} and a Secret value is never inlined, so ${k} is left out. Fix: run Alertmanager >= ${rule.since} (and set alertmanagerVersion).`,
        );
    } else if (atLeast(ctx.version, rule.since)) out[snakeCase(k)] = v;
    else
      ctx.diag.warn(
        at,
        "unsupported-field",
        `${k} needs Alertmanager >= ${rule.since}, so it is left out. Fix: upgrade Alertmanager (and set alertmanagerVersion) or remove it.`,
      );
  }
  checkRequired(raw, spec, path, ctx);
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
