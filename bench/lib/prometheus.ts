/**
 * The benchmark's Prometheus processes: the sandbox's real Prometheus (src/sandbox, loopback only,
 * free ports, temp dirs, stopped by PID and on exit) scraping the benchmark's exporter with the
 * sandbox's scrape jobs, plus the promtool check of the rule files.
 */
import { spawnSync } from "node:child_process";
import { toYaml } from "../../src/render/yaml.js";
import { findExecutable } from "../../src/tools/executables.js";
import type { ResolvedConfig } from "../../src/config/resolve.js";
import { EXPORTER_PATHS, scrapeConfigs } from "../../src/sandbox/cluster/exporter.js";
import { startPrometheus, type PrometheusSandbox } from "../../src/sandbox/index.js";

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
export const TARGETS = Object.keys(EXPORTER_PATHS).length;

/** The exporter an instance scrapes: its port, and the config whose selectors label the jobs. */
export interface ScrapedExporter {
  readonly port: number;
  readonly rc: ResolvedConfig;
}

/**
 * The config every instance shares: the sandbox's scrape jobs (one per exporter path, labelled
 * as the config's selectors ask), every 5 s.
 */
function prometheusConfig(exporter: ScrapedExporter, ruleFile: string | undefined): string {
  return toYaml({
    global: { scrape_interval: "5s", scrape_timeout: "4s", evaluation_interval: "5s" },
    ...(ruleFile ? { rule_files: [ruleFile] } : {}),
    scrape_configs: scrapeConfigs(exporter.rc, exporter.port),
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
 * Starts a Prometheus scraping `exporter` and evaluating `ruleText` (a rule file's YAML; none when
 * undefined), with 1 h retention and a log buffer large enough for a run.
 */
export async function startBenchPrometheus(
  name: string,
  exporter: ScrapedExporter,
  ruleText: string | undefined,
): Promise<PromInstance> {
  const p = await startPrometheus({
    configYaml: prometheusConfig(exporter, ruleText !== undefined ? "rules.yml" : undefined),
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
