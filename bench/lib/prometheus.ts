/**
 * Real Prometheus processes for the benchmark: loopback only, free ports, temp dirs, stopped by
 * PID. Every process started here is registered so an exit handler can stop it even on failure.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { toYaml } from "../../src/render/yaml.js";
import { PATHS } from "./exporter.js";

export const PROMETHEUS = "/usr/bin/prometheus";
export const PROMTOOL = "/usr/bin/promtool";

const running = new Set<ChildProcess>();

/** Stops every process started here (SIGTERM, by PID). Safe to call more than once. */
export function stopAll(signal: NodeJS.Signals = "SIGTERM"): void {
  for (const p of running) {
    if (p.pid !== undefined && p.exitCode === null && p.signalCode === null) {
      try {
        process.kill(p.pid, signal);
      } catch {
        // already gone
      }
    }
  }
}

let handlersInstalled = false;
function installExitHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on("exit", () => stopAll("SIGKILL"));
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(sig, () => {
      stopAll();
      process.exit(130);
    });
  }
}

/** A TCP port that was free on 127.0.0.1 a moment ago. */
export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve, reject) => {
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => resolve());
  });
  const port = (srv.address() as AddressInfo).port;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

export function prometheusVersion(): string {
  const r = spawnSync(PROMETHEUS, ["--version"], { encoding: "utf8" });
  const first = `${r.stdout}${r.stderr}`.split("\n")[0] ?? "";
  return first.match(/version (\S+)/)?.[1] ?? "unknown";
}

/** `promtool check rules FILE`; throws with promtool's output when it fails. */
export function checkRules(file: string): { output: string; seconds: number } {
  const t = performance.now();
  const r = spawnSync(PROMTOOL, ["check", "rules", file], { encoding: "utf8", maxBuffer: 64 << 20 });
  const seconds = (performance.now() - t) / 1000;
  const output = `${r.stdout}${r.stderr}`.trim();
  if (r.status !== 0) throw new Error(`promtool check rules ${file} failed:\n${output}`);
  return { output, seconds };
}

/** The scrape config every instance shares: one exporter, one job per path, every 5 s. */
function prometheusConfig(exporterPort: number, ruleFile: string | undefined): string {
  const target = `127.0.0.1:${exporterPort}`;
  const job = (name: string, path: string, labels?: Record<string, string>) => ({
    job_name: name,
    honor_labels: true,
    metrics_path: path,
    static_configs: [{ targets: [target], ...(labels ? { labels } : {}) }],
  });
  return toYaml({
    global: { scrape_interval: "5s", scrape_timeout: "4s", evaluation_interval: "5s" },
    ...(ruleFile ? { rule_files: [ruleFile] } : {}),
    scrape_configs: [
      job("kube-state-metrics", PATHS.ksm),
      job("kubelet", PATHS.cadvisor, { metrics_path: "/metrics/cadvisor" }),
      job("dcgm-exporter", PATHS.dcgm),
      job("vllm", PATHS.vllm),
      job("keda-operator", PATHS.keda),
    ],
  });
}

export class PromInstance {
  readonly url: string;
  readonly logFile: string;
  private constructor(
    readonly name: string,
    readonly proc: ChildProcess,
    readonly port: number,
    readonly dir: string,
  ) {
    this.url = `http://127.0.0.1:${port}`;
    this.logFile = join(dir, "prometheus.log");
  }

  /** Starts Prometheus with its own config, data dir and log under `dir`. */
  static async start(
    name: string,
    dir: string,
    exporterPort: number,
    ruleFile: string | undefined,
  ): Promise<PromInstance> {
    installExitHandlers();
    mkdirSync(join(dir, "data"), { recursive: true });
    const configFile = join(dir, "prometheus.yml");
    writeFileSync(configFile, prometheusConfig(exporterPort, ruleFile));
    for (let attempt = 0; ; attempt++) {
      const port = await freePort();
      const log = openSync(join(dir, "prometheus.log"), "a");
      const proc = spawn(
        PROMETHEUS,
        [
          `--config.file=${configFile}`,
          `--storage.tsdb.path=${join(dir, "data")}`,
          `--storage.tsdb.retention.time=1h`,
          `--web.listen-address=127.0.0.1:${port}`,
          `--web.max-connections=64`,
        ],
        { stdio: ["ignore", log, log] },
      );
      closeSync(log);
      running.add(proc);
      proc.once("exit", () => running.delete(proc));
      const inst = new PromInstance(name, proc, port, dir);
      if (await inst.waitReady(20_000)) return inst;
      inst.stop();
      const tail = readFileSync(inst.logFile, "utf8").split("\n").slice(-5).join("\n");
      if (attempt >= 2 || !/address already in use/.test(tail))
        throw new Error(`Prometheus ${name} did not become ready:\n${tail}`);
    }
  }

  get pid(): number {
    return this.proc.pid ?? -1;
  }

