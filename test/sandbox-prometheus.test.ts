/**
 * The Prometheus sandbox against the REAL Prometheus: scraping a gauge served by the test, a
 * recording and an alerting rule, live reloads, start failures, stop/stopAll clean-up, and loopback
 * only. A missing binary fails these tests, it never skips them.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, describe, test } from "node:test";
import {
  apiData,
  isAlive,
  logField,
  loggedErrors,
  logProblems,
  logSince,
  matrixOf,
  parseSelfMetrics,
  PROMETHEUS_INSTALL_HINT,
  startPrometheus,
  stopAll,
  vectorOf,
  type PrometheusSandbox,
} from "../src/sandbox/index.js";

const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
  await stopAll();
});

/** An HTTP server on 127.0.0.1 serving `demo_gauge{kind="a"} <value>` at /metrics. */
async function gaugeServer(): Promise<{ port: number; set(value: number): void }> {
  let value = 7;
  const server = http.createServer((req, res) => {
    res.writeHead(req.url === "/metrics" ? 200 : 404, { "content-type": "text/plain; version=0.0.4" });
    res.end(`# TYPE demo_gauge gauge\ndemo_gauge{kind="a"} ${value}\n`);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  cleanups.push(() => new Promise((resolve) => server.close(() => resolve())));
  return { port: (server.address() as AddressInfo).port, set: (v) => (value = v) };
}

const config = (port: number, jobs = ["demo"]): string => `
global: { scrape_interval: 1s, scrape_timeout: 1s, evaluation_interval: 1s }
rule_files: [rules/demo.yml]
scrape_configs:
${jobs.map((job) => `  - job_name: ${job}\n    static_configs: [{ targets: ["127.0.0.1:${port}"] }]`).join("\n")}
`;

const rules = (record: string, factor: number): string => `
groups:
  - name: demo
    interval: 1s
    rules:
      - record: ${record}
        expr: demo_gauge * ${factor}
      - alert: DemoHigh
        expr: demo_gauge > 5
        for: 0s
        labels: { severity: warning }
        annotations: { summary: "gauge at {{ $value }}" }
`;

async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() >= deadline)
      assert.fail(`${what} not within ${timeoutMs} ms${last ? `: ${String(last)}` : ""}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The local addresses of the TCP listening sockets and UDP sockets that process `pid` holds. */
function boundAddresses(pid: number): string[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m?.[1]) inodes.add(m[1]);
    } catch {
      // closed meanwhile
    }
  }
  const out: string[] = [];
  for (const table of ["tcp", "tcp6", "udp", "udp6"]) {
    const lines = readFileSync(`/proc/${pid}/net/${table}`, "utf8").trim().split("\n").slice(1);
    for (const line of lines) {
      const f = line.trim().split(/\s+/);
      const [local, state, inode] = [f[1] ?? "", f[3], f[9] ?? ""];
      if (!inodes.has(inode) || (table.startsWith("tcp") && state !== "0A")) continue;
      const [hex = "", portHex = ""] = local.split(":");
      const ip =
        hex.length === 8
          ? [0, 1, 2, 3].map((i) => parseInt(hex.slice(6 - 2 * i, 8 - 2 * i), 16)).join(".")
          : `[${hex}]`;
      out.push(`${table} ${ip}:${parseInt(portHex, 16)}`);
    }
  }
  return out.sort();
}

async function prometheus(options: Parameters<typeof startPrometheus>[0]): Promise<PrometheusSandbox> {
  const p = await startPrometheus(options);
  cleanups.push(() => p.stop());
  return p;
}

describe("Prometheus sandbox (real prometheus)", () => {
  test("scrapes, records, fires, reloads live, and stop() ends the process and removes its directory", async () => {
    const gauge = await gaugeServer();
    const p = await prometheus({
      configYaml: config(gauge.port),
      extraFiles: { "rules/demo.yml": rules("demo:doubled", 2) },
      retention: "1h",
    });
    assert.match(p.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.ok(isAlive(p.pid));
    assert.ok(existsSync(`${p.dir}/rules/demo.yml`));
    assert.ok(p.output().includes("level=info"), "the log is captured");
    assert.deepEqual(boundAddresses(p.pid), [`tcp 127.0.0.1:${p.port}`]);

    const [target] = await p.waitTargetsUp(1, 15_000);
    assert.equal(target?.labels.job, "demo");
    assert.equal(target?.scrapeUrl, `http://127.0.0.1:${gauge.port}/metrics`);

    const doubled = await eventually("demo:doubled", async () => (await p.query("demo:doubled"))[0]);
    assert.equal(doubled.value, 14);
    assert.equal(doubled.labels.kind, "a");
    assert.equal(doubled.labels.__name__, "demo:doubled");

    const alert = await eventually("DemoHigh firing", async () =>
      (await p.alerts()).find((a) => a.labels.alertname === "DemoHigh" && a.state === "firing"),
    );
    assert.equal(alert.labels.severity, "warning");
    assert.equal(alert.annotations.summary, "gauge at 7");

    const [group] = await p.rules();
    assert.equal(group?.name, "demo");
    assert.equal(group?.interval, 1);
    assert.deepEqual(
      group?.rules.map((r) => [r.type, r.name, r.health]),
      [
        ["recording", "demo:doubled", "ok"],
        ["alerting", "DemoHigh", "ok"],
      ],
    );

    const [series] = await p.samples('demo_gauge{job="demo"}[30s]');
    assert.ok(series && series.values.length >= 1);
    for (const [t, v] of series.values) {
      assert.equal(v, 7);
      assert.ok(Math.abs(t - Date.now()) < 60_000, `sample time ${t} is Unix ms`);
    }
    assert.deepEqual(
      await p.query("demo_gauge", new Date(Date.now() - 3_600_000)),
      [],
      "no data an hour ago",
    );
    assert.deepEqual(await p.query("1 + 1"), [{ labels: {}, value: 2 }]);
    const range = await p.queryRange("demo_gauge", new Date(Date.now() - 5000), new Date(), 1);
    assert.equal(range.length, 1);
    await assert.rejects(p.query("sum("), /answered 400: bad_data: .*unclosed left parenthesis/);
    await assert.rejects(p.samples("demo_gauge"), /expected a range vector, got a vector/);

    // A changed rule file takes effect on reload; the gauge's change is seen through it.
    gauge.set(3);
    await p.writeFile("rules/demo.yml", rules("demo:tripled", 3));
    const names = (await p.rules()).flatMap((g) => g.rules.map((r) => r.name));
    assert.deepEqual(names, ["demo:tripled", "DemoHigh"]);
    await eventually("demo:tripled = 9", async () =>
      (await p.query("demo:tripled")).find((s) => s.value === 9),
    );
    await eventually("DemoHigh resolved", async () => ((await p.alerts()).length === 0 ? true : undefined));

    // A broken rule file: the reload rejects with Prometheus's reason and the old rules stay.
    await assert.rejects(
      p.writeFile("rules/demo.yml", "groups: [{ name: demo, rules: [{ record: x, expr: 'sum(' }] }]\n"),
      (e: Error) =>
        /answered 500/.test(e.message) &&
        /rules\/demo\.yml: .*could not parse expression/.test(e.message) &&
        /previous rule set restored/.test(e.message),
    );
    assert.deepEqual(
      (await p.rules()).flatMap((g) => g.rules.map((r) => r.name)),
      ["demo:tripled", "DemoHigh"],
    );
    assert.ok(
      p.logProblems().some((m) => /^1x loading groups failed: .*could not parse expression/.test(m)),
      p.logProblems().join("\n"),
    );

    // A changed config (with the good rule file back): a second job scraping the same server.
    await p.writeFile("rules/demo.yml", rules("demo:tripled", 3), { reload: false });
    await p.writeConfig(config(gauge.port, ["demo", "again"]));
    const both = await p.waitTargetsUp(2, 15_000);
    assert.deepEqual(both.map((t) => t.labels.job).sort(), ["again", "demo"]);

    const m = await p.selfMetrics();
    assert.equal(m.groups, 1);
    assert.ok(m.evaluations >= 2, `evaluations ${m.evaluations}`);
    assert.ok(m.headSeries > 0 && m.rssBytes > 0 && m.cpuSeconds > 0, JSON.stringify(m));
    assert.deepEqual(boundAddresses(p.pid), [`tcp 127.0.0.1:${p.port}`]);

    await p.stop();
    assert.equal(isAlive(p.pid), false);
    assert.equal(existsSync(p.dir), false);
    await p.stop(); // idempotent
    await assert.rejects(p.query("up"), /exited with signal SIGTERM|exited with code 0/);
  });

  test("a broken rule file rejects the start with Prometheus's own error, and leaves no directory", async () => {
    const err = await startPrometheus({
      configYaml: "rule_files: [bad.yml]\n",
      extraFiles: {
        "bad.yml": "groups:\n  - name: g\n    rules:\n      - record: x\n        expr: sum(up[\n",
      },
    }).then(
      () => assert.fail("startPrometheus should have rejected"),
      (e: unknown) => e as Error,
    );
    assert.match(err.message, /^Prometheus exited with code 1 before it was ready: /);
    assert.match(err.message, /bad\.yml: 5:15: group "g", rule 1, "x": could not parse expression/);
    assert.match(err.message, /--- last lines of its log ---\n.*level=/);
    const configFile = /config: (\S+)/.exec(err.message)?.[1];
    assert.ok(configFile, err.message);
    assert.equal(existsSync(configFile), false);
  });

  test("stopAll() stops a sandbox and its directory goes", async () => {
    const p = await prometheus({ configYaml: "global: { scrape_interval: 1s }\n" });
    assert.ok(isAlive(p.pid));
    await stopAll();
    assert.equal(isAlive(p.pid), false);
    await eventually("directory removed", async () => (existsSync(p.dir) ? undefined : true), 2000);
  });

  test("a missing binary rejects with the install command", async () => {
    await assert.rejects(
      startPrometheus({ configYaml: "", binary: "/nonexistent/prometheus" }),
      (e: Error) =>
        e.message.includes(PROMETHEUS_INSTALL_HINT) && e.message.includes("/nonexistent/prometheus"),
    );
  });
});

