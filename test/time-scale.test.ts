/**
 * The time-scale option of the core (`generate(config, { timeScale })`, for the sandbox's --speed):
 * durations, PromQL and the generator's description templates scaled, nothing else touched; every
 * example config at factors 1, 30 and 60 passes the real promtool and amtool with no duration
 * rounded to zero; and on the real `promtool test rules`, AIWorkloadAtMaxReplicas scaled by 30
 * fires at its scaled time (for 5m -> 10s) and not one evaluation before.
 */
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { generate, type GeneratedObjects } from "../src/build.js";
import { loadConfigFile, parseConfig } from "../src/config/load.js";
import { durationSeconds } from "../src/config/primitives.js";
import { standaloneAlertmanagerConfig } from "../src/render/alertmanager-yaml.js";
import {
  scaleAlertmanagerConfigs,
  scaleDuration,
  scaleExpr,
  scaleGenerated,
  scaleRuleGroups,
  scaleTemplate,
} from "../src/time-scale/time-scale.js";
import { toYaml } from "../src/render/yaml.js";
import type {
  AlertmanagerConfigObject,
  AlertmanagerRoute,
} from "../src/alertmanager-config/alertmanager-config.js";
import type { RuleGroup } from "../src/rules/index.js";
import { runTool } from "../src/verify/tools.js";
import { promtool, promtoolTest } from "./support/promtool.js";
import { requireTool } from "./support/tools.js";

const ROOT = join(import.meta.dirname, "..");
const PROMTOOL_DIR = join(ROOT, "test", "promtool");
const FIXTURE = join(PROMTOOL_DIR, "fixture.yaml");

/** A config with routes of their own timing and a mute interval (wall clock: never scaled). */
const routedConfig = () =>
  parseConfig({
    name: "routed",
    namespace: "ml-serving",
    workloads: [
      {
        name: "llm",
        autoscaling: { minReplicas: 1, maxReplicas: 4, metrics: [{ type: "cpu", targetUtilization: 80 }] },
      },
    ],
    notifications: {
      groupWait: "45s",
      groupInterval: "1h30m",
      repeatInterval: "12h",
      receivers: [
        { name: "pager", type: "pagerduty", routingKey: { secret: "s", key: "pd" } },
        { name: "feed", type: "webhook", url: { secret: "s", key: "hook" } },
      ],
      routes: [
        {
          receiver: "pager",
          matchers: ['severity="critical"'],
          groupWait: "10s",
          groupInterval: "1m",
          repeatInterval: "90m",
          muteTimeIntervals: ["nights"],
        },
      ],
      timeIntervals: [{ name: "nights", intervals: [{ times: [{ start: "22:00", end: "24:00" }] }] }],
    },
  });

/** Every config the checks run on: the YAML examples, the promtool fixture, and the routed config. */
const CONFIGS: Record<string, () => ReturnType<typeof parseConfig>> = {
  ...Object.fromEntries(
    readdirSync(join(ROOT, "examples"))
      .filter((f) => f.endsWith(".yaml"))
      .map((f) => [`examples/${f}`, () => loadConfigFile(join(ROOT, "examples", f))]),
  ),
  "test/promtool/fixture.yaml": () => loadConfigFile(FIXTURE),
  "a config with route timings and a mute interval": routedConfig,
};

