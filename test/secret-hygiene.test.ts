/**
 * Secret hygiene of the CLI, proven: sentinel credentials planted in every credential position (as
 * the inline values, pasted URLs and traversing keys the schema refuses, as users and passwords in
 * URLs, as a base configuration's own receivers, on the line of a YAML error, and as the Secret data
 * a real Alertmanager reads) must appear in no file written, no stdout or stderr of any command, no
 * error message and no verify, test-notify or sandbox report. The Pulumi side is in
 * secret-hygiene-pulumi.test.ts.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { run, type Io } from "../src/cli/program.js";
import { startAlertmanager, stopAll, type AlertmanagerSandbox } from "../src/sandbox/index.js";
import { assertNoSentinel, assertNoSentinelInFiles, findSentinel, sentinel } from "./support/sentinels.js";
import { requireTool } from "./support/tools.js";

const ROOT = join(import.meta.dirname, "..");
const work = mkdtempSync(join(tmpdir(), "asa-hygiene-"));
let am: AlertmanagerSandbox | undefined;
after(async () => {
  await am?.stop();
  await stopAll();
  rmSync(work, { recursive: true, force: true });
});

function file(name: string, text: string): string {
  const path = join(work, name);
  writeFileSync(path, text);
  return path;
}

let dirs = 0;
/** A fresh path for a command to write into (it does not exist yet). */
const outDir = (what: string) => join(work, `out-${what}-${++dirs}`);

interface Result {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Runs the CLI in this process; fails when its stdout or stderr holds a sentinel. */
async function cli(...argv: string[]): Promise<Result> {
  let out = "";
  let err = "";
  const io: Io = { out: (t) => void (out += t), err: (t) => void (err += t) };
  const code = await run(argv, io);
  assertNoSentinel(`${argv.join(" ")}: stdout`, out);
  assertNoSentinel(`${argv.join(" ")}: stderr`, err);
  return { code, out, err };
}

/** Runs the CLI as a user does (its own process): the process's own streams, not only the Io. */
function cliProcess(...argv: string[]): Result {
  const p = spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "src", "cli", "main.ts"), ...argv], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 60_000,
  });
  assertNoSentinel(`${argv.join(" ")} (process): stdout`, p.stdout);
  assertNoSentinel(`${argv.join(" ")} (process): stderr`, p.stderr);
  return { code: p.status ?? -1, out: p.stdout, err: p.stderr };
}

const WORKLOAD = `workloads:
  - name: chat
    autoscaling:
      minReplicas: 2
      maxReplicas: 6
      metrics: [{ type: cpu, targetUtilization: 70 }]
`;

/** Valid: every credential a Secret reference; the Secret data (files) hold the sentinels. */
const VALID = `namespace: ml
monitoring:
  runbookBaseUrl: https://runbooks.example/ai.md
  operator: { alertmanagerVersion: 0.25.0 }
${WORKLOAD}notifications:
  receivers:
    - { name: team-slack, type: slack, apiUrl: { secret: alerting, key: slack-url }, channel: "#ai" }
    - name: team-email
      type: email
      to: ai@example.org
      from: am@example.org
      smarthost: 127.0.0.1:9
      authUsername: am
      authPassword: { secret: alerting, key: smtp-password }
    - { name: feed, type: webhook, url: { secret: alerting, key: feed-url }, receive: [info] }
    - { name: pager, type: pagerduty, routingKey: { secret: alerting, key: pd-key }, receive: [critical] }
    - { name: genie, type: opsgenie, apiKey: { secret: alerting, key: og-key }, receive: [critical] }
`;
const SECRET_DATA: Record<string, string> = {
  "slack-url": `http://127.0.0.1:9/services/${sentinel("data-slack")}`,
  "smtp-password": sentinel("data-smtp"),
  "feed-url": `http://127.0.0.1:9/${sentinel("data-feed")}`,
  "pd-key": sentinel("data-pagerduty"),
  "og-key": sentinel("data-opsgenie"),
};

