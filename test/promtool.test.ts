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
import type { RuleGroup } from "../src/rules/index.js";
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
    [
      "scale-to-zero.test.yml",
      "AIWorkloadScalingFlapping",
      / unless on \([^)]*\) ai_scaling_alerts:hpa:desired_replicas:clamp_min1/,
      "",
    ],
    ["scale-to-zero-order.test.yml", "AIWorkloadScalingInactive", / or max by \([^)]*\) \([^)]*\) == 0/, ""],
    ["hpa-health.test.yml", "AIWorkloadScaleUpStalled", /min_over_time/, "max_over_time"],
    ["gpu.test.yml", "AIWorkloadGpuSaturated", /gpu_utilization:avg >= on/, "gpu_utilization:avg > on"],
    ["queue.test.yml", "AIWorkloadQueueBacklog", /\* 0 \+ 2\)/, "* 0 + 1.9)"],
    [
      "cpu.test.yml",
      "AIWorkloadHighCpuUtilization",
      /ai_scaling_alerts:alert:threshold\{alert="AIWorkloadHighCpuUtilization"\} or/,
      "vector(0) and",
    ],
  ];
  it("scheduling.test.yml fails when AIWorkloadPodsUnschedulable fires a minute early (for 2m -> 1m)", () => {
    const early = groups.map((g) => ({
      ...g,
      rules: g.rules.map((r) =>
        "alert" in r && r.alert === "AIWorkloadPodsUnschedulable" ? { ...r, for: "1m" } : r,
      ),
    }));
    assert.equal(promtoolTest(early, join(dir, "scheduling.test.yml")).ok, false);
  });

  for (const [suite, alert, from, to] of cases) {
    it(`${suite} fails when ${alert} is broken (${from.source.slice(0, 40)} -> ${JSON.stringify(to)})`, () => {
      const r = promtoolTest(mutate(alert, from, to), join(dir, suite));
      assert.equal(r.ok, false, `the suite still passes with a broken ${alert}`);
    });
  }
});
