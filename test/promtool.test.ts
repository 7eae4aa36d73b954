/**
 * Every alert of the catalog, proven with the real `promtool test rules`: it fires when it must and
 * not one evaluation earlier, stays silent in the false-positive cases, and carries the asserted
 * labels and annotations. The suites live in test/promtool/*.test.yml and run against the rules
 * generated from test/promtool/fixture.yaml.
 */
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { ALERT_NAMES } from "../src/catalog/catalog.js";
import type { Rule, RuleGroup } from "../src/rules/index.js";
import { leftOpenGroups } from "./support/left-open.js";
import { promtool, promtoolTest, rulesFromConfig } from "./support/promtool.js";

const dir = join(import.meta.dirname, "promtool");
const suites = readdirSync(dir)
  .filter((f) => f.endsWith(".test.yml"))
  .sort();
const groups = rulesFromConfig(join(dir, "fixture.yaml"));

describe("promtool check rules", () => {
  it("accepts the generated rule file", () => {
    const r = promtool(groups, () => ["check", "rules", "rules.yml"]);
    assert.ok(r.ok, r.output);
    assert.match(r.output, /SUCCESS/);
    assert.doesNotMatch(
      r.output,
      /lint|duplicate/i,
      "no lint findings (variants must not look like duplicate rules)",
    );
  });
});

describe("promtool test rules", () => {
  for (const suite of suites) {
    it(suite, () => {
      const r = promtoolTest(groups, join(dir, suite));
      assert.ok(r.ok, r.output);
    });
  }

  it("has a suite asserting every alert of the catalog", async () => {
    const { readFileSync } = await import("node:fs");
    const text = suites.map((s) => readFileSync(join(dir, s), "utf8")).join("\n");
    const missing = ALERT_NAMES.filter((a) => !new RegExp(`alertname: ${a}\\b`).test(text));
    assert.deepEqual(missing, [], `alerts without promtool tests: ${missing.join(", ")}`);
  });
});

/**
 * Prometheus 3 leaves range windows open at their start. The same suites, with the same
 * expectations, against the rules with every range one millisecond shorter: what Prometheus 3
 * selects, evaluated by promtool 2.42. Every alert must fire and resolve at the same evaluations.
 */
describe("promtool test rules under Prometheus 3's left-open ranges", () => {
  const leftOpen = leftOpenGroups(groups);

  it("changes every range of the rules (the variant is not the same rules)", () => {
    const ranges = (gs: readonly RuleGroup[]) =>
      gs.flatMap((g) => g.rules.flatMap((r) => [...r.expr.matchAll(/\[([0-9a-z]+)[\]:]/g)].map((m) => m[1])));
    const before = ranges(groups);
    const after = ranges(leftOpen);
    assert.ok(before.length > 5, "the rules have ranges");
    assert.equal(after.length, before.length);
    assert.ok(after.every((d, i) => d !== before[i]));
  });

  for (const suite of suites) {
    it(suite, () => {
      const r = promtoolTest(leftOpen, join(dir, suite));
      assert.ok(r.ok, r.output);
    });
  }
});

/**
 * The suites must be able to fail: each mutation below breaks one rule the way a plausible bug
 * would, and the suite that covers it must then fail.
 */
