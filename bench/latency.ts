/**
 * `npm run bench:latency`: how long after a change in the cluster the notification arrives, on the
 * real Prometheus and Alertmanager with the bundled example's rules and routing (scaling feed
 * unmuted), measured by the sandbox.
 *
 * Run A, speed 1 (the intervals a user deploys: scrape 30s, evaluation 30s, group_wait 30s): a
 * burst of scale steps of one workload, the second step 2 minutes after the first, then three
 * scale-downs a minute apart; each step's delivery latency against the floor (scrape +
 * evaluation + group_wait) measured in the same run.
 * Run B, at speed 10 (every interval, `for` and group timing divided by 10 by the generator;
 * figures converted back to real time): at max for 20 minutes, and a scale-up whose pods never
 * become ready for 20 minutes, with kube-prometheus-stack's KubeHpaMaxedOut and
 * KubeHpaReplicasMismatch loaded beside the catalog: which of them fires, and when.
 *
 * Writes bench/results/latency.md. Env: LATENCY_OUT (output file), LATENCY_SKIP_A=1 (only run B).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { loadConfigFile } from "../src/config/load.js";
import { durationSeconds } from "../src/config/primitives.js";
import {
  runSandbox,
  PRODUCTION_EVALUATION_INTERVAL,
  PRODUCTION_SCRAPE_INTERVAL,
} from "../src/sandbox/run.js";
import { parseScenario } from "../src/sandbox/scenario/load.js";
import { summaryTable } from "../src/sandbox/summary.js";
import type { SandboxTimeline } from "../src/sandbox/timeline.js";
import { STOCK_RULE_GROUPS } from "./lib/stock-rules.js";
import { withoutMuteIntervals } from "../src/sandbox/config-variants.js";

const OUT = process.env.LATENCY_OUT ?? "bench/results/latency.md";
const CONFIG = "examples/llm-serving.yaml";

/**
 * Steps 1 to 4 minutes apart at irregular times, so that each falls at a different moment of the
 * 30 s scrape and evaluation cycles (the phases 0, 10, 23, 7, 21, 5 and 19 s): the latencies
 * sample the whole range between the best and the worst case.
 */
const STEP_TIMES = ["1m", "2m10s", "4m23s", "5m37s", "7m51s", "9m5s", "10m19s"];
const STEP_REPLICAS = ["min+4", "max", "max-1", "max-2", "max-3", "max-4", "max-5"];
const STEP_COUNTS = ["6", "8", "7", "6", "5", "4", "3"];
const steps = parseScenario(
  {
    name: "latency-steps",
    description: "Scale steps of one workload, 1 to 4 minutes apart: up twice, then down five times.",
    duration: "13m",
    workload: { needs: "gpu" },
    steps: [
      { at: "0s", set: { replicas: "min", gpuUtilization: 50, queuePerReplica: 2, scalingLimited: false } },
      ...STEP_TIMES.map((at, i) => ({ at, set: { replicas: STEP_REPLICAS[i] } })),
    ],
    expect: STEP_TIMES.map((at, i) => ({
      alert: i < 2 ? "AIWorkloadScaledUp" : "AIWorkloadScaledDown",
      at,
      within: "3m",
      labels: { replicas: STEP_COUNTS[i] },
    })),
  },
  "bench latency-steps",
);

const stuck = parseScenario(
  {
    name: "latency-stuck",
    description: "At max for 20 minutes (wanting more), then a scale-up whose pods never become ready.",
    duration: "24m",
    workload: { needs: "gpu" },
    steps: [
      { at: "0s", set: { replicas: "min", gpuUtilization: 50, queuePerReplica: 2 } },
      { at: "1m", set: { replicas: "max", gpuUtilization: 95, queuePerReplica: 30 } },
    ],
    expect: [],
  },
  "bench latency-stuck",
);

const mismatch = parseScenario(
  {
    name: "latency-mismatch",
    description:
      "A scale-up whose current replicas lag behind desired for 20 minutes (pods never schedulable).",
    duration: "24m",
    workload: { needs: "gpu" },
    steps: [
      { at: "0s", set: { replicas: "min", gpuUtilization: 50, queuePerReplica: 2 } },
      { at: "1m", set: { replicas: "min+2", current: "min+1", unschedulable: 2, gpuUtilization: 85 } },
    ],
    expect: [],
  },
  "bench latency-mismatch",
);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? NaN) : ((s[m - 1] ?? NaN) + (s[m] ?? NaN)) / 2;
};
const fmt = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? "-" : `${x.toFixed(1)} s`);

