/**
 * What the sandbox's Prometheus and Alertmanager launchers share: files written into their
 * temporary directory, and starting a server process on loopback until it answers `/-/ready`.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join, normalize, sep } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { loggedErrors } from "./prometheus-log.js";
import { startProcess, waitForHttp, type ManagedProcess } from "./process.js";

/** Writes `content` to `relativePath` inside `dir`; refuses a path that leaves it. */
export function writeSandboxFile(dir: string, relativePath: string, content: string): void {
  const normalized = normalize(relativePath);
  if (isAbsolute(relativePath) || normalized === ".." || normalized.startsWith(`..${sep}`)) {
    throw new Error(`${JSON.stringify(relativePath)} must be a relative path inside the sandbox`);
  }
  const path = join(dir, normalized);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}

/** How to start one server process. */
export interface LaunchSpec<P extends { readonly port: number }> {
  readonly binary: string;
  /** Its working directory (the sandbox's temporary directory). */
  readonly dir: string;
  /** For messages. */
  readonly configFile: string;
  /** The process name (`prometheus`) and the name in messages (`Prometheus`). */
  readonly name: string;
  readonly displayName: string;
  readonly readyTimeoutMs: number;
  readonly outputLimit?: number;
  /** Clean-up when Node exits while the process still runs. */
  readonly onExitSync: () => void;
  /** The ports of one attempt: fresh ones, or the old ones for a restart (`fixed`). */
  ports(): Promise<P>;
  /** Whether the ports are fixed (a restart): a taken port is waited for, not replaced. */
  readonly fixed: boolean;
  args(ports: P): string[];
}

const MAX_START_ATTEMPTS = 3;

/**
 * Starts the process and waits until `/-/ready` answers 200. Rejects with its logged `err=` values
 * and the tail of its log when it exits first, or with the tail when it is not ready in time. A
 * port taken meanwhile is retried (with new ports, or after a moment for fixed ones).
 */
export async function launchUntilReady<P extends { readonly port: number }>(
  spec: LaunchSpec<P>,
): Promise<{ proc: ManagedProcess; ports: P }> {
  for (let attempt = 1; ; attempt++) {
    const ports = await spec.ports();
    const started = await startProcess(spec.binary, spec.args(ports), {
      cwd: spec.dir,
      name: spec.name,
      ...(spec.outputLimit !== undefined ? { outputLimit: spec.outputLimit } : {}),
      onExitSync: spec.onExitSync,
    });
    const exitedEarly = new AbortController();
    void started.exited.then((info) => {
      const how = info.signal ? `signal ${info.signal}` : `code ${info.code}`;
      const errors = loggedErrors(started.output());
      const cause = errors.length > 0 ? `: ${errors.join("; ")}` : "";
      exitedEarly.abort(
        new Error(
          `${spec.displayName} exited with ${how} before it was ready${cause}\n` +
            `config: ${spec.configFile}\n--- last lines of its log ---\n${started.tail(20)}`,
        ),
      );
    });
    try {
      await waitForHttp(
        `http://127.0.0.1:${ports.port}/-/ready`,
        (r) => r.status === 200,
        spec.readyTimeoutMs,
        {
          signal: exitedEarly.signal,
        },
      );
      return { proc: started, ports };
    } catch (err) {
      await started.stop(2000);
      if (attempt < MAX_START_ATTEMPTS && /address already in use/.test(started.output())) {
        // The process a restart replaces may hold its ports a moment longer.
        if (spec.fixed) await sleep(200);
        continue;
      }
      if (exitedEarly.signal.aborted) throw err;
      throw new Error(
        `${(err as Error).message}\n--- last lines of ${spec.displayName}'s log ---\n${started.tail(20)}`,
        { cause: err },
      );
    }
  }
}
