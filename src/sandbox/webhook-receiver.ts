/**
 * A real HTTP endpoint that records Alertmanager webhook notifications. One server stands in for
 * any number of Alertmanager receivers: give each receiver's `webhook_configs` its own path with
 * {@link WebhookReceiver.urlFor} (`/r/<name>`) and tell the notifications apart by that name.
 */
import http from "node:http";

/** One alert inside a webhook notification (Alertmanager's webhook payload, version 4). */
export interface WebhookAlert {
  readonly status: "firing" | "resolved";
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly generatorURL: string;
  readonly fingerprint: string;
}

/** The JSON body Alertmanager POSTs to a webhook receiver. */
export interface WebhookPayload {
  readonly version: string;
  readonly groupKey: string;
  readonly truncatedAlerts: number;
  readonly status: "firing" | "resolved";
  readonly receiver: string;
  readonly groupLabels: Record<string, string>;
  readonly commonLabels: Record<string, string>;
  readonly commonAnnotations: Record<string, string>;
  readonly externalURL: string;
  readonly alerts: WebhookAlert[];
}

/** A recorded notification. */
export interface Notification {
  /** The request path, e.g. `/r/oncall`. */
  readonly path: string;
  /** The `<name>` of a `/r/<name>` path (URL-decoded), otherwise undefined. */
  readonly name: string | undefined;
  /** Arrival time, ms since the epoch. */
  readonly receivedAt: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly payload: WebhookPayload;
}

/** A request that was not a webhook notification (not a POST, or not a JSON payload with `alerts`). */
export interface RejectedRequest {
  readonly method: string;
  readonly path: string;
  readonly body: string;
  readonly reason: string;
}

export interface WebhookReceiverOptions {
  /**
   * The HTTP status to answer a notification with (it is recorded either way), default 200.
   * Answer 5xx to make Alertmanager retry.
   */
  readonly status?: number | ((notification: Notification) => number);
}

/** A running webhook receiver, see {@link startWebhookReceiver}. */
export interface WebhookReceiver {
  /** Base URL, e.g. `http://127.0.0.1:40124` (no trailing slash). */
  readonly url: string;
  readonly port: number;
  /** The URL to give the Alertmanager receiver `name`: `<url>/r/<name>`. */
  urlFor(name: string): string;
  /** The notifications so far, in arrival order; only those for `/r/<name>` when `name` is given. */
  notifications(name?: string): Notification[];
  /** Requests that were not valid notifications (answered 400 or 405). */
  rejected(): RejectedRequest[];
  /**
   * Resolves with all notifications so far as soon as `predicate` accepts them (checked now and
   * after every new notification); rejects after `timeoutMs` (default 15000) with what arrived.
   */
  waitFor(predicate: (all: readonly Notification[]) => boolean, timeoutMs?: number): Promise<Notification[]>;
  /**
   * Resolves with all notifications once none has arrived for `quietMs` (counted from the later of
   * the call and the last notification); rejects if that does not happen within `timeoutMs`
   * (default: the larger of 20000 and 10 × quietMs).
   */
  waitForQuiet(quietMs: number, timeoutMs?: number): Promise<Notification[]>;
  /** Stops the server, drops open connections and rejects pending waits. Safe to call twice. */
  close(): Promise<void>;
}

const MAX_BODY = 10 * 1024 * 1024;

/** One line per notification, for failure messages. */
export function describeNotifications(list: readonly Notification[]): string {
  if (list.length === 0) return "(no notifications)";
  return list
    .map((n) => {
      const names = n.payload.alerts.map((a) => `${a.labels.alertname ?? "?"}:${a.status}`).join(", ");
      return `${n.path} receiver=${n.payload.receiver} status=${n.payload.status} alerts=[${names}]`;
    })
    .join("\n");
}

function parsePayload(body: string): WebhookPayload | string {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (err) {
    return `invalid JSON: ${(err as Error).message}`;
  }
  if (typeof value !== "object" || value === null || !Array.isArray((value as { alerts?: unknown }).alerts)) {
    return "not an Alertmanager webhook payload (no alerts array)";
  }
  return value as WebhookPayload;
}

