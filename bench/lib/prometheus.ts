/**
 * The benchmark's Prometheus processes: the sandbox's real Prometheus (src/sandbox, loopback only,
 * free ports, temp dirs, stopped by PID and on exit) with the benchmark's scrape config, plus the
 * promtool check of the rule files.
 */
import { spawnSync } from "node:child_process";
import { toYaml } from "../../src/render/yaml.js";
import { findExecutable } from "../../src/sandbox/executables.js";
import { startPrometheus, type PrometheusSandbox } from "../../src/sandbox/index.js";
import { PATHS } from "./exporter.js";

/** `promtool check rules FILE`; throws with promtool's output when it fails. */
export function checkRules(file: string): { output: string; seconds: number } {
  const promtool = findExecutable("promtool");
  if (!promtool) throw new Error("promtool not found: apt-get install -y --no-install-recommends prometheus");
  const t = performance.now();
  const r = spawnSync(promtool, ["check", "rules", file], { encoding: "utf8", maxBuffer: 64 << 20 });
  const seconds = (performance.now() - t) / 1000;
  const output = `${r.stdout}${r.stderr}`.trim();
  if (r.status !== 0) throw new Error(`promtool check rules ${file} failed:\n${output}`);
  return { output, seconds };
}

/** How many scrape targets every benchmark instance has: one job per exporter path. */
export const TARGETS = Object.keys(PATHS).length;

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

/** One benchmark Prometheus: the sandbox, named by its rule set, with a timed query. */
export interface PromInstance extends PrometheusSandbox {
  /** The rule set it evaluates (A, B or C). */
  readonly name: string;
  /** An instant query with `stats=all`: the result size and the engine's inner eval time. */
  queryStats(expr: string): Promise<{ series: number; innerEvalSeconds: number }>;
}

/**
 * Starts a Prometheus scraping the exporter on `exporterPort` and evaluating `ruleText` (a rule
 * file's YAML; none when undefined), with 1 h retention and a log buffer large enough for a run.
 */
export async function startBenchPrometheus(
  name: string,
  exporterPort: number,
  ruleText: string | undefined,
): Promise<PromInstance> {
  const p = await startPrometheus({
    configYaml: prometheusConfig(exporterPort, ruleText !== undefined ? "rules.yml" : undefined),
    extraFiles: ruleText !== undefined ? { "rules.yml": ruleText } : {},
    retention: "1h",
    outputLimit: 16 * 1024 * 1024,
    extraArgs: ["--web.max-connections=64"],
  });
  return {
    ...p,
    name,
    async queryStats(expr) {
      const data = (await p.api("/api/v1/query", { query: expr, stats: "all" })) as {
        result: unknown[];
        stats: { timings: { innerEvalTime: number } };
      };
      return { series: data.result.length, innerEvalSeconds: data.stats.timings.innerEvalTime };
    },
  };
}
