/**
 * The public API: what each entry point exports at run time (a change to these lists is a change
 * to the API, made on purpose), that package.json's `exports` name built files of those entries,
 * and that the API docs step of `npm run lint` (TypeDoc) fails on a broken doc link.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";

const ROOT = join(import.meta.dirname, "..");

const MAIN = [
  // the config
  "parseConfig",
  "parseConfigYaml",
  "loadConfigFile",
  "defineConfig",
  "ConfigError",
  "configJsonSchema",
  "CATALOG",
  "ALERT_NAMES",
  // generation
  "generate",
  "kubernetesObjects",
  // rendering
  "outputFiles",
  "outputStream",
  "writeOutput",
  "OutputError",
  "standaloneAlertmanagerConfig",
  // verification
  "verify",
  "formatReport",
  // the monitoring stack's charts and values
  "KUBE_PROMETHEUS_STACK_CHART",
  "DCGM_EXPORTER_CHART",
  "PROMETHEUS_ADAPTER_CHART",
  "kubePrometheusStackValues",
  "dcgmExporterValues",
  "prometheusAdapterValues",
];
const PULUMI = ["AiScalingAlerts", "AI_SCALING_ALERTS_TYPE"];
const OPERATOR_MERGE = [
  "mergeAlertmanagerConfigs",
  "matchRoutes",
  "receiversFor",
  "unreachableRoutes",
  "MatcherError",
];

const sorted = (xs: readonly string[]) => [...xs].sort();

describe("runtime exports of each entry point", () => {
  it("ai-scaling-alerts: parse, generate, render, verify, the monitoring stack", async () => {
    const main = await import("../src/index.js");
    assert.deepEqual(sorted(Object.keys(main)), sorted(MAIN));
    for (const internal of [
      "deepMerge",
      "failed",
      "inhibited",
      "buildUnitTests",
      "mergeAlertmanagerConfigs",
    ]) {
      assert.ok(!(internal in main), `${internal} is not part of the main entry`);
    }
  });

  it("ai-scaling-alerts/operator-merge: the merge and the routing simulator", async () => {
    assert.deepEqual(
      sorted(Object.keys(await import("../src/operator-merge/public.js"))),
      sorted(OPERATOR_MERGE),
    );
  });

  it("ai-scaling-alerts/pulumi: the component only (the monitoring stack is the main entry's)", async () => {
    assert.deepEqual(sorted(Object.keys(await import("../src/pulumi/index.js"))), sorted(PULUMI));
  });
});

describe("package.json exports", () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
    exports: Record<string, string | { types: string; default: string }>;
  };
  const entries: Record<string, string> = {
    ".": "src/index.ts",
    "./pulumi": "src/pulumi/index.ts",
    "./operator-merge": "src/operator-merge/public.ts",
  };

  it("maps each entry point to the build of its source file", () => {
    for (const [subpath, source] of Object.entries(entries)) {
      const target = pkg.exports[subpath];
      assert.ok(target && typeof target === "object", `exports["${subpath}"]`);
      const built = source.replace(/^src\//, "./dist/").replace(/\.ts$/, "");
      assert.equal(target.default, `${built}.js`, subpath);
      assert.equal(target.types, `${built}.d.ts`, subpath);
      assert.ok(existsSync(join(ROOT, source)), source);
    }
  });

  it("exposes no other code entry point", () => {
    const code = Object.keys(pkg.exports).filter((k) => !k.endsWith(".json"));
    assert.deepEqual(sorted(code), sorted(Object.keys(entries)));
  });
});

describe("API docs", () => {
  const probe = join(ROOT, "scratch", "typedoc-probe");
  after(() => rmSync(probe, { recursive: true, force: true }));

  const typedoc = (...args: string[]) =>
    spawnSync(process.execPath, [join(ROOT, "node_modules", "typedoc", "bin", "typedoc"), ...args], {
      cwd: ROOT,
      encoding: "utf8",
      timeout: 120_000,
    });

  it("the lint step builds them from the entry points without a warning", () => {
    const r = typedoc("--emit", "none");
    assert.equal(r.status, 0, r.stdout + r.stderr);
  });

  it("the same step fails on a broken link (so CI does)", () => {
    mkdirSync(probe, { recursive: true });
    writeFileSync(
      join(probe, "entry.ts"),
      "/** Read {@link NoSuchSymbol}. */\nexport function probe(): number {\n  return 1;\n}\n",
    );
    writeFileSync(
      join(probe, "tsconfig.json"),
      JSON.stringify({
        extends: "../../tsconfig.json",
        compilerOptions: { rootDir: "." },
        include: ["entry.ts"],
      }),
    );
    // The project's TypeDoc options, on this entry point alone.
    writeFileSync(
      join(probe, "typedoc.json"),
      JSON.stringify({
        extends: ["../../typedoc.json"],
        entryPoints: ["entry.ts"],
        tsconfig: "tsconfig.json",
        intentionallyNotExported: [],
      }),
    );
    const r = typedoc("--options", join(probe, "typedoc.json"), "--emit", "none");
    assert.notEqual(r.status, 0);
    assert.match(r.stdout + r.stderr, /Failed to resolve link to "NoSuchSymbol"/);
  });
});
