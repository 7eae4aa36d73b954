/**
 * The generated Grafana dashboard without a Prometheus: every query parses as PromQL, the JSON
 * has the shape Grafana imports, the variables offer only the configured workloads, the cluster
 * variable exists only with a cluster label, the ConfigMap is what the sidecar loads, every alert
 * links to its workload's view, and render writes the dashboard in both formats.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { Ajv2020 } from "ajv/dist/2020.js";
import { ConfigMap } from "kubernetes-models/v1";
import { parse } from "yaml";
import { generate, type GeneratedObjects } from "../src/build.js";
import { ALERT_NAMES, CATALOG } from "../src/catalog/catalog.js";
import { run, type Io } from "../src/cli/program.js";
import { loadConfigFile, parseConfig } from "../src/config/load.js";
import type { Config } from "../src/config/schema.js";
import {
  DASHBOARD_VARS,
  dashboardUid,
  interpolate,
  labelValuesQuery,
  panelQueries,
  type GrafanaDashboard,
} from "../src/dashboard/index.js";
import { promqlSyntaxErrors } from "../src/promql/syntax.js";
import { GENERATED_MARKER, parseMarker } from "../src/render/output.js";
import { SERIES } from "../src/rules/context.js";

const EXAMPLE = "examples/llm-serving.yaml";
const KEDA = "examples/batch-llm-keda.yaml";
const work = mkdtempSync(join(tmpdir(), "asa-dashboard-"));
after(() => rmSync(work, { recursive: true, force: true }));

const SAMPLE_VALUES = {
  [DASHBOARD_VARS.datasource]: "prometheus",
  [DASHBOARD_VARS.cluster]: "prod",
  [DASHBOARD_VARS.namespace]: "ml-serving",
  [DASHBOARD_VARS.workload]: "llm-chat",
  [DASHBOARD_VARS.hpa]: "llm-chat",
  [DASHBOARD_VARS.scaledObject]: "batch",
  __rate_interval: "2m",
  __interval: "30s",
  __range: "3h",
};

const withMonitoring = (c: Config, monitoring: Record<string, unknown>): Config =>
  parseConfig({ ...c, monitoring: { ...c.monitoring, ...monitoring } });
const dashboardOf = (g: GeneratedObjects): GrafanaDashboard => {
  assert.ok(g.dashboard, "a dashboard is generated");
  return g.dashboard;
};
const variable = (d: GrafanaDashboard, name: string) => d.templating.list?.find((v) => v.name === name);

/** The PromQL a query sends: a variable's label_values selector, else the query itself. */
function promqlOf(expr: string): string {
  return labelValuesQuery(expr)?.selector ?? expr;
}

const configs: [string, Config][] = [
  [EXAMPLE, loadConfigFile(EXAMPLE)],
  [KEDA, loadConfigFile(KEDA)],
  [`${EXAMPLE} with a cluster label`, withMonitoring(loadConfigFile(EXAMPLE), { clusterLabel: "cluster" })],
];

