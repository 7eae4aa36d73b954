/** A real Alertmanager on loopback, in its own temporary directory, for tests and live verification. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, isAbsolute, join, normalize, sep } from "node:path";
import { findExecutable } from "./executables.js";
import { freePort } from "./ports.js";
import { loggedErrors } from "./prometheus-log.js";
import { httpRequest, startProcess, waitForHttp, type ManagedProcess } from "./process.js";

/** The command that installs Alertmanager on Debian/Ubuntu (the binary is `prometheus-alertmanager`). */
export const ALERTMANAGER_INSTALL_HINT = "apt-get install -y --no-install-recommends prometheus-alertmanager";

const BINARY_NAMES = ["prometheus-alertmanager", "alertmanager"] as const;

/**
 * The Alertmanager binary to run: `explicit` if given (a path, or a name looked up on PATH),
 * otherwise `prometheus-alertmanager` (Debian's name) or `alertmanager` from PATH, /usr/bin or
 * /usr/local/bin. Throws an Error that says how to install it when none is found.
 */
export function findAlertmanagerBinary(explicit?: string): string {
  const names = explicit !== undefined ? [explicit] : BINARY_NAMES;
  const found = findExecutable(...names);
  if (found) return found;
  const what = explicit !== undefined ? `Alertmanager binary ${JSON.stringify(explicit)}` : names.join(" / ");
  throw new Error(
    `${what} not found (looked on PATH, /usr/bin and /usr/local/bin). Install it with: ${ALERTMANAGER_INSTALL_HINT} ` +
      "(Debian/Ubuntu), or put an `alertmanager` binary from https://prometheus.io/download/ on PATH.",
  );
}

export interface AlertmanagerOptions {
  /**
   * The alertmanager.yml text. It is written to `<dir>/alertmanager.yml`; Alertmanager resolves
   * relative `*_file` paths (e.g. `credentials_file`, `password_file`, templates) against that
   * directory, so they can name files given in `extraFiles`.
   */
  readonly configYaml: string;
  /** Binary path or name; default: `prometheus-alertmanager` or `alertmanager` (see {@link findAlertmanagerBinary}). */
  readonly binary?: string;
  /** Files to write into the sandbox directory before the start, by relative path (e.g. secrets). */
  readonly extraFiles?: Readonly<Record<string, string>>;
  /** `--log.level`; default Alertmanager's own (info). `debug` logs every notification attempt. */
  readonly logLevel?: "debug" | "info" | "warn" | "error";
  /** How long to wait for `/-/ready`, default 20000 ms. */
  readonly readyTimeoutMs?: number;
  /** Extra command-line flags, appended after the sandbox's own. */
  readonly extraArgs?: readonly string[];
}

/** An alert as posted to `/api/v2/alerts`; dates may be Date objects or RFC 3339 strings. */
export interface PostableAlert {
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly startsAt?: string | Date;
  readonly endsAt?: string | Date;
  readonly generatorURL?: string;
}

/** An alert as `GET /api/v2/alerts` returns it. */
export interface GettableAlert {
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly updatedAt: string;
  readonly fingerprint: string;
  readonly generatorURL?: string;
  readonly receivers: { readonly name: string }[];
  readonly status: {
    readonly state: "unprocessed" | "active" | "suppressed";
    readonly silencedBy: string[];
    readonly inhibitedBy: string[];
  };
}

/** Query parameters of `GET /api/v2/alerts`. */
export interface AlertQuery {
  /** Matchers such as `alertname="X"` or `severity=~"crit.*"`. */
  readonly filter?: readonly string[];
  readonly active?: boolean;
  readonly silenced?: boolean;
  readonly inhibited?: boolean;
  readonly unprocessed?: boolean;
  /** A regular expression on receiver names. */
  readonly receiver?: string;
}

/** A running Alertmanager started by {@link startAlertmanager}. */
export interface AlertmanagerSandbox {
  /** Base URL, e.g. `http://127.0.0.1:40123` (no trailing slash). */
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** The temporary directory holding the config, the extra files and `data/`; removed by `stop()`. */
  readonly dir: string;
  readonly configFile: string;
  readonly binary: string;
  /** `POST /api/v2/alerts`; rejects with Alertmanager's answer unless it is 200. */
  postAlerts(alerts: readonly PostableAlert[]): Promise<void>;
  /** `GET /api/v2/alerts`. */
  getAlerts(query?: AlertQuery): Promise<GettableAlert[]>;
  /** Alertmanager's log so far (bounded). */
  output(): string;
  /** Stops the process (SIGTERM, then SIGKILL) and removes `dir`. Safe to call twice. */
  stop(): Promise<void>;
}

function writeSandboxFile(dir: string, relativePath: string, content: string): void {
  const normalized = normalize(relativePath);
  if (isAbsolute(relativePath) || normalized === ".." || normalized.startsWith(`..${sep}`)) {
    throw new Error(`extraFiles: ${JSON.stringify(relativePath)} must be a relative path inside the sandbox`);
  }
  const path = join(dir, normalized);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}

function toIso(d: string | Date | undefined): string | undefined {
  return d instanceof Date ? d.toISOString() : d;
}

