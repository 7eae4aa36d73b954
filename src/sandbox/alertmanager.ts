/** A real Alertmanager on loopback, in its own temporary directory, for tests and live verification. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findExecutable } from "../tools/executables.js";
import { freePort } from "./ports.js";
import { launchUntilReady, writeSandboxFile } from "./launch.js";
import { httpRequest, type ManagedProcess } from "./process.js";

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
  /**
   * Join a gossip cluster (high availability) instead of running alone. Without it clustering is
   * off (`--cluster.listen-address=`), the default.
   */
  readonly cluster?: AlertmanagerClusterOptions;
}

/**
 * Gossip clustering of an Alertmanager (`--cluster.*`), on 127.0.0.1 only. Nodes of one cluster
 * share silences and the notification log, so that only one of them notifies each group: the node
 * at position n waits n × `peerTimeout` and then sends only what no other node has logged as sent.
 */
export interface AlertmanagerClusterOptions {
  /**
   * The gossip port (TCP and UDP) on 127.0.0.1, also advertised to the peers. Default: a free
   * port, chosen again when a start attempt finds it taken.
   */
  readonly port?: number;
  /** Peers to join, as `127.0.0.1:<port>` (another node's {@link AlertmanagerSandbox.clusterAddress}). */
  readonly peers?: readonly string[];
  /** `--cluster.peer-timeout` (default 15s): how long each position waits for the nodes before it. */
  readonly peerTimeout?: string;
  /** `--cluster.gossip-interval` (default 200ms); the settling of a new node is polled every 10 of them. */
  readonly gossipInterval?: string;
  /** `--cluster.pushpull-interval` (default 1m): full state syncs between nodes. */
  readonly pushPullInterval?: string;
  /** `--cluster.settle-timeout` (default 1m): the longest a new node waits to settle before notifying. */
  readonly settleTimeout?: string;
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
  /** The gossip address (`127.0.0.1:<port>`) when started with `cluster`, for other nodes' `peers`. */
  readonly clusterAddress?: string;
  /** `POST /api/v2/alerts`; rejects with Alertmanager's answer unless it is 200. */
  postAlerts(alerts: readonly PostableAlert[]): Promise<void>;
  /** `GET /api/v2/alerts`. */
  getAlerts(query?: AlertQuery): Promise<GettableAlert[]>;
  /**
   * Stops the process (SIGTERM, or SIGKILL for a crash) and starts it again on the same ports with
   * the same configuration and storage (silences, notification log), as a pod restart would.
   */
  restart(signal?: "SIGTERM" | "SIGKILL"): Promise<void>;
  /** Alertmanager's log so far (bounded). */
  output(): string;
  /** Stops the process (SIGTERM, then SIGKILL) and removes `dir`. Safe to call twice. */
  stop(): Promise<void>;
}

function toIso(d: string | Date | undefined): string | undefined {
  return d instanceof Date ? d.toISOString() : d;
}

/** The `--cluster.*` flags: off without `cluster`, else gossip on `address` (listen and advertise). */
function clusterArgs(cluster: AlertmanagerClusterOptions | undefined, address: string | undefined): string[] {
  if (!cluster || address === undefined) return ["--cluster.listen-address="];
  const timing: [string, string | undefined][] = [
    ["peer-timeout", cluster.peerTimeout],
    ["gossip-interval", cluster.gossipInterval],
    ["pushpull-interval", cluster.pushPullInterval],
    ["settle-timeout", cluster.settleTimeout],
  ];
  return [
    `--cluster.listen-address=${address}`,
    `--cluster.advertise-address=${address}`,
    ...(cluster.peers ?? []).map((p) => `--cluster.peer=${p}`),
    ...timing.flatMap(([flag, v]) => (v !== undefined ? [`--cluster.${flag}=${v}`] : [])),
  ];
}

