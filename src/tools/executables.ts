/** Finding an executable on PATH (and in /usr/bin, /usr/local/bin, where Debian puts Prometheus' tools). */
import { accessSync, constants, statSync } from "node:fs";
import { delimiter, join } from "node:path";

/** Whether `path` is an executable regular file. */
export function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * The first of `names` found: a name containing `/` is taken as a path, others are looked up on
 * PATH, then /usr/bin and /usr/local/bin. Undefined when none is found.
 */
export function findExecutable(...names: readonly string[]): string | undefined {
  const dirs = [...(process.env.PATH ?? "").split(delimiter).filter(Boolean), "/usr/bin", "/usr/local/bin"];
  for (const name of names) {
    if (name.includes("/")) {
      if (isExecutableFile(name)) return name;
      continue;
    }
    for (const dir of dirs) {
      const candidate = join(dir, name);
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  return undefined;
}
