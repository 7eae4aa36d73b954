/**
 * The parts of an AlertmanagerConfig (v1alpha1) integration shared by all of them: Secret key
 * selectors (as `*_file` paths, never values), `httpConfig` and `tlsConfig`, converted as the
 * Prometheus Operator's `convertHTTPConfig` / `convertTLSConfig` / `convertProxyConfig` do
 * (pkg/alertmanager/amcfg.go), with its version rules (`httpClientConfig.sanitize`).
 *
 * Credentials are never inlined: a Secret key selector becomes
 * `<secretsDir>/<namespace>/<secret>/<key>` (mount the Secrets there; ConfigMaps referenced by a
 * TLS config or an OAuth2 client id use the same layout, `<namespace>/<configmap>/<key>`).
 */
import { atLeast, type Version } from "../catalog/alertmanager-versions.js";
import { isObject, type JsonObject, type ObjectDiagnostics } from "./problems.js";

/** What the conversion of one integration needs to know. */
export interface ReceiverContext {
  readonly diag: ObjectDiagnostics;
  readonly namespace: string;
  readonly secretsDir: string;
  readonly version: Version;
  /** The base configuration's `global` section (for the fields an integration may inherit). */
  readonly global: Readonly<Record<string, unknown>>;
}

const ok = (s: unknown): s is string => typeof s === "string" && s !== "";

/** The file a Secret key selector maps to, or undefined (the object is rejected) if it is incomplete. */
export function secretFile(sel: unknown, path: string, ctx: ReceiverContext): string | undefined {
  if (isObject(sel) && ok(sel.name) && ok(sel.key))
    return `${ctx.secretsDir.replace(/\/+$/, "")}/${ctx.namespace}/${sel.name}/${sel.key}`;
  ctx.diag.reject(
    path,
    "secret-without-key",
    typeof sel === "string"
      ? "a credential is written inline; the CRD only takes a Secret key selector {name, key} (the API server refuses the object). Fix: store it in a Secret in the object's namespace and reference it."
      : `Secret key selector ${JSON.stringify(sel)} lacks ${isObject(sel) && ok(sel.name) ? "key" : "name"}: the API server requires key, and without name the operator cannot read the Secret and rejects the object. Fix: {name: <secret>, key: <key in the secret>}.`,
  );
  return undefined;
}

/** A `SecretOrConfigMap` (`{secret: {name, key}}` or `{configMap: {name, key}}`) as a file path. */
function secretOrConfigMapFile(v: unknown, path: string, ctx: ReceiverContext): string | undefined {
  if (!isObject(v)) return undefined;
  if (v.secret !== undefined) return secretFile(v.secret, `${path}.secret`, ctx);
  if (v.configMap !== undefined) return secretFile(v.configMap, `${path}.configMap`, ctx);
  return undefined;
}

/** A `SafeTLSConfig` as Alertmanager's `tls_config`; min/max_version need Alertmanager >= 0.25. */
export function tlsConfig(raw: unknown, path: string, ctx: ReceiverContext): JsonObject | undefined {
  if (!isObject(raw)) return undefined;
  const out: JsonObject = {};
  const ca = secretOrConfigMapFile(raw.ca, `${path}.ca`, ctx);
  if (ca) out.ca_file = ca;
  const cert = secretOrConfigMapFile(raw.cert, `${path}.cert`, ctx);
  if (cert) out.cert_file = cert;
  if (raw.keySecret !== undefined) {
    const key = secretFile(raw.keySecret, `${path}.keySecret`, ctx);
    if (key) out.key_file = key;
  }
  if (ok(raw.serverName)) out.server_name = raw.serverName;
  if (typeof raw.insecureSkipVerify === "boolean") out.insecure_skip_verify = raw.insecureSkipVerify;
  if (ok(raw.minVersion)) out.min_version = raw.minVersion;
  if (ok(raw.maxVersion)) out.max_version = raw.maxVersion;
  return out;
}

/** The proxy fields (`proxyUrl`, `noProxy`, `proxyFromEnvironment`, `proxyConnectHeader`) into `out`. */
function proxyConfig(raw: JsonObject, out: JsonObject, path: string, ctx: ReceiverContext): void {
  if (ok(raw.proxyUrl)) out.proxy_url = raw.proxyUrl;
  if (ok(raw.proxyURL)) out.proxy_url = raw.proxyURL; // the older spelling takes precedence
  const since26: [string, string, unknown][] = [];
  if (ok(raw.noProxy)) since26.push(["noProxy", "no_proxy", raw.noProxy]);
  if (raw.proxyFromEnvironment === true)
    since26.push(["proxyFromEnvironment", "proxy_from_environment", true]);
  if (isObject(raw.proxyConnectHeader) && Object.keys(raw.proxyConnectHeader).length > 0) {
    const headers: Record<string, string[]> = {};
    for (const [name, sels] of Object.entries(raw.proxyConnectHeader))
      headers[name] = (Array.isArray(sels) ? sels : []).flatMap((s, i) => {
        const f = secretFile(s, `${path}.proxyConnectHeader.${name}[${i}]`, ctx);
        return f ? [f] : [];
      });
    since26.push(["proxyConnectHeader", "proxy_connect_header_file", headers]);
  }
  for (const [field, key, value] of since26) {
    if (atLeast(ctx.version, "0.26.0")) out[key] = value;
    else
      ctx.diag.warn(
        `${path}.${field}`,
        "unsupported-field",
        `${field} needs Alertmanager >= 0.26.0; the operator drops it for older versions, and so does this tool. Fix: upgrade Alertmanager (and set alertmanagerVersion) or remove it.`,
      );
  }
}