/**
 * Starts a real Alertmanager on 127.0.0.1 with `configYaml`, in a fresh temporary directory, and
 * waits until `/-/ready` answers 200. Clustering is off (`--cluster.listen-address=`) unless
 * `cluster` is given: then it gossips on 127.0.0.1 with the given peers (see
 * {@link AlertmanagerClusterOptions}); `/-/ready` does not wait for the cluster to settle.
 *
 * Rejects when the binary is missing (with the install command), when Alertmanager exits before it
 * is ready, e.g. on a bad config (the message carries its `err=` and the tail of its log), or when
 * it is not ready within `readyTimeoutMs`. The temporary directory is removed in every failure case.
 * A port taken between {@link freePort} and the bind is retried with another port (the gossip
 * port too, unless `cluster.port` fixes it).
 */
export async function startAlertmanager(options: AlertmanagerOptions): Promise<AlertmanagerSandbox> {
  const binary = findAlertmanagerBinary(options.binary);
  const dir = mkdtempSync(join(tmpdir(), "asa-alertmanager-"));
  const removeDir = (): void => rmSync(dir, { recursive: true, force: true });
  const configFile = join(dir, "alertmanager.yml");
  const dataDir = join(dir, "data");
  let proc: ManagedProcess | undefined;
  let port: number;
  let clusterAddress: string | undefined;
  /** Starts the process (on the given ports for a restart) and waits until it is ready. */
  const launch = async (
    fixedPort: number | undefined,
    fixedCluster: string | undefined,
  ): Promise<{ proc: ManagedProcess; port: number; clusterAddress: string | undefined }> => {
    const { proc, ports } = await launchUntilReady({
      binary,
      dir,
      configFile,
      name: "alertmanager",
      displayName: "Alertmanager",
      readyTimeoutMs: options.readyTimeoutMs ?? 20_000,
      onExitSync: removeDir,
      fixed: fixedPort !== undefined,
      ports: async () => ({
        port: fixedPort ?? (await freePort()),
        clusterAddress: options.cluster
          ? (fixedCluster ?? `127.0.0.1:${options.cluster.port ?? (await freePort())}`)
          : undefined,
      }),
      args: ({ port, clusterAddress }) => [
        `--config.file=${configFile}`,
        `--storage.path=${dataDir}`,
        `--web.listen-address=127.0.0.1:${port}`,
        ...clusterArgs(options.cluster, clusterAddress),
        ...(options.logLevel ? [`--log.level=${options.logLevel}`] : []),
        ...(options.extraArgs ?? []),
      ],
    });
    return { proc, port: ports.port, clusterAddress: ports.clusterAddress };
  };

  try {
    for (const [path, content] of Object.entries(options.extraFiles ?? {}))
      writeSandboxFile(dir, path, content);
    writeFileSync(configFile, options.configYaml);
    mkdirSync(dataDir);

    const first = await launch(undefined, undefined);
    proc = first.proc;
    port = first.port;
    clusterAddress = first.clusterAddress;
  } catch (err) {
    removeDir();
    throw err;
  }

  const holder = { proc, restarting: false };
  // However it ends (stop(), stopAll(), a crash), its directory goes with it; not on a restart.
  const removeUnlessRestarting = (): void => {
    if (!holder.restarting) removeDir();
  };
  void proc.exited.then(removeUnlessRestarting);
  const running = {
    get pid() {
      return holder.proc.pid;
    },
    output: () => holder.proc.output(),
    stop: () => holder.proc.stop(),
  };
  const url = `http://127.0.0.1:${port}`;
  let stopped: Promise<void> | undefined;
  return {
    url,
    port,
    get pid() {
      return running.pid;
    },
    dir,
    configFile,
    binary,
    ...(clusterAddress !== undefined ? { clusterAddress } : {}),
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
    async restart(signal = "SIGTERM") {
      if (stopped) throw new Error("Alertmanager was stopped: it cannot be restarted");
      holder.restarting = true;
      try {
        if (signal === "SIGKILL") process.kill(holder.proc.pid, "SIGKILL");
        await holder.proc.stop();
        const next = await launch(port, clusterAddress);
        holder.proc = next.proc;
        void next.proc.exited.then(removeUnlessRestarting);
      } finally {
        holder.restarting = false;
      }
    },
    stop() {
      stopped ??= running.stop().then(removeDir, (err: unknown) => {
        removeDir();
        throw err;
      });
      return stopped;
    },
  };
}
