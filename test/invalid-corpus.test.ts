/**
 * The hostile-input corpus (test/fixtures/invalid/cases.json): every malformed or hostile input
 * ends with exit 1 (input) or 2 (usage), exactly the messages the case lists (one line per problem,
 * with its path, values cut short), no internal error and no stack trace, nothing on stdout but the
 * JSON report a `--json` command owes, and nothing written: the input is untouched and a render's
 * output folder stays as it was. A few cases run as real processes, to prove the exit code and the
 * absence of a stack trace outside the test's own process. Time and memory per case are measured
 * by `npm run bench:hostile`, not here.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import {
  CORPUS_DIR,
  expectedLines,
  loadCases,
  prepare,
  runPrepared,
  snapshot,
  type CaseResult,
  type CorpusCase,
  type PreparedCase,
} from "./fixtures/invalid/corpus.js";

const ROOT = join(import.meta.dirname, "..");
const cases = loadCases();
const work = mkdtempSync(join(tmpdir(), "asa-corpus-"));
after(() => rmSync(work, { recursive: true, force: true }));

const STACK_FRAME = /^\s+at .+(:\d+:\d+\)?|\(native\))$/m;

function assertOutcome(c: CorpusCase, p: PreparedCase, r: CaseResult): void {
  const context = `${c.id}\n--- stderr ---\n${r.err}--- stdout ---\n${r.out.slice(0, 2000)}`;
  assert.equal(r.code, c.exit, context);
  assert.doesNotMatch(r.err, /internal error/, context);
  assert.doesNotMatch(r.err, STACK_FRAME, context);
  const lines = r.err.replace(/\n$/, "").split("\n");
  const expected = expectedLines(c, p);
  assert.equal(lines.length, expected.length, `line count\n${context}`);
  expected.forEach((e, i) => {
    if (typeof e === "string") assert.equal(lines[i], e, context);
    else assert.match(lines[i] ?? "", e, context);
  });
  if (c.stdout === "json") {
    const report = JSON.parse(r.out) as {
      ok: boolean;
      problems?: { path: string; message: string }[];
      checks?: { id: string; status: string; details: string[] }[];
    };
    assert.equal(report.ok, false, context);
    const messages = report.checks
      ? report.checks.flatMap((check) => {
          assert.equal(check.status, "fail", context);
          return check.details.map((d) => d.slice(d.indexOf(": ") + 2));
        })
      : (report.problems ?? []).map((x) => x.message);
    assert.ok(messages.length > 0, context);
    for (const m of messages) assert.ok(r.err.includes(m), `JSON problem ${m} is not on stderr\n${context}`);
  } else {
    assert.equal(r.out, "", context);
  }
}

describe("hostile-input corpus: the manifest", () => {
  it("has at least 150 cases with unique, numbered ids, each naming its class and what is wrong", () => {
    assert.ok(cases.length >= 150, `${cases.length} cases`);
    cases.forEach((c, i) => {
      assert.match(c.id, new RegExp(`^${String(i + 1).padStart(3, "0")}-[a-z0-9-]+$`), c.id);
      assert.ok(c.class && c.what, c.id);
      assert.ok(c.exit === 1 || c.exit === 2, c.id);
      assert.ok(c.stderr.length > 0, `${c.id}: expected messages`);
    });
  });

  it("uses every input file of the folder exactly once, and every one it names exists", () => {
    const inputs = readdirSync(CORPUS_DIR).filter((f) => f.endsWith(".in") || f.endsWith(".bin"));
    const named = cases.flatMap((c) => [c.input, c.companion].filter((f): f is string => f !== undefined));
    assert.deepEqual([...named].sort(), [...new Set(named)].sort(), "an input named twice");
    assert.deepEqual([...named].sort(), inputs.sort());
    for (const f of named) assert.ok(existsSync(join(CORPUS_DIR, f)), f);
  });

  it("covers every class of the issue and both exit codes", () => {
    const classes = new Set(cases.map((c) => c.class));
    for (const cls of [
      "file and encoding",
      "YAML",
      "wrong type",
      "unknown key",
      "range",
      "duration",
      "name",
      "routing",
      "PromQL",
      "autoscaling",
      "usage",
      "output",
      "JSON report",
      "other input file",
    ])
      assert.ok(classes.has(cls), cls);
    assert.ok(cases.some((c) => c.exit === 2) && cases.some((c) => c.exit === 1));
  });
});

describe("hostile-input corpus: each case through the CLI", () => {
  for (const c of cases) {
    it(`${c.id}: ${c.what}`, async () => {
      const p = prepare(c, join(work, c.id));
      const input = c.input || c.generate ? readFileSync(p.vars.file as string) : undefined;
      const r = await runPrepared(p);
      assertOutcome(c, p, r);
      if (input) assert.deepEqual(readFileSync(p.vars.file as string), input, "the input was changed");
      if (Object.keys(p.outBefore).length > 0) assert.deepEqual(snapshot(p.vars.out as string), p.outBefore);
    });
  }
});

describe("hostile-input corpus: as real processes", () => {
  const ids = [
    "007-dev-zero",
    "017-png",
    "044-alias-bomb",
    "046-deep-flow",
    "132-for-1000y",
    "252-am-version-word",
    "266-verify-json-invalid",
  ];
  for (const id of ids) {
    it(`${id}: the exit code and messages of the process, no stack trace`, () => {
      const c = cases.find((x) => x.id === id);
      assert.ok(c, id);
      const p = prepare(c, join(work, `process-${id}`));
      const start = performance.now();
      const child = spawnSync(
        process.execPath,
        ["--import", "tsx", join(ROOT, "src/cli/main.ts"), ...p.argv],
        {
          cwd: ROOT,
          encoding: "utf8",
          timeout: 60_000,
        },
      );
      assert.equal(child.error, undefined);
      assertOutcome(c, p, {
        code: child.status ?? -1,
        out: child.stdout,
        err: child.stderr,
        ms: performance.now() - start,
      });
    });
  }
});
