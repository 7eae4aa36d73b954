/** The CLI as a user meets it: files written, exit codes, messages, and the real promtool on its output. */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { parseAllDocuments, parse } from "yaml";
import { ALERT_NAMES, CATALOG } from "../src/catalog/catalog.js";
import { run, type Io } from "../src/cli/program.js";
import { GENERATED_MARKER } from "../src/render/output.js";
import { requireTool } from "./support/tools.js";

const ROOT = join(import.meta.dirname, "..");
const EXAMPLE = join(ROOT, "examples", "llm-serving.yaml");
const work = mkdtempSync(join(tmpdir(), "asa-cli-"));
after(() => rmSync(work, { recursive: true, force: true }));

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const io: Io = { out: (t) => void (out += t), err: (t) => void (err += t) };
  const code = await run(argv, io);
  return { code, out, err };
}

function writeConfig(name: string, text: string): string {
  const path = join(work, name);
  writeFileSync(path, text);
  return path;
}

describe("render", () => {
  it("writes one file per object of the example, each starting with the generated marker", async () => {
    const dir = join(work, "out-k8s");
    const r = await cli("render", "-c", EXAMPLE, "-o", dir);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(readdirSync(dir).sort(), [
      "alertmanagerconfig-ml-serving-ai-scaling-alerts.yaml",
      "configmap-ml-serving-ai-scaling-alerts-dashboard.yaml",
      "horizontalpodautoscaler-ml-serving-embeddings.yaml",
      "horizontalpodautoscaler-ml-serving-llm-chat.yaml",
      "prometheusrule-ml-serving-ai-scaling-alerts.yaml",
    ]);
    for (const f of readdirSync(dir)) {
      const text = readFileSync(join(dir, f), "utf8");
      assert.ok(text.startsWith(GENERATED_MARKER), f);
      const doc = parse(text) as { kind: string; metadata: { namespace: string } };
      assert.equal(doc.metadata.namespace, "ml-serving");
    }
    const rule = parse(readFileSync(join(dir, "prometheusrule-ml-serving-ai-scaling-alerts.yaml"), "utf8"));
    assert.equal(
      rule.metadata.labels.release,
      "kube-prometheus-stack",
      "the rule selector label is on the object",
    );
  });

  it("streams multi-document YAML to stdout by default", async () => {
    const r = await cli("render", "-c", EXAMPLE);
    assert.equal(r.code, 0, r.err);
    const docs = parseAllDocuments(r.out).map((d) => d.toJS() as { kind: string });
    assert.deepEqual(
      docs.map((d) => d.kind),
      [
        "HorizontalPodAutoscaler",
        "HorizontalPodAutoscaler",
        "PrometheusRule",
        "AlertmanagerConfig",
        "ConfigMap",
      ],
    );
  });

  it("writes a rules.yml that the real promtool accepts, and alertmanager.yml (--format prometheus)", async () => {
    const dir = join(work, "out-prom");
    const r = await cli("render", "-c", EXAMPLE, "-o", dir, "--format", "prometheus");
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(readdirSync(dir).sort(), ["alertmanager.yml", "dashboard.json", "rules.yml"]);
    const check = spawnSync(requireTool("promtool"), ["check", "rules", join(dir, "rules.yml")], {
      encoding: "utf8",
    });
    assert.equal(check.status, 0, check.stdout + check.stderr);
    assert.match(check.stdout, /SUCCESS: \d+ rules found/);
  });

  it("prints a summary of objects, alerts per workload and receivers", async () => {
    const r = await cli("render", "-c", EXAMPLE, "-o", join(work, "out-summary"), "--summary");
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /Rendered 5 objects/);
    // Every catalog alert but the heartbeat whose data the workload has (the count follows the catalog).
    const count = (has: readonly string[]) =>
      ALERT_NAMES.filter((n) => CATALOG[n].perWorkload && has.includes(CATALOG[n].requires)).length;
    const chat = count(["always", "gpu", "queue"]);
    const embeddings = count(["always"]);
    assert.match(r.err, new RegExp(`ml-serving/llm-chat \\(Deployment, HPA llm-chat\\): ${chat} alerts`));
    assert.match(
      r.err,
      new RegExp(`ml-serving/embeddings \\(Deployment, HPA embeddings\\): ${embeddings} alerts`),
    );
    assert.match(r.err, /oncall-pagerduty \(pagerduty\): critical/);
    assert.match(r.err, /scaling-feed \(webhook\): info/);
  });

  it("quotes YAML 1.1 booleans such as no and on", async () => {
    const cfg = writeConfig(
      "yaml11.yaml",
      'namespace: ml\nmonitoring:\n  ruleSelectorLabels: { scraped: "no", tier: "on" }\nworkloads:\n  - name: a\n    existingHpa: true\n',
    );
    const r = await cli("render", "-c", cfg);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^ {4}scraped: "no"$/m);
    assert.match(r.out, /^ {4}tier: "on"$/m);
    assert.doesNotMatch(r.out, /: no$/m);
    assert.doesNotMatch(r.out, /: on$/m);
  });

  it("removes files an earlier render wrote that no longer belong, and keeps the user's own", async () => {
    const dir = join(work, "out-stale");
    mkdirSync(dir);
    writeFileSync(
      join(dir, "horizontalpodautoscaler-ml-serving-old.yaml"),
      `${GENERATED_MARKER} for config ml-serving/ai-scaling-alerts from x.yaml. Do not edit.\nkind: HorizontalPodAutoscaler\n`,
    );
    writeFileSync(join(dir, "kustomization.yaml"), "resources: []\n");
    const r = await cli("render", "-c", EXAMPLE, "-o", dir);
    assert.equal(r.code, 0, r.err);
    assert.ok(!existsSync(join(dir, "horizontalpodautoscaler-ml-serving-old.yaml")));
    assert.ok(existsSync(join(dir, "kustomization.yaml")));
    assert.match(r.err, /removed stale horizontalpodautoscaler-ml-serving-old\.yaml/);
  });
});

