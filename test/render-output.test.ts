/**
 * `render -o DIR` never loses or half-writes a user's files: several configs share a directory,
 * only a config's own earlier files are pruned, anything in the way fails before a byte is written,
 * a failure while committing is undone, and the output does not depend on how the config was named.
 * Real files in temporary directories; the CLI in-process and as a real process.
 */
import assert from "node:assert/strict";
import { execFile, spawnSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { after, describe, it } from "node:test";
import { run, type Io } from "../src/cli/program.js";
import { GENERATED_MARKER, type OutputFile } from "../src/render/output.js";
import { OutputError, writeOutput } from "../src/render/write-output.js";

const ROOT = join(import.meta.dirname, "..");
const MAIN = join(ROOT, "src", "cli", "main.ts");
const work = mkdtempSync(join(tmpdir(), "asa-out-"));
chmodSync(work, 0o755); // the read-only test runs the CLI as another user when we are root
after(() => {
  chmodTree(work);
  rmSync(work, { recursive: true, force: true });
});

/** Makes every directory under `dir` writable again, so that cleanup works after read-only tests. */
function chmodTree(dir: string): void {
  chmodSync(dir, 0o755);
  for (const e of readdirSync(dir, { withFileTypes: true }))
    if (e.isDirectory()) chmodTree(join(dir, e.name));
}

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const io: Io = { out: (t) => void (out += t), err: (t) => void (err += t) };
  const code = await run(argv, io);
  return { code, out, err };
}

const autoscaling = "{ minReplicas: 1, maxReplicas: 3, metrics: [{ type: cpu, targetUtilization: 80 }] }";

/** A config file `file` in `dir` with the given name, namespace and workloads (each with an HPA). */
function config(dir: string, file: string, name: string, workloads: string[], namespace = "ml"): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, file);
  writeFileSync(
    path,
    [
      `name: ${name}`,
      `namespace: ${namespace}`,
      "workloads:",
      ...workloads.map((w) => `  - { name: ${w}, autoscaling: ${autoscaling} }`),
      "",
    ].join("\n"),
  );
  return path;
}

let n = 0;
/** A fresh directory under the work directory. */
function fresh(label: string): string {
  const dir = join(work, `${label}-${++n}`);
  mkdirSync(dir);
  return dir;
}

type Entry = { type: "file"; text: string; mode: number } | { type: "link"; to: string } | { type: "other" };

/** Everything in a directory tree, byte for byte (files, link targets, subdirectories). */
function snapshot(dir: string, prefix = ""): Record<string, Entry> {
  const out: Record<string, Entry> = {};
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    const s = lstatSync(path);
    if (s.isDirectory())
      Object.assign(out, { [`${prefix}${name}/`]: { type: "other" } }, snapshot(path, `${prefix}${name}/`));
    else if (s.isSymbolicLink()) out[prefix + name] = { type: "link", to: readlinkSync(path) };
    else if (s.isFile())
      out[prefix + name] = { type: "file", text: readFileSync(path, "latin1"), mode: s.mode };
    else out[prefix + name] = { type: "other" };
  }
  return out;
}

const HPA = (w: string) => `horizontalpodautoscaler-ml-${w}.yaml`;
const RULE = (c: string) => `prometheusrule-ml-${c}.yaml`;

/**
 * Runs `fn` with each of `paths` that is a directory, and every ancestor directory of them,
 * traversable by others (o+x), as nobody needs
 * to reach the checkout, the config and Node (a checkout in a `mktemp -d` folder is mode 700), and
 * restores the modes it changed afterwards.
 */
function traversableByOthers<T>(paths: readonly string[], fn: () => T): T {
  const changed: [string, number][] = [];
  try {
    for (const p of paths) {
      for (let d = statSync(p).isDirectory() ? p : dirname(p); ; d = dirname(d)) {
        const mode = statSync(d).mode & 0o7777;
        if ((mode & 0o001) === 0 && !changed.some(([c]) => c === d)) {
          chmodSync(d, mode | 0o001);
          changed.push([d, mode]);
        }
        if (d === dirname(d)) break;
      }
    }
    return fn();
  } finally {
    for (const [d, mode] of changed.reverse()) chmodSync(d, mode);
  }
}

