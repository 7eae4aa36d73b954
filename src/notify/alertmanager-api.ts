/**
 * A minimal client of a running Alertmanager's v2 API (`POST` and `GET /api/v2/alerts`), over
 * http or https, for `test-notify`. Every error is an {@link AlertmanagerApiError} whose message
 * names the base URL (which cannot hold credentials: {@link parseAlertmanagerUrl} refuses them)
 * and says what went wrong, without a stack trace.
 */
import type { ObservedAlert } from "./check.js";

/** A problem with the URL or with the Alertmanager's answer; its message is meant for the user. */
export class AlertmanagerApiError extends Error {}

/**
 * The Alertmanager's base URL: http or https, without user or password (they would be printed
 * in reports and logs), query or fragment. A path is kept as the prefix of the API
 * (`--web.route-prefix`, or a proxy's path).
 */
export function parseAlertmanagerUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new AlertmanagerApiError(
      "--alertmanager-url is not a URL: give the Alertmanager's base URL, e.g. http://127.0.0.1:9093",
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new AlertmanagerApiError(
      "--alertmanager-url must start with http:// or https://, e.g. http://127.0.0.1:9093",
    );
  if (url.username !== "" || url.password !== "")
    throw new AlertmanagerApiError(
      `--alertmanager-url must not contain a user or password (got ${url.protocol}//***@${url.host}${url.pathname}): ` +
        "reach the Alertmanager through kubectl port-forward or an authenticating proxy",
    );
  if (url.search !== "" || url.hash !== "")
    throw new AlertmanagerApiError(
      `--alertmanager-url must be the Alertmanager's base URL, without query or fragment (${printable(url)})`,
    );
  return url;
}

/** The URL as it may be printed: scheme, host and path. */
export function printable(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, "")}`;
}

function endpoint(base: URL, query = ""): string {
  return `${printable(base)}/api/v2/alerts${query}`;
}

function networkError(e: unknown): string {
  const err = e as Error & { cause?: { code?: string; message?: string } };
  if (err.name === "TimeoutError" || err.name === "AbortError") return "no answer within 10 s";
  return err.cause?.message ?? err.cause?.code ?? err.message;
}

async function request(base: URL, method: "GET" | "POST", query: string, body?: string): Promise<string> {
  let res: Response;
  try {
    res = await fetch(endpoint(base, query), {
      method,
      redirect: "manual",
      signal: AbortSignal.timeout(10_000),
      headers: {
        accept: "application/json",
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
      },
      ...(body !== undefined ? { body } : {}),
    });
  } catch (e) {
    throw new AlertmanagerApiError(`cannot reach the Alertmanager at ${printable(base)}: ${networkError(e)}`);
  }
  const text = await res.text().catch(() => "");
  if (res.status === 200) return text;
  const hint =
    res.status >= 300 && res.status < 400
      ? " (a redirect, to a login page?): give the Alertmanager's own URL, e.g. through kubectl port-forward"
      : res.status === 404
        ? ": is this an Alertmanager (v0.16 or later)? If it serves under a path prefix, include it in the URL"
        : res.status === 401 || res.status === 403
          ? ": it wants credentials; reach it through kubectl port-forward"
          : `: ${text.trim().slice(0, 300)}`;
  throw new AlertmanagerApiError(`${method} ${endpoint(base)} answered ${res.status}${hint}`);
}

/** An alert as `POST /api/v2/alerts` takes it. */
export interface PostedAlert {
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly startsAt: string;
  readonly endsAt: string;
}

/** Posts alerts to the Alertmanager. */
export async function postAlerts(base: URL, alerts: readonly PostedAlert[]): Promise<void> {
  const body = alerts.map((a) => ({
    labels: a.labels,
    annotations: a.annotations,
    startsAt: a.startsAt,
    endsAt: a.endsAt,
  }));
  await request(base, "POST", "", JSON.stringify(body));
}

function isObservedAlert(v: unknown): v is ObservedAlert {
  const a = v as Partial<ObservedAlert> | null;
  return (
    typeof a === "object" &&
    a !== null &&
    typeof a.labels === "object" &&
    Array.isArray(a.receivers) &&
    typeof a.status === "object"
  );
}

/** The alerts that match every filter (Alertmanager matchers such as `test="true"`). */
export async function getAlerts(base: URL, filters: readonly string[]): Promise<ObservedAlert[]> {
  const params = new URLSearchParams(filters.map((f) => ["filter", f]));
  const text = await request(base, "GET", `?${params.toString()}`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  if (!Array.isArray(value) || !value.every(isObservedAlert))
    throw new AlertmanagerApiError(
      `GET ${endpoint(base)} did not answer with Alertmanager alerts: is this an Alertmanager?`,
    );
  return value;
}
