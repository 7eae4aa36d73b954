/**
 * Reading the YAML files merged into the Alertmanager configuration (`--base-config`,
 * `--alertmanager-config`) without ever repeating a credential: YAML errors give a line and a
 * column, never the line; credentials written inline in the base configuration are found by field
 * and either refused (when the merged `alertmanager.yml` is written out) or replaced by
 * placeholders (when it is only checked and shown), and never quoted in a message.
 */
import type { AlertmanagerYaml } from "../operator-merge/index.js";
import { ConfigError, formatPath, type ConfigProblem } from "../config/errors.js";
import { describeHidden, hasUserinfo } from "../config/primitives.js";
import { decodeText, readBounded } from "../config/text-input.js";
import { parseYaml } from "../config/yaml-input.js";

/** Alertmanager's `config.Secret` fields, wherever they appear (global, integrations, http_config). */
const SECRET_FIELDS = new Set([
  "password",
  "credentials",
  "bearer_token",
  "client_secret",
  "secret_key",
  "api_key",
  "api_secret",
  "routing_key",
  "service_key",
  "user_key",
  "token",
  "bot_token",
  "token_id",
  "auth_password",
  "auth_secret",
  "alert_source_token",
  "smtp_auth_password",
  "smtp_auth_secret",
  "opsgenie_api_key",
  "victorops_api_key",
  "wechat_api_secret",
  "telegram_bot_token",
  "rocketchat_token",
  "rocketchat_token_id",
]);
/** Fields whose whole value is a secret URL (tokens in the path), wherever they appear. */
const SECRET_URL_FIELDS = new Set(["slack_api_url", "webhook_url"]);
/** Fields that are secret URLs only inside one integration (`url` of a webhook, Slack's `api_url`). */
const SECRET_URL_IN: Readonly<Record<string, string>> = {
  url: "webhook_configs",
  api_url: "slack_configs",
};
/** Replaces a secret URL: a valid URL, so that `amtool check-config` still accepts the file. */
const URL_PLACEHOLDER = "https://redacted.invalid/";
/** Alertmanager's own stand-in for a secret (what its API shows). */
const SECRET_PLACEHOLDER = "<secret>";

/** One credential written inline in a base configuration. */
export interface InlineCredential {
  /** Path in the file, e.g. `receivers[0].slack_configs[0].api_url`. */
  readonly path: string;
  /** The field's name, e.g. `api_url`. */
  readonly field: string;
  /** A secret URL, or a URL with a user or password in any field. */
  readonly url: boolean;
  /** The value, described (length and shape), never quoted. */
  readonly described: string;
  /** Only a user and password inside an otherwise public URL. */
  readonly userinfoOnly: boolean;
}

type Path = (string | number)[];

/** The last name (not index) on a path. */
function lastName(path: Path, suffix = ""): string | undefined {
  for (let i = path.length - 1; i >= 0; i--) {
    const p = path[i];
    if (typeof p === "string" && p.endsWith(suffix)) return p;
  }
  return undefined;
}

function kindOf(path: Path, value: string): { url: boolean; userinfoOnly: boolean } | undefined {
  if (value === "" || value === SECRET_PLACEHOLDER) return undefined;
  const field = path[path.length - 1];
  if (typeof field !== "string") return hasUserinfo(value) ? { url: true, userinfoOnly: true } : undefined;
  const integration = lastName(path, "_configs");
  if (SECRET_URL_FIELDS.has(field) || (integration !== undefined && SECRET_URL_IN[field] === integration))
    return { url: true, userinfoOnly: false };
  if (SECRET_FIELDS.has(field) || (field === "key" && path[path.length - 2] === "tls_config"))
    return { url: false, userinfoOnly: false };
  if (path.includes("http_headers") && path.includes("secrets")) return { url: false, userinfoOnly: false };
  return hasUserinfo(value) ? { url: true, userinfoOnly: true } : undefined;
}

