/**
 * The sandbox against the REAL Alertmanager: routing with `continue`, grouping, inhibition, secret
 * files, stop/clean-up, and start failures. A missing binary fails these tests, it never skips them.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { pathToFileURL } from "node:url";
import {
  ALERTMANAGER_INSTALL_HINT,
  describeNotifications,
  freePort,
  isAlive,
  startAlertmanager,
  startProcess,
  startWebhookReceiver,
  stopAll,
  stopProcess,
  waitForHttp,
  type AlertmanagerSandbox,
  type Notification,
  type WebhookReceiver,
} from "../src/sandbox/index.js";

const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
  await stopAll();
});

async function receiver(): Promise<WebhookReceiver> {
  const r = await startWebhookReceiver();
  cleanups.push(() => r.close());
  return r;
}

async function alertmanager(options: Parameters<typeof startAlertmanager>[0]): Promise<AlertmanagerSandbox> {
  const am = await startAlertmanager(options);
  cleanups.push(() => am.stop());
  return am;
}

/** Gone, or a zombie nobody reaps (PID 1 here is not an init that reaps orphans). */
function isGone(pid: number): boolean {
  if (!isAlive(pid)) return true;
  try {
    return /^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return true;
  }
}

async function eventually(check: () => boolean, timeoutMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return check();
}

const alertNames = (list: readonly Notification[]): string[] =>
  list.flatMap((n) => n.payload.alerts.map((a) => a.labels.alertname ?? "?")).sort();

