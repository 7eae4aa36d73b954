/**
 * The package's version, read from package.json: the one place it is written. The file sits two
 * levels above this module both in the sources (`src/cli/`) and in the build (`dist/cli/`), and
 * `npm pack` always ships it.
 */
import { readFileSync } from "node:fs";

/** The `version` of this package's package.json (e.g. `0.1.0`). */
export function packageVersion(): string {
  const text = readFileSync(new URL("../../package.json", import.meta.url), "utf8");
  const version: unknown = (JSON.parse(text) as { version?: unknown }).version;
  if (typeof version !== "string" || version === "") throw new Error("package.json has no version");
  return version;
}
