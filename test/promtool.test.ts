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
    ["scaling-events.test.yml", "AIWorkloadScaledUp", /offset 1m/, "offset 2m"],
    ["scaling-events.test.yml", "AIWorkloadScalingFlapping", /\[30m\]/, "[5m]"],
    [
      "hpa-health.test.yml",
      "AIWorkloadAtMaxReplicas",
      /and on \([^)]*\) \(max by \([^)]*\) \(kube_horizontalpodautoscaler_status_condition\{[^}]*ScalingLimited[^}]*\}\) == 1\)/,
      "",
    ],
    [
      "hpa-health.test.yml",
      "AIWorkloadScalingInactive",
      /unless on \([^)]*\) \(ai_scaling_alerts:hpa:target_spec_replicas == 0 or max by \([^)]*\) \([^)]*\) == 0\)/,
      "",
    ],
    // Steps one scrape apart: the first step's alert must last its whole minute.
    ["scaling-events.test.yml", "AIWorkloadScaledUp", /\)\[1m:15s\]/, ")[1s:15s]"],
    // A step soon after waking from zero compares with the waking count, not with the 0 before.
    ["scale-to-zero.test.yml", "AIWorkloadScaledUp", /or\n\s*min_over_time/, "and min_over_time"],
    ["scale-to-zero-order.test.yml", "AIWorkloadScalingInactive", / or max by \([^)]*\) \([^)]*\) == 0/, ""],
    ["hpa-health.test.yml", "AIWorkloadScaleUpStalled", /min_over_time/, "max_over_time"],
    ["gpu.test.yml", "AIWorkloadGpuSaturated", /gpu_utilization:avg >= on/, "gpu_utilization:avg > on"],
    ["queue.test.yml", "AIWorkloadQueueBacklog", /\* 0 \+ 2\)/, "* 0 + 1.9)"],
    // Without its guard, a missing HPA fires with kube-state-metrics down too.
    ["blind-spots.test.yml", "AIWorkloadHpaMissing", /\nand on \(\) count\([^\n]*\)$/, ""],
    // Fires for the HPAs that are there instead of those that are not.
    ["blind-spots.test.yml", "AIWorkloadHpaMissing", /\nunless on/, "\nand on"],
    // HPAs of namespaces no workload is in would count as kube-state-metrics being there.
    ["blind-spots.test.yml", "AIScalingAlertsMetricsAbsent", /, namespace="ml-serving"\}/, "}"],
    [
      "cpu.test.yml",
      "AIWorkloadHighCpuUtilization",
      /ai_scaling_alerts:alert:threshold\{alert="AIWorkloadHighCpuUtilization"\} or/,
      "vector(0) and",
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
    const counted = mutateRecord("ai_scaling_alerts:hpa:scale_direction", / > 0\)/g, ")");
    assert.equal(promtoolTest(counted, join(dir, "scale-to-zero.test.yml")).ok, false);
  });

  it("scaling-events.test.yml fails when flapping counts steps instead of reversals", () => {
    // A value that differs at every step (the time of the step): changes() then counts steps.
    const steps = mutateRecord("ai_scaling_alerts:hpa:scale_direction", /^sgn\(/, "time() * sgn(");
    assert.equal(promtoolTest(steps, join(dir, "scaling-events.test.yml")).ok, false);
  });

  it("scaling-events.test.yml fails when the count is recorded before the direction reads the previous one", () => {
    const swapped = groups.map((g) => {
      const at = (name: string) => g.rules.findIndex((r) => "record" in r && r.record === name);
      const [direction, count] = [
        at("ai_scaling_alerts:hpa:scale_direction"),
        at("ai_scaling_alerts:hpa:desired_replicas"),
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