/** Every credential position at once, each in a form the schema refuses. */
const INVALID = `namespace: ml
monitoring:
  runbookBaseUrl: https://ops:${sentinel("runbook-password")}@runbooks.example/ai.md
  operator: { alertmanagerVersion: 0.34.0 }
workloads:
  - name: chat
    autoscaling:
      engine: keda
      minReplicas: 1
      maxReplicas: 6
      metrics: [{ type: cpu, targetUtilization: 70 }]
      keda:
        prometheusServerAddress: http://keda:${sentinel("keda-password")}@prometheus.monitoring:9090
notifications:
  receivers:
    - { name: a, type: slack, apiUrl: "https://hooks.slack.com/services/${sentinel("slack-inline")}" }
    - { name: b, type: email, to: a@example.org, from: b@example.org, smarthost: "h:25", authPassword: ${sentinel("email-inline")} }
    - { name: c, type: webhook, url: { secret: "https://${sentinel("webhook-secret-name")}.example/x", key: url } }
    - { name: d, type: pagerduty, routingKey: { secret: alerting, key: "../../${sentinel("pagerduty-key")}" } }
    - { name: e, type: opsgenie, apiKey: { secret: alerting, key: og, value: ${sentinel("opsgenie-value")} } }
    - { name: f, type: msteams, webhookUrl: { secret: alerting, key: "https://outlook.example/webhook/${sentinel("msteams-key")}" } }
`;
const INVALID_PATHS: [string, RegExp][] = [
  ["monitoring.runbookBaseUrl", /must not hold a user or password/],
  ["workloads[0].autoscaling.keda.prometheusServerAddress", /must not hold a user or password.*Secret/],
  ["notifications.receivers[0].apiUrl", /inline credentials are not allowed .*looks like a URL/],
  ["notifications.receivers[1].authPassword", /inline credentials are not allowed/],
  ["notifications.receivers[2].url.secret", /expected the name of a Secret .*looks like a URL/],
  ["notifications.receivers[3].routingKey.key", /expected a key of the Secret/],
  ["notifications.receivers[4].apiKey.value", /unknown key/],
  ["notifications.receivers[5].webhookUrl.key", /expected a key of the Secret .*looks like a URL/],
];

/** One position at a time, in the other refused shapes. */
const ONE_AT_A_TIME: Record<string, [string, RegExp]> = {
  "runbook URL that is not a URL": [
    `monitoring: { runbookBaseUrl: "${sentinel("runbook-text")} see wiki" }\n${WORKLOAD}`,
    /monitoring\.runbookBaseUrl: expected the runbook page's URL .*got a value of \d+ characters/,
  ],
  "runbook URL with a user only": [
    `monitoring: { runbookBaseUrl: "https://${sentinel("runbook-user")}@runbooks.example/" }\n${WORKLOAD}`,
    /monitoring\.runbookBaseUrl: must not hold a user or password/,
  ],
  "KEDA address with another scheme": [
    `workloads:\n  - name: chat\n    autoscaling:\n      engine: keda\n      minReplicas: 1\n      maxReplicas: 3\n      metrics: [{ type: cpu, targetUtilization: 70 }]\n      keda: { prometheusServerAddress: "ftp://${sentinel("keda-scheme")}/x" }\n`,
    /prometheusServerAddress: expected the URL of the Prometheus KEDA queries .*looks like a URL/,
  ],
  "Secret name longer than Kubernetes allows": [
    `${WORKLOAD}notifications:\n  receivers: [{ name: s, type: slack, apiUrl: { secret: "${sentinel("long-name")}${"x".repeat(260)}", key: k } }]\n`,
    /apiUrl\.secret: expected the name of a Secret .*longer than 253/,
  ],
  "Secret key that climbs out of its directory": [
    `${WORKLOAD}notifications:\n  receivers: [{ name: s, type: slack, apiUrl: { secret: s, key: "${sentinel("dot-key")}/.." } }]\n`,
    /apiUrl\.key: expected a key of the Secret/,
  ],
  "a multi-line token inline": [
    `${WORKLOAD}notifications:\n  receivers: [{ name: s, type: pagerduty, routingKey: "Bearer ${sentinel("bearer")}\\nsecond line" }]\n`,
    /routingKey: inline credentials are not allowed \(got a value of \d+ characters with white space\)/,
  ],
};

