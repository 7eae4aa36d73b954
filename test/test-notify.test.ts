/**
 * `test-notify` against the real Alertmanager (Debian's, on loopback): the merged configuration of
 * examples/llm-serving.yaml runs with every receiver redirected to the local recorder, as in the
 * sandbox, and the command must get one test message to each receiver, labelled like the
 * catalog's alerts plus test="true"; a running configuration that routes differently is reported;
 * bad URLs and an unreachable Alertmanager end with a clear message and exit 1.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { configMatchers, inhibited, matchesAll, type AlertmanagerYaml } from "../src/operator-merge/index.js";
import { generate } from "../src/build.js";
import { run, type Io } from "../src/cli/program.js";
import { loadConfigFile } from "../src/config/load.js";
import { checkNotifications } from "../src/notify/check.js";
import { planTestAlerts, sameReceiver } from "../src/notify/test-alerts.js";
import { standaloneAlertmanagerConfig } from "../src/render/alertmanager-yaml.js";
import { toYaml } from "../src/render/yaml.js";
import {
  freePort,
  httpRequest,
  startAlertmanager,
  startWebhookReceiver,
  stopAll,
  type AlertmanagerSandbox,
  type Notification,
  type WebhookReceiver,
} from "../src/sandbox/index.js";
import { configReceiverName, redirectReceivers } from "../src/sandbox/redirect.js";
import { requireTool } from "./support/tools.js";

const EXAMPLE = join(import.meta.dirname, "..", "examples", "llm-serving.yaml");
const RECEIVERS = [
  "oncall-pagerduty",
  "oncall-opsgenie",
  "team-slack",
  "team-teams",
  "team-email",
  "scaling-feed",
  "deadmans-switch",
].map((r) => `ml-serving/ai-scaling-alerts/${r}`);

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const io: Io = { out: (t) => void (out += t), err: (t) => void (err += t) };
  const code = await run(["test-notify", "-c", EXAMPLE, ...argv], io);
  return { code, out, err };
}

interface JsonReport {
  ok: boolean;
  runId: string;
  receivers: { receiver: string; result: string; alert?: number }[];
  alerts: { alert: string; labels: Record<string, string>; targets: string[]; receivers: string[] }[];
}

/** The alerts of one run that reached each receiver (by the recorder's path). */
function ofRun(
  received: readonly Notification[],
  runId: string,
): Map<string, Notification["payload"]["alerts"]> {
  const out = new Map<string, Notification["payload"]["alerts"]>();
  for (const n of received) {
    const alerts = n.payload.alerts.filter((a) => a.labels.test_run === runId);
    if (alerts.length > 0 && n.name) out.set(n.name, [...(out.get(n.name) ?? []), ...alerts]);
  }
  return out;
}

/** The example's merged configuration, 30x faster, every receiver posting to the recorder. */
function exampleOnRecorder(hooks: WebhookReceiver): AlertmanagerYaml {
  const merged = standaloneAlertmanagerConfig(generate(loadConfigFile(EXAMPLE), { timeScale: 30 }));
  const am = redirectReceivers(merged.config, (name) => hooks.urlFor(name));
  // The feed's quiet hours would make the test depend on the time of day.
  const unmute = (r: AlertmanagerYaml["route"]): void => {
    delete r.mute_time_intervals;
    r.routes?.forEach(unmute);
  };
  unmute(am.route);
  return am;
}