async function main(): Promise<void> {
  const config = withoutMuteIntervals(loadConfigFile(CONFIG));
  const started = new Date().toISOString();
  const log = (l: string) => console.log(l);
  const runs: Promise<SandboxTimeline | undefined>[] = [
    process.env.LATENCY_SKIP_A
      ? Promise.resolve(undefined)
      : runSandbox({ config, scenario: steps, speed: 1, log, drainSeconds: 60 }),
    runSandbox({
      config,
      scenario: stuck,
      speed: 10,
      extraRuleGroups: STOCK_RULE_GROUPS as never,
      log: () => undefined,
    }),
    runSandbox({
      config,
      scenario: mismatch,
      speed: 10,
      extraRuleGroups: STOCK_RULE_GROUPS as never,
      log: () => undefined,
    }),
  ];
  const [a, b, c] = await Promise.all(runs);
  const groupWait = durationSeconds(config.notifications?.groupWait ?? "30s");
  const floor =
    durationSeconds(PRODUCTION_SCRAPE_INTERVAL) + durationSeconds(PRODUCTION_EVALUATION_INTERVAL) + groupWait;

  const lines: string[] = [
    "# Notification latency, end to end on the real binaries",
    "",
    "Generated by `npm run bench:latency` (bench/latency.ts): the sandbox (simulated kube-state-metrics ->",
    "real Prometheus -> real Alertmanager -> webhook recorder) with the rules and routing of",
    `\`${CONFIG}\` (scaling feed unmuted). Started ${started}; Prometheus 2.42 and Alertmanager 0.25 from Debian.`,
    "",
  ];
  if (a) {
    lines.push(
      "## A. Scale steps at speed 1 (scrape 30s, evaluation 30s, group_wait 30s, scale-event group_interval 30s)",
      "",
      `Floor = scrape interval + evaluation interval + group_wait = ${floor} s. Latency = delivery to the`,
      "scaling feed minus the moment the exporter changed.",
      "",
      "| step | at | delivered | latency | / floor |",
      "| --- | --- | --- | --- | --- |",
    );
    const lat: Record<string, number[]> = {};
    for (const e of a.expectations) {
      const l = e.receivedAt !== undefined ? e.receivedAt - e.window[0] : undefined;
      if (l !== undefined) (lat[e.alertname] ??= []).push(l);
      lines.push(
        `| ${e.alertname} | ${e.window[0]} s | ${e.ok ? "yes" : "**no**"} | ${fmt(l)} | ${l === undefined ? "-" : (l / floor).toFixed(2)} |`,
      );
    }
    lines.push("", "| event | n | median | max | max / floor |", "| --- | --- | --- | --- | --- |");
    for (const [name, xs] of Object.entries(lat))
      lines.push(
        `| ${name} | ${xs.length} | ${fmt(median(xs))} | ${fmt(Math.max(...xs))} | ${(Math.max(...xs) / floor).toFixed(2)} |`,
      );
    const hb = a.notifications.filter((n) => n.receiver === "deadmans-switch").map((n) => n.t);
    const gaps = hb.slice(1).map((t, i) => t - (hb[i] ?? 0));
    lines.push(
      "",
      `Heartbeat pings to deadmans-switch: ${hb.length} in ${a.durationSeconds} s; gaps ${gaps.map((g) => g.toFixed(0)).join(", ") || "-"} s.`,
      `Unexpected notifications: ${a.notifications.filter((n) => !n.expected).length}. Run ${a.passed ? "PASSED" : "FAILED"}.`,
      "",
      "```",
      ...summaryTable(a),
      "```",
      "",
    );
  }
  lines.push(
    "## B. The catalog vs kube-prometheus-stack's HPA alerts (speed 10, converted to real time)",
    "",
    "Both rule sets loaded in the same Prometheus; times are when the alert became firing, after the",
    "change in the cluster (scenario time, i.e. what a user would see at speed 1).",
    "",
    "| situation | alert | fires after |",
    "| --- | --- | --- |",
  );
  const firing = (t: SandboxTimeline | undefined, situation: string, from: number, names: string[]) => {
    for (const name of names) {
      const al = t?.alerts.find((x) => x.alertname === name && x.firingAt !== undefined);
      lines.push(
        `| ${situation} | ${name} | ${al?.firingAt !== undefined ? fmt(al.firingAt - from) : "never (in 23 min)"} |`,
      );
    }
  };
  firing(b, "at max, wanting more", 60, [
    "AIWorkloadScaledUp",
    "AIWorkloadQueueBacklog",
    "AIWorkloadAtMaxReplicas",
    "AIWorkloadGpuSaturated",
    "KubeHpaMaxedOut",
    "KubeHpaReplicasMismatch",
  ]);
  firing(c, "scale-up whose pods never start", 60, [
    "AIWorkloadScaledUp",
    "AIWorkloadPodsUnschedulable",
    "AIWorkloadScaleUpStalled",
    "KubeHpaMaxedOut",
    "KubeHpaReplicasMismatch",
  ]);
  lines.push("");
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, `${lines.join("\n")}\n`);
  console.log(`wrote ${OUT}`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