/** The user's alertmanager.yml, with credentials written inline in its own receivers and globals. */
const BASE_WITH_CREDENTIALS = `global:
  slack_api_url: https://hooks.slack.com/services/${sentinel("base-global-slack")}
  smtp_auth_password: ${sentinel("base-smtp")}
  http_config:
    basic_auth: { username: am, password: ${sentinel("base-basic-auth")} }
route:
  receiver: ops
  routes:
    - receiver: ops
      matchers: ['team="infra"']
receivers:
  - name: ops
    webhook_configs:
      - url: http://ops.example/hook/${sentinel("base-webhook")}
      - url: http://user:${sentinel("base-userinfo")}@ops.example/hook
        http_config: { authorization: { credentials: ${sentinel("base-bearer")} } }
    slack_configs: [{ api_url: "https://hooks.slack.com/services/${sentinel("base-slack")}", channel: "#ops" }]
    pagerduty_configs: [{ routing_key: ${sentinel("base-pagerduty")} }]
    opsgenie_configs: [{ api_key: ${sentinel("base-opsgenie")} }]
`;
const BASE_PATHS = [
  "global.slack_api_url",
  "global.smtp_auth_password",
  "global.http_config.basic_auth.password",
  "receivers[0].webhook_configs[0].url",
  "receivers[0].webhook_configs[1].url",
  "receivers[0].webhook_configs[1].http_config.authorization.credentials",
  "receivers[0].slack_configs[0].api_url",
  "receivers[0].pagerduty_configs[0].routing_key",
  "receivers[0].opsgenie_configs[0].api_key",
];

/** YAML errors on the line that holds a credential (the text after `key: `). */
const YAML_ERRORS: Record<string, string> = {
  "a bad escape": `"https://hooks.example/${sentinel("yaml-escape")}\\q"`,
  "an unclosed quote": `"https://hooks.example/${sentinel("yaml-quote")}`,
  "a nested mapping": `https://hooks.example/${sentinel("yaml-nested")}: x`,
  "a block scalar header": `|${sentinel("yaml-block")}`,
  "two anchors": `&${sentinel("yaml-anchor")} &b x`,
};
/** The same, where only the `yaml` library's wording quotes the source (not only the excerpt). */
const YAML_ERRORS_QUOTING_TOKENS: Record<string, string> = {
  "an alias to no anchor": `*${sentinel("yaml-alias")}`,
};

/** A short scenario: one scale-up step. */
const SCENARIO = `name: short
description: one scale-up step
duration: 2m
workload: { needs: any }
steps:
  - { at: 0s, set: { replicas: min, cpuUtilization: 50 } }
  - { at: 30s, set: { replicas: min+2, cpuUtilization: 90 } }
expect:
  - { alert: AIWorkloadScaledUp, at: 30s, within: 1m }
`;

const validConfig = file("valid.yaml", VALID);
const invalidConfig = file("invalid.yaml", INVALID);
const scenario = file("short-scenario.yaml", SCENARIO);
const secretsDir = join(work, "secrets");
for (const [key, value] of Object.entries(SECRET_DATA)) {
  mkdirSync(join(secretsDir, "ml", "alerting"), { recursive: true });
  writeFileSync(join(secretsDir, "ml", "alerting", key), value);
}

before(async () => {
  requireTool("prometheus-alertmanager", "alertmanager");
  // The production alertmanager.yml, with the Secrets mounted where it says: the real
  // Alertmanager reads every credential, so a test notification exercises them.
  const dir = outDir("am");
  const r = await cli("render", "-c", validConfig, "-f", "prometheus", "-o", dir, "--secrets-dir", "secrets");
  assert.equal(r.code, 0, r.err);
  const extraFiles = Object.fromEntries(
    Object.entries(SECRET_DATA).map(([key, value]) => [`secrets/ml/alerting/${key}`, value]),
  );
  am = await startAlertmanager({
    configYaml: readFileSync(join(dir, "alertmanager.yml"), "utf8"),
    extraFiles,
  });
});

