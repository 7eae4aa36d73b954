/**
 * `npm run bench:hostile`: time and memory of the CLI on hostile input, and of `verify` at the
 * config's limits.
 *
 * Part 1: every case of the corpus (test/fixtures/invalid/cases.json), each in a child process of
 * its own (this file with `--case <prepared case>`; the input is written by the parent): the wall time of the CLI's `run()` once the modules are
 * loaded, and the child's peak RSS (`process.resourceUsage().maxRSS`, which includes Node and the
 * loaded CLI, measured alone as the baseline).
 * Part 2: `verify` on configs at the limits of src/config/limits.ts (every alert's `for` and
 * window at the longest allowed, with the most distinct settings), as a real process under
 * `/usr/bin/time` (wall time, peak RSS of the largest process: Node or promtool).
 *
 * Writes bench/results/hostile-input.md; exits 1 when a measurement passes the bound it claims.
 * Env: HOSTILE_OUT (output file), HOSTILE_SKIP_VERIFY=1 (part 1 only).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { format, resolveConfig } from "prettier";
import { ALERT_NAMES, CATALOG } from "../src/catalog/catalog.js";
import { formatSeconds, LIMITS } from "../src/config/limits.js";
import { loadCases, prepare, runPrepared, type PreparedCase } from "../test/fixtures/invalid/corpus.js";

const OUT = process.env.HOSTILE_OUT ?? "bench/results/hostile-input.md";
const ROOT = join(import.meta.dirname, "..");
const SELF = join(import.meta.dirname, "hostile.ts");

/** The bounds this bench claims (and the README repeats). */
const BOUNDS = {
  caseMs: 2000,
  caseRssMiB: 400,
  verifyAtLimitsS: 90,
  verifyRssMiB: 600,
};

interface CaseMeasure {
  id: string;
  cls: string;
  exit: number;
  ms: number;
  rssMiB: number;
}

/** Child mode: run one prepared case (its JSON file, or none for the baseline), print its measures as JSON. */
async function child(preparedFile: string | undefined): Promise<void> {
  let code = 0;
  let ms = 0;
  if (preparedFile) {
    const r = await runPrepared(JSON.parse(readFileSync(preparedFile, "utf8")) as PreparedCase);
    [code, ms] = [r.code, r.ms];
  }
  process.stdout.write(`${JSON.stringify({ code, ms, maxRssKb: process.resourceUsage().maxRSS })}\n`);
}