describe("promtool suites catch broken rules", () => {
  const mutate = (alert: string, from: RegExp, to: string): RuleGroup[] =>
    groups.map((g) => ({
      ...g,
      rules: g.rules.map((r) => {
        if (!("alert" in r) || r.alert !== alert) return r;
        assert.match(r.expr, from, `mutation target not found in ${alert}`);
        return { ...r, expr: r.expr.replace(from, to) };
      }),
    }));

  const cases: [string, string, RegExp, string][] = [
    // A step must stop being an alert after its minute.
    ["scaling-events.test.yml", "AIWorkloadScaledUp", /\[59s999ms\]/, "[2m]"],
    ["scaling-events.test.yml", "AIWorkloadScalingFlapping", /\[30m1ms\]/, "[5m]"],
    [
      "hpa-health.test.yml",
      "AIWorkloadAtMaxReplicas",
      /and on \([^)]*\) workload_hpa:condition:max\{condition="ScalingLimited", status="true"\}/,
      "",
    ],
    [
      "hpa-health.test.yml",
      "AIWorkloadScalingInactive",
      /unless on \([^)]*\) \(workload_hpa:target_spec_replicas:max == 0 or workload_hpa:status_desired_replicas:max == 0\)/,
      "",
    ],
    // Steps one scrape apart: the first step's alert must last its whole minute.
    ["scaling-events.test.yml", "AIWorkloadScaledUp", /\[59s999ms\]/, "[1s]"],
    ["hpa-health.test.yml", "AIWorkloadScaleUpStalled", /min_over_time/, "max_over_time"],
    ["gpu.test.yml", "AIWorkloadGpuSaturated", /gpu_utilization:avg >= 90/, "gpu_utilization:avg > 90"],
    ["queue.test.yml", "AIWorkloadQueueBacklog", /configured \* 2\)/, "configured * 1.9)"],
    // Without its guard, a missing HPA fires with kube-state-metrics down too.
    ["blind-spots.test.yml", "AIWorkloadHpaMissing", /\nand on \(\) count\([^\n]*\)$/, ""],
    // Fires for the HPAs that are there instead of those that are not.
    ["blind-spots.test.yml", "AIWorkloadHpaMissing", /\nunless on/, "\nand on"],
    // HPAs of namespaces no workload is in would count as kube-state-metrics being there.
    ["blind-spots.test.yml", "AIScalingAlertsMetricsAbsent", /, namespace="ml-serving"\}/, "}"],
    [
      "cpu.test.yml",
      "AIWorkloadHighCpuUtilization",
      // Every workload compared with the default, embeddings' own 90 ignored.
      /on \([^)]*\) group_left \(\) workload_hpa:alert_threshold:configured\{alert="AIWorkloadHighCpuUtilization"\}/,
      "80",
    ],
  ];
  /** The rules with one recording rule's expression rewritten. */
  const mutateRecord = (record: string, from: RegExp, to: string): RuleGroup[] =>
    groups.map((g) => ({
      ...g,
      rules: g.rules.map((r) => {
        if (!("record" in r) || r.record !== record) return r;
        assert.match(r.expr, from, `mutation target not found in ${record}`);
        return { ...r, expr: r.expr.replace(from, to) };
      }),
    }));

  it("scale-to-zero.test.yml fails when sleeping and waking count as scaling directions", () => {
    const counted = mutateRecord("workload_hpa:scale_direction:sgn", / > 0\)/g, ")");
    assert.equal(promtoolTest(counted, join(dir, "scale-to-zero.test.yml")).ok, false);
  });

  it("scaling-events.test.yml fails when flapping counts steps instead of reversals", () => {
    // A value that differs at every step (the time of the step): changes() then counts steps.
    const steps = mutateRecord("workload_hpa:scale_direction:sgn", /\nsgn\(/, "\ntime() * sgn(");
    assert.equal(promtoolTest(steps, join(dir, "scaling-events.test.yml")).ok, false);
  });

  it("scale-to-zero-wake-order.test.yml fails when a sleeping HPA's ScalingActive=false is recorded", () => {
    const recorded = mutateRecord(
      "workload_hpa:condition:max",
      / unless on \([^)]*\) \(max by \([^)]*\) \(kube_horizontalpodautoscaler_status_desired_replicas\{[^}]*\}\) == 0\)/,
      "",
    );
    assert.equal(promtoolTest(recorded, join(dir, "scale-to-zero-wake-order.test.yml")).ok, false);
  });

  it("scale-to-zero-order.test.yml fails when neither the record nor the alert looks at the HPA's own 0", () => {
    const unguarded = mutateRecord(
      "workload_hpa:condition:max",
      / unless on \([^)]*\) \(max by \([^)]*\) \(kube_horizontalpodautoscaler_status_desired_replicas\{[^}]*\}\) == 0\)/,
      "",
    ).map((g) => ({
      ...g,
      rules: g.rules.map((r) =>
        "alert" in r && r.alert === "AIWorkloadScalingInactive"
          ? { ...r, expr: r.expr.replace(/ or workload_hpa:status_desired_replicas:max == 0/, "") }
          : r,
      ),
    }));
    assert.equal(promtoolTest(unguarded, join(dir, "scale-to-zero-order.test.yml")).ok, false);
  });

  it("scale-to-zero.test.yml fails when waking from zero counts as a step up", () => {
    const waking = mutateRecord(
      "workload_hpa:scale_up:from",
      /\(workload_hpa:desired_replicas:last_evaluation > 0\)$/,
      "workload_hpa:desired_replicas:last_evaluation",
    );
    assert.equal(promtoolTest(waking, join(dir, "scale-to-zero.test.yml")).ok, false);
  });

  it("scaling-events.test.yml fails when the count is recorded before the direction reads the previous one", () => {
    const swapped = groups.map((g) => {
      const at = (name: string) => g.rules.findIndex((r) => "record" in r && r.record === name);
      const [direction, count] = [
        at("workload_hpa:scale_direction:sgn"),
        at("workload_hpa:desired_replicas:last_evaluation"),
      ];
      if (direction < 0) return g;
      assert.ok(direction < count, "the direction is recorded first");
      const rules = [...g.rules];
      [rules[direction], rules[count]] = [rules[count] as Rule, rules[direction] as Rule];
      return { ...g, rules };
    });
    assert.equal(promtoolTest(swapped, join(dir, "scaling-events.test.yml")).ok, false);
  });

  it("scheduling.test.yml fails when AIWorkloadPodsUnschedulable fires a minute early (for 2m -> 1m)", () => {
    const early = groups.map((g) => ({
      ...g,
      rules: g.rules.map((r) =>
        "alert" in r && r.alert === "AIWorkloadPodsUnschedulable" ? { ...r, for: "1m" } : r,
      ),
    }));
    assert.equal(promtoolTest(early, join(dir, "scheduling.test.yml")).ok, false);
  });

  it("blind-spots.test.yml fails when KEDA's HPA name is made without its keda-hpa- prefix", () => {
    let found = false;
    const unprefixed = groups.map((g) => ({
      ...g,
      rules: g.rules.map((r) => {
        if (!("alert" in r) || r.alert !== "AIWorkloadHpaMissing" || !r.expr.includes('"keda-hpa-${1}"'))
          return r;
        found = true;
        return { ...r, expr: r.expr.replace('"keda-hpa-${1}"', '"${1}"') };
      }),
    }));
    assert.ok(found, "no rule makes keda-hpa-<name>");
    assert.equal(promtoolTest(unprefixed, join(dir, "blind-spots.test.yml")).ok, false);
  });

  for (const [suite, alert, from, to] of cases) {
    it(`${suite} fails when ${alert} is broken (${from.source.slice(0, 40)} -> ${JSON.stringify(to)})`, () => {
      const r = promtoolTest(mutate(alert, from, to), join(dir, suite));
      assert.equal(r.ok, false, `the suite still passes with a broken ${alert}`);
    });
  }
});
