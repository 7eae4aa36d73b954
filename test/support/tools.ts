/** Locating the real Prometheus and Alertmanager binaries; a missing one is a test failure, never a skip. */
import { findExecutable } from "../../src/tools/executables.js";

const INSTALL =
  "apt-get install -y --no-install-recommends prometheus prometheus-alertmanager (or run: npm test, which installs them)";

/** Absolute path of a tool, or throws an error that says how to install it. */
export function requireTool(...names: string[]): string {
  const found = findExecutable(...names);
  if (found) return found;
  throw new Error(`${names.join(" / ")} not found: install it with ${INSTALL}`);
}