/** Runs a child; the case's input is written beforehand by this process, so its cost is not measured. */
function runChild(preparedFile?: string): { code: number; ms: number; maxRssKb: number } {
  const r = spawnSync(
    process.execPath,
    ["--import", "tsx", SELF, "--case", ...(preparedFile ? [preparedFile] : [])],
    {
      cwd: ROOT,
      encoding: "utf8",
      timeout: 120_000,
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  if (r.status !== 0)
    throw new Error(`${preparedFile}: child exited ${r.status}\n${r.stderr.slice(0, 2000)}`);
  return JSON.parse(r.stdout.trim().split("\n").pop() ?? "{}") as {
    code: number;
    ms: number;
    maxRssKb: number;
  };
}

/** A config at the limits: `settings` workloads, each with its own for/window on every alert. */
function configAtLimits(settings: number): string {
  const longest = LIMITS.alertDurationSeconds;
  const lines = ["namespace: ml", "workloads:"];
  for (let i = 0; i < settings; i++) {
    // The longest allowed, then a minute shorter each: distinct settings, all near the limit.
    const d = formatSeconds(longest - i * 60);
    const overrides = ALERT_NAMES.filter((a) => CATALOG[a].perWorkload && CATALOG[a].for !== "0s").map(
      (a) => `      ${a}: { for: ${d}${CATALOG[a].window ? `, window: ${d}` : ""} }`,
    );
    const flapping = `      AIWorkloadScalingFlapping: { window: ${d} }`;
    lines.push(
      `  - name: w${i}`,
      "    autoscaling:",
      i % 2 === 0
        ? "      { minReplicas: 1, maxReplicas: 4, metrics: [{ type: gpu, targetUtilization: 70 }, { type: queue, server: vllm, targetPerReplica: 8 }] }"
        : "      { engine: keda, minReplicas: 0, maxReplicas: 4, metrics: [{ type: prometheus, query: 'sum(gateway_queue)', threshold: 5 }, { type: gpu, targetUtilization: 70 }] }",
      "    alerts:",
      ...overrides,
      flapping,
    );
  }
  lines.push(
    "notifications:",
    "  receivers:",
    "    - { name: team, type: webhook, url: { secret: s, key: url }, receive: [critical, warning, info, none] }",
  );
  return `${lines.join("\n")}\n`;
}

interface VerifyMeasure {
  what: string;
  exit: number;
  seconds: number;
  rssMiB: number;
  summary: string;
}

function timedVerify(what: string, file: string): VerifyMeasure {
  const time = existsSync("/usr/bin/time");
  const cmd = [process.execPath, "--import", "tsx", join(ROOT, "src/cli/main.ts"), "verify", "-c", file];
  const start = performance.now();
  const r = spawnSync(
    time ? "/usr/bin/time" : (cmd[0] as string),
    time ? ["-f", "%M", ...cmd] : cmd.slice(1),
    {
      cwd: ROOT,
      encoding: "utf8",
      timeout: 600_000,
    },
  );
  const seconds = (performance.now() - start) / 1000;
  const kb = time ? Number(/(\d+)\s*$/.exec(r.stderr)?.[1] ?? NaN) : NaN;
  const unit =
    /^(PASS|FAIL|WARN|SKIP) +Alert unit tests.*$/m.exec(r.stdout)?.[0] ?? r.stdout.split("\n").at(-2) ?? "";
  return { what, exit: r.status ?? -1, seconds, rssMiB: kb / 1024, summary: unit.replace(/\s+/g, " ") };
}

async function main(): Promise<void> {
  const cases = loadCases();
  const work = mkdtempSync(join(tmpdir(), "asa-bench-hostile-"));
  const failures: string[] = [];
  try {
    const baseline = runChild();
    const measures: CaseMeasure[] = [];
    for (const c of cases) {
      const preparedFile = join(work, `${c.id}.json`);
      writeFileSync(preparedFile, JSON.stringify(prepare(c, join(work, c.id))));
      const r = runChild(preparedFile);
      if (r.code !== c.exit) failures.push(`${c.id}: exit ${r.code}, expected ${c.exit}`);
      measures.push({ id: c.id, cls: c.class, exit: r.code, ms: r.ms, rssMiB: r.maxRssKb / 1024 });
      process.stderr.write(`${c.id}: ${r.ms.toFixed(0)} ms, ${(r.maxRssKb / 1024).toFixed(0)} MiB\n`);
    }
    const slowest = measures.reduce((a, b) => (b.ms > a.ms ? b : a));
    const largest = measures.reduce((a, b) => (b.rssMiB > a.rssMiB ? b : a));
    if (slowest.ms > BOUNDS.caseMs) failures.push(`${slowest.id} took ${slowest.ms.toFixed(0)} ms`);
    if (largest.rssMiB > BOUNDS.caseRssMiB)
      failures.push(`${largest.id} peaked at ${largest.rssMiB.toFixed(0)} MiB`);

    const verifies: VerifyMeasure[] = [];
    if (process.env.HOSTILE_SKIP_VERIFY !== "1") {
      const one = join(work, "one-long-for.yaml");
      writeFileSync(
        one,
        `namespace: ml\nworkloads:\n  - name: llm\n    autoscaling: { minReplicas: 1, maxReplicas: 4, metrics: [{ type: gpu, targetUtilization: 70 }] }\n    alerts:\n      AIWorkloadGpuUnderutilized: { for: ${formatSeconds(LIMITS.alertDurationSeconds)} }\nnotifications:\n  receivers:\n    - { name: team, type: webhook, url: { secret: s, key: url }, receive: [critical, warning, info, none] }\n`,
      );
      verifies.push(
        timedVerify(`one alert at the longest for (${formatSeconds(LIMITS.alertDurationSeconds)})`, one),
      );
      for (const n of [1, LIMITS.settingsPerAlert - 1]) {
        const f = join(work, `limits-${n}.yaml`);
        writeFileSync(f, configAtLimits(n));
        verifies.push(
          timedVerify(
            `every alert's for and window near ${formatSeconds(LIMITS.alertDurationSeconds)}, ${n} override setting${n > 1 ? "s" : ""} per alert (${n + 1} with the default)`,
            f,
          ),
        );
      }
      for (const v of verifies) {
        process.stderr.write(`verify, ${v.what}: ${v.seconds.toFixed(1)} s, ${v.rssMiB.toFixed(0)} MiB\n`);
        if (!/^PASS/.test(v.summary)) failures.push(`verify, ${v.what}: ${v.summary}`);
        if (v.seconds > BOUNDS.verifyAtLimitsS) failures.push(`verify, ${v.what}: ${v.seconds.toFixed(1)} s`);
        if (v.rssMiB > BOUNDS.verifyRssMiB) failures.push(`verify, ${v.what}: ${v.rssMiB.toFixed(0)} MiB`);
      }
    }
    await writeReport(measures, baseline.maxRssKb / 1024, verifies, failures);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  for (const f of failures) process.stderr.write(`OVER A BOUND: ${f}\n`);
  process.exitCode = failures.length > 0 ? 1 : 0;
}

async function writeReport(
  measures: CaseMeasure[],
  baselineMiB: number,
  verifies: VerifyMeasure[],
  failures: string[],
): Promise<void> {
  const slowest = [...measures].sort((a, b) => b.ms - a.ms);
  const largest = [...measures].sort((a, b) => b.rssMiB - a.rssMiB);
  const byClass = new Map<string, CaseMeasure[]>();
  for (const m of measures) byClass.set(m.cls, [...(byClass.get(m.cls) ?? []), m]);
  const ms = (x: number) => `${x < 10 ? x.toFixed(1) : x.toFixed(0)} ms`;
  const mib = (x: number) => `${x.toFixed(0)} MiB`;
  const lines = [
    "# Hostile input: time and memory",
    "",
    `Measured ${new Date().toISOString()} by \`bench/hostile.ts\` (\`npm run bench:hostile\`): nproc ${cpus().length}, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")} at the end, Node ${process.version}. The machine is shared; compare within this file.`,
    "",
    "## The corpus, one child process per case",
    "",
    `${measures.length} cases of test/fixtures/invalid/cases.json. Time: the CLI's \`run()\` in the child once its modules are loaded (process start-up, about a second with tsx, excluded). Memory: the child's peak RSS; a child that loads the CLI and runs nothing peaks at ${mib(baselineMiB)}.`,
    "",
    `| bound claimed | measured maximum | case |`,
    `| --- | --- | --- |`,
    `| time: ${BOUNDS.caseMs} ms per case | ${ms(slowest[0]?.ms ?? 0)} | ${slowest[0]?.id ?? ""} |`,
    `| memory: ${BOUNDS.caseRssMiB} MiB peak RSS per case | ${mib(largest[0]?.rssMiB ?? 0)} | ${largest[0]?.id ?? ""} |`,
    "",
    "Slowest ten:",
    "",
    "| case | class | exit | time | peak RSS |",
    "| --- | --- | --- | --- | --- |",
    ...slowest.slice(0, 10).map((m) => `| ${m.id} | ${m.cls} | ${m.exit} | ${ms(m.ms)} | ${mib(m.rssMiB)} |`),
    "",
    "Per class:",
    "",
    "| class | cases | exit codes | slowest | largest peak RSS |",
    "| --- | --- | --- | --- | --- |",
    ...[...byClass.entries()].map(
      ([cls, ms2]) =>
        `| ${cls} | ${ms2.length} | ${[...new Set(ms2.map((m) => m.exit))].join(", ")} | ${ms(Math.max(...ms2.map((m) => m.ms)))} | ${mib(Math.max(...ms2.map((m) => m.rssMiB)))} |`,
    ),
    "",
  ];
  if (verifies.length > 0) {
    lines.push(
      "## verify at the config's limits",
      "",
      `\`verify\` as a real process (start-up included) on configs at the limits of src/config/limits.ts: \`for\` and windows at most ${formatSeconds(LIMITS.alertDurationSeconds)}, at most ${LIMITS.settingsPerAlert} distinct settings (for, severity, window) per alert. Its alert unit tests replay each alert's timing on promtool at the 30 s evaluation interval, one alert after another, so these are the slowest configs validation accepts. Peak RSS: the largest process of the run (Node or promtool), from \`/usr/bin/time\`. Bound claimed: ${BOUNDS.verifyAtLimitsS} s and ${BOUNDS.verifyRssMiB} MiB.`,
      "",
      "| config | exit | time | peak RSS | alert unit tests |",
      "| --- | --- | --- | --- | --- |",
      ...verifies.map(
        (v) => `| ${v.what} | ${v.exit} | ${v.seconds.toFixed(1)} s | ${mib(v.rssMiB)} | ${v.summary} |`,
      ),
      "",
    );
  }
  lines.push(
    failures.length === 0
      ? "Every measurement is within its bound."
      : `Over a bound: ${failures.join("; ")}.`,
    "",
  );
  mkdirSync(dirname(OUT), { recursive: true });
  const options = (await resolveConfig(OUT)) ?? {};
  writeFileSync(OUT, await format(lines.join("\n"), { ...options, parser: "markdown", filepath: OUT }));
  process.stderr.write(`wrote ${OUT}\n`);
}

if (process.argv[2] === "--case") await child(process.argv[3]);
else await main();