describe("scaleDuration", () => {
  const table: [string, number, string][] = [
    ["5m", 30, "10s"],
    ["1m", 30, "2s"],
    ["30s", 60, "500ms"],
    ["1h30m", 30, "3m"],
    ["1h", 40, "1m30s"],
    ["4h", 30, "8m"],
    ["4080s", 30, "2m16s"],
    ["10s", 3, "3s333ms"],
    ["1m", 1.5, "40s"],
    ["250ms", 30, "8ms"],
    ["1ms", 60, "1ms"],
    ["1s", 3000, "1ms"],
    ["2w", 14, "1d"],
    ["730d", 2, "1y"],
    ["180d", 2, "90d"],
    ["0s", 30, "0s"],
    ["0", 60, "0"],
    ["90s", 1, "90s"],
    ["1h30m", 1, "1h30m"],
  ];
  for (const [text, factor, want] of table)
    it(`${text} / ${factor} = ${want}`, () => assert.equal(scaleDuration(text, factor), want));

  it("refuses a factor that is not a finite number >= 1", () => {
    for (const f of [0, 0.5, -2, Number.NaN, Number.POSITIVE_INFINITY])
      assert.throws(() => scaleDuration("5m", f), /time-scale factor must be a finite number >= 1/);
  });
  it("refuses what is not a Prometheus duration", () => {
    for (const d of ["", "5", "1.5m", "5x", "m5", "5m1h", " 5m"])
      assert.throws(() => scaleDuration(d, 30), /not a Prometheus duration/, d);
  });
});

describe("scaleExpr", () => {
  const table: [string, string][] = [
    ["rate(x[5m])", "rate(x[10s])"],
    ["x offset 1m", "x offset 2s"],
    ["x offset -1h", "x offset -2m"],
    ["max_over_time(x[30m:1m])", "max_over_time(x[1m:2s])"],
    ["max_over_time(x[30m:])", "max_over_time(x[1m:])"],
    ["max_over_time(rate(x[5m])[1h:30s] offset 10m)", "max_over_time(rate(x[10s])[2m:1s] offset 20s)"],
    ["x[1h30m]", "x[3m]"],
    ["x offset 300", "x offset 10s"],
    ['x{a="5m", b=~"[5m]"}[5m]', 'x{a="5m", b=~"[5m]"}[10s]'],
    ["x > 300 and x @ 100 and topk(5, x)", "x > 300 and x @ 100 and topk(5, x)"],
    ["predict_linear(x[1h], 1h) > 0", "predict_linear(x[2m], 2m) > 0"],
    [
      "rate(x[5m]) # over [5m], offset 1m\n  + y offset 1m",
      "rate(x[10s]) # over [5m], offset 1m\n  + y offset 2s",
    ],
    ["x[5m*2] + y[2*5m] + z[10m/2]", "x[10s*2] + y[2*10s] + z[20s/2]"],
    ["x[(5m+1m)*2] offset -(1m)", "x[(10s+2s)*2] offset -(2s)"],
    ["x[step()]", "x[step()]"],
    [
      "sum by (a) (rate(x[5m] offset 1m)) / on (a) group_left max(changes(y[30m:1m]))",
      "sum by (a) (rate(x[10s] offset 2s)) / on (a) group_left max(changes(y[1m:2s]))",
    ],
  ];
  for (const [expr, want] of table) it(JSON.stringify(expr), () => assert.equal(scaleExpr(expr, 30), want));

  it("keeps the expression as it is at factor 1", () => {
    for (const [expr] of table) assert.equal(scaleExpr(expr, 1), expr);
  });
  it("throws on an expression that does not parse, or a duration it cannot scale", () => {
    assert.throws(() => scaleExpr("rate(x[5m]", 30), /does not parse/);
    assert.throws(() => scaleExpr("x[1.5m]", 30), /does not parse/);
    assert.throws(() => scaleExpr("x[5m^2]", 30), /cannot scale/);
  });
});