describe("the leak detector", () => {
  it("finds a sentinel whole, cut short, lower-cased, JSON-escaped or URL-encoded", () => {
    const s = sentinel("probe");
    for (const text of [
      `got ${s}`,
      `got ${s.slice(0, 12)}…`,
      `https://${s.toLowerCase()}.example/`,
      JSON.stringify({ v: `"${s}"` }),
      encodeURIComponent(`a b/${s}`),
    ]) {
      assert.ok(findSentinel(text), text);
      assert.throws(() => assertNoSentinel("probe", text), /repeats a credential/);
    }
    assert.doesNotThrow(() =>
      assertNoSentinel("probe", "got a value of 26 characters that looks like a URL"),
    );
  });
});

describe("a config with a credential in every position, each refused", () => {
  it("validate names every position and repeats none", async () => {
    const r = await cli("validate", "-c", invalidConfig);
    assert.equal(r.code, 1, r.out + r.err);
    for (const [path, message] of INVALID_PATHS) {
      const line = r.err.split("\n").find((l) => l.startsWith(`  ${path}: `));
      assert.ok(line, `${path} not named:\n${r.err}`);
      assert.match(line, message);
    }
  });

  it("every command refuses it, writes nothing and repeats none", async () => {
    const written: string[] = [];
    const commands: string[][] = [
      ["render", "-c", invalidConfig],
      ["render", "-c", invalidConfig, "-o", outDir("k8s")],
      ["render", "-c", invalidConfig, "-f", "prometheus"],
      ["render", "-c", invalidConfig, "-f", "prometheus", "-o", outDir("prom")],
      ["verify", "-c", invalidConfig],
      ["verify", "-c", invalidConfig, "--json"],
      ["routes", "-c", invalidConfig],
      ["routes", "-c", invalidConfig, "--json"],
      ["test-notify", "-c", invalidConfig, "--alertmanager-url", am?.url ?? ""],
      ["sandbox", "-c", invalidConfig, "--scenario", scenario, "--report", outDir("sandbox")],
    ];
    for (const argv of commands) {
      const r = await cli(...argv);
      assert.equal(r.code, 1, `${argv.join(" ")}: ${r.out}${r.err}`);
      assert.match(r.err, /notifications\.receivers\[0\]\.apiUrl: inline credentials/, argv.join(" "));
      const dir = argv[argv.indexOf("-o") + 1] ?? argv[argv.indexOf("--report") + 1];
      if (argv.includes("-o") || argv.includes("--report")) written.push(...assertNoSentinelInFiles(dir!));
    }
    assert.deepEqual(written, []);
  });

  it("its own process prints nothing of it either", () => {
    const r = cliProcess("validate", "-c", invalidConfig);
    assert.equal(r.code, 1);
    assert.match(r.err, /notifications\.receivers\[5\]\.webhookUrl\.key/);
  });

  for (const [what, [yaml, message]] of Object.entries(ONE_AT_A_TIME)) {
    it(`${what}: refused, described, not repeated`, async () => {
      const config = file(`one-${what.replace(/\W+/g, "-")}.yaml`, yaml);
      const r = await cli("validate", "-c", config);
      assert.equal(r.code, 1, r.out + r.err);
      assert.match(r.err, message);
      const dir = outDir("one");
      assert.equal((await cli("render", "-c", config, "-f", "prometheus", "-o", dir)).code, 1);
      assert.deepEqual(assertNoSentinelInFiles(dir), []);
    });
  }
});