describe("Alertmanager sandbox (real prometheus-alertmanager)", () => {
  test("routes with continue, groups by alertname, inhibits, and stop() ends the process", async () => {
    const hooks = await receiver();
    const configYaml = `
route:
  receiver: a
  group_by: [alertname]
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
  routes:
    - receiver: b
      matchers: ['severity="critical"']
      continue: true
    - receiver: a
receivers:
  - name: a
    webhook_configs:
      - url: ${hooks.urlFor("a")}
        send_resolved: false
        http_config:
          authorization:
            credentials_file: secrets/a-token
  - name: b
    webhook_configs:
      - url: ${hooks.urlFor("b")}
        send_resolved: false
inhibit_rules:
  - source_matchers: ['alertname="NodeDown"']
    target_matchers: ['alertname="GpuSaturated"']
    equal: [cluster]
`;
    const am = await alertmanager({ configYaml, extraFiles: { "secrets/a-token": "token-for-a\n" } });
    try {
      assert.ok(isAlive(am.pid));
      assert.match(am.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      const now = new Date();
      await am.postAlerts([
        { labels: { alertname: "ModelLatencyHigh", severity: "warning", cluster: "c1" }, startsAt: now },
        {
          labels: { alertname: "ReplicasMaxedOut", severity: "critical", cluster: "c1" },
          annotations: { summary: "HPA at maxReplicas" },
          startsAt: now,
          generatorURL: "http://prometheus.example/graph",
        },
        { labels: { alertname: "NodeDown", severity: "critical", cluster: "c1" }, startsAt: now },
        // Inhibited by NodeDown (same cluster): must never be delivered.
        { labels: { alertname: "GpuSaturated", severity: "warning", cluster: "c1" }, startsAt: now },
      ]);

      await hooks.waitFor(
        (all) =>
          all.filter((n) => n.name === "a").length >= 3 && all.filter((n) => n.name === "b").length >= 2,
        20_000,
      );
      // Longer than group_interval: a late (wrong) notification for GpuSaturated would show up.
      const all = await hooks.waitForQuiet(2000);
      const msg = describeNotifications(all);

      assert.deepEqual(
        alertNames(hooks.notifications("a")),
        ["ModelLatencyHigh", "NodeDown", "ReplicasMaxedOut"],
        msg,
      );
      assert.deepEqual(alertNames(hooks.notifications("b")), ["NodeDown", "ReplicasMaxedOut"], msg);
      assert.equal(all.length, 5, msg);
      assert.deepEqual(hooks.rejected(), []);
      for (const n of all) {
        assert.equal(n.payload.receiver, n.name, msg);
        assert.equal(n.payload.status, "firing", msg);
        assert.equal(n.payload.version, "4");
        assert.equal(n.payload.alerts.length, 1, msg);
        assert.deepEqual(n.payload.groupLabels, { alertname: n.payload.alerts[0]?.labels.alertname });
        assert.equal(n.payload.alerts[0]?.status, "firing");
      }
      // The secret file from extraFiles, referenced by a relative path, was read (and trimmed).
      for (const n of hooks.notifications("a")) assert.equal(n.headers.authorization, "Bearer token-for-a");
      for (const n of hooks.notifications("b")) assert.equal(n.headers.authorization, undefined);
      const maxed = hooks
        .notifications("b")
        .find((n) => n.payload.commonLabels.alertname === "ReplicasMaxedOut");
      assert.equal(maxed?.payload.commonAnnotations.summary, "HPA at maxReplicas");
      assert.equal(maxed?.payload.alerts[0]?.generatorURL, "http://prometheus.example/graph");

      // Alertmanager's own view agrees: GpuSaturated is suppressed by the NodeDown alert.
      const [gpu] = await am.getAlerts({ filter: ['alertname="GpuSaturated"'] });
      assert.equal(gpu?.status.state, "suppressed");
      assert.equal(gpu?.status.inhibitedBy.length, 1);
      const [nodeDown] = await am.getAlerts({ filter: ['alertname="NodeDown"'] });
      assert.deepEqual(gpu?.status.inhibitedBy, [nodeDown?.fingerprint]);
      assert.equal((await am.getAlerts()).length, 4);
    } finally {
      await am.stop();
    }
    assert.throws(() => process.kill(am.pid, 0), { code: "ESRCH" });
    assert.equal(existsSync(am.dir), false);
    await am.stop(); // idempotent
  });

  test("a broken config rejects the start with Alertmanager's own error, and leaves no directory", async () => {
    const err = await startAlertmanager({
      configYaml: "route:\n  receiver: nope\nreceivers:\n  - name: a\n",
    }).then(
      () => assert.fail("startAlertmanager should have rejected"),
      (e: unknown) => e as Error,
    );
    assert.match(err.message, /exited with code 1 before it was ready/);
    assert.match(err.message, /undefined receiver "nope" used in route/);
    const configFile = /config: (\S+)/.exec(err.message)?.[1];
    assert.ok(configFile, err.message);
    assert.equal(existsSync(configFile), false);
  });

  test("url_file in webhook_configs: rejected by Alertmanager 0.25 (added in 0.26), delivered by newer ones", async () => {
    const hooks = await receiver();
    const configYaml = `
route: { receiver: a, group_wait: 1s, group_interval: 1s }
receivers:
  - name: a
    webhook_configs:
      - url_file: webhook-url
`;
    let am: AlertmanagerSandbox;
    try {
      am = await alertmanager({ configYaml, extraFiles: { "webhook-url": `${hooks.urlFor("a")}\n` } });
    } catch (e) {
      // Alertmanager 0.25 (Debian 12): the webhook config has no url_file field.
      assert.match((e as Error).message, /field url_file not found/);
      return;
    }
    await am.postAlerts([{ labels: { alertname: "ViaUrlFile" } }]);
    const [n] = await hooks.waitFor((all) => all.length > 0, 15_000);
    assert.deepEqual(alertNames([n as Notification]), ["ViaUrlFile"]);
  });

  test("a missing binary rejects with the install command", async () => {
    await assert.rejects(
      startAlertmanager({ configYaml: "", binary: "/nonexistent/alertmanager" }),
      (e: Error) => e.message.includes(ALERTMANAGER_INSTALL_HINT),
    );
  });

  test("postAlerts surfaces Alertmanager's 400", async () => {
    const am = await alertmanager({ configYaml: "route: { receiver: a }\nreceivers: [{ name: a }]\n" });
    try {
      await assert.rejects(am.postAlerts([{ labels: {} }]), /answered 400/);
    } finally {
      await am.stop();
    }
  });
});

describe("webhook receiver", () => {
  test("records by path, rejects non-payloads, waitFor times out with what arrived", async () => {
    const hooks = await receiver();
    const post = (path: string, body: string): Promise<number> =>
      fetch(`${hooks.url}${path}`, { method: "POST", body }).then((r) => r.status);
    assert.equal(
      await post("/r/x%20y", JSON.stringify({ receiver: "x y", status: "firing", alerts: [] })),
      200,
    );
    assert.equal(await post("/other", "not json"), 400);
    assert.equal(hooks.notifications("x y").length, 1);
    assert.equal(hooks.notifications()[0]?.path, "/r/x%20y");
    assert.equal(hooks.rejected().length, 1);
    await assert.rejects(
      hooks.waitFor((all) => all.length > 1, 100),
      /not met within 100 ms; received:\n\/r\/x%20y receiver=x y/,
    );
    await hooks.close();
    await assert.rejects(
      hooks.waitFor(() => false),
      /closed/,
    );
  });
});

describe("processes and ports", () => {
  test("freePort gives a bindable loopback port", async () => {
    const port = await freePort();
    const server = net.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", resolve);
    });
    await new Promise((r) => server.close(r));
  });

  test("stop escalates to SIGKILL for a process that ignores SIGTERM; output is bounded", async () => {
    const proc = await startProcess(
      process.execPath,
      [
        "-e",
        "process.on('SIGTERM', () => {}); console.log('x'.repeat(5000) + 'END'); setInterval(() => {}, 1000)",
      ],
      { outputLimit: 100 },
    );
    await eventually(() => proc.output().includes("END"));
    assert.match(proc.output(), /^\[\.\.\. \d+ earlier characters dropped \.\.\.\]\nx+END\n$/);
    const started = Date.now();
    const info = await proc.stop(300);
    assert.equal(info.signal, "SIGKILL");
    assert.ok(Date.now() - started < 5000);
    assert.equal(isAlive(proc.pid), false);
  });

  test("stopProcess by PID, and waitForHttp gives up with the last error", async () => {
    const proc = await startProcess(process.execPath, ["-e", "setInterval(() => {}, 1000)"]);
    await stopProcess(proc.pid, 2000);
    assert.equal(proc.exitInfo()?.signal, "SIGTERM");
    await stopProcess(proc.pid); // gone: not an error
    const port = await freePort();
    await assert.rejects(
      waitForHttp(`http://127.0.0.1:${port}/`, undefined, 300),
      /within 300 ms \(last: .*ECONNREFUSED/,
    );
  });

  for (const how of ["exit", "SIGTERM"] as const) {
    test(`a started process does not outlive Node (${how})`, async () => {
      const dir = mkdtempSync(join(tmpdir(), "asa-sandbox-test-"));
      try {
        const script = join(dir, "parent.mjs");
        const processModule = pathToFileURL(join(import.meta.dirname, "../src/sandbox/process.ts")).href;
        writeFileSync(
          script,
          `const { startProcess } = await import(${JSON.stringify(processModule)});
const p = await startProcess(process.execPath, ["-e", "setInterval(() => {}, 1000)"]);
console.log(p.pid);
${how === "exit" ? "process.exit(0);" : "process.kill(process.pid, 'SIGTERM');"}
setInterval(() => {}, 1000);
`,
        );
        const parent = spawn(process.execPath, ["--import", "tsx", script], {
          cwd: join(import.meta.dirname, ".."),
          stdio: ["ignore", "pipe", "pipe"],
        });
        let out = "";
        parent.stdout.on("data", (c: Buffer) => (out += c.toString()));
        parent.stderr.on("data", (c: Buffer) => (out += c.toString()));
        const [code, signal] = await new Promise<[number | null, string | null]>((resolve) =>
          parent.on("close", (c, s) => resolve([c, s])),
        );
        const pid = Number(out.trim().split("\n")[0]);
        assert.ok(pid > 0, out);
        if (how === "exit") assert.equal(code, 0, out);
        else assert.equal(signal, "SIGTERM", out);
        assert.ok(await eventually(() => isGone(pid), 5000), `child ${pid} survived its parent`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
