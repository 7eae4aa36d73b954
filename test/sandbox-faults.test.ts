/**
 * Faults in the alert path on the real binaries (issue: reliability): each fault scenario of the
 * library runs in the sandbox, must meet its own expectations, and must show what
 * `src/sandbox/reliability.ts` says it must (nothing lost, nothing twice, no false resolution, the
 * dead man's switch going quiet). `npm run reliability` writes the same cases to docs/reliability.md.
 */
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { loadConfigFile } from "../src/config/load.js";
import { stopAll } from "../src/sandbox/index.js";
import { FAULT_CASES } from "../src/sandbox/reliability.js";
import { runSandbox } from "../src/sandbox/run.js";
import { loadScenario } from "../src/sandbox/scenario/load.js";
import { summaryTable } from "../src/sandbox/summary.js";

after(() => stopAll());

describe("faults in the alert path", { concurrency: 2 }, () => {
  for (const c of FAULT_CASES) {
    test(`${c.scenario}: ${c.expected}`, async () => {
      const lines: string[] = [];
      const t = await runSandbox({
        config: loadConfigFile(c.config),
        scenario: loadScenario(c.scenario),
        speed: c.speed ?? 30,
        log: (l) => lines.push(l),
      });
      const o = c.observe(t);
      if (!o.ok) console.log([...lines, ...summaryTable(t), `observed: ${o.observed}`].join("\n"));
      assert.equal(o.ok, true, `${c.scenario}: ${o.observed}`);
    });
  }
});