describe("a base configuration with credentials in its own receivers", () => {
  const base = file("base-credentials.yml", BASE_WITH_CREDENTIALS);

  it("verify and routes check and show it with the credentials replaced", async () => {
    // The merged file (base included) is what amtool checks; other checks are not this test's.
    const verify = await cli("verify", "-c", validConfig, "--base-config", base);
    assert.match(verify.out, /^PASS +amtool check-config/m, verify.out + verify.err);
    const json = await cli("verify", "-c", validConfig, "--base-config", base, "--json");
    const checks = (JSON.parse(json.out) as { checks: { id: string; status: string }[] }).checks;
    assert.equal(checks.find((c) => c.id === "amtool-check")?.status, "pass", json.out);
    const tree = await cli("routes", "-c", validConfig, "--base-config", base);
    assert.match(tree.out, /└── \{team="infra"\} +receiver: ops$/m);
    const routes = await cli("routes", "-c", validConfig, "--base-config", base, "--json");
    const merged = (JSON.parse(routes.out) as { config: { receivers: { name: string }[] } }).config;
    const ops = merged.receivers.find((r) => r.name === "ops");
    assert.deepEqual(ops, {
      name: "ops",
      webhook_configs: [
        { url: "https://redacted.invalid/" },
        { url: "https://redacted.invalid/", http_config: { authorization: { credentials: "<secret>" } } },
      ],
      slack_configs: [{ api_url: "https://redacted.invalid/", channel: "#ops" }],
      pagerduty_configs: [{ routing_key: "<secret>" }],
      opsgenie_configs: [{ api_key: "<secret>" }],
    });
  });

  it("render refuses to write it into alertmanager.yml, naming each field and not its value", async () => {
    const dir = outDir("base");
    for (const argv of [
      ["render", "-c", validConfig, "-f", "prometheus", "--base-config", base],
      ["render", "-c", validConfig, "-f", "prometheus", "--base-config", base, "-o", dir],
    ]) {
      const r = await cli(...argv);
      assert.equal(r.code, 1, r.out + r.err);
      assert.equal(r.out, "");
      for (const path of BASE_PATHS)
        assert.match(
          r.err,
          new RegExp(`--base-config ${path.replace(/[[\].]/g, "\\$&")}: holds a credential`),
        );
      assert.match(r.err, /api_url_file/);
    }
    assert.deepEqual(assertNoSentinelInFiles(dir), []);
  });

  it("test-notify redacts it, sends and repeats none of it", async () => {
    const r = await cli(
      "test-notify",
      "-c",
      validConfig,
      "--base-config",
      base,
      "--alertmanager-url",
      am!.url,
    );
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /team-slack/);
  });
});

describe("YAML errors on the line of a credential", () => {
  const errors = { ...YAML_ERRORS, ...YAML_ERRORS_QUOTING_TOKENS };
  for (const [what, value] of Object.entries(errors)) {
    it(`--base-config with ${what}: line and column, never the line`, async () => {
      const base = file(
        `base-${what.replace(/\W+/g, "-")}.yml`,
        `global:\n  resolve_timeout: 5m\n  slack_api_url: ${value}\nroute: { receiver: x }\nreceivers: [{ name: x }]\n`,
      );
      for (const cmd of ["verify", "routes", "render", "test-notify"]) {
        const argv = ["-c", validConfig, "--base-config", base];
        if (cmd === "render") argv.push("-f", "prometheus", "-o", outDir("yaml"));
        if (cmd === "test-notify") argv.push("--alertmanager-url", am!.url);
        const r = await cli(cmd, ...argv);
        assert.equal(r.code, 1, `${cmd}: ${r.out}${r.err}`);
        assert.match(r.err, /--base-config: .* is not valid YAML: /);
        if (what in YAML_ERRORS) assert.match(r.err, /not valid YAML: line \d+, column \d+: /);
      }
    });
  }

  for (const [what, value] of Object.entries(errors)) {
    it(`the config with ${what}: line and column, never the line`, async () => {
      const config = file(
        `config-${what.replace(/\W+/g, "-")}.yaml`,
        `${WORKLOAD}notifications:\n  receivers:\n    - name: s\n      type: slack\n      apiUrl: ${value}\n`,
      );
      const r = await cli("validate", "-c", config);
      assert.equal(r.code, 1, r.out + r.err);
      assert.match(r.err, what in YAML_ERRORS ? /\n {2}line \d+, column \d+: / : /alias/);
    });

    it(`a scenario with ${what}: line and column, never the line`, async () => {
      const bad = file(`scenario-${what.replace(/\W+/g, "-")}.yaml`, `${SCENARIO}note: ${value}\n`);
      const report = outDir("scenario");
      const r = await cli("sandbox", "-c", validConfig, "--scenario", bad, "--report", report);
      assert.equal(r.code, 1, r.out + r.err);
      assert.match(r.err, what in YAML_ERRORS ? /\n {2}line \d+, column \d+: / : /alias/);
      assert.deepEqual(assertNoSentinelInFiles(report), []);
    });
  }

  it("the base configuration's own process prints nothing of it either", () => {
    const base = file("base-process.yml", `global:\n  slack_api_url: ${YAML_ERRORS["a bad escape"]}\n`);
    const r = cliProcess("routes", "-c", validConfig, "--base-config", base);
    assert.equal(r.code, 1);
    assert.match(r.err, /line 2, column \d+: invalid escape sequence/);
  });
});