describe("bad input", () => {
  const bad = () =>
    writeConfig(
      "bad.yaml",
      [
        "workloads:",
        "  - name: llm",
        "    autoscaling: { minReplicas: 2, maxReplicas: 1, metrics: [{ type: cpu, targetUtilization: 80 }] }",
        "notifications:",
        "  receivers:",
        "    - { name: s, type: slack, apiUrl: 'https://hooks.slack.com/services/T000/B000/SECRET' }",
      ].join("\n"),
    );

  it("exits 1 listing every problem with its path, writes nothing, and does not echo the secret", async () => {
    const dir = join(work, "never-written");
    const r = await cli("render", "-c", bad(), "-o", dir);
    assert.equal(r.code, 1);
    assert.match(r.err, /invalid config, 2 problems:/);
    assert.match(r.err, /workloads\[0\]\.autoscaling\.maxReplicas: must be >= minReplicas \(2\), got 1/);
    assert.match(r.err, /notifications\.receivers\[0\]\.apiUrl: inline credentials are not allowed/);
    assert.doesNotMatch(r.err, /SECRET|hooks\.slack\.com/);
    assert.equal(existsSync(dir), false);
  });

  it("validate reports the same problems, and 'valid' for the example", async () => {
    assert.equal((await cli("validate", "-c", bad())).code, 1);
    const ok = await cli("validate", "-c", EXAMPLE);
    assert.equal(ok.code, 0);
    assert.match(ok.out, /valid \(2 workloads, 5 objects\)/);
  });

  it("exits 2 on usage errors", async () => {
    assert.equal((await cli()).code, 2);
    assert.equal((await cli("render")).code, 2, "missing -c");
    assert.equal((await cli("render", "-c", EXAMPLE, "--format", "helm")).code, 2);
    assert.equal((await cli("render", "-c", EXAMPLE, "--bogus")).code, 2);
    assert.equal((await cli("deploy")).code, 2);
  });

  it("prints help for the program and each command, exit 0", async () => {
    for (const args of [["--help"], ["render", "--help"], ["validate", "--help"], ["schema", "--help"]]) {
      const r = await cli(...args);
      assert.equal(r.code, 0, args.join(" "));
      assert.match(r.out, /Usage: ai-scaling-alerts/);
    }
  });

  it("as a real process: exit code 1 and no stack trace", () => {
    const p = spawnSync(
      process.execPath,
      ["--import", "tsx", join(ROOT, "src/cli/main.ts"), "render", "-c", bad()],
      {
        encoding: "utf8",
        cwd: ROOT,
      },
    );
    assert.equal(p.status, 1);
    assert.doesNotMatch(p.stderr, /\n\s+at .*\(.*:\d+:\d+\)/);
    assert.equal(p.stdout, "");
  });
});

describe("verify: receivers", () => {
  it("warns of a receiver that no alert reaches, naming it and saying why (validation accepts it: Alertmanager does)", async () => {
    const cfg = writeConfig(
      "unused-receiver.yaml",
      [
        "namespace: ml",
        "workloads:",
        "  - name: llm",
        "    existingHpa: true",
        "notifications:",
        "  receivers:",
        "    - { name: oncall, type: pagerduty, routingKey: { secret: pd, key: key }, receive: [critical, warning, info, none] }",
        "    - { name: spare, type: webhook, url: { secret: hook, key: url }, receive: [] }",
      ].join("\n"),
    );
    assert.equal((await cli("validate", "-c", cfg)).code, 0);
    const r = await cli("verify", "-c", cfg);
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /^WARN +Route coverage/m);
    assert.match(
      r.out,
      /- WARNING: \[unused-receiver\] receiver spare gets no alert: no route names it, and no active alert has a severity it receives \(receive is empty\)/,
    );
    assert.doesNotMatch(r.out, /receiver oncall gets no alert/);
  });
});

describe("schema", () => {
  it("prints the published JSON Schema", async () => {
    const r = await cli("schema");
    assert.equal(r.code, 0);
    assert.deepEqual(
      JSON.parse(r.out),
      JSON.parse(readFileSync(join(ROOT, "schema", "config.schema.json"), "utf8")),
    );
  });
});