describe("test-notify on a real Alertmanager running the config", () => {
  requireTool("prometheus-alertmanager", "alertmanager");
  let hooks: WebhookReceiver;
  let am: AlertmanagerSandbox;

  before(async () => {
    hooks = await startWebhookReceiver();
    am = await startAlertmanager({ configYaml: toYaml(exampleOnRecorder(hooks)) });
  });
  after(async () => {
    await am?.stop();
    await hooks?.close();
    await stopAll();
  });

  it("gets a test message to every receiver, labelled like the catalog's alerts plus test=true", async () => {
    const { code, out, err } = await cli("--alertmanager-url", am.url);
    assert.equal(code, 0, out + err);
    const runId = /test_run="([^"]+)"/.exec(out)?.[1] ?? "";
    assert.ok(runId, out);
    const received = await hooks.waitFor((all) => ofRun(all, runId).size === RECEIVERS.length, 10_000);
    const byReceiver = ofRun(received, runId);
    assert.deepEqual([...byReceiver.keys()].sort(), [...RECEIVERS].sort());
    for (const [receiver, alerts] of byReceiver) {
      for (const a of alerts) {
        assert.equal(a.labels.test, "true", receiver);
        assert.equal(a.status, "firing");
        assert.match(a.annotations.summary ?? "", /^TEST, no action needed: /);
        assert.match(a.annotations.runbook_url ?? "", /#ai/);
        for (const l of ["alertname", "severity", "event", "namespace"])
          assert.ok(a.labels[l], `${l} on ${receiver}`);
        if (a.labels.alertname !== "AIScalingAlertsHeartbeat") {
          for (const l of ["horizontalpodautoscaler", "workload", "team"])
            assert.ok(a.labels[l], `${l} on ${receiver}`);
        }
      }
    }
    assert.equal(byReceiver.get(RECEIVERS[6] as string)?.[0]?.labels.alertname, "AIScalingAlertsHeartbeat");
    assert.equal(byReceiver.get(RECEIVERS[5] as string)?.[0]?.labels.severity, "info");
    // Webhooks show no end for a firing alert; the Alertmanager holds it: minutes ahead.
    const held = await am.getAlerts({ filter: [`test_run="${runId}"`] });
    assert.equal(held.length, 3, "one alert serves every receiver it reaches");
    for (const a of held) {
      const lifetime = Date.parse(a.endsAt) - Date.parse(a.startsAt);
      assert.ok(lifetime >= 4 * 60_000 && lifetime <= 10 * 60_000, `resolves by itself: ${a.endsAt}`);
    }
    // The report lists each receiver as routed by the Alertmanager.
    for (const r of RECEIVERS) assert.match(out, new RegExp(`^${r} .* routed`, "m"));
    assert.match(out, /^OK: /m);
  });

  it("--receiver tests one receiver, with the quietest alert that reaches it", async () => {
    const { code, out, err } = await cli("--alertmanager-url", am.url, "--receiver", "team-slack", "--json");
    assert.equal(code, 0, out + err);
    const report = JSON.parse(out) as JsonReport;
    assert.deepEqual(
      report.receivers.map((r) => [r.receiver, r.result]),
      [["ml-serving/ai-scaling-alerts/team-slack", "routed"]],
    );
    assert.equal(report.alerts.length, 1);
    const [sent] = report.alerts;
    assert.equal(sent?.labels.severity, "warning", "chat is tested without paging anyone");
    assert.deepEqual(sent?.targets, ["ml-serving/ai-scaling-alerts/team-slack"]);
    assert.ok(sent?.receivers.includes("ml-serving/ai-scaling-alerts/team-slack"));
    const slack = "ml-serving/ai-scaling-alerts/team-slack";
    await hooks.waitFor((all) => ofRun(all, report.runId).has(slack), 10_000);
    await new Promise((r) => setTimeout(r, 1500)); // group_wait is 1s: a page would be here by now
    const byReceiver = ofRun(hooks.notifications(), report.runId);
    assert.ok(!byReceiver.has("ml-serving/ai-scaling-alerts/oncall-pagerduty"));
    assert.ok(!byReceiver.has("ml-serving/ai-scaling-alerts/scaling-feed"));
  });

  it("names an unknown --receiver and the config's receivers", async () => {
    const { code, err } = await cli("--alertmanager-url", am.url, "--receiver", "nobody");
    assert.equal(code, 1);
    assert.match(err, /no receiver "nobody" in this config; its receivers: .*team-slack/);
  });

  it("reports a silenced test alert: it will not arrive", async () => {
    const now = Date.now();
    const silence = await httpRequest("POST", `${am.url}/api/v2/silences`, {
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        matchers: [
          { name: "test", value: "true", isRegex: false },
          { name: "severity", value: "none", isRegex: false },
        ],
        startsAt: new Date(now).toISOString(),
        endsAt: new Date(now + 3_600_000).toISOString(),
        createdBy: "test",
        comment: "test-notify test",
      }),
    });
    assert.equal(silence.status, 200, silence.body);
    const { code, out } = await cli("--alertmanager-url", am.url);
    assert.equal(code, 1, out);
    assert.match(out, /deadmans-switch .* SUPPRESSED \(silenced by [0-9a-f-]+\)/);
    assert.match(out, /team-slack .* routed$/m);
    assert.match(out, /^FAILED: /m);
  });
});

describe("test-notify on an Alertmanager that runs another configuration", () => {
  requireTool("prometheus-alertmanager", "alertmanager");
  let hooks: WebhookReceiver;
  let am: AlertmanagerSandbox;

  before(async () => {
    hooks = await startWebhookReceiver();
    // Receivers named as a hand-written alertmanager.yml would (plain names), and no route to e-mail.
    const config = exampleOnRecorder(hooks);
    const rename = (r: AlertmanagerYaml["route"]): void => {
      if (r.receiver) r.receiver = configReceiverName(r.receiver);
      r.routes = r.routes?.filter((c) => !c.receiver?.endsWith("/team-email"));
      r.routes?.forEach(rename);
    };
    rename(config.route);
    for (const r of config.receivers) r.name = configReceiverName(r.name);
    am = await startAlertmanager({ configYaml: toYaml(config) });
  });
  after(async () => {
    await am?.stop();
    await hooks?.close();
    await stopAll();
  });

  it("says the running Alertmanager does not have this config, and which receiver is missing", async () => {
    const { code, out } = await cli("--alertmanager-url", `${am.url}/`);
    assert.equal(code, 1, out);
    assert.match(out, /team-email .* NOT ROUTED: the Alertmanager sends it to .*team-slack/);
    // Plain names match the operator's <namespace>/<object>/<receiver>.
    assert.match(out, /ml-serving\/ai-scaling-alerts\/team-slack .* routed$/m);
    assert.match(out, /ml-serving\/ai-scaling-alerts\/deadmans-switch .* routed$/m);
    assert.match(out, /^MISMATCH: .* does not run this configuration/m);
  });
});

