/**
 * Child processes for the sandbox: start with captured output, stop by PID (SIGTERM, then SIGKILL),
 * poll an HTTP endpoint until it answers as expected.
 *
 * Every started process is registered until it exits, so {@link stopAll} (from a test's `after()`)
 * ends whatever is still running; and if the Node process exits or is killed by SIGINT/SIGTERM/SIGHUP
 * first, the registered processes are sent SIGKILL synchronously so that none outlives it.
 */
import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";

/** How a process ended: its exit code, or the signal that killed it. */
export interface ExitInfo {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface StartProcessOptions {
  /** Working directory of the child. */
  readonly cwd?: string;
  /** Environment of the child (default: this process's environment). */
  readonly env?: NodeJS.ProcessEnv;
  /** Name used in messages (default: the command's base name). */
  readonly name?: string;
  /** How many characters of combined stdout+stderr to keep; older output is dropped. Default 64 KiB. */
  readonly outputLimit?: number;
  /**
   * Synchronous clean-up run when this Node process exits (or dies of a signal) while the child is
   * still registered, right after the child was sent SIGKILL: e.g. removing its temporary directory.
   */
  readonly onExitSync?: () => void;
}

/** A started child process. */
export interface ManagedProcess {
  readonly pid: number;
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  /** The captured stdout+stderr, interleaved in arrival order (at most `outputLimit` characters). */
  output(): string;
  /** The last `lines` lines of the captured output. */
  tail(lines?: number): string;
  /** How the process ended, or `undefined` while it runs. */
  exitInfo(): ExitInfo | undefined;
  /** Resolves when the process has exited (never rejects). */
  readonly exited: Promise<ExitInfo>;
  /** SIGTERM, then SIGKILL after `timeoutMs` (default 5000); resolves once the process has exited. */
  stop(timeoutMs?: number): Promise<ExitInfo>;
}

/** Keeps the last `limit` characters written to it. */
class OutputBuffer {
  private chunks: string[] = [];
  private length = 0;
  private dropped = 0;

  constructor(private readonly limit: number) {}

  write(chunk: string): void {
    this.chunks.push(chunk);
    this.length += chunk.length;
    while (this.length > this.limit && this.chunks.length > 0) {
      const first = this.chunks[0] as string;
      const excess = this.length - this.limit;
      if (first.length <= excess) {
        this.chunks.shift();
        this.length -= first.length;
        this.dropped += first.length;
      } else {
        this.chunks[0] = first.slice(excess);
        this.length -= excess;
        this.dropped += excess;
      }
    }
  }

  toString(): string {
    const text = this.chunks.join("");
    return this.dropped > 0 ? `[... ${this.dropped} earlier characters dropped ...]\n${text}` : text;
  }
}

interface Registered {
  readonly process: ManagedProcess;
  readonly onExitSync: (() => void) | undefined;
}

const registry = new Map<number, Registered>();
const SIGNALS: readonly NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
let exitHookInstalled = false;
let signalHooksInstalled = false;

/** Sends SIGKILL to every registered process and runs their clean-ups; synchronous. */
function killAllSync(): void {
  for (const [pid, entry] of registry) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
    try {
      entry.onExitSync?.();
    } catch {
      // best effort while exiting
    }
  }
  registry.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  killAllSync();
  removeSignalHooks();
  // When we were the only listener, Node would have died of this signal: keep that behaviour.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function installHooks(): void {
  if (!exitHookInstalled) {
    process.on("exit", killAllSync);
    exitHookInstalled = true;
  }
  if (!signalHooksInstalled) {
    for (const s of SIGNALS) process.on(s, onSignal);
    signalHooksInstalled = true;
  }
}

function removeSignalHooks(): void {
  if (!signalHooksInstalled) return;
  for (const s of SIGNALS) process.off(s, onSignal);
  signalHooksInstalled = false;
}

function unregister(pid: number): void {
  registry.delete(pid);
  // Do not keep SIGINT/SIGTERM from killing Node when there is nothing left to protect.
  if (registry.size === 0) removeSignalHooks();
}

/** Whether a process with this PID exists (signal 0). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Starts `command` with `args` (no shell), capturing its stdout and stderr into a bounded buffer.
 * Rejects if the command cannot be spawned (e.g. ENOENT). The child is registered for
 * {@link stopAll} and for the kill-on-exit hook until it exits. Neither the child nor its pipes keep
 * the Node event loop alive, so a forgotten process cannot hang a test run (the exit hook kills it).
 */
