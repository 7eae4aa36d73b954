/** A real Prometheus on loopback, in its own temporary directory, for tests and the benchmark. */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { findExecutable } from "../tools/executables.js";
import { freePort } from "./ports.js";
import { launchUntilReady, writeSandboxFile } from "./launch.js";
import { httpRequest, type HttpResponse, type ManagedProcess } from "./process.js";
import {
  apiData,
  matrixOf,
  parseSelfMetrics,
  vectorOf,
  type InstantSample,
  type PrometheusAlert,
  type RuleGroupStatus,
  type SelfMetrics,
  type SeriesSamples,
  type TargetStatus,
} from "./prometheus-api.js";
import { loggedErrors, logProblems, logSince } from "./prometheus-log.js";

/** The command that installs Prometheus on Debian/Ubuntu. */
export const PROMETHEUS_INSTALL_HINT = "apt-get install -y --no-install-recommends prometheus";

/**
 * The Prometheus binary to run: `explicit` if given (a path, or a name looked up on PATH),
 * otherwise `prometheus` from PATH, /usr/bin or /usr/local/bin. Throws an Error that says how to
 * install it when none is found.
 */
export function findPrometheusBinary(explicit?: string): string {
  const name = explicit ?? "prometheus";
  const found = findExecutable(name);
  if (found) return found;
  const what = explicit !== undefined ? `Prometheus binary ${JSON.stringify(explicit)}` : "prometheus";
  throw new Error(
    `${what} not found (looked on PATH, /usr/bin and /usr/local/bin). Install it with: ${PROMETHEUS_INSTALL_HINT} ` +
      "(Debian/Ubuntu), or put a `prometheus` binary from https://prometheus.io/download/ on PATH.",
  );
}

/** The version `prometheus --version` reports (e.g. `2.42.0+ds`), or `unknown`. */
export function prometheusVersion(binary?: string): string {
  const r = spawnSync(findPrometheusBinary(binary), ["--version"], { encoding: "utf8" });
  const first = `${r.stdout}${r.stderr}`.split("\n")[0] ?? "";
  return /version (\S+)/.exec(first)?.[1] ?? "unknown";
}

export interface PrometheusOptions {
  /**
   * The prometheus.yml text, written to `<dir>/prometheus.yml`. Prometheus resolves relative paths
   * in it (`rule_files`, `*_file`) against that directory, so they can name files of `extraFiles`.
   */
  readonly configYaml: string;
  /** Binary path or name; default `prometheus` (see {@link findPrometheusBinary}). */
  readonly binary?: string;
  /** Files to write into the sandbox directory before the start, by relative path (e.g. rule files). */
  readonly extraFiles?: Readonly<Record<string, string>>;
  /** `--storage.tsdb.retention.time`, e.g. `1h`; default Prometheus's own (15d). */
  readonly retention?: string;
  /** `--log.level`; default Prometheus's own (info). */
  readonly logLevel?: "debug" | "info" | "warn" | "error";
  /** How long to wait for `/-/ready`, default 20000 ms. */
  readonly readyTimeoutMs?: number;
  /** How many characters of its log to keep (older ones are dropped), default 1 MiB. */
  readonly outputLimit?: number;
  /** Extra command-line flags, appended after the sandbox's own. */
  readonly extraArgs?: readonly string[];
}

/** A running Prometheus started by {@link startPrometheus}. Its methods do not use `this`. */
export interface PrometheusSandbox {
  /** Base URL, e.g. `http://127.0.0.1:40123` (no trailing slash). */
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** The temporary directory holding the config, the extra files and `data/`; removed once it exits. */
  readonly dir: string;
  readonly configFile: string;
  readonly binary: string;
  /**
   * The `data` of an `/api/v1` endpoint: `GET path`, or with `params` a form `POST` (for the query
   * endpoints). Rejects with Prometheus's `errorType: error` when it is not a success.
   */
  api(path: string, params?: Readonly<Record<string, string>>): Promise<unknown>;
  /** An instant query (form POST) at `time` (default now): each series' labels and value. */
  query(expr: string, time?: Date): Promise<InstantSample[]>;
  /** A range query from `start` to `end` every `stepSeconds`: each series' points, times in Unix ms. */
  queryRange(expr: string, start: Date, end: Date, stepSeconds: number): Promise<SeriesSamples[]>;
  /** A range-vector selector such as `up[5m]` as an instant query: each series' raw samples, times in Unix ms. */
  samples(selector: string, time?: Date): Promise<SeriesSamples[]>;
  /** `GET /api/v1/alerts`: the pending and firing alerts. */
  alerts(): Promise<PrometheusAlert[]>;
  /** `GET /api/v1/rules`: the loaded rule groups with their rules' health and last evaluation. */
  rules(): Promise<RuleGroupStatus[]>;
  /** `GET /api/v1/targets`: the active targets. */
  targets(): Promise<TargetStatus[]>;
  /**
   * Polls the targets until there are exactly `count` and every one is up (default timeout 30000
   * ms); rejects with each target's health and last error when they are not.
   */
  waitTargetsUp(count: number, timeoutMs?: number): Promise<TargetStatus[]>;
  /** `POST /-/reload`; rejects with Prometheus's logged `err=` values when the new config or rules fail. */
  reload(): Promise<void>;
  /** Replaces prometheus.yml and reloads. */
  writeConfig(yaml: string): Promise<void>;
  /** Writes a file into the sandbox directory by relative path and reloads (unless `reload: false`). */
  writeFile(relativePath: string, text: string, options?: { readonly reload?: boolean }): Promise<void>;
  /** Rule evaluation cost, CPU, memory and head series from its own `/metrics`. */
  selfMetrics(): Promise<SelfMetrics>;
  /** The distinct warnings and errors of its log so far, with counts (see {@link logProblems}). */
  logProblems(): string[];
  /** Its log so far (bounded by `outputLimit`). */
  output(): string;
  /**
   * Stops the process (SIGTERM, or SIGKILL for a crash) and starts it again on the same port with
   * the same configuration and TSDB, as a pod restart would; resolves once it is ready again.
   */
  restart(signal?: "SIGTERM" | "SIGKILL"): Promise<void>;
  /** Stops the process (SIGTERM, then SIGKILL) and removes `dir`. Safe to call twice. */
  stop(): Promise<void>;
}

