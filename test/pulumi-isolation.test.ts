/**
 * `@pulumi/*` stays an optional peer dependency: only `src/pulumi/` imports it. Checked twice: by
 * reading every import specifier under `src/`, and by loading the core, the CLI and the monitoring
 * stack values and looking for any `@pulumi` module in the module cache (with a positive control).
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative } from "node:path";
import { describe, it } from "node:test";

const SRC = join(import.meta.dirname, "..", "src");
const IMPORT_RE = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)["']([^"']+)["']/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : /\.[cm]?ts$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

const loadedPulumiModules = () =>
  Object.keys(createRequire(import.meta.url).cache).filter((p) => p.includes("/node_modules/@pulumi/"));

describe("@pulumi is imported only under src/pulumi/", () => {
  it("no source file outside src/pulumi/ names an @pulumi module", () => {
    const files = sourceFiles(SRC);
    assert.ok(files.length > 20, "the scan sees the sources");
    const offenders = files
      .filter((f) => !relative(SRC, f).startsWith("pulumi/"))
      .flatMap((f) =>
        [...readFileSync(f, "utf8").matchAll(IMPORT_RE)]
          .map((m) => m[1] as string)
          .filter((spec) => spec.startsWith("@pulumi/"))
          .map((spec) => `${relative(SRC, f)}: ${spec}`),
      );
    assert.deepEqual(offenders, []);
    const pulumiFiles = files.filter((f) => relative(SRC, f).startsWith("pulumi/"));
    assert.ok(
      pulumiFiles.some((f) =>
        [...readFileSync(f, "utf8").matchAll(IMPORT_RE)].some((m) => m[1] === "@pulumi/pulumi"),
      ),
      "the scan recognises the imports it looks for",
    );
  });

  it("loading the core, the CLI and the monitoring-stack values loads no @pulumi module", async () => {
    assert.deepEqual(loadedPulumiModules(), [], "nothing loaded before the imports");
    await import("../src/index.js");
    await import("../src/cli/program.js");
    await import("../src/monitoring-stack/index.js");
    assert.deepEqual(loadedPulumiModules(), []);
    await import("../src/pulumi/index.js");
    assert.ok(loadedPulumiModules().length > 0, "positive control: the component does load @pulumi");
  });
});
