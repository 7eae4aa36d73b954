/** The rule generator: rules per distinct setting (not per workload), data series, and valid PromQL. */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { PrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import { generate } from "../src/build.js";
import { ALERT_NAMES, runbookAnchor } from "../src/catalog/catalog.js";
import { parseConfig } from "../src/config/load.js";
import type { ConfigInput } from "../src/config/schema.js";
import { promqlSyntaxErrors } from "../src/promql/syntax.js";
import { schemaViolations } from "../src/render/schema-check.js";
import type { AlertRule, RecordingRule, RuleGroup } from "../src/rules/index.js";
import { promtool } from "./support/promtool.js";

const BLIND_SPOTS: readonly string[] = ["AIScalingAlertsMetricsAbsent", "AIWorkloadHpaMissing"];

const gpuWorkload = (i: number, extra: Record<string, unknown> = {}) => ({
  name: `llm-${i}`,
  namespace: `ns-${i % 7}`,
  autoscaling: {
    minReplicas: 1,
    maxReplicas: 4,
    metrics: [
      { type: "gpu" as const, targetUtilization: 70 },
      { type: "queue" as const, server: "vllm" as const, targetPerReplica: 4 + (i % 3) },
    ],
  },
  labels: { team: `team-${i % 5}` },
  ...extra,
});

function rulesOf(input: ConfigInput): {
  alerts: AlertRule[];
  records: RecordingRule[];
  groups: readonly RuleGroup[];
} {
  const g = generate(parseConfig(input));
  const all = g.ruleGroups.flatMap((gr) => gr.rules);
  return {
    alerts: all.filter((r): r is AlertRule => "alert" in r),
    records: all.filter((r): r is RecordingRule => "record" in r),
    groups: g.ruleGroups,
  };
}

const countBy = (rules: AlertRule[]) =>
  rules.reduce<Record<string, number>>((m, r) => ({ ...m, [r.alert]: (m[r.alert] ?? 0) + 1 }), {});

describe("rules: cost does not grow with workloads", () => {
  it("1 workload and 300 workloads give the same rules, only more data", () => {
    const one = rulesOf({ workloads: [gpuWorkload(0)] });
    const many = rulesOf({ workloads: Array.from({ length: 300 }, (_, i) => gpuWorkload(i)) });
    assert.equal(many.alerts.length, one.alerts.length);
    assert.equal(many.records.length, one.records.length);
    assert.deepEqual(countBy(many.alerts), countBy(one.alerts));
    assert.equal(one.alerts.length, 15, "every alert once, heartbeat and blind spots included");
  });

  it("a different for or severity adds one rule for the workloads sharing it; a threshold or enabled adds none", () => {
    const base = Array.from({ length: 20 }, (_, i) => gpuWorkload(i));
    const plain = countBy(rulesOf({ workloads: base }).alerts);
    const tuned = rulesOf({
      workloads: base.map((w, i) =>
        i < 5
          ? { ...w, alerts: { AIWorkloadAtMaxReplicas: { for: "15m", severity: "critical" as const } } }
          : i < 10
            ? {
                ...w,
                alerts: {
                  AIWorkloadGpuSaturated: { threshold: 95 },
                  AIWorkloadScaledDown: { enabled: false },
                },
              }
            : w,
      ),
    });
    assert.deepEqual(countBy(tuned.alerts), { ...plain, AIWorkloadAtMaxReplicas: 2 });
    const atMax = tuned.alerts.filter((r) => r.alert === "AIWorkloadAtMaxReplicas");
    assert.deepEqual(
      atMax.map((r) => [r.for, r.labels.severity]),
      [
        ["5m", "warning"],
        ["15m", "critical"],
      ],
    );
    assert.match(
      atMax[0]?.expr ?? "",
      /unless on \(namespace, horizontalpodautoscaler\) workload_hpa:alert_variant:configured\{alert="AIWorkloadAtMaxReplicas"\}/,
    );
    assert.match(
      atMax[1]?.expr ?? "",
      /and on \(namespace, horizontalpodautoscaler\) workload_hpa:alert_variant:configured\{alert="AIWorkloadAtMaxReplicas", variant="for=15m,severity=critical"\}/,
    );

    const data = (name: string) => tuned.records.find((r) => r.record === name)?.expr ?? "";
    // Workloads are listed by label matchers, grouped by namespace and setting: ns-0..ns-4 hold
    // llm-0..llm-4, the workloads on the 15m/critical variant.
    const variants = data("workload_hpa:alert_variant:configured");
    /** The HPAs listed in the union entry that sets this alert and variant. */
    const listed = (alert: string, variant: string) => {
      const end = variants.indexOf(`"alert", "${alert}", "", ""), "variant", "${variant}"`);
      assert.ok(end > 0, `${alert}/${variant} not found`);
      const start = variants.lastIndexOf('"variant", "', end - 1);
      return [...variants.slice(Math.max(0, start), end).matchAll(/horizontalpodautoscaler="(llm-\d+)"/g)]
        .map((m) => m[1])
        .sort();
    };
    assert.deepEqual(listed("AIWorkloadAtMaxReplicas", "for=15m,severity=critical"), [
      "llm-0",
      "llm-1",
      "llm-2",
      "llm-3",
      "llm-4",
    ]);
    assert.deepEqual(listed("AIWorkloadScaledDown", "off"), ["llm-5", "llm-6", "llm-7", "llm-8", "llm-9"]);
    assert.doesNotMatch(
      variants,
      /horizontalpodautoscaler="llm-1[0-9]"/,
      "workloads on the defaults are not listed",
    );
    // The overridden threshold is recorded per HPA (95 for the tuned ones, else the default 90).
    const thresholds = tuned.records.find(
      (r) =>
        r.record === "workload_hpa:alert_threshold:configured" &&
        r.labels?.alert === "AIWorkloadGpuSaturated",
    );
    assert.match(thresholds?.expr ?? "", /\* 0 \+ 95/);
    assert.match(thresholds?.expr ?? "", /\* 0 \+ 90$/);
    assert.equal(
      tuned.alerts.filter((r) => r.alert === "AIWorkloadAtMaxReplicas")[1]?.labels.alert_variant,
      "for=15m,severity=critical",
    );
  });

  it("lists a workload's HPA once per namespace and setting, not once per workload", () => {
    const { records } = rulesOf({ workloads: Array.from({ length: 70 }, (_, i) => gpuWorkload(i)) });
    const info = records.find((r) => r.record === "workload_hpa:info:configured")?.expr ?? "";
    // 7 namespaces x 5 teams = 35 groups of 2 workloads.
    assert.equal((info.match(/kube_horizontalpodautoscaler_info\{/g) ?? []).length, 35);
    assert.match(info, /horizontalpodautoscaler=~"llm-0\|llm-35"/);
  });

  it("an override variant reads the recorded facts and takes its workloads from the variant series", () => {
    const ws = Array.from({ length: 20 }, (_, i) =>
      i < 2 ? gpuWorkload(i, { alerts: { AIWorkloadUnableToScale: { for: "1m" } } }) : gpuWorkload(i),
    );
    const [dflt, variant] = rulesOf({ workloads: ws }).alerts.filter(
      (r) => r.alert === "AIWorkloadUnableToScale",
    );
    assert.match(
      variant?.expr ?? "",
      /and on \(namespace, horizontalpodautoscaler\) workload_hpa:alert_variant:configured\{alert="AIWorkloadUnableToScale", variant="for=1m,/,
    );
    assert.match(
      dflt?.expr ?? "",
      /unless on \(namespace, horizontalpodautoscaler\) workload_hpa:alert_variant:configured\{alert="AIWorkloadUnableToScale"\}/,
    );
    for (const r of [dflt, variant]) {
      assert.doesNotMatch(
        r?.expr ?? "",
        /kube_horizontalpodautoscaler/,
        "alerts read the facts, not kube-state-metrics",
      );
    }
  });

  it("writes no data series for workloads on the defaults", () => {
    const { records } = rulesOf({ workloads: [gpuWorkload(0), gpuWorkload(1)] });
    assert.equal(
      records.find((r) => r.record === "workload_hpa:alert_variant:configured"),
      undefined,
    );
    assert.equal(
      records.find((r) => r.record === "workload_hpa:alert_threshold:configured"),
      undefined,
    );
  });

  it("builds large unions as balanced trees (depth log n, not n)", () => {
    const { records } = rulesOf({
      workloads: Array.from({ length: 256 }, (_, i) => ({ ...gpuWorkload(i), labels: { team: `t${i}` } })),
    });
    const info = records.find((r) => r.record === "workload_hpa:info:configured")?.expr ?? "";
    let depth = 0;
    let max = 0;
    for (const ch of info.replace(/label_replace\(|max by \(|\{[^}]*\}|\([^()]*\)/g, "")) {
      if (ch === "(") max = Math.max(max, ++depth);
      if (ch === ")") depth--;
    }
    assert.ok(max <= 10, `union nesting depth ${max}`);
  });
});

describe("rules: what applies to whom", () => {
  it("gives GPU and queue rules only when some workload has that data, and averages the GPU workloads' GPUs only", () => {
    const cpuOnly = rulesOf({
      workloads: [
        {
          name: "a",
          autoscaling: { minReplicas: 1, maxReplicas: 3, metrics: [{ type: "cpu", targetUtilization: 70 }] },
        },
      ],
    });
    assert.deepEqual(
      cpuOnly.alerts.map((r) => r.alert).filter((a) => /Gpu|Queue/.test(a)),
      [],
    );
    assert.equal(
      cpuOnly.records.some((r) => /gpu|queue/.test(r.record)),
      false,
    );

    // Workloads without a GPU need no `off`: the recorded GPU utilisation covers the GPU workloads'
    // pods only, so the GPU alerts have nothing to exclude.
    const mixed = rulesOf({
      workloads: [gpuWorkload(0), ...["a", "b", "c"].map((name) => ({ name, existingHpa: true }))],
    });
    const gpuRule = mixed.alerts.find((r) => r.alert === "AIWorkloadGpuSaturated");
    assert.doesNotMatch(gpuRule?.expr ?? "", /alert_variant/);
    assert.equal(
      mixed.records.find((r) => r.record === "workload_hpa:alert_variant:configured"),
      undefined,
    );
    const gpu = mixed.records.find((r) => r.record === "workload_hpa:gpu_utilization:avg")?.expr ?? "";
    assert.match(gpu, /workload_hpa_pod:info:configured\{horizontalpodautoscaler="llm-0"\}/);
    // All workloads with a GPU: no selection at all.
    const allGpu = rulesOf({ workloads: [gpuWorkload(0), gpuWorkload(1)] });
    const allGpuExpr =
      allGpu.records.find((r) => r.record === "workload_hpa:gpu_utilization:avg")?.expr ?? "";
    assert.match(allGpuExpr, /workload_hpa_pod:info:configured\n/);
  });

  it("records only the views some active alert reads", () => {
    const off = Object.fromEntries(
      [
        "AIWorkloadPodsUnschedulable",
        "AIWorkloadHighCpuUtilization",
        "AIWorkloadQueueBacklog",
        "AIWorkloadScaleUpStalled",
      ].map((a) => [a, { enabled: false }]),
    );
    const { records } = rulesOf({ alerts: off, workloads: [gpuWorkload(0)] });
    const names = records.map((r) => r.record);
    assert.ok(names.includes("workload_hpa:gpu_utilization:avg"));
    assert.ok(names.includes("workload_hpa_pod:info:configured"), "read by the GPU alerts");
    assert.ok(names.includes("workload_hpa:target_spec_replicas:max"), "read by scaling-inactive");
    for (const gone of ["cpu_utilization", "queue", "target_available_replicas"]) {
      assert.equal(
        names.some((n) => n.includes(gone)),
        false,
        gone,
      );
    }
  });

  it("turns an alert disabled everywhere into no rule at all", () => {
    const { alerts } = rulesOf({
      alerts: { AIWorkloadScaledDown: { enabled: false } },
      workloads: [gpuWorkload(0)],
    });
    assert.equal(
      alerts.some((r) => r.alert === "AIWorkloadScaledDown"),
      false,
    );
  });

  it("covers a workload that turns on an alert disabled for all others", () => {
    const { alerts } = rulesOf({
      alerts: { AIWorkloadScaledDown: { enabled: false } },
      workloads: [
        gpuWorkload(0),
        gpuWorkload(1, { alerts: { AIWorkloadScaledDown: { enabled: true, for: "30s" } } }),
      ],
    });
    const down = alerts.filter((r) => r.alert === "AIWorkloadScaledDown");
    assert.equal(down.length, 1);
    assert.match(down[0]?.expr ?? "", /and on .* variant="for=30s,severity=info"/);
  });
});

describe("rules: labels, annotations and PromQL", () => {
  const example = rulesOf({
    monitoring: { ruleSelectorLabels: { release: "kps" }, runbookBaseUrl: "https://runbooks.example/r.md" },
    workloads: [gpuWorkload(0), gpuWorkload(1)],
  });

  it("gives every alert severity, event, summary, description and a runbook_url to its own entry", () => {
    for (const r of example.alerts) {
      assert.ok(r.labels.severity && r.labels.event, r.alert);
      assert.ok(r.annotations.summary && r.annotations.description, r.alert);
      assert.equal(r.annotations.runbook_url, `https://runbooks.example/r.md#${r.alert.toLowerCase()}`);
    }
  });

  it("links every alert of the catalog to an entry of docs/runbooks.md that exists", () => {
    const doc = readFileSync(join(import.meta.dirname, "..", "docs", "runbooks.md"), "utf8");
    const anchors = new Set([...doc.matchAll(/^## (\w+)$/gm)].map((m) => (m[1] ?? "").toLowerCase()));
    assert.deepEqual(
      ALERT_NAMES.filter((a) => !anchors.has(runbookAnchor(a))),
      [],
    );
  });

  it("joins the workload and its extra labels once, into the facts every per-workload alert reads", () => {
    const facts = example.groups.filter((g) => /\.(state|facts)$/.test(g.name)).flatMap((g) => g.rules);
    for (const name of [
      "workload_hpa:status_desired_replicas:max",
      "workload_hpa:status_current_replicas:max",
      "workload_hpa:spec_min_replicas:max",
      "workload_hpa:spec_max_replicas:max",
      "workload_hpa:condition:max",
    ]) {
      const r = facts.find((x) => "record" in x && x.record === name);
      assert.match(r?.expr ?? "", /group_left \(workload, team\) workload_hpa:info:configured/, name);
    }
    // The alerts of the meta group read kube-state-metrics itself (see the blind spots below).
    const perWorkload = example.alerts.filter(
      (a) => !["AIScalingAlertsHeartbeat", ...BLIND_SPOTS].includes(a.alert),
    );
    assert.equal(perWorkload.length, example.alerts.length - 3);
    for (const r of perWorkload) assert.doesNotMatch(r.expr, /group_left ?\(workload/, r.alert);
  });

  it("writes expressions the official PromQL grammar accepts", () => {
    for (const r of [...example.alerts, ...example.records]) {
      const name = "alert" in r ? r.alert : r.record;
      assert.deepEqual(promqlSyntaxErrors(r.expr), [], name);
    }
  });

  it("with a cluster label: joins on it, and promtool accepts the result", () => {
    const { alerts, groups } = rulesOf({
      monitoring: { clusterLabel: "cluster" },
      workloads: [gpuWorkload(0)],
    });
    const atMax = alerts.find((r) => r.alert === "AIWorkloadAtMaxReplicas");
    assert.match(atMax?.expr ?? "", /on \(cluster, namespace, horizontalpodautoscaler\) group_left \(\)/);
    assert.match(
      atMax?.annotations.description ?? "",
      /cluster=%q\}` \$labels\.namespace \$labels\.horizontalpodautoscaler \$labels\.cluster \|/,
    );
    const r = promtool(groups, () => ["check", "rules", "rules.yml"]);
    assert.ok(r.ok, r.output);
  });

  it("with custom selectors and DCGM labels: uses them", () => {
    const { records } = rulesOf({
      monitoring: {
        kubeStateMetricsSelector: 'job="ksm", cluster!=""',
        gpu: {
          metric: "DCGM_FI_PROF_GR_ENGINE_ACTIVE",
          podLabel: "pod",
          namespaceLabel: "namespace",
          selector: 'job="dcgm"',
        },
      },
      workloads: [gpuWorkload(0)],
    });
    const gpu = records.find((r) => r.record === "workload_hpa:gpu_utilization:avg")?.expr ?? "";
    assert.match(gpu, /DCGM_FI_PROF_GR_ENGINE_ACTIVE\{job="dcgm"\}/);
    assert.doesNotMatch(gpu, /label_replace/, "no relabelling when the labels are already pod/namespace");
    const info = records.find((r) => r.record === "workload_hpa:info:configured")?.expr ?? "";
    assert.match(
      info,
      /kube_horizontalpodautoscaler_info\{job="ksm", cluster!="", namespace="ns-0", horizontalpodautoscaler="llm-0"\}/,
    );
  });
});

describe("rules: the blind spots (kube-state-metrics reports no HPA, or not the workload's)", () => {
  const rule = (alerts: AlertRule[], name: string) => alerts.filter((r) => r.alert === name);

  it("AIScalingAlertsMetricsAbsent: one rule in the meta group, the heartbeat's namespace, top-level overrides only", () => {
    const { alerts, groups } = rulesOf({
      namespace: "ml",
      alerts: { AIScalingAlertsMetricsAbsent: { for: "10m", severity: "warning" } },
      workloads: [gpuWorkload(0), gpuWorkload(1)],
    });
    const [absent, ...more] = rule(alerts, "AIScalingAlertsMetricsAbsent");
    assert.deepEqual(more, []);
    assert.ok(groups.find((g) => g.name === "ai-scaling-alerts.meta")?.rules.includes(absent as AlertRule));
    assert.equal(absent?.for, "10m");
    assert.deepEqual(absent?.labels, { severity: "warning", namespace: "ns-0", event: "metrics_absent" });
    assert.equal(
      absent?.expr,
      'vector(1) unless on () count(kube_horizontalpodautoscaler_info{job="kube-state-metrics", namespace=~"ns-0|ns-1"})',
    );
    assert.throws(
      () =>
        rulesOf({
          workloads: [gpuWorkload(0, { alerts: { AIScalingAlertsMetricsAbsent: { enabled: false } } })],
        }),
      /workloads\[0\]\.alerts\.AIScalingAlertsMetricsAbsent: .*top-level alerts/,
    );
    const off = rulesOf({
      alerts: { AIScalingAlertsMetricsAbsent: { enabled: false } },
      workloads: [gpuWorkload(0)],
    });
    assert.deepEqual(rule(off.alerts, "AIScalingAlertsMetricsAbsent"), []);
  });

  it("AIWorkloadHpaMissing: one rule per distinct for/severity, workloads listed by name, no data series", () => {
    const ws = Array.from({ length: 30 }, (_, i) =>
      i < 3
        ? gpuWorkload(i, { alerts: { AIWorkloadHpaMissing: { for: "15m", severity: "critical" } } })
        : i < 6
          ? gpuWorkload(i, { alerts: { AIWorkloadHpaMissing: { enabled: false } } })
          : gpuWorkload(i),
    );
    const { alerts, records } = rulesOf({ workloads: ws });
    const rules = rule(alerts, "AIWorkloadHpaMissing");
    assert.deepEqual(
      rules.map((r) => [r.for, r.labels.severity, r.labels.alert_variant]),
      [
        ["5m", "warning", undefined],
        ["15m", "critical", "for=15m,severity=critical"],
      ],
    );
    const names = (r: AlertRule | undefined) =>
      [...(r?.expr ?? "").matchAll(/deployment=~?"([^"]*)"/g)]
        .flatMap((m) => (m[1] ?? "").split("|"))
        .sort((a, b) => Number(a.slice(4)) - Number(b.slice(4)));
    assert.deepEqual(names(rules[1]), ["llm-0", "llm-1", "llm-2"]);
    assert.deepEqual(
      names(rules[0]),
      ws.slice(6).map((w) => w.name),
      "the default rule lists its own workloads; the ones turned off are in no rule",
    );
    const variants = records.find((r) => r.record === "workload_hpa:alert_variant:configured")?.expr ?? "";
    assert.doesNotMatch(variants, /AIWorkloadHpaMissing/, "its rules list the workloads themselves");
  });

  it("AIWorkloadHpaMissing makes each HPA name from its scale target's: as is, keda-hpa-<name>, or a name of its own", () => {
    const { alerts } = rulesOf({
      workloads: [
        gpuWorkload(0),
        gpuWorkload(1, { autoscaling: { ...gpuWorkload(1).autoscaling, engine: "keda" } }),
        { name: "indexer", kind: "StatefulSet", existingHpa: true, hpaName: "indexer-hpa" },
        { name: "ranker", existingHpa: true, hpaName: "legacy-autoscaler" },
      ],
    });
    const [r] = rule(alerts, "AIWorkloadHpaMissing");
    const expr = r?.expr ?? "";
    assert.match(
      expr,
      /deployment="llm-0"\}\), "workload", "\$1", "deployment", "\(\.\+\)"\), "horizontalpodautoscaler", "\$\{1\}"/,
    );
    assert.match(expr, /deployment="llm-1"\}.*"horizontalpodautoscaler", "keda-hpa-\$\{1\}"/);
    assert.match(
      expr,
      /kube_statefulset_replicas\{[^}]*statefulset="indexer"\}.*"horizontalpodautoscaler", "\$\{1\}-hpa", "statefulset"/,
    );
    assert.match(expr, /deployment="ranker"\}.*"horizontalpodautoscaler", "legacy-autoscaler"/);
    assert.match(
      expr,
      /\nunless on \(namespace, horizontalpodautoscaler\) kube_horizontalpodautoscaler_info\{/,
    );
    assert.match(expr, /\nand on \(\) count\(kube_horizontalpodautoscaler_info\{[^}]*\}\)$/);
  });

  it("AIWorkloadHpaMissing grows by the workloads' names only: 1,000 workloads add about 20 KB", () => {
    const many = rulesOf({ workloads: Array.from({ length: 1000 }, (_, i) => gpuWorkload(i)) });
    const [r, ...more] = rule(many.alerts, "AIWorkloadHpaMissing");
    assert.deepEqual(more, []);
    const names = Array.from({ length: 1000 }, (_, i) => `llm-${i}`).join("|").length;
    assert.ok((r?.expr.length ?? 0) < names + 15_000, `${r?.expr.length} characters`);
    // One selector per namespace and team, not one per workload.
    assert.equal((r?.expr.match(/kube_deployment_spec_replicas\{/g) ?? []).length, 35);
  });

  it("with a cluster label, AIWorkloadHpaMissing is per cluster: promtool", () => {
    const { groups } = rulesOf({ monitoring: { clusterLabel: "cluster" }, workloads: [gpuWorkload(0)] });
    const ksm = (metric: string, cluster: string, labels: string) =>
      `'${metric}{job="kube-state-metrics",cluster="${cluster}",namespace="ns-0",${labels}}'`;
    const dir = mkdtempSync(join(tmpdir(), "asa-blind-"));
    try {
      const file = join(dir, "cluster.test.yml");
      // llm-0 runs in clusters a and b; only b reports its HPA. c has only another HPA.
      writeFileSync(
        file,
        [
          "rule_files: [rules.yml]",
          "evaluation_interval: 30s",
          "tests:",
          "  - interval: 30s",
          "    input_series:",
          ...[
            ksm("kube_deployment_spec_replicas", "a", 'deployment="llm-0"'),
            ksm("kube_deployment_spec_replicas", "b", 'deployment="llm-0"'),
            ksm("kube_horizontalpodautoscaler_info", "a", 'horizontalpodautoscaler="other"'),
            ksm("kube_horizontalpodautoscaler_info", "b", 'horizontalpodautoscaler="llm-0"'),
            ksm("kube_horizontalpodautoscaler_info", "c", 'horizontalpodautoscaler="other"'),
          ].map((s) => `      - { series: ${s}, values: "1x20" }`),
          "    promql_expr_test:",
          '      - expr: ALERTS{alertname="AIWorkloadHpaMissing", alertstate="firing"}',
          "        eval_time: 5m",
          "        exp_samples:",
          `          - labels: '${"ALERTS"}{alertname="AIWorkloadHpaMissing",alertstate="firing",cluster="a",event="hpa_missing",horizontalpodautoscaler="llm-0",namespace="ns-0",severity="warning",team="team-0",workload="llm-0"}'`,
          "            value: 1",
        ].join("\n"),
      );
      const r = promtool(groups, () => ["test", "rules", "cluster.test.yml"], [file]);
      assert.ok(r.ok, r.output);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("PrometheusRule object", () => {
  it("carries the rule selector labels on metadata and passes the published schema", () => {
    const g = generate(
      parseConfig({
        namespace: "ml",
        monitoring: { ruleSelectorLabels: { release: "kps" } },
        workloads: [gpuWorkload(0)],
      }),
    );
    assert.equal(g.prometheusRule.metadata.labels.release, "kps");
    assert.equal(g.prometheusRule.metadata.namespace, "ml");
    assert.deepEqual(schemaViolations([g.prometheusRule]), []);
    new PrometheusRule(g.prometheusRule as never).validate();
  });

  it("the schema check catches a broken object", () => {
    const g = generate(parseConfig({ workloads: [gpuWorkload(0)] }));
    const broken = { ...g.prometheusRule, spec: { groups: [{ name: "x", rules: [{ alert: "A" }] }] } };
    const v = schemaViolations([broken as never]);
    assert.equal(v.length, 1);
    assert.match(v[0]?.message ?? "", /expr/);
  });
});
