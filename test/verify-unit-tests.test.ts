/**
 * The promtool unit tests `verify` generates for a config (src/verify/unit-tests.ts), run with the
 * real promtool against the rules generated from the same config: they pass for the bundled
 * example, the promtool fixture and a config that overrides everything it can, and they fail when
 * the rules do not do what the config says (mutated thresholds, `for`, windows, labels).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { ALERT_NAMES, type AlertName } from "../src/catalog/catalog.js";
import { loadConfigFile, parseConfig } from "../src/config/load.js";
import { resolveConfig, type ResolvedConfig } from "../src/config/resolve.js";
import { toYaml } from "../src/render/yaml.js";
import { buildRuleGroups, type RuleGroup } from "../src/rules/index.js";
import {
  buildUnitTests,
  sampleWorkloads,
  UnitTestInputError,
  type PromtoolTestFile,
} from "../src/verify/unit-tests.js";
import { requireTool } from "./support/tools.js";

const root = join(import.meta.dirname, "..");

interface Run {
  readonly ok: boolean;
  readonly output: string;
  readonly ms: number;
}

/** `promtool test rules tests.yml` in a fresh directory holding rules.yml and tests.yml. */
function promtoolTest(groups: readonly RuleGroup[], tests: PromtoolTestFile): Run {
  const bin = requireTool("promtool");
  const dir = mkdtempSync(join(tmpdir(), "asa-verify-unit-"));
  try {
    writeFileSync(join(dir, "rules.yml"), toYaml({ groups }));
    writeFileSync(join(dir, "tests.yml"), toYaml(tests));
    const start = Date.now();
    const r = spawnSync(bin, ["test", "rules", "tests.yml"], { cwd: dir, encoding: "utf8" });
    return { ok: r.status === 0, output: `${r.stdout}${r.stderr}`, ms: Date.now() - start };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A config that overrides everything a user can. */
const HEAVY = {
  name: "heavy",
  namespace: "inference",
  monitoring: {
    clusterLabel: "cluster",
    kubeStateMetricsSelector: 'job=~"kube-state-metrics|ksm", cluster!=""',
    cadvisorSelector: 'job="kubelet", metrics_path="/metrics/cadvisor", image!=""',
    gpu: { podLabel: "pod", namespaceLabel: "namespace", selector: 'job="dcgm-exporter"' },
    queue: {
      podLabel: "kubernetes_pod_name",
      namespaceLabel: "kubernetes_namespace",
      selector: 'job=~"vllm.*|triton|sglang"',
    },
    keda: { namespaceLabel: "namespace", selector: 'job="keda-operator"' },
    runbookBaseUrl: "https://runbooks.example.org/ai-scaling.html",
  },
  alerts: {
    AIWorkloadAtMaxReplicas: { for: "3m" },
    AIWorkloadHighCpuUtilization: { threshold: 85 },
    AIWorkloadScalingFlapping: { window: "20m", threshold: 4 },
    AIScalingAlertsHeartbeat: { severity: "info", for: "1m" },
    AIScalingAlertsMetricsAbsent: { for: "2m", severity: "warning" },
  },
  workloads: [
    {
      name: "llm-chat",
      autoscaling: {
        minReplicas: 2,
        maxReplicas: 8,
        metrics: [
          { type: "gpu", targetUtilization: 70 },
          { type: "queue", server: "vllm", targetPerReplica: 8 },
        ],
      },
      labels: { team: "ml-platform", tier: "gold" },
      alerts: {
        AIWorkloadGpuSaturated: { threshold: 75, for: "2m", severity: "critical" },
        AIWorkloadGpuUnderutilized: { threshold: 35.5, for: "15m" },
        AIWorkloadQueueBacklog: { threshold: 1.5 },
        AIWorkloadScaledUp: { severity: "warning", for: "30s" },
        AIWorkloadPodsUnschedulable: { for: "4m" },
        AIWorkloadScaleUpStalled: { for: "7m" },
      },
    },
    {
      name: "embeddings",
      namespace: "search",
      autoscaling: { minReplicas: 1, maxReplicas: 10, metrics: [{ type: "cpu", targetUtilization: 80 }] },
      labels: { team: "search" },
      alerts: {
        AIWorkloadHighCpuUtilization: { threshold: 92.5, for: "2m" },
        AIWorkloadScalingFlapping: { enabled: false },
        AIWorkloadUnableToScale: { severity: "warning" },
        AIWorkloadAtMaxReplicas: { enabled: false },
      },
    },
    {
      name: "indexer",
      kind: "StatefulSet",
      hpaName: "indexer-hpa",
      existingHpa: true,
      signals: { gpu: true, queue: { server: "triton", targetPerReplica: 3 } },
      alerts: {
        AIWorkloadScalingInactive: { for: "90s" },
        AIWorkloadScalingFlapping: { threshold: 8, window: "10m", severity: "critical" },
        AIWorkloadGpuSaturated: { enabled: false },
        AIWorkloadHpaMissing: { for: "3m", severity: "critical" },
      },
    },
    {
      name: "reranker",
      autoscaling: {
        engine: "keda",
        minReplicas: 0,
        maxReplicas: 4,
        metrics: [
          { type: "prometheus", query: 'sum(gateway_requests_pending{service="reranker"})', threshold: 4 },
          { type: "queue", server: "tgi", targetPerReplica: 5 },
        ],
        keda: { scaledObjectName: "rerank-so" },
      },
      labels: { team: "search" },
      alerts: {
        AIWorkloadColdStartSlow: { for: "3m" },
        AIWorkloadScalerErrors: { for: "2m", window: "1m", severity: "warning" },
        AIWorkloadScaledToZero: { severity: "warning" },
        AIWorkloadHighCpuUtilization: { enabled: false },
      },
    },
    {
      name: "worker",
      kind: "StatefulSet",
      existingHpa: true,
      signals: { keda: { scaledObject: "worker", scaleToZero: true } },
      alerts: { AIWorkloadColdStart: { for: "30s" }, AIWorkloadHpaMissing: { enabled: false } },
    },
    {
      name: "summarizer",
      existingHpa: true,
      signals: { queue: { server: "sglang", targetPerReplica: 2.5 } },
      labels: { team: "ml-platform" },
      alerts: { AIWorkloadQueueBacklog: { threshold: 3.3, for: "90s" } },
    },
  ],
};

const configs: Record<string, () => ResolvedConfig> = {
  "the bundled example (examples/llm-serving.yaml)": () =>
    resolveConfig(loadConfigFile(join(root, "examples/llm-serving.yaml"))),
  "the promtool fixture (test/promtool/fixture.yaml)": () =>
    resolveConfig(loadConfigFile(join(root, "test/promtool/fixture.yaml"))),
  "a config with heavy overrides": () => resolveConfig(parseConfig(HEAVY)),
};

/** Alert names asserted as firing somewhere in a test file. */
function firingAlerts(tests: PromtoolTestFile): Set<string> {
  const out = new Set<string>();
  for (const t of tests.tests) {
    for (const a of t.alert_rule_test ?? []) if (a.exp_alerts.length > 0) out.add(a.alertname);
    for (const p of t.promql_expr_test ?? [])
      if (p.exp_samples.length > 0) out.add(/alertname="(\w+)"/.exec(p.expr)?.[1] ?? "");
  }
  return out;
}

describe("generated promtool unit tests pass against the rules of the same config", () => {
  for (const [name, load] of Object.entries(configs)) {
    it(name, () => {
      const rc = load();
      const tests = buildUnitTests(rc);
      const r = promtoolTest(buildRuleGroups(rc), tests);
      assert.ok(r.ok, r.output);
      assert.match(r.output, /SUCCESS/);
    });
  }

  it("assert every alert that is active for some workload firing, with exact annotations", () => {
    const rc = configs["a config with heavy overrides"]!();
    const tests = buildUnitTests(rc);
    const active = ALERT_NAMES.filter((a) =>
      rc.workloads.some((w) => w.alerts[a].applies && w.alerts[a].enabled),
    );
    const firing = firingAlerts(tests);
    assert.deepEqual(
      active.filter((a) => !firing.has(a)),
      [],
    );
    assert.ok(firing.has("AIScalingAlertsHeartbeat"));
    // Every description could be derived: no fallback to ALERTS.
    assert.deepEqual(
      tests.tests.flatMap((t) => t.promql_expr_test ?? []),
      [],
    );
  });

  it("put the cluster label, custom selectors' labels and decoys on the input series", () => {
    const tests = buildUnitTests(configs["a config with heavy overrides"]!());
    const series = tests.tests.flatMap((t) => t.input_series.map((s) => s.series));
    const ksm = series.filter((s) => s.startsWith("kube_"));
    assert.ok(
      ksm.length > 0 &&
        ksm.every((s) => /job="kube-state-metrics"/.test(s) && /cluster="verify-cluster"/.test(s)),
    );
    assert.ok(series.filter((s) => s.startsWith("container_cpu")).every((s) => /image="verify"/.test(s)));
    assert.ok(
      series.some((s) =>
        /^nv_inference_pending_request_count\{.*kubernetes_namespace="inference",kubernetes_pod_name="indexer-0"/.test(
          s,
        ),
      ),
    );
    assert.ok(series.filter((s) => s.startsWith("DCGM")).every((s) => /job="dcgm-exporter"/.test(s)));
  });
});

/** The test file reduced to the assertions about one alert (the input series stay whole). */
function onlyAlert(tests: PromtoolTestFile, alert: AlertName): PromtoolTestFile {
  return {
    ...tests,
    tests: tests.tests.flatMap((t) => {
      const alertTests = (t.alert_rule_test ?? []).filter((a) => a.alertname === alert);
      const exprTests = (t.promql_expr_test ?? []).filter((p) => p.expr.includes(`alertname="${alert}"`));
      return alertTests.length + exprTests.length === 0
        ? []
        : [{ ...t, alert_rule_test: alertTests, promql_expr_test: exprTests }];
    }),
  };
}

type RuleLike = Record<string, unknown> & { expr: string; for?: string; labels: Record<string, string> };

/** The rules with one alert's rules changed. */
function mutate(
  groups: readonly RuleGroup[],
  alert: AlertName,
  change: (r: RuleLike) => RuleLike,
): RuleGroup[] {
  return groups.map((g) => ({
    ...g,
    rules: g.rules.map((r) => ("alert" in r && r.alert === alert ? (change(r as never) as never) : r)),
  }));
}

/**
 * Each mutation breaks what one setting of the config asks for, the way a plausible bug would: the
 * tests generated for that config must then fail. Only the mutated alert's assertions are run.
 */
describe("generated promtool unit tests catch rules that do not do what the config says", () => {
  const setups = {
    fixture: configs["the promtool fixture (test/promtool/fixture.yaml)"]!(),
    heavy: configs["a config with heavy overrides"]!(),
  };
  const generated = Object.fromEntries(
    Object.entries(setups).map(([k, rc]) => [k, { groups: buildRuleGroups(rc), tests: buildUnitTests(rc) }]),
  ) as Record<keyof typeof setups, { groups: RuleGroup[]; tests: PromtoolTestFile }>;

  const replace = (from: string | RegExp, to: string) => (r: RuleLike) => {
    const expr = r.expr.replace(from, to);
    return { ...r, expr };
  };
  const cases: [keyof typeof setups, string, AlertName, (r: RuleLike) => RuleLike][] = [
    // Thresholds, as data (a workload's override) and in the expression (the default).
    [
      "heavy",
      "llm-chat's GPU threshold override (75) ignored",
      "AIWorkloadGpuSaturated",
      replace(
        'alert_threshold:configured{alert="AIWorkloadGpuSaturated"}',
        'alert_threshold:configured{alert="none"}',
      ),
    ],
    [
      "heavy",
      "every CPU threshold 0.05 higher (85 -> 85.05)",
      "AIWorkloadHighCpuUtilization",
      replace(
        'workload_hpa:alert_threshold:configured{alert="AIWorkloadHighCpuUtilization"}',
        '(workload_hpa:alert_threshold:configured{alert="AIWorkloadHighCpuUtilization"} + 0.05)',
      ),
    ],
    ["fixture", "the queue comparison >= -> >", "AIWorkloadQueueBacklog", replace(">= on", "> on")],
    [
      "fixture",
      "the queue factor 2 -> 1.99",
      "AIWorkloadQueueBacklog",
      replace("configured * 2)", "configured * 1.99)"),
    ],
    // `for` and windows.
    [
      "heavy",
      "the config-wide AIWorkloadAtMaxReplicas for: 3m -> 2m30s",
      "AIWorkloadAtMaxReplicas",
      (r) => ({ ...r, for: r.for === "3m" ? "2m30s" : r.for }),
    ],
    [
      "heavy",
      "indexer's AIWorkloadScalingInactive for: 90s -> 2m",
      "AIWorkloadScalingInactive",
      (r) => ({ ...r, for: r.for === "90s" ? "2m" : r.for }),
    ],
    [
      "heavy",
      "llm-chat's 7m stall window -> 6m30s",
      "AIWorkloadScaleUpStalled",
      replace(/\[7m1ms\]/g, "[6m30s1ms]"),
    ],
    ["heavy", "the flapping window 20m -> 21m", "AIWorkloadScalingFlapping", replace("[20m1ms]", "[21m1ms]")],
    ["heavy", "reranker's KEDA error window 1m -> 2m", "AIWorkloadScalerErrors", replace("[1m]", "[2m]")],
    [
      "fixture",
      "the scale-event lookback 1m -> 2m",
      "AIWorkloadScaledUp",
      replace("[59s999ms]", "[1m59s999ms]"),
    ],
    // Labels and selection.
    [
      "heavy",
      "embeddings' severity override (warning) dropped",
      "AIWorkloadUnableToScale",
      (r) => ({ ...r, labels: { ...r.labels, severity: "critical" } }),
    ],
    [
      "heavy",
      "embeddings (AIWorkloadAtMaxReplicas off) no longer excluded",
      "AIWorkloadAtMaxReplicas",
      replace(
        /unless on \([^)]*\) workload_hpa:alert_variant:configured\{alert="AIWorkloadAtMaxReplicas"\}/,
        "",
      ),
    ],
    [
      "heavy",
      "the cluster label left out of a join",
      "AIWorkloadPodsUnschedulable",
      replace("max by (cluster, namespace, pod)", "max by (namespace, pod)"),
    ],
    // The blind spots.
    [
      "heavy",
      "AIWorkloadHpaMissing no longer waits for other HPAs to be reported",
      "AIWorkloadHpaMissing",
      replace(/\nand on \([^)]*\) count[^\n]*$/, ""),
    ],
    [
      "heavy",
      "indexer's AIWorkloadHpaMissing for: 3m -> 2m30s",
      "AIWorkloadHpaMissing",
      (r) => ({ ...r, for: r.for === "3m" ? "2m30s" : r.for }),
    ],
    [
      "heavy",
      "indexer's HPA name made from its name (indexer-hpa -> indexer)",
      "AIWorkloadHpaMissing",
      replace('"horizontalpodautoscaler", "${1}-hpa"', '"horizontalpodautoscaler", "${1}"'),
    ],
    [
      "heavy",
      "worker (AIWorkloadHpaMissing off) listed in the default rule",
      "AIWorkloadHpaMissing",
      replace(/statefulset=~?"([^"]*)"/, 'statefulset=~"$1|worker"'),
    ],
    [
      "heavy",
      "the config-wide AIScalingAlertsMetricsAbsent for: 2m -> 1m30s",
      "AIScalingAlertsMetricsAbsent",
      (r) => ({ ...r, for: "1m30s" }),
    ],
    [
      "heavy",
      "AIScalingAlertsMetricsAbsent without its namespace label",
      "AIScalingAlertsMetricsAbsent",
      (r) => ({ ...r, labels: { severity: r.labels.severity ?? "", event: r.labels.event ?? "" } }),
    ],
    [
      "heavy",
      "a wrong runbook URL",
      "AIWorkloadColdStart",
      (r) => ({ ...r, annotations: { ...(r.annotations as object), runbook_url: "https://example.com/#x" } }),
    ],
  ];

  for (const [setup, what, alert, change] of cases) {
    it(`${setup}: ${what}`, () => {
      const { groups, tests } = generated[setup];
      const mutated = mutate(groups, alert, change);
      assert.notDeepEqual(mutated, groups, "the mutation changed nothing");
      const focused = onlyAlert(tests, alert);
      assert.ok(focused.tests.length > 0, `no assertion about ${alert}`);
      const r = promtoolTest(mutated, focused);
      assert.equal(r.ok, false, `the generated tests still pass with ${what}`);
      assert.match(r.output, new RegExp(`alertname: ${alert}|alertname="${alert}"`));
    });
  }
});