describe("Prometheus API answers and log lines (pure)", () => {
  test("apiData, vectorOf and matrixOf", () => {
    assert.throws(
      () => apiData("q", 422, '{"status":"error","errorType":"execution","error":"too many samples"}'),
      /^Error: q answered 422: execution: too many samples$/,
    );
    assert.throws(() => apiData("q", 502, "<html>bad gateway</html>"), /q answered 502: <html>bad gateway/);
    const vector = { resultType: "vector", result: [{ metric: { a: "1" }, value: [1700000000.5, "+Inf"] }] };
    assert.deepEqual(vectorOf("q", vector), [{ labels: { a: "1" }, value: Infinity }]);
    const matrix = {
      resultType: "matrix",
      result: [
        {
          metric: {},
          values: [
            [1700000000.123, "NaN"],
            [1700000001, "-Inf"],
          ],
        },
      ],
    };
    const [series] = matrixOf("q", matrix);
    assert.equal(series?.values[0]?.[0], 1700000000123);
    assert.ok(Number.isNaN(series?.values[0]?.[1]));
    assert.deepEqual(series?.values[1], [1700000001000, -Infinity]);
    assert.throws(() => vectorOf("q", matrix), /expected an instant vector or a scalar, got a matrix/);
    assert.throws(() => vectorOf("q", { resultType: "string", result: [0, "x"] }), /got a string/);
  });

  test("parseSelfMetrics sums per-group series", () => {
    const text = [
      "# HELP x",
      'prometheus_rule_group_last_duration_seconds{rule_group="a;g1"} 0.25',
      'prometheus_rule_group_last_duration_seconds{rule_group="a;g 2"} 0.5',
      'prometheus_rule_evaluation_failures_total{rule_group="a;g1"} 3',
      "process_resident_memory_bytes 1.5e+08",
      "prometheus_tsdb_head_series 42",
    ].join("\n");
    const m = parseSelfMetrics(text, 5);
    assert.deepEqual(
      [m.evalSeconds, m.groups, m.failures, m.rssBytes, m.headSeries, m.at],
      [0.75, 2, 3, 1.5e8, 42, 5],
    );
  });

  test("logField, loggedErrors, logProblems and logSince", () => {
    const line = 'ts=1 level=error msg="Failed \\"x\\"" name=r1 err="a\\nb" caller=main.go:1';
    assert.equal(logField(line, "msg"), 'Failed "x"');
    assert.equal(logField(line, "name"), "r1");
    assert.equal(logField(line, "err"), "a\nb");
    assert.equal(logField(line, "caller"), "main.go:1");
    assert.equal(logField(line, "missing"), undefined);
    const log = `ts=0 level=info msg=ok err=ignored\n${line}\nts=2 level=warn msg=slow\nts=3 level=warn msg=slow\n`;
    assert.deepEqual(loggedErrors(log), ["a\nb"]);
    assert.deepEqual(logProblems(log), ['1x Failed "x": rule r1: a\nb', "2x slow"]);
    assert.equal(logSince("l1\nl2\n", "l1\nl2\nl3\n"), "l3\n");
    assert.equal(logSince("[dropped]\nl1\nl2\n", "[dropped more]\nl2\nl3\n"), "l3\n");
    assert.equal(logSince("gone\n", "l3\n"), "l3\n");
  });
});
