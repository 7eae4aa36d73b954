/**
 * The layers of src/ are enforced by lint (eslint.config.js, `no-restricted-imports` per folder):
 * an import against the direction fails, one along it passes.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { ESLint } from "eslint";

const root = join(import.meta.dirname, "..");
const eslint = new ESLint({ cwd: root });

async function restricted(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === "no-restricted-imports").map((m) => m.message);
}

describe("the one-way layers of src/", () => {
  const cases: [string, string, boolean][] = [
    // A generator must not reach into the shells or the simulation.
    ["src/rules/x.ts", 'import { stopAll } from "../sandbox/index.js";', false],
    ["src/autoscaling/x.ts", 'import { mergeAlertmanagerConfigs } from "../operator-merge/index.js";', false],
    // The shared vocabulary imports nothing above it.
    ["src/catalog/x.ts", 'import { loadConfigFile } from "../config/load.js";', false],
    ["src/config/x.ts", 'import { buildRuleGroups } from "../rules/index.js";', false],
    // Pulumi's shell does not use the CLI's or the sandbox's.
    ["src/pulumi/x.ts", 'import { runSandbox } from "../sandbox/run.js";', false],
    // Along the direction.
    ["src/rules/x.ts", 'import { str } from "../promql/text.js";', true],
    ["src/operator-merge/x.ts", 'import { routeMatchers } from "../matchers/matcher.js";', true],
    ["src/sandbox/x.ts", 'import { generate } from "../build.js";', true],
    ["src/verify/scenarios/x.ts", 'import { SERIES } from "../../catalog/series.js";', true],
  ];
  for (const [file, code, ok] of cases) {
    it(`${ok ? "allows" : "refuses"} in ${file}: ${code}`, async () => {
      const messages = await restricted(file, `${code}\nexport {};\n`);
      if (ok) assert.deepEqual(messages, []);
      else assert.match(messages.join("\n"), /may import only/);
    });
  }
});