/** Starts Prometheus in `dir` (on `fixedPort` for a restart) and waits until it is ready. */
async function launch(
  binary: string,
  dir: string,
  configFile: string,
  options: PrometheusOptions,
  removeDir: () => void,
  fixedPort?: number,
): Promise<{ proc: ManagedProcess; port: number }> {
  const { proc, ports } = await launchUntilReady({
    binary,
    dir,
    configFile,
    name: "prometheus",
    displayName: "Prometheus",
    readyTimeoutMs: options.readyTimeoutMs ?? 20_000,
    outputLimit: options.outputLimit ?? 1024 * 1024,
    onExitSync: removeDir,
    fixed: fixedPort !== undefined,
    ports: async () => ({ port: fixedPort ?? (await freePort()) }),
    args: ({ port }) => [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--web.enable-lifecycle",
      ...(options.retention !== undefined ? [`--storage.tsdb.retention.time=${options.retention}`] : []),
      ...(options.logLevel ? [`--log.level=${options.logLevel}`] : []),
      ...(options.extraArgs ?? []),
    ],
  });
  return { proc, port: ports.port };
}

/**
 * Starts a real Prometheus on 127.0.0.1 with `configYaml`, in a fresh temporary directory with its
 * own TSDB and `--web.enable-lifecycle`, and waits until `/-/ready` answers 200.
 *
 * Rejects when the binary is missing (with the install command), when Prometheus exits before it
 * is ready, e.g. on a bad config or rule file (the message carries its `err=` values and the tail
 * of its log), or when it is not ready within `readyTimeoutMs`. The temporary directory is removed
 * in every failure case, and once the process has exited (by `stop()`, `stopAll()` or otherwise).
 * A port taken between {@link freePort} and the bind is retried with another port.
 */
export async function startPrometheus(options: PrometheusOptions): Promise<PrometheusSandbox> {
  const binary = findPrometheusBinary(options.binary);
  const dir = mkdtempSync(join(tmpdir(), "asa-prometheus-"));
  const removeDir = (): void => rmSync(dir, { recursive: true, force: true });
  const configFile = join(dir, "prometheus.yml");
  let started: { proc: ManagedProcess; port: number };
  try {
    for (const [path, content] of Object.entries(options.extraFiles ?? {}))
      writeSandboxFile(dir, path, content);
    writeFileSync(configFile, options.configYaml);
    mkdirSync(join(dir, "data"));
    started = await launch(binary, dir, configFile, options, removeDir);
  } catch (err) {
    removeDir();
    throw err;
  }
  const { proc, port } = started;
  const holder = { proc, restarting: false };
  const removeUnlessRestarting = (): void => {
    if (!holder.restarting) removeDir();
  };
  void proc.exited.then(removeUnlessRestarting);
  const relaunch = async (): Promise<ManagedProcess> => {
    const next = await launch(binary, dir, configFile, options, removeDir, port);
    void next.proc.exited.then(removeUnlessRestarting);
    return next.proc;
  };
  return sandbox(holder, relaunch, port, dir, configFile, binary);
}