describe("buildUnitTests", () => {
  it("samples at most maxWorkloads, but covers every setting of every alert", () => {
    const base = parseConfig(HEAVY);
    const many = {
      ...HEAVY,
      workloads: [
        ...HEAVY.workloads,
        ...Array.from({ length: 30 }, (_, i) => ({ name: `plain-${i}`, existingHpa: true })),
      ],
    };
    const rc = resolveConfig(parseConfig(many));
    const sample = sampleWorkloads(rc, 8);
    assert.equal(sample.length, 8);
    for (const w of base.workloads)
      assert.ok(
        sample.some((s) => s.name === w.name),
        `${w.name} is sampled`,
      );
    const small = sampleWorkloads(rc, 3);
    // Six workloads carry distinct settings: the cap yields to coverage.
    assert.equal(small.length, 6);
  });

  it("says which selector cannot be satisfied", () => {
    const rc = resolveConfig(
      parseConfig({
        ...HEAVY,
        monitoring: { ...HEAVY.monitoring, kubeStateMetricsSelector: 'namespace="kube-system"' },
      }),
    );
    assert.throws(() => buildUnitTests(rc), UnitTestInputError);
  });

  it("fails for real when promtool is missing (never skips)", () => {
    assert.throws(() => requireTool("promtool-that-does-not-exist"), /not found/);
  });
});
