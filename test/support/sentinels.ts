/**
 * Sentinel credentials for the secret-hygiene tests: distinct per position (`SENTINEL-<where>-7f3a`),
 * and one detector that finds any of them, whole or cut short, in any case (a URL's host is
 * lower-cased) and however the text was escaped (JSON, YAML, URL encoding keep letters, digits, -).
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

/** The sentinel for one credential position. */
export function sentinel(position: string): string {
  return `SENTINEL-${position}-7f3a`;
}

const DETECT = /sentinel[-a-z0-9]*/i;

/** The first sentinel (or piece of one) in `text`, or undefined. */
export function findSentinel(text: string): string | undefined {
  return DETECT.exec(text)?.[0];
}

/** Fails, naming `where` and what leaked, when `text` holds a sentinel. */
export function assertNoSentinel(where: string, text: string): void {
  const found = findSentinel(text);
  assert.equal(found, undefined, `${where} repeats a credential (${found}):\n${text.slice(0, 4000)}`);
}

/** Every file under `dir` (recursively) with its text; none when `dir` does not exist. */
export function filesUnder(dir: string): { path: string; text: string }[] {
  if (!existsSync(dir)) return [];
  const out: { path: string; text: string }[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path));
    else out.push({ path, text: readFileSync(path, "latin1") });
  }
  return out;
}

/** Fails when any file under `dir` holds a sentinel; returns the files' paths relative to `dir`. */
export function assertNoSentinelInFiles(dir: string): string[] {
  const files = filesUnder(dir);
  for (const f of files) assertNoSentinel(f.path, f.text);
  return files.map((f) => relative(dir, f.path));
}