/** An OAuth2 client config: client_secret from a file, the client id from a Secret or ConfigMap. */
function oauth2(raw: unknown, path: string, ctx: ReceiverContext): JsonObject | undefined {
  if (!isObject(raw)) return undefined;
  const out: JsonObject = {};
  const idFile = secretOrConfigMapFile(raw.clientId, `${path}.clientId`, ctx);
  if (idFile) {
    // Alertmanager has no client_id_file: the id (not a credential, but stored in a Secret or
    // ConfigMap that this tool does not read) is a placeholder naming where it comes from.
    out.client_id = `client-id-from-file:${idFile}`;
    ctx.diag.warn(
      `${path}.clientId`,
      "secret-file-unsupported",
      `Alertmanager has no client_id_file and this tool reads no Secret or ConfigMap, so client_id is a placeholder naming ${idFile}. Fix: substitute the id at deploy time (the operator itself copies it in).`,
    );
  }
  const secret = secretFile(raw.clientSecret, `${path}.clientSecret`, ctx);
  if (secret) out.client_secret_file = secret;
  if (ok(raw.tokenUrl)) out.token_url = raw.tokenUrl;
  if (Array.isArray(raw.scopes) && raw.scopes.length > 0) out.scopes = raw.scopes;
  if (isObject(raw.endpointParams) && Object.keys(raw.endpointParams).length > 0)
    out.endpoint_params = raw.endpointParams;
  const tls = tlsConfig(raw.tlsConfig, `${path}.tlsConfig`, ctx);
  if (tls) out.tls_config = tls;
  proxyConfig(raw, out, path, ctx);
  return out;
}

/** The `httpConfig` field names the CRD has (everything else is dropped by the API server). */
const HTTP_FIELDS = new Set([
  "authorization",
  "basicAuth",
  "oauth2",
  "bearerTokenSecret",
  "tlsConfig",
  "proxyURL",
  "proxyUrl",
  "noProxy",
  "proxyFromEnvironment",
  "proxyConnectHeader",
  "followRedirects",
  "enableHttp2",
]);

/**
 * An integration's `httpConfig` as Alertmanager's `http_config`. The operator's checks apply: at
 * most one of basicAuth, oauth2, authorization and bearerTokenSecret (else the object is rejected).
 */
export function httpConfig(raw: unknown, path: string, ctx: ReceiverContext): JsonObject | undefined {
  if (!isObject(raw)) return undefined;
  const out: JsonObject = {};
  for (const k of Object.keys(raw))
    if (!HTTP_FIELDS.has(k))
      ctx.diag.warn(
        `${path}.${k}`,
        "unsupported-field",
        `httpConfig.${k} is not a field of the CRD, so the API server drops it. Fix: check the spelling, or remove it.`,
      );
  const auths = ["basicAuth", "oauth2", "authorization", "bearerTokenSecret"].filter(
    (k) => raw[k] !== undefined && raw[k] !== null,
  );
  if (auths.length > 1) {
    ctx.diag.reject(
      path,
      "invalid-object",
      `httpConfig sets ${auths.join(" and ")}: at most one of basicAuth, oauth2, authorization and bearerTokenSecret may be configured, so the operator rejects the object. Fix: keep one.`,
    );
    return undefined;
  }
  if (typeof raw.followRedirects === "boolean") out.follow_redirects = raw.followRedirects;
  if (typeof raw.enableHttp2 === "boolean") out.enable_http2 = raw.enableHttp2;
  proxyConfig(raw, out, path, ctx);
  if (isObject(raw.basicAuth)) {
    const b = raw.basicAuth;
    const basic: JsonObject = {};
    if (b.username !== undefined) {
      const f = secretFile(b.username, `${path}.basicAuth.username`, ctx);
      if (f && atLeast(ctx.version, "0.28.0")) basic.username_file = f;
      else if (f)
        ctx.diag.warn(
          `${path}.basicAuth.username`,
          "secret-file-unsupported",
          `Alertmanager before 0.28 has no basic_auth username_file and a Secret value is never inlined, so the username is left out. Fix: run Alertmanager >= 0.28 (and set alertmanagerVersion), or use authorization.`,
        );
    }
    const p =
      b.password !== undefined ? secretFile(b.password, `${path}.basicAuth.password`, ctx) : undefined;
    if (p) basic.password_file = p;
    if (Object.keys(basic).length > 0) out.basic_auth = basic;
  }
  if (isObject(raw.authorization)) {
    const a = raw.authorization;
    const f = secretFile(a.credentials, `${path}.authorization.credentials`, ctx);
    if (f) out.authorization = { type: ok(a.type) ? a.type : "Bearer", credentials_file: f };
  }
  if (raw.bearerTokenSecret !== undefined && raw.bearerTokenSecret !== null) {
    const f = secretFile(raw.bearerTokenSecret, `${path}.bearerTokenSecret`, ctx);
    if (f) out.authorization = { type: "Bearer", credentials_file: f };
  }
  const o = oauth2(raw.oauth2, `${path}.oauth2`, ctx);
  if (o) out.oauth2 = o;
  const tls = tlsConfig(raw.tlsConfig, `${path}.tlsConfig`, ctx);
  if (tls) out.tls_config = tls;
  return Object.keys(out).length > 0 ? out : undefined;
}
