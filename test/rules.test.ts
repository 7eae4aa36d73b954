/** The rule generator: rules per distinct setting (not per workload), data series, and valid PromQL. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import { generate } from "../src/build.js";
import { parseConfig } from "../src/config/load.js";
import type { ConfigInput } from "../src/config/schema.js";
import { promqlSyntaxErrors } from "../src/promql/syntax.js";
import { schemaViolations } from "../src/render/schema-check.js";
import type { AlertRule, RecordingRule, RuleGroup } from "../src/rules/index.js";
import { promtool } from "./support/promtool.js";

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
    assert.equal(one.alerts.length, 13, "every alert once, heartbeat included");
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
      /unless on \(namespace, horizontalpodautoscaler\) ai_scaling_alerts:alert:variant\{alert="AIWorkloadAtMaxReplicas"\}/,
    );
    assert.match(
      atMax[1]?.expr ?? "",
      /and on \(namespace, horizontalpodautoscaler\) ai_scaling_alerts:alert:variant\{alert="AIWorkloadAtMaxReplicas", variant="for=15m,severity=critical"\}/,
    );

    const data = (name: string) => tuned.records.find((r) => r.record === name)?.expr ?? "";
    const variants = data("ai_scaling_alerts:alert:variant");
    assert.equal((variants.match(/"variant", "for=15m,severity=critical"/g) ?? []).length, 5);
    assert.equal(
      (variants.match(/"alert", "AIWorkloadScaledDown", "", ""\), "variant", "off"/g) ?? []).length,
      5,
    );
    const thresholds = data("ai_scaling_alerts:alert:threshold");
    assert.equal((thresholds.match(/vector\(95\)/g) ?? []).length, 5);
  });

  it("writes no data series for workloads on the defaults", () => {
    const { records } = rulesOf({ workloads: [gpuWorkload(0), gpuWorkload(1)] });
    assert.equal(
      records.find((r) => r.record === "ai_scaling_alerts:alert:variant"),
      undefined,
    );
    assert.equal(
      records.find((r) => r.record === "ai_scaling_alerts:alert:threshold"),
      undefined,
    );
  });

  it("builds large unions as balanced trees (depth log n, not n)", () => {
    const { records } = rulesOf({ workloads: Array.from({ length: 256 }, (_, i) => gpuWorkload(i)) });
    const scope = records.find((r) => r.record === "ai_scaling_alerts:workload:scope")?.expr ?? "";
    let depth = 0;
    let max = 0;
    for (const ch of scope.replace(/label_replace\(|vector\(/g, "")) {
      if (ch === "(") max = Math.max(max, ++depth);
      if (ch === ")") depth--;
    }
    assert.ok(max <= 9, `union nesting depth ${max}`);
  });
});

describe("rules: what applies to whom", () => {
  it("gives GPU and queue rules only when some workload has that data, and marks the rest off", () => {
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

    const mixed = rulesOf({
      workloads: [gpuWorkload(0), { name: "cpu", existingHpa: true }],
    });
    const variants = mixed.records.find((r) => r.record === "ai_scaling_alerts:alert:variant")?.expr ?? "";
    for (const alert of ["AIWorkloadGpuSaturated", "AIWorkloadGpuUnderutilized", "AIWorkloadQueueBacklog"]) {
      assert.match(
        variants,
        new RegExp(`"cpu", "", ""\\), "alert", "${alert}", "", ""\\), "variant", "off"`),
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

  it("copies the workload and its extra labels onto every per-workload alert", () => {
    for (const r of example.alerts.filter((a) => a.alert !== "AIScalingAlertsHeartbeat")) {
      assert.match(r.expr, /group_left\(workload, team\) ai_scaling_alerts:hpa:info/, r.alert);
    }
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
    assert.match(atMax?.expr ?? "", /max by \(cluster, namespace, horizontalpodautoscaler\)/);
    assert.match(atMax?.annotations.description ?? "", /cluster=%q/);
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
    const gpu = records.find((r) => r.record === "ai_scaling_alerts:hpa:gpu_utilization:avg")?.expr ?? "";
    assert.match(gpu, /DCGM_FI_PROF_GR_ENGINE_ACTIVE\{job="dcgm"\}/);
    assert.doesNotMatch(gpu, /label_replace/, "no relabelling when the labels are already pod/namespace");
    const info = records.find((r) => r.record === "ai_scaling_alerts:hpa:info")?.expr ?? "";
    assert.match(info, /kube_horizontalpodautoscaler_info\{job="ksm", cluster!="", namespace="ns-0"\}/);
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