describe("a valid config, its Secrets read by a real Alertmanager", () => {
  it("render writes references only, in both formats, on stdout and in files", async () => {
    for (const format of ["kubernetes", "prometheus"]) {
      const stdout = await cli("render", "-c", validConfig, "-f", format, "--secrets-dir", secretsDir);
      assert.equal(stdout.code, 0, stdout.err);
      const dir = outDir(format);
      const r = await cli("render", "-c", validConfig, "-f", format, "--secrets-dir", secretsDir, "-o", dir);
      assert.equal(r.code, 0, r.err);
      assert.ok(assertNoSentinelInFiles(dir).length >= 2);
    }
    const dir = outDir("file-paths");
    await cli("render", "-c", validConfig, "-f", "prometheus", "--secrets-dir", secretsDir, "-o", dir);
    assert.match(
      readFileSync(join(dir, "alertmanager.yml"), "utf8"),
      new RegExp(`api_url_file: ${secretsDir}/ml/alerting/slack-url`),
    );
  });

  it("validate, verify, verify --json, routes, routes --json and schema", async () => {
    for (const argv of [
      ["validate", "-c", validConfig],
      ["verify", "-c", validConfig],
      ["verify", "-c", validConfig, "--json"],
      ["routes", "-c", validConfig],
      ["routes", "-c", validConfig, "--json"],
      ["schema"],
    ]) {
      const r = await cli(...argv);
      // verify's exit code is its checks' verdict; here it must have run them all and reported.
      if (argv[0] === "verify") assert.match(r.out, /amtool check-config|"amtool-check"/, r.err);
      else assert.equal(r.code, 0, `${argv.join(" ")}: ${r.out}${r.err}`);
      assert.notEqual(r.out, "");
    }
  });

  it("test-notify gets through the Alertmanager that holds the credentials, and reports none", async () => {
    for (const json of [[], ["--json"]]) {
      const r = await cli("test-notify", "-c", validConfig, "--alertmanager-url", am!.url, ...json);
      assert.equal(r.code, 0, r.out + r.err);
      assert.match(r.out, /team-slack/);
    }
  });

  it("sandbox with --report on a short scenario", async () => {
    const report = outDir("sandbox");
    const r = await cli(
      "sandbox",
      "-c",
      validConfig,
      "--scenario",
      scenario,
      "--speed",
      "60",
      "--report",
      report,
    );
    assert.ok(r.code === 0 || r.code === 1, r.out + r.err);
    assert.match(r.out, /AIWorkloadScaledUp/);
    assert.deepEqual(assertNoSentinelInFiles(report).sort(), ["timeline.html", "timeline.json"]);
  });
});