describe("render -o DIR shared by several configs", () => {
  it("keeps both configs' files, and each render of one config leaves the other's alone", async () => {
    const src = fresh("cfg");
    const a = config(src, "a.yaml", "team-a", ["chat", "embed"]);
    const b = config(src, "b.yaml", "team-b", ["rerank"]);
    const dir = join(work, "shared");
    assert.equal((await cli("render", "-c", a, "-o", dir)).code, 0);
    const second = await cli("render", "-c", b, "-o", dir);
    assert.equal(second.code, 0, second.err);
    assert.doesNotMatch(second.err, /removed/);
    const both = [
      HPA("chat"),
      HPA("embed"),
      HPA("rerank"),
      RULE("team-a"),
      RULE("team-b"),
      "configmap-ml-team-a-dashboard.yaml",
      "configmap-ml-team-b-dashboard.yaml",
    ].sort();
    assert.deepEqual(readdirSync(dir).sort(), both);
    const again = await cli("render", "-c", a, "-o", dir);
    assert.equal(again.code, 0, again.err);
    assert.deepEqual(readdirSync(dir).sort(), both);
    assert.match(
      readFileSync(join(dir, HPA("rerank")), "utf8"),
      /^# Generated by ai-scaling-alerts for config ml\/team-b from b\.yaml\. /,
    );
  });

  it("removes a file the same config rendered before, recognised by name whatever the path", async () => {
    const dir = fresh("stale");
    const before = config(fresh("old"), "alerts.yaml", "team-a", ["chat", "embed"]);
    assert.equal((await cli("render", "-c", before, "-o", dir)).code, 0);
    const moved = config(fresh("new"), "renamed.yaml", "team-a", ["chat"]);
    const r = await cli("render", "-c", moved, "-o", dir);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(
      readdirSync(dir).sort(),
      [HPA("chat"), RULE("team-a"), "configmap-ml-team-a-dashboard.yaml"].sort(),
    );
    assert.match(
      r.err,
      new RegExp(`removed stale ${HPA("embed")} \\(rendered earlier by config ml/team-a\\)`),
    );
  });

  it("never removes the user's files, nor files of an older version that did not record the config", async () => {
    const dir = fresh("user");
    const user = {
      "kustomization.yaml": "resources: []\n",
      [HPA("mine")]: "kind: HorizontalPodAutoscaler\n# Generated by ai-scaling-alerts (not on line 1)\n",
      "notes.txt": `${GENERATED_MARKER} for config ml/team-a from a.yaml.\n`,
      [HPA("legacy")]:
        `${GENERATED_MARKER} from ./examples/a.yaml. Do not edit.\nkind: HorizontalPodAutoscaler\n`,
    };
    for (const [name, text] of Object.entries(user)) writeFileSync(join(dir, name), text);
    const r = await cli("render", "-c", config(fresh("cfg"), "a.yaml", "team-a", ["chat"]), "-o", dir);
    assert.equal(r.code, 0, r.err);
    for (const [name, text] of Object.entries(user))
      assert.equal(readFileSync(join(dir, name), "utf8"), text);
    assert.doesNotMatch(r.err, /removed/);
    assert.match(r.err, new RegExp(`left ${HPA("legacy")}: written by an older ai-scaling-alerts`));
  });

  it("refuses to overwrite another config's file or the user's, before writing anything", async () => {
    const src = fresh("cfg");
    const dir = fresh("clash");
    assert.equal((await cli("render", "-c", config(src, "a.yaml", "team-a", ["chat"]), "-o", dir)).code, 0);
    writeFileSync(join(dir, "rules.yml"), "groups: [] # the user's own rules\n");
    const before = snapshot(dir);
    const other = await cli("render", "-c", config(src, "b.yaml", "team-b", ["chat", "rerank"]), "-o", dir);
    assert.equal(other.code, 1);
    assert.match(
      other.err,
      new RegExp(
        `${HPA("chat")} was rendered by config ml/team-a, and config ml/team-b renders the same object`,
      ),
    );
    const prom = await cli("render", "-c", join(src, "a.yaml"), "-o", dir, "-f", "prometheus");
    assert.equal(prom.code, 1);
    assert.match(prom.err, /rules\.yml exists and was not written by ai-scaling-alerts/);
    assert.deepEqual(snapshot(dir), before);
  });
});

