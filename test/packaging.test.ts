/**
 * What a user installs: `npm pack` of this repository, installed as a tarball into a scratch project
 * (dependencies from the registry or npm's cache, the optional Pulumi peers at the versions
 * package.json pins), then the installed CLI renders and validates an example, and the
 * gpu-inference Pulumi program runs under Pulumi's mocks against the installed package. Also: one
 * version (the CLI prints package.json's), and an engines range no installed package contradicts.
 *
 * The tarball holds dist/ as built by `npm ci` (the `prepare` script); the test packs with
 * --ignore-scripts so it never rebuilds dist/ under the other tests' feet.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
interface PackageJson {
  name: string;
  version: string;
  engines: { node: string };
  peerDependencies: Record<string, string>;
  files: string[];
}
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as PackageJson;
const NPM = { maxBuffer: 64 * 1024 * 1024, env: { ...process.env, npm_config_update_notifier: "false" } };

let scratch = "";
let project = "";

describe("packaging", { timeout: 240_000 }, () => {
  before(async () => {
    scratch = mkdtempSync(join(tmpdir(), "ai-scaling-alerts-pack-"));
    project = join(scratch, "project");
    const packed = await run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", scratch], {
      ...NPM,
      cwd: ROOT,
    });
    const [info] = JSON.parse(packed.stdout) as { filename: string }[];
    assert.ok(info, "npm pack wrote a tarball");
    await run("mkdir", ["-p", project]);
    writeFileSync(
      join(project, "package.json"),
      JSON.stringify({ name: "scratch", private: true, type: "module" }, null, 2),
    );
    const peers = Object.entries(pkg.peerDependencies).map(([name, version]) => `${name}@${version}`);
    await run(
      "npm",
      [
        "install",
        "--no-audit",
        "--no-fund",
        "--prefer-offline",
        "--ignore-scripts",
        join(scratch, info.filename),
        ...peers,
      ],
      { ...NPM, cwd: project },
    );
  });
  after(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it("the tarball installs with its files, and the installed CLI prints package.json's version", async () => {
    const installed = join(project, "node_modules", pkg.name);
    const top = readdirSync(installed).sort();
    for (const f of ["README.md", "package.json", ...pkg.files])
      assert.ok(top.includes(f), `the package has ${f}`);
    assert.ok(!top.includes("test") && !top.includes("src"), `only the files listed: ${top.join(", ")}`);
    const { stdout } = await run("npx", ["--no-install", "ai-scaling-alerts", "--version"], { cwd: project });
    assert.equal(stdout.trim(), pkg.version);
  });

  it("the installed CLI validates and renders the bundled example", async () => {
    const example = join(project, "node_modules", pkg.name, "examples", "llm-serving.yaml");
    await run("npx", ["--no-install", "ai-scaling-alerts", "validate", "-c", example], { cwd: project });
    const out = join(scratch, "out");
    const r = await run(
      "npx",
      ["--no-install", "ai-scaling-alerts", "render", "-c", example, "-o", out, "--summary"],
      {
        cwd: project,
      },
    );
    const files = readdirSync(out).sort();
    assert.ok(
      files.some((f) => f.startsWith("prometheusrule-")),
      files.join(", "),
    );
    assert.ok(
      files.some((f) => f.startsWith("alertmanagerconfig-")),
      files.join(", "),
    );
    assert.equal(files.filter((f) => f.startsWith("horizontalpodautoscaler-")).length, 2, files.join(", "));
    assert.match(r.stderr, /alertmanagerconfig|AlertmanagerConfig/);
  });

  it("the gpu-inference Pulumi program runs under mocks from the installed package", async () => {
    copyFileSync(join(ROOT, "examples", "gpu-inference", "index.ts"), join(project, "program.ts"));
    writeFileSync(
      join(project, "mocks.mjs"),
      `import * as pulumi from "@pulumi/pulumi";
const types = [];
await pulumi.runtime.setMocks(
  { newResource: (a) => { types.push(a.type); return { id: a.name + "-id", state: a.inputs }; }, call: (a) => a.inputs },
  "gpu-inference", "test", false);
const program = await import("./program.ts");
const names = await new Promise((r) => pulumi.output(program.alertsByWorkload).apply(r));
await pulumi.runtime.waitForRPCs?.();
console.log(JSON.stringify({ types: [...new Set(types)].sort(), workloads: Object.keys(names ?? {}) }));
`,
    );
    const env = {
      ...process.env,
      PULUMI_CONFIG: JSON.stringify({
        "gpu-inference:pagerdutyRoutingKey": "packaging-test-key",
        "gpu-inference:slackWebhookUrl": "https://hooks.slack.example/services/packaging",
      }),
      PULUMI_CONFIG_SECRET_KEYS: JSON.stringify([
        "gpu-inference:pagerdutyRoutingKey",
        "gpu-inference:slackWebhookUrl",
      ]),
    };
    const tsx = createRequire(join(ROOT, "package.json")).resolve("tsx");
    const { stdout } = await run("node", ["--import", tsx, "mocks.mjs"], { cwd: project, env });
    const result = JSON.parse(stdout.trim().split("\n").pop() ?? "{}") as {
      types: string[];
      workloads: string[];
    };
    for (const t of [
      "ai-scaling-alerts:index:AiScalingAlerts",
      "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
      "kubernetes:monitoring.coreos.com/v1:PrometheusRule",
      "kubernetes:monitoring.coreos.com/v1alpha1:AlertmanagerConfig",
      "kubernetes:helm.sh/v3:Release",
    ])
      assert.ok(result.types.includes(t), `${t} among ${result.types.join(", ")}`);
    assert.ok(result.workloads.length > 0, "alertsByWorkload names the workloads");
  });
});

describe("engines", () => {
  it("package.json's Node range is one that every installed package supports", () => {
    const require = createRequire(join(ROOT, "package.json"));
    const semver = require("semver") as { subset(a: string, b: string): boolean };
    const lock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8")) as {
      packages: Record<string, { engines?: { node?: string } | string[]; optional?: boolean }>;
    };
    const narrower: string[] = [];
    for (const [path, entry] of Object.entries(lock.packages)) {
      const range = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
      if (path === "" || range === undefined || entry.optional) continue;
      if (!semver.subset(pkg.engines.node, range)) narrower.push(`${path}: ${range}`);
    }
    assert.deepEqual(narrower, [], `engines.node ${pkg.engines.node} is wider than these declare`);
  });
});
