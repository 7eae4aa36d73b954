/** Running the real `promtool` on rules generated from a config. */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { loadConfigFile } from "../../src/config/load.js";
import { resolveConfig } from "../../src/config/resolve.js";
import { toYaml } from "../../src/render/yaml.js";
import { buildRuleGroups, type RuleGroup } from "../../src/rules/index.js";
import { requireTool } from "./tools.js";

export interface PromtoolResult {
  readonly ok: boolean;
  readonly output: string;
}

/** Rule groups generated from a YAML config file. */
export function rulesFromConfig(path: string): RuleGroup[] {
  return buildRuleGroups(resolveConfig(loadConfigFile(path)));
}

/** Runs `promtool <args>` in a fresh directory holding `rules.yml` and the given files. */
export function promtool(
  groups: readonly RuleGroup[],
  args: (dir: string) => string[],
  files: string[] = [],
): PromtoolResult {
  const bin = requireTool("promtool");
  const dir = mkdtempSync(join(tmpdir(), "asa-promtool-"));
  try {
    writeFileSync(join(dir, "rules.yml"), toYaml({ groups }));
    for (const f of files) copyFileSync(f, join(dir, basename(f)));
    const r = spawnSync(bin, args(dir), { cwd: dir, encoding: "utf8" });
    return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `promtool test rules <file>` against the given rules. */
export function promtoolTest(groups: readonly RuleGroup[], testFile: string): PromtoolResult {
  return promtool(groups, () => ["test", "rules", basename(testFile)], [testFile]);
}