describe("every query of the dashboard", () => {
  for (const [name, config] of configs) {
    it(`parses as PromQL with lezer-promql, without error nodes (${name})`, () => {
      const queries = panelQueries(dashboardOf(generate(config)));
      assert.ok(queries.length >= 15, `only ${queries.length} queries`);
      for (const q of queries) {
        const expr = promqlOf(interpolate(q.expr, SAMPLE_VALUES));
        assert.deepEqual(promqlSyntaxErrors(expr), [], `${q.kind} ${q.owner} ${q.refId}: ${expr}`);
      }
    });
  }

  it("fails to parse when a query is broken (the check can fail)", () => {
    assert.notDeepEqual(promqlSyntaxErrors('max by (condition) (foo{a="b"} >'), []);
  });

  it("reads the recorded series where the rules record them, never a name spelt by the dashboard", () => {
    const g = generate(loadConfigFile(EXAMPLE));
    const recorded = new Set(
      g.ruleGroups.flatMap((grp) => grp.rules.flatMap((r) => ("record" in r ? [r.record] : []))),
    );
    const exprs = panelQueries(dashboardOf(g)).map((q) => q.expr);
    const used = [
      ...new Set(exprs.flatMap((e) => [...e.matchAll(/([a-z_]+:[a-z_:]+)\{/g)].map((m) => m[1] as string))),
    ];
    assert.ok(used.length >= 5, `recorded series used: ${used.join(", ")}`);
    for (const name of used) assert.ok(recorded.has(name), `${name} is recorded by the rules`);
    assert.ok(used.includes(SERIES.hpaInfo));
  });
});

const grafanaSchema = {
  type: "object",
  required: ["uid", "title", "schemaVersion", "panels", "templating", "annotations"],
  properties: {
    uid: { type: "string", pattern: "^[a-zA-Z0-9_-]{1,40}$" },
    title: { type: "string", minLength: 1 },
    schemaVersion: { type: "integer", minimum: 36 },
    templating: { type: "object", required: ["list"], properties: { list: { type: "array" } } },
    annotations: { type: "object", required: ["list"], properties: { list: { type: "array", minItems: 2 } } },
    panels: {
      type: "array",
      minItems: 8,
      items: {
        type: "object",
        required: ["type", "title", "gridPos"],
        properties: {
          type: { enum: ["row", "timeseries", "state-timeline", "table"] },
          gridPos: {
            type: "object",
            required: ["x", "y", "w", "h"],
            properties: { x: { type: "integer", minimum: 0 }, w: { type: "integer", maximum: 24 } },
          },
          datasource: {
            type: "object",
            properties: { type: { const: "prometheus" }, uid: { const: "$datasource" } },
          },
          targets: {
            type: "array",
            items: {
              type: "object",
              required: ["refId", "expr"],
              properties: { expr: { type: "string", minLength: 1 } },
            },
          },
        },
      },
    },
  },
};

describe("the dashboard JSON", () => {
  it("has the shape Grafana imports: uid, panels on a 24-column grid, Prometheus queries, annotations", () => {
    const validate = new Ajv2020({ allErrors: true, strict: false }).compile(grafanaSchema);
    for (const [name, config] of configs) {
      const d = dashboardOf(generate(config));
      assert.ok(validate(d), `${name}: ${JSON.stringify(validate.errors)}`);
      for (const p of d.panels ?? []) {
        const pos = p.gridPos;
        assert.ok(pos && pos.x + pos.w <= 24, `${p.title} fits the grid`);
      }
    }
  });

  it("has a panel for each view the issue asks for, and the KEDA panels only with KEDA workloads", () => {
    const titles = (c: Config) => (dashboardOf(generate(c)).panels ?? []).map((p) => p.title);
    const chat = titles(loadConfigFile(EXAMPLE));
    for (const t of [
      "Replicas: desired, current, available against min and max",
      "HPA conditions",
      "HPA metrics against their targets",
      "GPU utilisation",
      "Queue per replica against its target",
      "Unschedulable pods",
      "Catalog alerts of the workload",
      "Firing now",
    ])
      assert.ok(chat.includes(t), `${t} in ${chat.join(", ")}`);
    assert.ok(!chat.includes("KEDA scaler activity"));
    const keda = titles(loadConfigFile(KEDA));
    assert.ok(keda.includes("KEDA scaler activity") && keda.includes("Scale to zero and cold starts"));
  });

  it("shows min and max as dashed limit lines on the replicas panel", () => {
    const d = dashboardOf(generate(loadConfigFile(EXAMPLE)));
    const p = (d.panels ?? []).find((x) => x.title?.startsWith("Replicas:")) as unknown as {
      targets: { refId: string; legendFormat: string }[];
      fieldConfig: {
        overrides: { matcher: { options: string }; properties: { id: string; value: unknown }[] }[];
      };
    };
    const dashed = p.fieldConfig.overrides
      .filter((o) => o.properties.some((x) => x.id === "custom.lineStyle"))
      .map((o) => p.targets.find((t) => t.refId === o.matcher.options)?.legendFormat);
    assert.deepEqual(dashed.sort(), ["max", "min"]);
  });
});

describe("variables", () => {
  it("offer only the configured namespaces and workloads, read from the recorded HPA info", () => {
    const d = dashboardOf(generate(loadConfigFile(EXAMPLE)));
    const ns = variable(d, DASHBOARD_VARS.namespace);
    const wl = variable(d, DASHBOARD_VARS.workload);
    assert.ok(ns && wl);
    const regex = (r: unknown) => new RegExp(String(r).slice(1, -1));
    for (const w of ["llm-chat", "embeddings"]) assert.match(w, regex(wl.regex));
    for (const other of ["llm-chat-canary", "other", "xllm-chat"])
      assert.doesNotMatch(other, regex(wl.regex));
    assert.match("ml-serving", regex(ns.regex));
    assert.doesNotMatch("kube-system", regex(ns.regex));
    for (const v of [ns, wl, variable(d, DASHBOARD_VARS.hpa)])
      assert.match(JSON.stringify(v?.query), new RegExp(SERIES.hpaInfo.replace(/[:.]/g, "\\$&")));
    assert.equal(variable(d, DASHBOARD_VARS.hpa)?.hide, 2, "the HPA variable is hidden");
  });

  it("include a cluster variable only when the config sets a cluster label, and every query then filters on it", () => {
    const without = dashboardOf(generate(loadConfigFile(EXAMPLE)));
    assert.equal(variable(without, DASHBOARD_VARS.cluster), undefined);
    assert.doesNotMatch(JSON.stringify(without), /\$cluster/);
    const withCluster = dashboardOf(
      generate(withMonitoring(loadConfigFile(EXAMPLE), { clusterLabel: "k8s_cluster" })),
    );
    const v = variable(withCluster, DASHBOARD_VARS.cluster);
    assert.ok(v);
    assert.match(JSON.stringify(v.query), /label_values\([^,]+, k8s_cluster\)/);
    for (const q of panelQueries(withCluster).filter((x) => x.owner !== DASHBOARD_VARS.cluster))
      assert.match(q.expr, /k8s_cluster=~"\$cluster"/, `${q.owner} ${q.refId}`);
  });
});

describe("the ConfigMap for Grafana's sidecar", () => {
  it('is labelled grafana_dashboard: "1", filed in the default folder, holds the dashboard and passes the schema', () => {
    const g = generate(loadConfigFile(EXAMPLE));
    const cm = g.dashboardConfigMap;
    assert.ok(cm);
    assert.equal(cm.metadata.namespace, "ml-serving");
    assert.equal(cm.metadata.labels.grafana_dashboard, "1");
    assert.deepEqual(cm.metadata.annotations, { grafana_folder: "AI workloads" });
    const [key, json] = Object.entries(cm.data)[0] ?? [];
    assert.equal(key, "ml-serving-ai-scaling-alerts.json");
    assert.deepEqual(JSON.parse(json ?? ""), g.dashboard);
    new ConfigMap(cm as never).validate();
  });

  it("takes the folder, its annotation, the labels and the namespace from monitoring.grafana", () => {
    const g = generate(
      withMonitoring(loadConfigFile(EXAMPLE), {
        grafana: {
          folder: "GPU-serving",
          folderAnnotation: "k8s-sidecar-target-directory",
          configMapLabels: { dashboards: "ml" },
          namespace: "monitoring",
          dashboardUid: "llm-scaling",
        },
      }),
    );
    const cm = g.dashboardConfigMap;
    assert.ok(cm);
    assert.equal(cm.metadata.namespace, "monitoring");
    assert.deepEqual(cm.metadata.annotations, { "k8s-sidecar-target-directory": "GPU-serving" });
    assert.equal(cm.metadata.labels.dashboards, "ml");
    assert.equal(cm.metadata.labels.grafana_dashboard, undefined);
    assert.equal(g.dashboard?.uid, "llm-scaling");
  });

  it("is absent, with the dashboard, under grafana.dashboard: false; a bad UID is refused with its path", () => {
    const g = generate(withMonitoring(loadConfigFile(EXAMPLE), { grafana: { dashboard: false } }));
    assert.equal(g.dashboard, undefined);
    assert.equal(g.dashboardConfigMap, undefined);
    assert.throws(
      () => withMonitoring(loadConfigFile(EXAMPLE), { grafana: { dashboardUid: "no spaces/here" } }),
      /monitoring\.grafana\.dashboardUid: expected a Grafana dashboard UID/,
    );
  });
});

describe("dashboard_url on every alert", () => {
  const alerts = (g: GeneratedObjects) =>
    g.ruleGroups.flatMap((grp) => grp.rules.flatMap((r) => ("alert" in r ? [r] : [])));

  it("points every workload alert at its workload's view, the others at the dashboard", () => {
    const config = withMonitoring(loadConfigFile(EXAMPLE), {
      grafana: { url: "https://grafana.example.com/" },
    });
    const g = generate(config);
    const uid = dashboardUid(g.resolved);
    const all = alerts(g);
    assert.ok(all.length >= 15);
    for (const r of all) {
      const url = r.annotations.dashboard_url;
      if (CATALOG[r.alert].perWorkload)
        assert.equal(
          url,
          `https://grafana.example.com/d/${uid}?var-namespace={{ $labels.namespace | urlquery }}&var-workload={{ $labels.workload | urlquery }}`,
          r.alert,
        );
      else assert.equal(url, `https://grafana.example.com/d/${uid}`, r.alert);
    }
    assert.deepEqual(
      new Set(all.map((r) => r.alert)),
      new Set(ALERT_NAMES.filter((n) => all.some((r) => r.alert === n))),
    );
  });

  it("carries the cluster with a cluster label, and is absent without monitoring.grafana.url", () => {
    const g = generate(
      withMonitoring(loadConfigFile(EXAMPLE), {
        clusterLabel: "cluster",
        grafana: { url: "https://g.example" },
      }),
    );
    for (const r of alerts(g))
      assert.match(
        r.annotations.dashboard_url ?? "",
        /\?var-cluster=\{\{ \$labels\.cluster \| urlquery \}\}/,
      );
    for (const r of alerts(generate(loadConfigFile(EXAMPLE))))
      assert.equal(r.annotations.dashboard_url, undefined);
  });

  it("refuses a Grafana URL with credentials, naming the field", () => {
    assert.throws(
      () =>
        withMonitoring(loadConfigFile(EXAMPLE), { grafana: { url: "https://admin:secret@grafana.example" } }),
      (e: Error) =>
        /monitoring\.grafana\.url: must not hold a user or password/.test(e.message) &&
        !e.message.includes("secret@"),
    );
  });
});

describe("render", () => {
  async function cli(...argv: string[]): Promise<{ code: number; err: string }> {
    let err = "";
    const io: Io = { out: () => undefined, err: (t) => void (err += t) };
    return { code: await run(argv, io), err };
  }

  it("writes dashboard.json in the prometheus format, marked as ours, replaced by the next render", async () => {
    const dir = join(work, "prom");
    assert.equal((await cli("render", "-c", EXAMPLE, "-o", dir, "--format", "prometheus")).code, 0);
    assert.deepEqual(readdirSync(dir).sort(), ["alertmanager.yml", "dashboard.json", "rules.yml"]);
    const text = readFileSync(join(dir, "dashboard.json"), "utf8");
    const d = JSON.parse(text) as { __generated: string; uid: string };
    assert.ok(d.__generated.startsWith(GENERATED_MARKER));
    assert.deepEqual(parseMarker(text), { kind: "config", config: "ml-serving/ai-scaling-alerts" });
    const again = await cli("render", "-c", EXAMPLE, "-o", dir, "--format", "prometheus");
    assert.equal(again.code, 0, again.err);
    assert.equal(readFileSync(join(dir, "dashboard.json"), "utf8"), text);
  });

  it("writes the ConfigMap in the kubernetes format, and no JSON file that kubectl apply -f would choke on", async () => {
    const dir = join(work, "k8s");
    const r = await cli("render", "-c", EXAMPLE, "-o", dir);
    assert.equal(r.code, 0, r.err);
    const files = readdirSync(dir);
    assert.ok(files.includes("configmap-ml-serving-ai-scaling-alerts-dashboard.yaml"), files.join(", "));
    assert.ok(!files.some((f) => f.endsWith(".json")));
    const cm = parse(
      readFileSync(join(dir, "configmap-ml-serving-ai-scaling-alerts-dashboard.yaml"), "utf8"),
    );
    assert.equal(cm.kind, "ConfigMap");
    assert.equal(cm.metadata.labels.grafana_dashboard, "1");
  });
});