/** Starts a webhook receiver on 127.0.0.1 at a port chosen by the OS. */
export async function startWebhookReceiver(options: WebhookReceiverOptions = {}): Promise<WebhookReceiver> {
  const received: Notification[] = [];
  const rejectedRequests: RejectedRequest[] = [];
  const listeners = new Set<() => void>();
  const closers = new Set<(err: Error) => void>();
  let lastArrival = 0;
  let closed: Promise<void> | undefined;

  const server = http.createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const reject = (status: number, reason: string): void => {
        rejectedRequests.push({ method: req.method ?? "?", path, body: body.slice(0, 2000), reason });
        res.writeHead(status, { "content-type": "text/plain" }).end(`${reason}\n`);
      };
      if (req.method !== "POST") return reject(405, "only POST is accepted");
      if (size > MAX_BODY) return reject(413, `body larger than ${MAX_BODY} bytes`);
      const payload = parsePayload(body);
      if (typeof payload === "string") return reject(400, payload);
      const m = /^\/r\/([^/]+)\/?$/.exec(path);
      let name: string | undefined;
      try {
        name = m?.[1] !== undefined ? decodeURIComponent(m[1]) : undefined;
      } catch {
        name = m?.[1];
      }
      const notification: Notification = {
        path,
        name,
        receivedAt: Date.now(),
        headers: req.headers,
        payload,
      };
      received.push(notification);
      lastArrival = notification.receivedAt;
      const status =
        typeof options.status === "function" ? options.status(notification) : (options.status ?? 200);
      res.writeHead(status, { "content-type": "text/plain" }).end("ok\n");
      for (const listener of [...listeners]) listener();
    });
  });

  // Alertmanager keeps idle connections for minutes; Node's 5 s keep-alive would close ones it
  // still reuses (a retried "connection reset" now and then).
  server.keepAliveTimeout = 6 * 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ host: "127.0.0.1", port: 0 }, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("webhook receiver: no TCP address");
  const { port } = address;
  const url = `http://127.0.0.1:${port}`;

  const snapshot = (): Notification[] => [...received];

  return {
    url,
    port,
    urlFor: (name) => `${url}/r/${encodeURIComponent(name)}`,
    notifications: (name) => (name === undefined ? snapshot() : received.filter((n) => n.name === name)),
    rejected: () => [...rejectedRequests],

    waitFor(predicate, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        if (closed) return reject(new Error("webhook receiver is closed"));
        if (predicate(snapshot())) return resolve(snapshot());
        const finish = (): void => {
          clearTimeout(timer);
          listeners.delete(check);
          closers.delete(onClose);
        };
        const check = (): void => {
          let ok: boolean;
          try {
            ok = predicate(snapshot());
          } catch (err) {
            finish();
            return reject(err);
          }
          if (ok) {
            finish();
            resolve(snapshot());
          }
        };
        const onClose = (err: Error): void => {
          finish();
          reject(err);
        };
        const timer = setTimeout(() => {
          finish();
          reject(
            new Error(
              `webhook receiver: condition not met within ${timeoutMs} ms; received:\n${describeNotifications(received)}`,
            ),
          );
        }, timeoutMs);
        listeners.add(check);
        closers.add(onClose);
      });
    },

    waitForQuiet(quietMs, timeoutMs = Math.max(20_000, 10 * quietMs)) {
      const start = Date.now();
      return new Promise((resolve, reject) => {
        if (closed) return reject(new Error("webhook receiver is closed"));
        let timer: NodeJS.Timeout | undefined;
        const onClose = (err: Error): void => {
          clearTimeout(timer);
          reject(err);
        };
        closers.add(onClose);
        const tick = (): void => {
          const now = Date.now();
          const quietSince = Math.max(start, lastArrival);
          if (now - quietSince >= quietMs) {
            closers.delete(onClose);
            return resolve(snapshot());
          }
          if (now - start >= timeoutMs) {
            closers.delete(onClose);
            return reject(
              new Error(
                `webhook receiver: still receiving after ${timeoutMs} ms (wanted ${quietMs} ms of quiet); received:\n` +
                  describeNotifications(received),
              ),
            );
          }
          timer = setTimeout(tick, Math.min(quietMs - (now - quietSince), timeoutMs - (now - start)) + 1);
        };
        tick();
      });
    },

    close() {
      closed ??= new Promise<void>((resolve) => {
        const err = new Error("webhook receiver closed while waiting");
        for (const c of [...closers]) c(err);
        closers.clear();
        listeners.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