function sandbox(
  holder: { proc: ManagedProcess; restarting: boolean },
  relaunch: () => Promise<ManagedProcess>,
  port: number,
  dir: string,
  configFile: string,
  binary: string,
): PrometheusSandbox {
  const current = {
    get proc() {
      return holder.proc;
    },
  };
  const url = `http://127.0.0.1:${port}`;

  /** An HTTP request that says so when Prometheus has exited instead of a bare ECONNREFUSED. */
  const request = async (method: string, path: string, form?: Readonly<Record<string, string>>) => {
    try {
      return await httpRequest(method, `${url}${path}`, {
        timeoutMs: 60_000,
        ...(form
          ? {
              body: new URLSearchParams(form).toString(),
              headers: { "content-type": "application/x-www-form-urlencoded" },
            }
          : {}),
      });
    } catch (err) {
      const info = current.proc.exitInfo();
      if (!info) throw err;
      const how = info.signal ? `signal ${info.signal}` : `code ${info.code}`;
      throw new Error(
        `${method} ${path}: Prometheus (pid ${current.proc.pid}) exited with ${how}\n${current.proc.tail(10)}`,
        {
          cause: err,
        },
      );
    }
  };
  const api = async (path: string, params?: Readonly<Record<string, string>>): Promise<unknown> => {
    const res: HttpResponse = await request(params ? "POST" : "GET", path, params);
    return apiData(`${params ? "POST" : "GET"} ${path}`, res.status, res.body);
  };
  const at = (time: Date | undefined): Record<string, string> =>
    time ? { time: String(time.getTime() / 1000) } : {};
  const targets = async (): Promise<TargetStatus[]> =>
    ((await api("/api/v1/targets?state=active")) as { activeTargets: TargetStatus[] }).activeTargets;

  const reload = async (): Promise<void> => {
    const before = current.proc.output();
    const res = await request("POST", "/-/reload");
    if (res.status === 200) return;
    // The answer only says "one or more errors occurred"; the reasons are in the log, which may
    // arrive a moment after the answer.
    let errors: string[] = [];
    for (let i = 0; i < 20; i++) {
      errors = loggedErrors(logSince(before, current.proc.output()));
      if (errors.some((e) => e.startsWith("one or more errors"))) break;
      await sleep(50);
    }
    const reasons = errors.filter((e) => !e.startsWith("one or more errors"));
    throw new Error(
      `POST ${url}/-/reload answered ${res.status}: ${res.body.trim()}` +
        (reasons.length > 0 ? `\n${reasons.join("\n")}` : ""),
    );
  };

  let stopped: Promise<void> | undefined;
  const removeDir = (): void => rmSync(dir, { recursive: true, force: true });
  return {
    url,
    port,
    get pid() {
      return current.proc.pid;
    },
    dir,
    configFile,
    binary,
    api,
    query: async (expr, time) =>
      vectorOf(`query ${expr}`, await api("/api/v1/query", { query: expr, ...at(time) })),
    queryRange: async (expr, start, end, stepSeconds) =>
      matrixOf(
        `query_range ${expr}`,
        await api("/api/v1/query_range", {
          query: expr,
          start: String(start.getTime() / 1000),
          end: String(end.getTime() / 1000),
          step: String(stepSeconds),
        }),
      ),
    samples: async (selector, time) =>
      matrixOf(`query ${selector}`, await api("/api/v1/query", { query: selector, ...at(time) })),
    alerts: async () => ((await api("/api/v1/alerts")) as { alerts: PrometheusAlert[] }).alerts,
    rules: async () => ((await api("/api/v1/rules")) as { groups: RuleGroupStatus[] }).groups,
    targets,
    async waitTargetsUp(count, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const list = await targets();
        if (list.length === count && list.every((t) => t.health === "up")) return list;
        if (Date.now() >= deadline) {
          const seen = list.map((t) => `${t.scrapeUrl} ${t.health}${t.lastError ? ` (${t.lastError})` : ""}`);
          throw new Error(
            `Prometheus ${url}: expected ${count} targets up within ${timeoutMs} ms, got ${list.length}: ` +
              (seen.join(", ") || "none"),
          );
        }
        await sleep(Math.min(250, Math.max(0, deadline - Date.now())));
      }
    },
    reload,
    async writeConfig(yaml) {
      writeFileSync(configFile, yaml);
      await reload();
    },
    async writeFile(relativePath, text, options = {}) {
      writeSandboxFile(dir, relativePath, text);
      if (options.reload ?? true) await reload();
    },
    async selfMetrics() {
      const res = await request("GET", "/metrics");
      if (res.status !== 200) throw new Error(`GET ${url}/metrics answered ${res.status}`);
      return parseSelfMetrics(res.body);
    },
    logProblems: () => logProblems(current.proc.output()),
    output: () => current.proc.output(),
    async restart(signal = "SIGTERM") {
      if (stopped) throw new Error("Prometheus was stopped: it cannot be restarted");
      holder.restarting = true;
      try {
        if (signal === "SIGKILL") process.kill(current.proc.pid, "SIGKILL");
        await current.proc.stop();
        holder.proc = await relaunch();
      } finally {
        holder.restarting = false;
      }
    },
    stop() {
      stopped ??= current.proc.stop().then(removeDir, (err: unknown) => {
        removeDir();
        throw err;
      });
      return stopped;
    },
  };
}
