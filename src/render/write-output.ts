/**
 * Writing a render into a directory without losing anything (the CLI's `render -o DIR`).
 *
 * 1. Check, reading only: DIR is (or can be created as) a writable directory; every output name is
 *    free, or a regular file this config rendered earlier. A directory, a symbolic link, a device,
 *    another config's file or a file without our marker (the user's) at an output name is a problem;
 *    all problems are reported at once and nothing is written.
 * 2. Write every file into a temporary directory inside DIR (same file system), flushed to disk.
 * 3. Commit: rename each file into place (a replaced file is kept aside first) and move aside the
 *    files this config rendered earlier and no longer produces. If any step fails, everything done
 *    so far is undone, so DIR is as it was. The temporary directory is removed either way.
 *
 * Only files whose marker names this config (`<namespace>/<name>`, see {@link parseMarker}) are
 * ever removed: never another config's, never a file an older version wrote (its marker has no
 * config name; such files are reported), never a file without the marker.
 */
import { randomBytes } from "node:crypto";
import {
  accessSync,
  closeSync,
  constants,
  copyFileSync,
  fsyncSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
  writeFileSync,
  type Stats,
} from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parseMarker, type OutputFile } from "./output.js";

/** A render that was not written; nothing in the directory changed. The message lists every problem. */
export class OutputError extends Error {
  constructor(
    readonly dir: string,
    readonly problems: readonly string[],
    changed = false,
  ) {
    super(
      `cannot write the render to ${dir} (${changed ? "and could not undo every change" : "nothing was changed"}):\n${problems.map((p) => `  ${p}`).join("\n")}`,
    );
    this.name = "OutputError";
  }
}

/** What {@link writeOutput} did. */
export interface WriteResult {
  /** Files written (every file of the render). */
  readonly written: readonly string[];
  /** Files this config rendered earlier and no longer produces: removed. */
  readonly removed: readonly string[];
  /** Files an older version wrote (a marker without the config's name): left in place. */
  readonly unclaimed: readonly string[];
}

/** Options of {@link writeOutput}. */
export interface WriteOptions {
  /** Called after the checks and the temporary files, before the first rename (tests race here). */
  readonly beforeCommit?: () => void;
}

interface Plan {
  /** Ancestors to create, top first (DIR last); empty when DIR exists. */
  readonly create: readonly string[];
  readonly replace: ReadonlySet<string>;
  readonly stale: readonly string[];
  readonly unclaimed: readonly string[];
}

function reason(e: unknown): string {
  const { code } = e as NodeJS.ErrnoException;
  const known: Record<string, string> = {
    EACCES: "permission denied",
    EPERM: "operation not permitted",
    EROFS: "read-only file system",
    ENOSPC: "no space left on device",
    EDQUOT: "disk quota exceeded",
    EISDIR: "is a directory",
    ENOTDIR: "a part of the path is not a directory",
  };
  return (code && known[code]) ?? (e instanceof Error ? e.message : String(e));
}

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK | constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** stat (following links), undefined when the path or a parent of it does not exist. */
function statIfAny(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw new OutputError(path, [`${path}: ${reason(e)}`]);
  }
}

/** The first bytes of a regular file, without following a symbolic link. */
function head(path: string): string {
  const fd = openSync(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  try {
    const buf = Buffer.alloc(512);
    return buf.subarray(0, readSync(fd, buf, 0, buf.length, 0)).toString("utf8");
  } finally {
    closeSync(fd);
  }
}

/** The directories to create for a DIR that does not exist, checking the nearest existing ancestor. */
function creation(dir: string): string[] {
  const missing: string[] = [];
  let p = resolve(dir);
  for (;;) {
    missing.unshift(p);
    const parent = dirname(p);
    const st = statIfAny(parent);
    if (st) {
      if (!st.isDirectory()) throw new OutputError(dir, [`${parent} is a file, not a directory`]);
      if (!writable(parent))
        throw new OutputError(dir, [`${parent} is not writable: cannot create ${dir} in it`]);
      return missing;
    }
    if (parent === p) throw new OutputError(dir, [`no existing directory above ${dir}`]);
    p = parent;
  }
}

function plan(dir: string, files: readonly OutputFile[], config: string): Plan {
  if (dir === "") throw new OutputError("''", ["the output directory is empty (give -o DIR, or -o -)"]);
  const st = statIfAny(dir);
  let link = false;
  try {
    link = !st && lstatSync(dir).isSymbolicLink();
  } catch {
    // Nothing there: created below.
  }
  if (link) throw new OutputError(dir, [`${dir} is a symbolic link to nothing`]);
  if (!st) return { create: creation(dir), replace: new Set(), stale: [], unclaimed: [] };
  if (!st.isDirectory()) throw new OutputError(dir, [`${dir} is a file, not a directory`]);
  if (!writable(dir)) throw new OutputError(dir, [`${dir} is not writable (permission denied)`]);

  const problems: string[] = [];
  const replace = new Set<string>();
  /** Who wrote the file at `name`, why it is not a regular file, or undefined when there is none. */
  const inspect = (name: string): ReturnType<typeof parseMarker> | string | undefined => {
    const path = join(dir, name);
    try {
      const s = lstatSync(path, { throwIfNoEntry: false });
      if (!s) return undefined;
      if (s.isSymbolicLink()) return "is a symbolic link";
      if (s.isDirectory()) return "is a directory";
      if (!s.isFile()) return "is not a regular file";
      return parseMarker(head(path));
    } catch (e) {
      return `cannot be read: ${reason(e)}`;
    }
  };
  for (const f of files) {
    const path = join(dir, f.name);
    const what = inspect(f.name);
    if (what === undefined) continue;
    if (typeof what === "string") {
      problems.push(
        `${path} ${what}; render writes only regular files there: move it away or use another -o`,
      );
    } else if (what.kind === "none") {
      problems.push(
        `${path} exists and was not written by ai-scaling-alerts (no marker): move it away or use another -o`,
      );
    } else if (what.kind === "config" && what.config !== config) {
      problems.push(
        `${path} was rendered by config ${what.config}, and config ${config} renders the same object: render the two configs into different directories (or, if ${what.config} was renamed to ${config}, delete its files first)`,
      );
    } else {
      replace.add(f.name);
    }
  }
  if (problems.length > 0) throw new OutputError(dir, problems);

  const names = new Set(files.map((f) => f.name));
  const stale: string[] = [];
  const unclaimed: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(dir).sort();
  } catch (e) {
    throw new OutputError(dir, [`${dir} cannot be listed: ${reason(e)}`]);
  }
  for (const name of entries) {
    if (names.has(name) || !/\.(ya?ml|json)$/.test(name)) continue;
    const what = inspect(name);
    if (what === undefined || typeof what === "string" || what.kind === "none") continue;
    if (what.kind === "legacy") unclaimed.push(name);
    else if (what.config === config) stale.push(name);
  }
  return { create: [], replace, stale, unclaimed };
}

