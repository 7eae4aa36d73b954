/** Finding and running promtool and amtool for `verify`: in a fresh temporary directory, never in place. */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findExecutable } from "../tools/executables.js";

/** How to get each tool, for the "skipped" message. */
export const INSTALL_HINTS = {
  promtool:
    "install prometheus (Debian/Ubuntu: apt-get install -y --no-install-recommends prometheus; elsewhere: https://prometheus.io/download/)",
  amtool:
    "install alertmanager (Debian/Ubuntu: apt-get install -y --no-install-recommends prometheus-alertmanager; elsewhere: https://prometheus.io/download/)",
} as const;

export type ToolName = keyof typeof INSTALL_HINTS;

/** The path of a tool on PATH (or /usr/bin, /usr/local/bin), or undefined. */
export function findTool(name: ToolName): string | undefined {
  return findExecutable(name);
}

export interface ToolRun {
  readonly ok: boolean;
  readonly output: string;
}

/** Runs `bin args` in a temporary directory holding `files` (name -> content), then removes it. */
export function runTool(
  bin: string,
  args: readonly string[],
  files: Readonly<Record<string, string>>,
): ToolRun {
  const dir = mkdtempSync(join(tmpdir(), "ai-scaling-alerts-verify-"));
  try {
    for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
    const r = spawnSync(bin, [...args], { cwd: dir, encoding: "utf8", timeout: 120_000 });
    const output = `${r.stdout ?? ""}${r.stderr ?? ""}${r.error ? String(r.error) : ""}`
      .split("\n")
      // amtool's harmless notice when --config.file is given.
      .filter((l) => !/overrides (the )?--alertmanager\.url/.test(l))
      .join("\n")
      .trim();
    return { ok: r.status === 0, output };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The version a tool reports (`promtool --version` / `amtool --version`), e.g. "0.25.0". */
export function toolVersion(bin: string): string | undefined {
  const r = spawnSync(bin, ["--version"], { encoding: "utf8" });
  return /version (\d+\.\d+\.\d+)/.exec(`${r.stdout}${r.stderr}`)?.[1];
}