describe("scaleTemplate", () => {
  const llm = () => generate(loadConfigFile(join(ROOT, "examples", "llm-serving.yaml")));
  const description = (groups: readonly RuleGroup[], alert: string) => {
    const rule = groups.flatMap((g) => g.rules).find((r) => "alert" in r && r.alert === alert);
    assert.ok(rule && "annotations" in rule, alert);
    return rule.annotations.description ?? "";
  };

  it("leaves the generated descriptions as they are: their one query reads recorded facts, with no duration", () => {
    const text = description(llm().ruleGroups, "AIWorkloadScaledUp");
    assert.match(text, /\{\{ range printf `\{__name__=~"workload_hpa:[^`]*` \$labels\.namespace/);
    assert.equal(scaleTemplate(text, 30), text);
    assert.equal(scaleTemplate(text, 1), text);
  });
  it("leaves a generated description without durations in its query as it is", () => {
    const text = description(llm().ruleGroups, "AIWorkloadAtMaxReplicas");
    assert.match(text, /\| query/);
    assert.equal(scaleTemplate(text, 60), text);
  });
  it("scales a printf format in double quotes, escapes included", () => {
    const t = String.raw`{{ range printf "label_replace(x{a=%[1]q,b=\"c\\\\d\"}[5m] offset 1m, \"f\", \"v\", \"\", \"\")" $labels.a | query }}{{ .Value }}{{ end }}`;
    assert.equal(scaleTemplate(t, 30), t.replace("[5m] offset 1m", "[10s] offset 2s"));
  });
  it('finds the PromQL of query "...", "..." | query and query (printf ...)', () => {
    const t =
      '{{ query "up[5m]" }} {{ with "rate(x[1h])" | query }}{{ end }} {{ $v := query (printf `x{a=%q} offset 1m` .a) }}';
    assert.equal(
      scaleTemplate(t, 30),
      '{{ query "up[10s]" }} {{ with "rate(x[2m])" | query }}{{ end }} {{ $v := query (printf `x{a=%q} offset 2s` .a) }}',
    );
  });
  it("keeps prose, printf not handed to query, comments and look-alikes byte for byte", () => {
    const t =
      'For 5m: {{ printf "%s over [5m]" .x }} {{/* query "x[5m]" */}} {{ .Labels.query }} {{ "x{a=\\"}}\\"}[5m]" | query }}';
    assert.equal(scaleTemplate(t, 30), t.replace("}[5m]", "}[10s]"));
  });
  it("throws rather than leave a query unscaled", () => {
    assert.throws(() => scaleTemplate('{{ $q := "up[5m]" }}{{ query $q }}', 30), /cannot find the PromQL/);
    assert.throws(() => scaleTemplate('{{ printf "x offset %s" "1m" | query }}', 30), /printf argument/);
    assert.throws(() => scaleTemplate('{{ "rate(x[5m]" | query }}', 30), /does not parse/);
    assert.throws(() => scaleTemplate('{{ "x" | query ', 30), /unterminated/);
  });
});

describe("scaleRuleGroups", () => {
  const groups = [
    {
      name: "g",
      interval: "1m",
      rules: [
        { record: "r", expr: "rate(x[5m])" },
        {
          alert: "A",
          expr: "x offset 1m > 0",
          for: "5m",
          keep_firing_for: "10m",
          labels: { severity: "warning" },
          annotations: { description: '{{ "x[30m]" | query }} for 5m' },
        },
      ],
    },
  ] as unknown as RuleGroup[];

  it("scales exprs, for, keep_firing_for, interval and annotation queries, keeping key order", () => {
    const scaled = scaleRuleGroups(groups, 30);
    assert.deepEqual(scaled, [
      {
        name: "g",
        interval: "2s",
        rules: [
          { record: "r", expr: "rate(x[10s])" },
          {
            alert: "A",
            expr: "x offset 2s > 0",
            for: "10s",
            keep_firing_for: "20s",
            labels: { severity: "warning" },
            annotations: { description: '{{ "x[1m]" | query }} for 5m' },
          },
        ],
      },
    ]);
    assert.deepEqual(Object.keys(scaled[0]?.rules[1] ?? {}), Object.keys(groups[0]?.rules[1] ?? {}));
  });
  it("returns equal groups at factor 1 and does not change its input", () => {
    const before = structuredClone(groups);
    assert.deepEqual(scaleRuleGroups(groups, 1), groups);
    scaleRuleGroups(groups, 60);
    assert.deepEqual(groups, before);
  });
});

describe("scaleAlertmanagerConfigs", () => {
  it("scales the timings of every route at every depth, never the time intervals", () => {
    const [object] = generate(routedConfig()).alertmanagerConfigs;
    assert.ok(object);
    const nested: AlertmanagerConfigObject = structuredClone(object);
    const child = nested.spec.route.routes?.[0];
    assert.ok(child);
    child.routes = [
      { receiver: "feed", groupWait: "2m", routes: [{ receiver: "feed", repeatInterval: "1d" }] },
    ];
    const before = structuredClone(nested);
    const [scaled] = scaleAlertmanagerConfigs([nested], 30);
    assert.deepEqual(nested, before, "input unchanged");
    const timings = (r: AlertmanagerRoute | undefined): unknown =>
      r && [r.groupWait, r.groupInterval, r.repeatInterval, (r.routes ?? []).map(timings)];
    assert.deepEqual(timings(scaled?.spec.route), [
      "1s500ms",
      "3m",
      "24m",
      [
        ["333ms", "2s", "3m", [["4s", undefined, undefined, [[undefined, undefined, "48m", []]]]]],
        [undefined, undefined, undefined, []],
        [undefined, undefined, undefined, [[undefined, "1s", undefined, []]]],
      ],
    ]);
    assert.deepEqual(scaled?.spec.muteTimeIntervals, nested.spec.muteTimeIntervals);
    assert.deepEqual(scaled?.spec.route.routes?.[0]?.muteTimeIntervals, ["nights"]);
    assert.deepEqual(
      { ...scaled, spec: { ...scaled?.spec, route: undefined } },
      {
        ...nested,
        spec: { ...nested.spec, route: undefined },
      },
    );
  });
});

describe("scaleGenerated and generate({ timeScale })", () => {
  for (const [name, config] of Object.entries(CONFIGS)) {
    it(`${name}: factor 1 is the production output; 30 is scaleGenerated of it`, () => {
      const g = generate(config());
      assert.deepEqual(generate(config(), { timeScale: 1 }), g);
      assert.deepEqual(scaleGenerated(g, 1), g);
      const s = generate(config(), { timeScale: 30 });
      assert.deepEqual(s, scaleGenerated(g, 30));
      assert.deepEqual(s.prometheusRule, { ...g.prometheusRule, spec: { groups: s.ruleGroups } });
      assert.deepEqual(
        [s.resolved, s.horizontalPodAutoscalers, s.scaledObjects],
        [g.resolved, g.horizontalPodAutoscalers, g.scaledObjects],
      );
      assert.notDeepEqual(s.ruleGroups, g.ruleGroups);
    });
  }
  it("refuses a time scale below 1", () => {
    assert.throws(() => generate(routedConfig(), { timeScale: 0.5 }), /finite number >= 1/);
  });
});

// ---- Every config on the real tools -------------------------------------------------------

/** Durations where PromQL takes them (`[5m]`, `[30m:1m]`, `offset 1m`), and the text around them. */
const PROMQL_DURATION = /(\[|:|offset -?)((?:\d+(?:ms|[ywdhms]))+)(?=[\]:)\s,]|$)/g;
const ms = (d: string) => Math.round(durationSeconds(d) * 1000);
function durations(text: string): { skeleton: string; values: string[] } {
  const values: string[] = [];
  const skeleton = text.replace(PROMQL_DURATION, (_, before: string, d: string) => {
    values.push(d);
    return `${before}D`;
  });
  return { skeleton, values };
}

/** Asserts `scaled` is `original` with each duration divided by `factor`: never 0 unless it was. */
function assertScaledText(original: string, scaled: string, factor: number, where: string): number {
  const a = durations(original);
  const b = durations(scaled);
  assert.equal(b.skeleton, a.skeleton, `${where}: only durations change`);
  a.values.forEach((d, i) => assertScaledDuration(d, b.values[i], factor, where));
  return a.values.length;
}
function assertScaledDuration(original: string, scaled: string | undefined, factor: number, where: string) {
  assert.ok(scaled !== undefined, where);
  const want = ms(original) === 0 ? 0 : Math.max(1, Math.round(ms(original) / factor));
  assert.equal(ms(scaled), want, `${where}: ${original} / ${factor} gave ${scaled}`);
  if (ms(original) > 0) assert.ok(ms(scaled) > 0, `${where}: ${original} scaled to zero`);
}

function assertScaledRules(g: GeneratedObjects, s: GeneratedObjects, factor: number): void {
  let seen = 0;
  g.ruleGroups.forEach((group, gi) =>
    group.rules.forEach((rule, ri) => {
      const other = s.ruleGroups[gi]?.rules[ri];
      const where = `${group.name}[${ri}]`;
      assert.ok(other, where);
      seen += assertScaledText(rule.expr, other.expr, factor, `${where}.expr`);
      if ("alert" in rule && "alert" in other) {
        if (rule.for !== undefined) assertScaledDuration(rule.for, other.for, factor, `${where}.for`);
        for (const [k, v] of Object.entries(rule.annotations))
          seen += assertScaledText(v, other.annotations[k] ?? "", factor, `${where}.${k}`);
      }
    }),
  );
  assert.ok(seen > 0, "the rules have PromQL durations");
}

/** group_wait, group_interval and repeat_interval of every route of a merged alertmanager.yml. */
function routeTimings(route: unknown, out: string[] = []): string[] {
  const r = route as Record<string, unknown> & { routes?: unknown[] };
  for (const k of ["group_wait", "group_interval", "repeat_interval"]) if (k in r) out.push(String(r[k]));
  for (const c of r.routes ?? []) routeTimings(c, out);
  return out;
}

/** The merged alertmanager.yml for amtool 0.25 (no msteams, which needs 0.26), as `verify` checks it. */
function mergedFor025(g: GeneratedObjects) {
  const alertmanagerConfigs = g.alertmanagerConfigs.map((o) => ({
    ...o,
    spec: { ...o.spec, receivers: o.spec.receivers.map(({ msteamsConfigs: _, ...r }) => r) },
  }));
  const merged = standaloneAlertmanagerConfig(
    { ...g, alertmanagerConfigs },
    { alertmanagerVersion: "0.25.0" },
  );
  assert.deepEqual(
    merged.problems.filter((p) => p.severity === "error"),
    [],
  );
  return merged.config;
}

describe("every config, scaled by 1, 30 and 60, on the real promtool and amtool", () => {
  const amtool = requireTool("amtool");
  for (const [name, config] of Object.entries(CONFIGS)) {
    const g = generate(config());
    for (const factor of [1, 30, 60]) {
      it(`${name} x${factor}`, () => {
        const s = generate(config(), { timeScale: factor });
        assertScaledRules(g, s, factor);
        const check = promtool(s.ruleGroups, () => ["check", "rules", "rules.yml"]);
        assert.ok(check.ok, check.output);
        assert.match(check.output, /SUCCESS/);

        if (g.alertmanagerConfigs.length === 0) return;
        const original = routeTimings(mergedFor025(g).route);
        const scaled = mergedFor025(s);
        const timings = routeTimings(scaled.route);
        assert.ok(original.length > 0, "the merged routes have timings");
        assert.equal(timings.length, original.length);
        original.forEach((d, i) => assertScaledDuration(d, timings[i], factor, `route timing ${i}`));
        const r = runTool(amtool, ["check-config", "alertmanager.yml"], {
          "alertmanager.yml": toYaml(scaled),
        });
        assert.ok(r.ok, r.output);
      });
    }
  }
});

describe("promtool test rules on a time scale", () => {
  const suite = join(PROMTOOL_DIR, "time-scale-x30.rules-test.yml");
  const fixture = () => loadConfigFile(FIXTURE);

  it("x30: AIWorkloadAtMaxReplicas (for 5m -> 10s) fires at 14s, not at 13s; the 10m override at 24s", () => {
    const groups = generate(fixture(), { timeScale: 30 }).ruleGroups;
    const r = promtoolTest(groups, suite);
    assert.ok(r.ok, r.output);
  });
  it("the same suite fails on rules not scaled by 30 (it can tell)", () => {
    for (const factor of [1, 60]) {
      const r = promtoolTest(generate(fixture(), { timeScale: factor }).ruleGroups, suite);
      assert.ok(!r.ok, `factor ${factor} passed:\n${r.output}`);
      assert.match(r.output, /FAILED/);
    }
  });
});