describe("test-notify: bad URLs and an unreachable Alertmanager", () => {
  it("exits 1 with a clear message when nothing listens", async () => {
    const port = await freePort();
    const { code, out, err } = await cli("--alertmanager-url", `http://127.0.0.1:${port}`);
    assert.equal(code, 1);
    assert.equal(out, "");
    assert.match(
      err,
      new RegExp(`cannot reach the Alertmanager at http://127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`),
    );
    assert.doesNotMatch(err, /\n\s+at /, "no stack trace");
  });

  it("refuses credentials in the URL without printing them", async () => {
    const { code, err } = await cli("--alertmanager-url", "https://admin:s3cret@am.example.com/");
    assert.equal(code, 1);
    assert.match(err, /must not contain a user or password/);
    assert.doesNotMatch(err, /s3cret|admin/);
  });

  it("refuses what is not an http(s) URL", async () => {
    for (const url of ["ftp://127.0.0.1:9093", "127.0.0.1:9093", "not a url", "http://127.0.0.1:9093/?x=1"]) {
      const { code, err } = await cli("--alertmanager-url", url);
      assert.equal(code, 1, url);
      assert.match(err, /^test-notify: --alertmanager-url /, url);
    }
  });

  it("exits 2 without --alertmanager-url", async () => {
    const { code, err } = await cli();
    assert.equal(code, 2);
    assert.match(err, /--alertmanager-url/);
  });
});

describe("test-notify: choosing the test alerts", () => {
  const g = generate(loadConfigFile(EXAMPLE));
  const merged = standaloneAlertmanagerConfig(g).config;

  it("sends alerts that mute nothing, so a test never silences a real alert", () => {
    const plan = planTestAlerts(g.resolved, merged, { now: new Date("2025-06-02T10:00:00Z") });
    assert.deepEqual(plan.targets.map((t) => t.receiver).sort(), [...RECEIVERS].sort());
    assert.ok(plan.targets.every((t) => t.alert !== undefined));
    const sources = (merged.inhibit_rules ?? []).map((r) =>
      configMatchers(r.source_matchers, r.source_match, r.source_match_re),
    );
    for (const a of plan.alerts) assert.ok(!sources.some((s) => matchesAll(s, a.labels)), a.alert);
    assert.deepEqual(
      inhibited(
        merged.inhibit_rules ?? [],
        plan.alerts.map((a) => a.labels),
      ),
      [],
    );
    assert.ok(plan.alerts.length <= 3, "one alert serves every receiver it reaches");
  });

  it("says when a receiver's route is muted by a time interval at the moment of sending", () => {
    const night = planTestAlerts(g.resolved, merged, { now: new Date("2025-06-02T23:30:00Z") });
    const day = planTestAlerts(g.resolved, merged, { now: new Date("2025-06-02T10:00:00Z") });
    const feed = (p: typeof day) => p.targets.find((t) => t.receiver.endsWith("/scaling-feed"));
    assert.match(feed(night)?.muted ?? "", /muted now by time interval .*quiet-hours/);
    assert.equal(feed(day)?.muted, undefined);
  });

  it("matches a receiver by either of its names, but not across namespaces", () => {
    assert.ok(sameReceiver("ml-serving/ai-scaling-alerts/team-slack", "team-slack"));
    assert.ok(sameReceiver("team-slack", "ml-serving/ai-scaling-alerts/team-slack"));
    assert.ok(
      !sameReceiver("ml-serving/ai-scaling-alerts/team-slack", "ml-batch/ai-scaling-alerts/team-slack"),
    );
    assert.ok(!sameReceiver("ml-serving/ai-scaling-alerts/team-slack", "team-email"));
  });

  it("tells receivers the Alertmanager adds apart from those it lacks", () => {
    const plan = planTestAlerts(g.resolved, merged, {
      now: new Date("2025-06-02T10:00:00Z"),
      receiver: "team-slack",
    });
    const [sent] = plan.alerts;
    assert.ok(sent);
    const observed = (receivers: string[]) => [
      {
        labels: sent.labels,
        receivers: receivers.map((name) => ({ name })),
        status: { state: "active", silencedBy: [], inhibitedBy: [] },
      },
    ];
    const extra = checkNotifications(plan, observed([...sent.predicted, "default-catch-all"]));
    assert.equal(extra.ok, true, "another receiver of the Alertmanager's own config is no mismatch");
    assert.deepEqual(extra.alerts[0]?.extra, ["default-catch-all"]);
    const lacking = checkNotifications(plan, observed(["null"]));
    assert.equal(lacking.ok, false);
    assert.equal(lacking.receivers[0]?.result, "not-routed");
    const absent = checkNotifications(plan, []);
    assert.equal(absent.receivers[0]?.result, "not-found");
  });
});
