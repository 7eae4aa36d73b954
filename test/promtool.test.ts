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