const MAX_START_ATTEMPTS = 3;

/**
 * Starts a real Alertmanager on 127.0.0.1 with `configYaml`, in a fresh temporary directory, and
 * waits until `/-/ready` answers 200. Clustering is off (`--cluster.listen-address=`).
 *
 * Rejects when the binary is missing (with the install command), when Alertmanager exits before it
 * is ready, e.g. on a bad config (the message carries its `err=` and the tail of its log), or when
 * it is not ready within `readyTimeoutMs`. The temporary directory is removed in every failure case.
 * A port taken between {@link freePort} and the bind is retried with another port.
 */
export async function startAlertmanager(options: AlertmanagerOptions): Promise<AlertmanagerSandbox> {
  const binary = findAlertmanagerBinary(options.binary);
  const dir = mkdtempSync(join(tmpdir(), "asa-alertmanager-"));
  const removeDir = (): void => rmSync(dir, { recursive: true, force: true });
  const configFile = join(dir, "alertmanager.yml");
  const dataDir = join(dir, "data");
  let proc: ManagedProcess | undefined;
  let port: number;
  try {
    for (const [path, content] of Object.entries(options.extraFiles ?? {}))
      writeSandboxFile(dir, path, content);
    writeFileSync(configFile, options.configYaml);
    mkdirSync(dataDir);

    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      const args = [
        `--config.file=${configFile}`,
        `--storage.path=${dataDir}`,
        `--web.listen-address=127.0.0.1:${port}`,
        "--cluster.listen-address=",
        ...(options.logLevel ? [`--log.level=${options.logLevel}`] : []),
        ...(options.extraArgs ?? []),
      ];
      const started = await startProcess(binary, args, {
        cwd: dir,
        name: "alertmanager",
        onExitSync: removeDir,
      });
      const exitedEarly = new AbortController();
      void started.exited.then((info) => {
        const how = info.signal ? `signal ${info.signal}` : `code ${info.code}`;
        const errors = loggedErrors(started.output());
        const cause = errors.length > 0 ? `: ${errors.join("; ")}` : "";
        exitedEarly.abort(
          new Error(
            `Alertmanager exited with ${how} before it was ready${cause}\n` +
              `config: ${configFile}\n--- last lines of its log ---\n${started.tail(20)}`,
          ),
        );
      });
      try {
        await waitForHttp(
          `http://127.0.0.1:${port}/-/ready`,
          (r) => r.status === 200,
          options.readyTimeoutMs ?? 20_000,
          {
            signal: exitedEarly.signal,
          },
        );
        proc = started;
        break;
      } catch (err) {
        await started.stop(2000);
        if (attempt < MAX_START_ATTEMPTS && /address already in use/.test(started.output())) continue;
        if (exitedEarly.signal.aborted) throw err;
        throw new Error(
          `${(err as Error).message}\n--- last lines of Alertmanager's log ---\n${started.tail(20)}`,
          { cause: err },
        );
      }
    }
  } catch (err) {
    removeDir();
    throw err;
  }

  const running = proc;
  // However it ends (stop(), stopAll(), a crash), its directory goes with it.
  void running.exited.then(removeDir);
  const url = `http://127.0.0.1:${port}`;
  let stopped: Promise<void> | undefined;
  return {
    url,
    port,
    pid: running.pid,
    dir,
    configFile,
    binary,
    async postAlerts(alerts) {
      const body = JSON.stringify(
        alerts.map((a) => ({
          labels: a.labels,
          ...(a.annotations ? { annotations: a.annotations } : {}),
          ...(a.startsAt !== undefined ? { startsAt: toIso(a.startsAt) } : {}),
          ...(a.endsAt !== undefined ? { endsAt: toIso(a.endsAt) } : {}),
          ...(a.generatorURL !== undefined ? { generatorURL: a.generatorURL } : {}),
        })),
      );
      const res = await httpRequest("POST", `${url}/api/v2/alerts`, {
        body,
        headers: { "content-type": "application/json" },
      });
      if (res.status !== 200) {
        throw new Error(`POST ${url}/api/v2/alerts answered ${res.status}: ${res.body.trim()}`);
      }
    },
    async getAlerts(query = {}) {
      const params = new URLSearchParams();
      for (const f of query.filter ?? []) params.append("filter", f);
      for (const key of ["active", "silenced", "inhibited", "unprocessed"] as const) {
        const v = query[key];
        if (v !== undefined) params.set(key, String(v));
      }
      if (query.receiver !== undefined) params.set("receiver", query.receiver);
      const qs = params.toString();
      const res = await httpRequest("GET", `${url}/api/v2/alerts${qs ? `?${qs}` : ""}`);
      if (res.status !== 200) {
        throw new Error(`GET ${url}/api/v2/alerts answered ${res.status}: ${res.body.trim()}`);
      }
      return JSON.parse(res.body) as GettableAlert[];
    },
    output: () => running.output(),
    stop() {
      stopped ??= running.stop().then(removeDir, (err: unknown) => {
        removeDir();
        throw err;
      });
      return stopped;
    },
  };
}