function walk(v: unknown, path: Path, found: InlineCredential[]): void {
  if (typeof v === "string") {
    const kind = kindOf(path, v);
    const field = lastName(path) ?? "";
    if (kind) found.push({ path: formatPath(path), field, described: describeHidden(v), ...kind });
  } else if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i], found));
  else if (typeof v === "object" && v !== null)
    for (const [k, x] of Object.entries(v)) walk(x, [...path, k], found);
}

/** The credentials written inline in an `alertmanager.yml` (secret fields, URLs with a user). */
export function inlineCredentials(base: unknown): InlineCredential[] {
  const found: InlineCredential[] = [];
  walk(base, [], found);
  return found;
}

function redacted(v: unknown, path: Path): unknown {
  if (typeof v === "string") {
    const kind = kindOf(path, v);
    if (!kind) return v;
    if (kind.userinfoOnly) return v.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, "$1");
    return kind.url ? URL_PLACEHOLDER : SECRET_PLACEHOLDER;
  }
  if (Array.isArray(v)) return v.map((x, i) => redacted(x, [...path, i]));
  if (typeof v === "object" && v !== null)
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, redacted(x, [...path, k])]));
  return v;
}

/**
 * The base configuration with every inline credential replaced: secret URLs by a placeholder URL,
 * other secrets by `<secret>`, a user and password in a URL removed. Routing is unchanged.
 */
export function redactCredentials<T>(base: T): T {
  return redacted(base, []) as T;
}

function refusal(c: InlineCredential): ConfigProblem {
  const fix = c.userinfoOnly
    ? "give the user and password in the integration's http_config (basic_auth with password_file)"
    : `use ${c.field}_file (a file Alertmanager reads) where your Alertmanager version has it, or move the receiver into the config's notifications (Secret references)`;
  return {
    path: `--base-config ${c.path}`,
    message: `holds a credential inline (${c.described}), which the written alertmanager.yml would carry in clear: ${fix}`,
  };
}

/**
 * Reads a YAML file of one or more documents (a `kind: List` is flattened), within the limits of
 * the config (size, UTF-8, nesting, aliases; see `config/limits.ts`).
 */
export function readYamlFile(path: string, what: string): unknown[] {
  let docs: unknown[];
  try {
    docs = parseYaml(decodeText(readBounded(path, what), path), { source: path, multi: true });
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    const p = e.problems[0] ?? { path: "", message: "cannot be read" };
    const message = p.path.startsWith("line ")
      ? `${path} is not valid YAML: ${p.path}: ${p.message}`
      : p.message.startsWith("is ")
        ? `${path} ${p.message}`
        : `cannot read ${path}: ${p.message}`;
    throw new ConfigError([{ path: what, message }], path);
  }
  const out: unknown[] = [];
  for (const v of docs) if (v !== null && v !== undefined) out.push(...(isList(v) ? v.items : [v]));
  return out;
}

function isList(v: unknown): v is { kind: "List"; items: unknown[] } {
  return typeof v === "object" && v !== null && (v as { kind?: unknown }).kind === "List";
}

/**
 * What to do with credentials written inline in `--base-config`: `refuse` them (the merged file is
 * written out: `render`) or `redact` them (it is only checked, shown or compared: `verify`, `routes`).
 */
export type InlineCredentialPolicy = "refuse" | "redact";

/** The user's alertmanager.yml: one YAML mapping, its inline credentials refused or redacted. */
export function readBaseConfig(path: string, policy: InlineCredentialPolicy): Partial<AlertmanagerYaml> {
  const docs = readYamlFile(path, "--base-config");
  const [doc] = docs;
  if (docs.length !== 1 || typeof doc !== "object" || doc === null || Array.isArray(doc)) {
    throw new ConfigError(
      [{ path: "--base-config", message: `${path} must hold one alertmanager.yml mapping` }],
      path,
    );
  }
  if (policy === "redact") return redactCredentials(doc) as Partial<AlertmanagerYaml>;
  const found = inlineCredentials(doc);
  if (found.length > 0) throw new ConfigError(found.map(refusal), path);
  return doc as Partial<AlertmanagerYaml>;
}