export async function startProcess(
  command: string,
  args: readonly string[],
  options: StartProcessOptions = {},
): Promise<ManagedProcess> {
  const name = options.name ?? command.split("/").pop() ?? command;
  const buffer = new OutputBuffer(options.outputLimit ?? 64 * 1024);
  const child: ChildProcess = spawn(command, [...args], {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ["ignore", "pipe", "pipe"],
  });

  await new Promise<void>((resolve, reject) => {
    child.once("spawn", resolve);
    child.once("error", (err) => reject(new Error(`could not start ${name} (${command}): ${err.message}`)));
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${name} (${command}): no PID`);

  let info: ExitInfo | undefined;
  const exited = new Promise<ExitInfo>((resolve) => {
    child.once("exit", (code, signal) => {
      const ended: ExitInfo = { code, signal };
      unregister(pid);
      // Let the pipes drain so that output() holds the last lines (the error, usually), but do not
      // wait on them for long: a grandchild could hold them open.
      const timer = setTimeout(done, 200);
      child.once("close", done);
      function done(): void {
        clearTimeout(timer);
        if (info) return;
        info = ended;
        resolve(ended);
      }
    });
  });
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => buffer.write(chunk));
    (stream as unknown as { unref?: () => void }).unref?.();
  }
  child.unref();

  const managed: ManagedProcess = {
    pid,
    name,
    command,
    args: [...args],
    output: () => buffer.toString(),
    tail: (lines = 30) => buffer.toString().trimEnd().split("\n").slice(-lines).join("\n"),
    exitInfo: () => info,
    exited,
    stop: async (timeoutMs = 5000) => {
      if (info) return info;
      try {
        child.kill("SIGTERM");
      } catch {
        // exited meanwhile
      }
      // Resolves with the exit, or with undefined after `ms` (sending `signal` then).
      const exitWithin = (ms: number, signal: NodeJS.Signals | undefined): Promise<ExitInfo | undefined> => {
        let timer: NodeJS.Timeout | undefined;
        return Promise.race([
          exited,
          new Promise<undefined>((resolve) => {
            timer = setTimeout(() => {
              if (signal && child.exitCode === null && child.signalCode === null) child.kill(signal);
              resolve(undefined);
            }, ms);
          }),
        ]).finally(() => clearTimeout(timer));
      };
      const afterTerm = await exitWithin(timeoutMs, "SIGKILL");
      if (afterTerm) return afterTerm;
      // After SIGKILL the exit event follows at once; cap the wait anyway so a stop never hangs.
      const afterKill = await exitWithin(5000, undefined);
      if (afterKill) return afterKill;
      throw new Error(`${name} (pid ${pid}) did not exit after SIGKILL`);
    },
  };
  registry.set(pid, { process: managed, onExitSync: options.onExitSync });
  installHooks();
  return managed;
}

/**
 * Stops the process with this PID: SIGTERM, then SIGKILL if it is still alive after `timeoutMs`.
 * For a process started with {@link startProcess} this waits for its exit event; for any other
 * PID it polls until the PID is gone. A PID that does not exist is not an error.
 */
export async function stopProcess(pid: number, timeoutMs = 5000): Promise<void> {
  const entry = registry.get(pid);
  if (entry) {
    await entry.process.stop(timeoutMs);
    return;
  }
  const signalAndWait = async (signal: NodeJS.Signals, waitMs: number): Promise<boolean> => {
    try {
      process.kill(pid, signal);
    } catch {
      return true;
    }
    const deadline = Date.now() + waitMs;
    while (Date.now() < deadline) {
      if (!isAlive(pid)) return true;
      await sleep(20);
    }
    return !isAlive(pid);
  };
  if (await signalAndWait("SIGTERM", timeoutMs)) return;
  if (await signalAndWait("SIGKILL", 5000)) return;
  throw new Error(`process ${pid} did not exit after SIGKILL`);
}

/** Stops every process started with {@link startProcess} that is still running. Call it from `after()`. */
export async function stopAll(timeoutMs = 5000): Promise<void> {
  await Promise.all([...registry.values()].map((e) => e.process.stop(timeoutMs)));
}

/** The processes started with {@link startProcess} that have not exited yet. */
export function runningProcesses(): ManagedProcess[] {
  return [...registry.values()].map((e) => e.process);
}

/** A complete HTTP response with its body as text. */
export interface HttpResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

export interface HttpRequestOptions {
  readonly body?: string;
  readonly headers?: Record<string, string>;
  /** Timeout for the whole request, default 10000 ms. */
  readonly timeoutMs?: number;
}

/** One HTTP request without keep-alive (nothing stays open afterwards). Rejects on network errors only. */
export function httpRequest(
  method: string,
  url: string,
  options: HttpRequestOptions = {},
): Promise<HttpResponse> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...options.headers };
    if (options.body !== undefined) headers["content-length"] = Buffer.byteLength(options.body);
    const req = http.request(url, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", reject);
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString("utf8"),
        }),
      );
    });
    req.setTimeout(timeoutMs, () =>
      req.destroy(new Error(`${method} ${url} timed out after ${timeoutMs} ms`)),
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

export interface WaitForHttpOptions {
  /** Pause between attempts, default 50 ms. */
  readonly intervalMs?: number;
  /** Aborting rejects the wait at once with the signal's reason (e.g. "the process exited"). */
  readonly signal?: AbortSignal;
}

/**
 * Polls `GET url` until `predicate` accepts the response (default: status 200) and returns that
 * response. Connection errors count as "not yet". Rejects after `timeoutMs` with the last status
 * or error, or as soon as `options.signal` is aborted.
 */
export async function waitForHttp(
  url: string,
  predicate: (response: HttpResponse) => boolean = (r) => r.status === 200,
  timeoutMs = 15_000,
  options: WaitForHttpOptions = {},
): Promise<HttpResponse> {
  const { intervalMs = 50, signal } = options;
  const deadline = Date.now() + timeoutMs;
  let last: string;
  for (;;) {
    if (signal?.aborted) throw signal.reason;
    try {
      const remaining = Math.max(1, deadline - Date.now());
      const res = await httpRequest("GET", url, { timeoutMs: Math.min(remaining, 5000) });
      if (signal?.aborted) throw signal.reason;
      if (predicate(res)) return res;
      last = `status ${res.status}: ${res.body.slice(0, 200).trim()}`;
    } catch (err) {
      if (signal?.aborted) throw signal.reason;
      last = (err as Error).message;
    }
    if (Date.now() >= deadline) {
      throw new Error(`${url} did not answer as expected within ${timeoutMs} ms (last: ${last})`);
    }
    await sleep(Math.min(intervalMs, Math.max(0, deadline - Date.now())), signal);
  }
}