  private async waitReady(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.proc.exitCode !== null) return false;
      try {
        const r = await fetch(`${this.url}/-/ready`);
        if (r.ok) return true;
      } catch {
        // not listening yet
      }
      await sleep(100);
    }
    return false;
  }

  /** Waits until every target has been scraped successfully. */
  async waitTargetsUp(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = "";
    while (Date.now() < deadline) {
      const j = (await this.api("/api/v1/targets")) as {
        activeTargets: { health: string; scrapePool: string; lastError: string }[];
      };
      const t = j.activeTargets;
      if (t.length === Object.keys(PATHS).length && t.every((x) => x.health === "up")) return;
      last = t.map((x) => `${x.scrapePool}=${x.health}${x.lastError ? ` (${x.lastError})` : ""}`).join(", ");
      await sleep(250);
    }
    throw new Error(`Prometheus ${this.name}: targets not up after ${timeoutMs} ms: ${last}`);
  }

  async api(path: string): Promise<unknown> {
    const r = await fetch(`${this.url}${path}`);
    const j = (await r.json()) as { status: string; data: unknown; error?: string };
    if (j.status !== "success") throw new Error(`${this.name} ${path}: ${j.error ?? r.status}`);
    return j.data;
  }

  /** An instant query by POST: the vector's series, as labels and value. */
  async query(expr: string): Promise<{ labels: Record<string, string>; value: number }[]> {
    const r = await fetch(`${this.url}/api/v1/query`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ query: expr }).toString(),
    });
    const j = (await r.json()) as {
      status: string;
      error?: string;
      data: { result: { metric: Record<string, string>; value: [number, string] }[] };
    };
    if (j.status !== "success") throw new Error(`${this.name} query: ${j.error ?? r.status}`);
    return j.data.result.map((x) => ({ labels: x.metric, value: Number(x.value[1]) }));
  }

  /** A range-vector selector by POST: each series' raw samples, as [time ms, value]. */
  async samples(selector: string): Promise<{ labels: Record<string, string>; values: [number, number][] }[]> {
    const r = await fetch(`${this.url}/api/v1/query`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ query: selector }).toString(),
    });
    const j = (await r.json()) as {
      status: string;
      error?: string;
      data: { result: { metric: Record<string, string>; values: [number, string][] }[] };
    };
    if (j.status !== "success") throw new Error(`${this.name} query: ${j.error ?? r.status}`);
    return j.data.result.map((x) => ({
      labels: x.metric,
      values: x.values.map(([t, v]) => [Math.round(t * 1000), Number(v)] as [number, number]),
    }));
  }

  /** An instant query by POST with stats=all: the result size and the engine's inner eval time. */
  async queryStats(expr: string): Promise<{ series: number; innerEvalSeconds: number }> {
    const r = await fetch(`${this.url}/api/v1/query`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ query: expr, stats: "all" }).toString(),
    });
    const j = (await r.json()) as {
      status: string;
      error?: string;
      data: { result: unknown[]; stats: { timings: { innerEvalTime: number } } };
    };
    if (j.status !== "success") throw new Error(`${this.name} query: ${j.error ?? r.status}`);
    return { series: j.data.result.length, innerEvalSeconds: j.data.stats.timings.innerEvalTime };
  }

  /** Its own /metrics, as name{labels} -> value for the series we read. */
  async selfMetrics(): Promise<SelfMetrics> {
    const text = await (await fetch(`${this.url}/metrics`)).text();
    const m: SelfMetrics = {
      evalSeconds: 0,
      groups: 0,
      failures: 0,
      evaluations: 0,
      missed: 0,
      cpuSeconds: 0,
      rssBytes: 0,
      headSeries: 0,
      at: Date.now(),
    };
    for (const line of text.split("\n")) {
      if (line.startsWith("#") || line === "") continue;
      const sp = line.lastIndexOf(" ");
      const value = Number(line.slice(sp + 1));
      const series = line.slice(0, sp);
      const name = series.split("{")[0];
      switch (name) {
        case "prometheus_rule_group_last_duration_seconds":
          m.evalSeconds += value;
          m.groups++;
          break;
        case "prometheus_rule_evaluation_failures_total":
          m.failures += value;
          break;
        case "prometheus_rule_evaluations_total":
          m.evaluations += value;
          break;
        case "prometheus_rule_group_iterations_missed_total":
          m.missed += value;
          break;
        case "process_cpu_seconds_total":
          m.cpuSeconds = value;
          break;
        case "process_resident_memory_bytes":
          m.rssBytes = value;
          break;
        case "prometheus_tsdb_head_series":
          m.headSeries = value;
          break;
      }
    }
    return m;
  }

  /** Distinct warning and error messages from the log (msg and err), with their counts. */
  logProblems(): string[] {
    let text: string;
    try {
      text = readFileSync(this.logFile, "utf8");
    } catch {
      return [];
    }
    const field = (line: string, key: string) =>
      line.match(new RegExp(`(?:^|\\s)${key}="((?:[^"\\\\]|\\\\.)*)"`))?.[1] ??
      line.match(new RegExp(`(?:^|\\s)${key}=(\\S+)`))?.[1];
    const out = new Map<string, number>();
    for (const line of text.split("\n")) {
      if (!/level=(warn|error)/.test(line)) continue;
      const rule = field(line, "name");
      const msg = [field(line, "msg"), rule ? `rule ${rule}` : "", field(line, "err")]
        .filter(Boolean)
        .join(": ")
        .slice(0, 400);
      out.set(msg, (out.get(msg) ?? 0) + 1);
    }
    return [...out.entries()].map(([m, c]) => `${c}x ${m}`);
  }

  stop(): void {
    if (this.proc.pid !== undefined && this.proc.exitCode === null && this.proc.signalCode === null) {
      try {
        process.kill(this.proc.pid, "SIGTERM");
      } catch {
        // already gone
      }
    }
  }

  async stopAndWait(timeoutMs = 5000): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.proc.once("exit", () => resolve()));
    this.stop();
    const timer = sleep(timeoutMs).then(() => "timeout");
    if ((await Promise.race([exited.then(() => "ok"), timer])) === "timeout" && this.proc.pid !== undefined) {
      try {
        process.kill(this.proc.pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
  }
}

export interface SelfMetrics {
  /** Sum over groups of prometheus_rule_group_last_duration_seconds. */
  evalSeconds: number;
  groups: number;
  failures: number;
  evaluations: number;
  missed: number;
  cpuSeconds: number;
  rssBytes: number;
  headSeries: number;
  at: number;
}