describe("render -o DIR with something in the way", () => {
  it("a directory, a symbolic link or a FIFO at output names: exit 1 naming each, DIR unchanged", async () => {
    const dir = fresh("blocked");
    const cfg = config(fresh("cfg"), "a.yaml", "team-a", ["chat", "embed", "rerank"]);
    assert.equal((await cli("render", "-c", cfg, "-o", dir)).code, 0);
    writeFileSync(join(dir, "target.yaml"), "kind: ConfigMap\n");
    rmSync(join(dir, HPA("embed")));
    symlinkSync("target.yaml", join(dir, HPA("embed")));
    rmSync(join(dir, RULE("team-a")));
    mkdirSync(join(dir, RULE("team-a")));
    writeFileSync(join(dir, RULE("team-a"), "inside.yaml"), "x: 1\n");
    rmSync(join(dir, HPA("rerank")));
    assert.equal(spawnSync("mkfifo", [join(dir, HPA("rerank"))]).status, 0);
    const before = snapshot(dir);
    const r = await cli("render", "-c", cfg, "-o", dir);
    assert.equal(r.code, 1, r.err);
    assert.match(r.err, /nothing was changed/);
    assert.match(r.err, new RegExp(`${HPA("embed")} is a symbolic link`));
    assert.match(r.err, new RegExp(`${RULE("team-a")} is a directory`));
    assert.match(r.err, new RegExp(`${HPA("rerank")} is not a regular file`));
    assert.deepEqual(snapshot(dir), before);
  });

  it("-o naming a file, or a path under a file: exit 1, no stack trace", async () => {
    const cfg = config(fresh("cfg"), "a.yaml", "team-a", ["chat"]);
    const file = join(fresh("file"), "out.yaml");
    writeFileSync(file, "mine\n");
    const r = await cli("render", "-c", cfg, "-o", file);
    assert.equal(r.code, 1, r.err);
    assert.match(r.err, new RegExp(`${file} is a file, not a directory`));
    const under = await cli("render", "-c", cfg, "-o", join(file, "deeper", "out"));
    assert.equal(under.code, 1, under.err);
    assert.match(under.err, new RegExp(`${file} is a file, not a directory`));
    assert.equal(readFileSync(file, "utf8"), "mine\n");
    assert.doesNotMatch(r.err + under.err, /internal error|\n\s+at /);
  });

  it("a read-only DIR: a real process exits 1 with a clear message and no stack trace", () => {
    const dir = fresh("readonly");
    const cfg = config(fresh("cfg"), "a.yaml", "team-a", ["chat"]);
    writeFileSync(join(dir, "kustomization.yaml"), "resources: []\n");
    chmodSync(dir, 0o555);
    const before = snapshot(dir);
    // Root ignores permission bits, so as root the CLI runs as nobody, for whom DIR is read-only.
    const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    // Node itself too: CI may run a Node installed under root's home (.ci/run).
    const p = traversableByOthers([ROOT, cfg, process.execPath], () =>
      spawnSync(process.execPath, ["--import", "tsx", MAIN, "render", "-c", cfg, "-o", dir], {
        encoding: "utf8",
        cwd: ROOT,
        ...asUser,
      }),
    );
    assert.equal(p.status, 1, p.stderr);
    assert.match(p.stderr, new RegExp(`cannot write the render to ${dir} \\(nothing was changed\\)`));
    assert.match(p.stderr, /is not writable \(permission denied\)/);
    assert.doesNotMatch(p.stderr, /\n\s+at .*:\d+:\d+/);
    assert.deepEqual(snapshot(dir), before);
  });
});

describe("writeOutput commits all or nothing", () => {
  const files = (tag: string): OutputFile[] =>
    ["a.yaml", "b.yaml", "c.yaml"].map((name) => ({
      name,
      content: `${GENERATED_MARKER} for config ml/t from t.yaml. Do not edit.\n${tag}: ${name}\n`,
    }));

  it("undoes the renames already done when one fails, and leaves no temporary directory", () => {
    const dir = fresh("undo");
    writeOutput(dir, files("old"), "ml/t");
    writeFileSync(join(dir, "stale.yaml"), `${GENERATED_MARKER} for config ml/t from t.yaml.\n`);
    rmSync(join(dir, "c.yaml"));
    const before = snapshot(dir);
    assert.throws(
      () =>
        writeOutput(dir, files("new"), "ml/t", {
          // A directory appears where the last file goes after the checks: its rename fails for real.
          beforeCommit: () => mkdirSync(join(dir, "c.yaml")),
        }),
      (e: unknown) =>
        e instanceof OutputError && e.message.includes(`\n  ${join(dir, "c.yaml")}: is a directory`),
    );
    rmSync(join(dir, "c.yaml"), { recursive: true });
    assert.deepEqual(snapshot(dir), before, "a.yaml and b.yaml restored, stale.yaml still there");
  });

  it("removes the directories it created when the render fails", () => {
    const top = join(work, `created-${++n}`);
    assert.throws(
      () =>
        writeOutput(join(top, "x", "out"), files("new"), "ml/t", {
          beforeCommit: () => {
            throw Object.assign(new Error("ENOSPC: no space left on device"), { code: "ENOSPC" });
          },
        }),
      /no space left on device/,
    );
    assert.equal(existsSync(top), false);
  });
});

describe("output independent of how the config was named", () => {
  it("x.yaml, ./x.yaml, an absolute path and ../x.yaml from elsewhere give byte-identical files and streams", async () => {
    const src = fresh("spelling");
    const cfg = config(src, "x.yaml", "team-x", ["chat"]);
    mkdirSync(join(src, "sub"));
    const variants: [cwd: string, path: string][] = [
      [src, "x.yaml"],
      [src, "./x.yaml"],
      ["/", cfg],
      [join(src, "sub"), "../x.yaml"],
    ];
    const exec = promisify(execFile);
    const cmd = (cwd: string, ...args: string[]) =>
      exec(process.execPath, ["--import", import.meta.resolve("tsx"), MAIN, "render", ...args], {
        cwd,
        encoding: "utf8",
      });
    const results = await Promise.all(
      variants.map(async ([cwd, path], i) => {
        const out = join(src, `out-${i}`);
        await cmd(cwd, "-c", path, "-o", out);
        return { files: snapshot(out), stream: (await cmd(cwd, "-c", path)).stdout };
      }),
    );
    const first = results[0];
    assert.ok(first);
    assert.equal(Object.keys(first.files).length, 3);
    assert.match(first.stream, /^# Generated by ai-scaling-alerts for config ml\/team-x from x\.yaml\. /);
    for (const r of results.slice(1)) {
      assert.deepEqual(r.files, first.files);
      assert.equal(r.stream, first.stream);
    }
  });
});
