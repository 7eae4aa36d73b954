/** Locating the real Prometheus and Alertmanager binaries; a missing one is a test failure, never a skip. */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const INSTALL =
  "apt-get install -y --no-install-recommends prometheus prometheus-alertmanager (or run: npm test, which installs them)";

/** Absolute path of a tool, or throws an error that says how to install it. */
export function requireTool(...names: string[]): string {
  for (const name of names) {
    for (const dir of ["/usr/bin", "/usr/local/bin", "/bin"]) {
      if (existsSync(`${dir}/${name}`)) return `${dir}/${name}`;
    }
    const which = spawnSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" });
    if (which.status === 0 && which.stdout.trim()) return which.stdout.trim();
  }
  throw new Error(`${names.join(" / ")} not found: install it with ${INSTALL}`);
}