/** Runs a step on `path`, reporting a failure as about `path` rather than a temporary name. */
function at(path: string, step: () => void): void {
  try {
    step();
  } catch (e) {
    throw Object.assign(e as Error, { path });
  }
}

function writeDurably(path: string, content: string): void {
  const fd = openSync(path, "wx");
  try {
    writeFileSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function fsyncDir(dir: string): void {
  try {
    const fd = openSync(dir, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Not every platform can flush a directory; the renames are done either way.
  }
}

/**
 * Writes a render of config `config` (`<namespace>/<name>`, see `configIdentity`) into `dir`,
 * created if missing: all or nothing, as described at the top of this module. Throws
 * {@link OutputError} (nothing changed) when the files cannot be written safely.
 */
export function writeOutput(
  dir: string,
  files: readonly OutputFile[],
  config: string,
  options: WriteOptions = {},
): WriteResult {
  const seen = new Set<string>();
  for (const f of files) {
    if (!/^[^./\\][^/\\]*$/.test(f.name) || seen.has(f.name))
      throw new Error(`bad or duplicate output file name ${JSON.stringify(f.name)}`);
    seen.add(f.name);
  }
  const p = plan(dir, files, config);
  const created: string[] = [];
  const undo: { what: string; run: () => void }[] = [];
  let tmp: string | undefined;
  try {
    for (const d of p.create) {
      mkdirSync(d);
      created.push(d);
    }
    tmp = join(dir, `.ai-scaling-alerts-${process.pid}-${randomBytes(4).toString("hex")}`);
    mkdirSync(tmp);
    const fresh = join(tmp, "new");
    const aside = join(tmp, "old");
    mkdirSync(fresh);
    mkdirSync(aside);
    for (const f of files) writeDurably(join(fresh, f.name), f.content);
    options.beforeCommit?.();
    for (const f of files) {
      const target = join(dir, f.name);
      const kept = join(aside, f.name);
      if (p.replace.has(f.name)) {
        try {
          linkSync(target, kept);
        } catch {
          copyFileSync(target, kept, constants.COPYFILE_EXCL);
        }
      }
      at(target, () => renameSync(join(fresh, f.name), target));
      undo.push({
        what: f.name,
        run: () => (p.replace.has(f.name) ? renameSync(kept, target) : rmSync(target)),
      });
    }
    for (const name of p.stale) {
      at(join(dir, name), () => renameSync(join(dir, name), join(aside, name)));
      undo.push({ what: name, run: () => renameSync(join(aside, name), join(dir, name)) });
    }
    fsyncDir(dir);
  } catch (e) {
    const failed: string[] = [];
    for (const u of undo.reverse()) {
      try {
        u.run();
      } catch (err) {
        failed.push(`${join(dir, u.what)} could not be restored: ${reason(err)}`);
      }
    }
    if (tmp && failed.length === 0) rmSync(tmp, { recursive: true, force: true });
    for (const d of created.reverse()) {
      try {
        rmdirSync(d);
      } catch {
        break;
      }
    }
    if (e instanceof OutputError) throw e;
    const at = (e as NodeJS.ErrnoException).path;
    throw new OutputError(
      dir,
      [
        `${at ? `${at}: ` : ""}${reason(e)}${failed.length > 0 ? ` (the originals are in ${tmp})` : ""}`,
        ...failed,
      ],
      failed.length > 0,
    );
  }
  rmSync(tmp, { recursive: true, force: true });
  return { written: files.map((f) => f.name), removed: p.stale, unclaimed: p.unclaimed };
}
