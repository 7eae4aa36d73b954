/**
 * The operator's merge of AlertmanagerConfig objects and Alertmanager's routing, checked against the
 * real amtool 0.25: every merged configuration passes `amtool check-config`, and for every label set
 * `amtool config routes test --verify.receivers=<receiversFor(...)>` agrees with our evaluation.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import {
  formatMatcher,
  inhibited,
  matchRoutes,
  mergeAlertmanagerConfigs,
  parseMatcher,
  parseMatchers,
  receiversFor,
  unreachableRoutes,
  type AlertmanagerYaml,
  type InhibitRuleConfig,
  type LabelSet,
  type MatcherStrategy,
  type MergeOptions,
} from "../src/operator-merge/index.js";
import { generate } from "../src/build.js";
import { parseConfig } from "../src/config/load.js";
import { toYaml } from "../src/render/yaml.js";
import type { AlertmanagerConfigObject } from "../src/alertmanager-config/alertmanager-config.js";
import { defaultInhibitRules } from "../src/alertmanager-config/defaults.js";
import { requireTool } from "./support/tools.js";

const AMTOOL = requireTool("amtool");
const TMP = mkdtempSync(join(tmpdir(), "asa-am-merge-"));
after(() => rmSync(TMP, { recursive: true, force: true }));
let files = 0;

/** Writes the config as YAML and asserts that `amtool check-config` accepts it. */
function checkedFile(config: AlertmanagerYaml): string {
  const file = join(TMP, `am-${files++}.yml`);
  writeFileSync(file, toYaml(config));
  const r = spawnSync(AMTOOL, ["check-config", file], { encoding: "utf8" });
  assert.equal(r.status, 0, `amtool check-config failed:\n${r.stdout}${r.stderr}\n${toYaml(config)}`);
  return file;
}

/** Asserts that amtool routes the labels to exactly `receiversFor`'s receivers, in order. */
function assertAmtoolAgrees(file: string, config: AlertmanagerYaml, labels: LabelSet): string[] {
  const ours = receiversFor(config, labels);
  const args = Object.entries(labels).map(([name, value]) => formatMatcher({ name, operator: "=", value }));
  const r = spawnSync(
    AMTOOL,
    ["config", "routes", "test", `--config.file=${file}`, `--verify.receivers=${ours.join(",")}`, ...args],
    { encoding: "utf8" },
  );
  assert.equal(r.status, 0, `${args.join(" ")}: amtool says ${r.stdout.trim()}, receiversFor says ${ours}`);
  return ours;
}

// -------------------------------------------------------------------------------------------------
// Realistic objects from the project's generator (the example without its msteams receiver, which
// Alertmanager 0.25 cannot load)

const EXAMPLE = fileURLToPath(new URL("../examples/llm-serving.yaml", import.meta.url));
type ExampleInput = { notifications: { receivers: { type: string }[]; defaultInhibitions?: boolean } };
const exampleInput = parse(readFileSync(EXAMPLE, "utf8")) as ExampleInput;

function exampleObjects(opts: { inhibit: boolean; msteams?: boolean }): AlertmanagerConfigObject[] {
  const input = structuredClone(exampleInput);
  if (!opts.msteams)
    input.notifications.receivers = input.notifications.receivers.filter((r) => r.type !== "msteams");
  input.notifications.defaultInhibitions = opts.inhibit;
  return [...generate(parseConfig(input)).alertmanagerConfigs];
}

const OBJ_NS = "ml-serving";
const rx = (name: string) => `${OBJ_NS}/ai-scaling-alerts/${name}`;
const BASE: Partial<AlertmanagerYaml> = {
  global: { resolve_timeout: "5m" },
  route: {
    receiver: "base-default",
    group_by: ["alertname"],
    routes: [{ receiver: "base-critical", matchers: ['severity="critical"'] }],
  },
  receivers: [{ name: "base-default" }, { name: "base-critical" }],
  inhibit_rules: [
    {
      source_matchers: ['severity="critical"'],
      target_matchers: ['severity="warning"'],
      equal: ["alertname"],
    },
  ],
};
const SEVERITIES = ["critical", "warning", "info", "none"];
const alertFor = (namespace: string, catalog: boolean, severity: string): LabelSet => ({
  alertname: catalog ? "AIWorkloadUnableToScale" : "KubePodCrashLooping",
  severity,
  namespace,
  workload: "llm-chat",
  horizontalpodautoscaler: "llm-chat",
  event: "unable_to_scale",
});

describe("merge x amtool: strategy x namespace x inhibit rules x base config", () => {
  const strategies: MatcherStrategy[] = ["OnNamespace", "OnNamespaceExceptForAlertmanagerNamespace", "None"];
  for (const matcherStrategy of strategies)
    for (const alertmanagerNamespace of [OBJ_NS, "monitoring"])
      for (const inhibit of [true, false])
        for (const withBase of [true, false]) {
          const name = `${matcherStrategy}, Alertmanager in ${alertmanagerNamespace}, ${inhibit ? "with" : "no"} inhibit rules, ${withBase ? "with" : "no"} base`;
          it(name, () => {
            const options: MergeOptions = {
              matcherStrategy,
              alertmanagerNamespace,
              ...(withBase ? { base: BASE } : {}),
            };
            const { config, problems, rejected } = mergeAlertmanagerConfigs(
              exampleObjects({ inhibit }),
              options,
            );
            assert.deepEqual(rejected, []);
            assert.deepEqual(
              problems.map((p) => `${p.severity} ${p.code}`),
              [
                "warning secret-file-unsupported",
                "warning secret-file-unsupported",
                "warning time-zone-not-in-crd",
              ],
              "only the two webhook URLs, which 0.25 cannot read from a file, and the time zone the operator drops",
            );
            const file = checkedFile(config);
            const pinned =
              matcherStrategy === "OnNamespace" ||
              (matcherStrategy === "OnNamespaceExceptForAlertmanagerNamespace" &&
                alertmanagerNamespace !== OBJ_NS);
            const top = config.route.routes?.[0];
            assert.equal(top?.continue, true);
            assert.equal(top?.matchers?.includes(`namespace="${OBJ_NS}"`), pinned);
            assert.equal(config.route.receiver, withBase ? "base-default" : "null");
            const ours = (config.inhibit_rules ?? []).slice(withBase ? 1 : 0);
            assert.equal(ours.length, inhibit ? defaultInhibitRules([]).length : 0);
            for (const r of ours)
              for (const side of [r.source_matchers, r.target_matchers])
                assert.equal(side?.includes(`namespace="${OBJ_NS}"`), pinned);
            assert.deepEqual(unreachableRoutes(config), []);

            for (const ns of [OBJ_NS, "other"])
              for (const catalog of [true, false])
                for (const severity of SEVERITIES) {
                  const got = assertAmtoolAgrees(file, config, alertFor(ns, catalog, severity));
                  const fromObject = got.filter((r) => r.startsWith(`${OBJ_NS}/`));
                  const reachesObject = catalog && (ns === OBJ_NS || !pinned);
                  assert.equal(fromObject.length > 0, reachesObject, `${ns} ${catalog} ${severity}: ${got}`);
                  if (reachesObject && severity === "critical")
                    assert.deepEqual(
                      fromObject,
                      ["oncall-pagerduty", "oncall-opsgenie", "team-slack", "team-email"].map(rx),
                    );
                  if (reachesObject && severity === "none")
                    assert.deepEqual(fromObject, [rx("deadmans-switch")]);
                  // The object's route continues, so the base routes still see the alert; the root
                  // receiver itself only gets what no first-level route takes.
                  const base = withBase && severity === "critical" ? ["base-critical"] : [];
                  const root = withBase ? "base-default" : "null";
                  assert.deepEqual(
                    got.slice(fromObject.length),
                    reachesObject || base.length ? base : [root],
                  );
                }
          });
        }
});

describe("merge: structure", () => {
  it("sorts objects by <ns>/<name>, renames items, puts object routes before the base routes", () => {
    const [a] = exampleObjects({ inhibit: false });
    const b = structuredClone(a) as AlertmanagerConfigObject;
    b.metadata.namespace = "aaa";
    const { config } = mergeAlertmanagerConfigs([a, b], {
      matcherStrategy: "OnNamespace",
      alertmanagerNamespace: "x",
      base: BASE,
    });
    assert.deepEqual(
      config.route.routes?.map((r) => r.receiver),
      ["aaa/ai-scaling-alerts/ai-scaling-alerts-unrouted", rx("ai-scaling-alerts-unrouted"), "base-critical"],
    );
    assert.deepEqual(config.route.routes?.[1]?.routes?.[4]?.mute_time_intervals, [rx("quiet-hours")]);
    assert.deepEqual(
      config.time_intervals?.map((t) => t.name),
      ["aaa/ai-scaling-alerts/quiet-hours", rx("quiet-hours")],
    );
    assert.deepEqual(
      config.receivers.slice(0, 3).map((r) => r.name),
      ["base-default", "base-critical", "aaa/ai-scaling-alerts/ai-scaling-alerts-unrouted"],
    );
    checkedFile(config);
  });

  it("nested child routes: the receiver inherited, own timings, the parent's mute intervals repeated", () => {
    const { config } = mergeAlertmanagerConfigs(exampleObjects({ inhibit: true }), {
      matcherStrategy: "OnNamespace",
      alertmanagerNamespace: "monitoring",
    });
    const top = config.route.routes?.[0];
    const feed = top?.routes?.find((r) => r.receiver === rx("scaling-feed"));
    assert.deepEqual(feed?.routes, [
      {
        matchers: ['event=~"scaled_up|scaled_down"'],
        group_interval: "30s",
        mute_time_intervals: [rx("quiet-hours")],
      },
    ]);
    const dms = top?.routes?.find((r) => r.receiver === rx("deadmans-switch"));
    assert.deepEqual(dms?.routes, [
      { matchers: ['event="heartbeat"'], group_wait: "0s", group_interval: "30s", repeat_interval: "55s" },
    ]);
    const file = checkedFile(config);
    const step = { ...alertFor(OBJ_NS, true, "info"), alertname: "AIWorkloadScaledUp", event: "scaled_up" };
    assert.deepEqual(assertAmtoolAgrees(file, config, step), [rx("scaling-feed")]);
    const [match] = matchRoutes(config.route, step);
    assert.equal(match?.route, feed?.routes?.[0], "the scale event ends at the nested child");
    assert.equal(match?.receiver, rx("scaling-feed"), "which inherits the feed's receiver");
  });

  it("time zones: the annotation's location on every period of the interval, with the operator's limit", () => {
    const { config, problems } = mergeAlertmanagerConfigs(exampleObjects({ inhibit: true }), {
      matcherStrategy: "OnNamespace",
      alertmanagerNamespace: "monitoring",
    });
    assert.deepEqual(config.time_intervals, [
      {
        name: rx("quiet-hours"),
        time_intervals: [
          { times: [{ start_time: "22:00", end_time: "24:00" }], location: "Europe/Berlin" },
          { times: [{ start_time: "00:00", end_time: "07:00" }], location: "Europe/Berlin" },
        ],
      },
    ]);
    const tz = problems.find((p) => p.code === "time-zone-not-in-crd");
    assert.equal(tz?.severity, "warning");
    assert.equal(tz?.path, "spec.muteTimeIntervals[0].name");
    assert.match(tz?.message ?? "", /no location field .*applies these times in UTC\. Fix: /);
    // Alertmanager 0.25 loads it, and refuses a zone it does not know (the config validates names).
    checkedFile(config);
    const unknown = structuredClone(config);
    unknown.time_intervals![0]!.time_intervals[0]!.location = "Europe/Nowhere";
    const file = join(TMP, `am-${files++}.yml`);
    writeFileSync(file, toYaml(unknown));
    const r = spawnSync(AMTOOL, ["check-config", file], { encoding: "utf8" });
    assert.notEqual(r.status, 0);
    assert.match(r.stdout + r.stderr, /unknown time zone Europe\/Nowhere/);
  });

  it("converts camelCase fields, maps key/value lists, and points every credential at a file", () => {
    const { config } = mergeAlertmanagerConfigs(exampleObjects({ inhibit: true }), {
      matcherStrategy: "None",
      alertmanagerNamespace: "m",
      secretsDir: "/run/secrets/",
      alertmanagerVersion: "0.26.0",
    });
    const rcv = (n: string) => config.receivers.find((r) => r.name === rx(n));
    const pd = rcv("oncall-pagerduty")?.pagerduty_configs?.[0];
    assert.equal(pd?.routing_key_file, "/run/secrets/ml-serving/alerting-pagerduty/routing-key");
    assert.deepEqual(Object.keys(pd?.details as object), ["workload", "event", "description", "runbook"]);
    const email = rcv("team-email")?.email_configs?.[0];
    assert.equal(email?.auth_password_file, "/run/secrets/ml-serving/alerting-smtp/password");
    assert.equal(email?.auth_username, "alerts@example.com");
    assert.equal(email?.send_resolved, true);
    assert.equal(typeof (email?.headers as Record<string, string>).Subject, "string");
    assert.equal(
      rcv("team-slack")?.slack_configs?.[0]?.api_url_file,
      "/run/secrets/ml-serving/alerting-slack/webhook-url",
    );
    assert.equal(
      rcv("oncall-opsgenie")?.opsgenie_configs?.[0]?.api_key_file,
      "/run/secrets/ml-serving/alerting-opsgenie/api-key",
    );
    assert.deepEqual(rcv("oncall-opsgenie")?.opsgenie_configs?.[0]?.responders, [
      { type: "team", name: "ml-platform" },
    ]);
    assert.equal(
      rcv("scaling-feed")?.webhook_configs?.[0]?.url_file,
      "/run/secrets/ml-serving/alerting-webhook/url",
    );
    const text = JSON.stringify(config);
    assert.doesNotMatch(
      text,
      /"(api_url|url|routing_key|api_key|auth_password|webhook_url)":/,
      "no inline credential",
    );
    assert.doesNotMatch(text, /[a-z][A-Z][a-z]+":/, "no camelCase key left");
  });

  it("the translated fields of slack, email, webhook, pagerduty and opsgenie all load in amtool 0.25", () => {
    const sel = (name: string) => ({ name, key: "k" });
    const receiver = {
      name: "all",
      slackConfigs: [
        {
          apiURL: sel("s"),
          channel: "#x",
          titleLink: "http://x",
          iconEmoji: ":x:",
          shortFields: true,
          mrkdwnIn: ["text"],
          callbackId: "cb",
          fields: [{ title: "t", value: "v", short: true }],
          actions: [
            { type: "button", text: "go", url: "http://x", confirm: { text: "sure?", okText: "yes" } },
          ],
          httpConfig: { followRedirects: true, authorization: { type: "Bearer", credentials: sel("tok") } },
        },
      ],
      emailConfigs: [
        {
          ...{
            to: "a@b.c",
            from: "a@b.c",
            smarthost: "h:25",
            hello: "me",
            authUsername: "u",
            authIdentity: "id",
          },
          ...{ authPassword: sel("p"), authSecret: sel("cram"), requireTLS: true, html: "<b/>", text: "t" },
          headers: [{ key: "Subject", value: "s" }],
        },
      ],
      webhookConfigs: [{ url: "http://x/", maxAlerts: 3, sendResolved: false }],
      pagerdutyConfigs: [
        {
          ...{ serviceKey: sel("svc"), client: "c", clientURL: "http://x", class: "c", group: "g" },
          pagerDutyImageConfigs: [{ src: "http://i", alt: "a", href: "http://h" }],
          pagerDutyLinkConfigs: [{ href: "http://l", alt: "t" }],
          details: [{ key: "a", value: "b" }],
        },
      ],
      opsgenieConfigs: [
        {
          ...{
            apiKey: sel("og"),
            apiURL: "http://og/",
            note: "n",
            entity: "e",
            actions: "a",
            updateAlerts: true,
          },
          responders: [{ type: "user", username: "bob" }],
          details: [{ key: "a", value: "b" }],
        },
      ],
    };
    const r = merge({ receivers: [receiver], route: { receiver: "all" } }, { ...OPTS, secretsDir: "/s" });
    assert.deepEqual(codes(r), [
      "warning secret-file-unsupported spec.receivers[0].emailConfigs[0].authSecret",
    ]);
    const out = r.config.receivers[1];
    assert.deepEqual(out?.slack_configs?.[0]?.actions, [
      { type: "button", text: "go", url: "http://x", confirm: { text: "sure?", ok_text: "yes" } },
    ]);
    assert.deepEqual(out?.slack_configs?.[0]?.http_config, {
      follow_redirects: true,
      authorization: { type: "Bearer", credentials_file: "/s/team/tok/k" },
    });
    assert.equal(out?.email_configs?.[0]?.auth_secret_file, undefined, "0.25 has no auth_secret_file");
    assert.equal(out?.pagerduty_configs?.[0]?.service_key_file, "/s/team/svc/k");
    assert.deepEqual(out?.pagerduty_configs?.[0]?.links, [{ href: "http://l", text: "t" }]);
    assert.deepEqual(out?.opsgenie_configs?.[0]?.details, { a: "b" });
    checkedFile(r.config);
  });

  it("msteams: rejected for 0.25 (as the operator does), placeholder URL for 0.26, webhook_url_file from 0.28", () => {
    const objs = exampleObjects({ inhibit: false, msteams: true });
    const opts = { matcherStrategy: "OnNamespace" as const, alertmanagerNamespace: "m" };
    const old = mergeAlertmanagerConfigs(objs, opts);
    assert.deepEqual(old.rejected, [`${OBJ_NS}/ai-scaling-alerts`]);
    assert.ok(
      old.problems.some(
        (p) => p.code === "unsupported-receiver" && p.path === "spec.receivers[4].msteamsConfigs",
      ),
    );
    assert.deepEqual(old.config.route.routes, undefined);
    const teams = (v: string) =>
      mergeAlertmanagerConfigs(objs, { ...opts, alertmanagerVersion: v }).config.receivers.find(
        (r) => r.name === rx("team-teams"),
      )?.msteams_configs?.[0];
    assert.match(
      String(teams("0.26.0")?.webhook_url),
      /^https:\/\/[a-z0-9-]+\.invalid\/ml-serving\/alerting-msteams\/webhook-url$/,
    );
    assert.equal(teams("0.26.0")?.webhook_url_file, undefined);
    assert.equal(
      teams("0.28.0")?.webhook_url_file,
      "/etc/alertmanager/secrets/ml-serving/alerting-msteams/webhook-url",
    );
    assert.equal(teams("0.28.0")?.webhook_url, undefined);
    assert.equal(typeof teams("0.28.0")?.title, "string");
  });

  it("without a base root route the root goes to an empty receiver named null", () => {
    const { config, problems } = mergeAlertmanagerConfigs([], {
      matcherStrategy: "OnNamespace",
      alertmanagerNamespace: "m",
    });
    assert.deepEqual(config, { route: { receiver: "null" }, receivers: [{ name: "null" }] });
    assert.deepEqual(problems, []);
    const bad = mergeAlertmanagerConfigs([], {
      matcherStrategy: "None",
      alertmanagerNamespace: "m",
      base: { route: { receiver: "x", continue: true, matchers: ['a="b"'] }, receivers: [{ name: "x" }] },
    });
    assert.deepEqual(
      bad.problems.map((p) => `${p.object} ${p.path} ${p.code}`),
      ["base route.continue invalid-base-config", "base route.matchers invalid-base-config"],
    );
  });
});

// -------------------------------------------------------------------------------------------------
// Problems: one user-written object per trap

const OPTS: MergeOptions = { matcherStrategy: "OnNamespace", alertmanagerNamespace: "monitoring" };
function userObject(spec: Record<string, unknown>, namespace = "team"): Record<string, unknown> {
  return {
    apiVersion: "monitoring.coreos.com/v1alpha1",
    kind: "AlertmanagerConfig",
    metadata: { name: "cfg", namespace },
    spec,
  };
}
const hook = { name: "hook", webhookConfigs: [{ url: "http://hook.example/" }] };
const merge = (spec: Record<string, unknown>, options: MergeOptions = OPTS) =>
  mergeAlertmanagerConfigs([userObject(spec)], options);
const codes = (r: ReturnType<typeof merge>) => r.problems.map((p) => `${p.severity} ${p.code} ${p.path}`);

describe("merge: problems", () => {
  it("no-route: only the inhibit rules are taken, receivers and time intervals are dropped", () => {
    const r = merge({
      receivers: [hook],
      muteTimeIntervals: [
        { name: "night", timeIntervals: [{ times: [{ startTime: "00:00", endTime: "06:00" }] }] },
      ],
      inhibitRules: [
        {
          sourceMatch: [{ name: "severity", value: "critical" }],
          targetMatch: [{ name: "severity", value: "warning" }],
          equal: ["alertname"],
        },
      ],
    });
    assert.deepEqual(codes(r), ["error no-route spec.route"]);
    assert.deepEqual(r.rejected, []);
    assert.deepEqual(r.config.receivers, [{ name: "null" }]);
    assert.equal(r.config.time_intervals, undefined);
    assert.deepEqual(r.config.inhibit_rules, [
      {
        source_matchers: ['severity="critical"', 'namespace="team"'],
        target_matchers: ['severity="warning"', 'namespace="team"'],
        equal: ["alertname"],
      },
    ]);
    assert.match(
      r.problems[0]?.message ?? "",
      /drops its 1 receiver\(s\) and 1 time interval\(s\).*Fix: add spec.route/,
    );
    checkedFile(r.config);
  });

  it("unknown-route-field: snake_case in a child route rejects the object; at the top it is dropped", () => {
    const child = merge({
      receivers: [hook],
      route: { receiver: "hook", routes: [{ receiver: "hook", group_by: ["x"] }] },
    });
    assert.deepEqual(codes(child), ["error unknown-route-field spec.route.routes[0].group_by"]);
    assert.deepEqual(child.rejected, ["team/cfg"]);
    assert.match(child.problems[0]?.message ?? "", /DisallowUnknownFields.*write "groupBy"/);
    const top = merge({ receivers: [hook], route: { receiver: "hook", group_wait: "1m" } });
    assert.deepEqual(codes(top), ["error unknown-route-field spec.route.group_wait"]);
    assert.deepEqual(top.rejected, []);
    assert.equal(top.config.route.routes?.[0]?.group_wait, undefined);
    // Go's decoder matches field names case-insensitively: "GroupBy" is groupBy.
    const caseless = merge({
      receivers: [hook],
      route: { receiver: "hook", routes: [{ Receiver: "hook", GroupBy: ["x"] }] },
    });
    assert.deepEqual(codes(caseless), []);
    assert.deepEqual(caseless.config.route.routes?.[0]?.routes, [
      { receiver: "team/cfg/hook", group_by: ["x"] },
    ]);
  });

  it("undefined-receiver rejects the object, in the top route or a child", () => {
    for (const route of [{ receiver: "nope" }, { receiver: "hook", routes: [{ receiver: "nope" }] }]) {
      const r = merge({ receivers: [hook], route });
      assert.deepEqual(r.rejected, ["team/cfg"]);
      assert.ok(
        codes(r).some((c) => /^error undefined-receiver spec\.route(\.routes\[0\])?\.receiver$/.test(c)),
        codes(r).join(),
      );
    }
    const missing = merge({ receivers: [hook], route: { groupBy: ["x"] } });
    assert.deepEqual(codes(missing), ["error missing-receiver spec.route.receiver"]);
  });

  it("secret-without-key: a selector without key or name rejects the object; an inline value too", () => {
    for (const apiURL of [{ name: "slack" }, { key: "url" }, "https://hooks.slack.com/x"]) {
      const r = merge({ receivers: [{ name: "s", slackConfigs: [{ apiURL }] }], route: { receiver: "s" } });
      assert.deepEqual(codes(r), ["error secret-without-key spec.receivers[0].slackConfigs[0].apiURL"]);
      assert.deepEqual(r.rejected, ["team/cfg"]);
    }
  });

  it("namespace-matcher-conflict: a namespace matcher other than the enforced one makes the route unmatchable", () => {
    const spec = {
      receivers: [hook],
      route: { receiver: "hook", matchers: [{ name: "namespace", value: "prod", matchType: "=" }] },
      inhibitRules: [
        { sourceMatch: [{ name: "namespace", value: "prod" }], targetMatch: [{ name: "a", value: "b" }] },
      ],
    };
    const r = merge(spec);
    assert.deepEqual(codes(r), [
      "error namespace-matcher-conflict spec.inhibitRules[0].sourceMatch[0]",
      "error namespace-matcher-conflict spec.route.matchers[0]",
    ]);
    assert.deepEqual(
      r.config.route.routes?.[0]?.matchers,
      ['namespace="prod"', 'namespace="team"'],
      "appended, not replaced",
    );
    assert.deepEqual(
      unreachableRoutes(r.config).map((u) => u.path),
      [[0]],
    );
    assert.deepEqual(receiversFor(r.config, { namespace: "prod" }), ["null"]);
    assert.deepEqual(receiversFor(r.config, { namespace: "team" }), ["null"]);
    checkedFile(r.config);
    assert.deepEqual(codes(merge(spec, { ...OPTS, matcherStrategy: "None" })), []);
    const except = {
      matcherStrategy: "OnNamespaceExceptForAlertmanagerNamespace" as const,
      alertmanagerNamespace: "team",
    };
    assert.deepEqual(codes(merge(spec, except)), []);
    // A regex that accepts the enforced namespace is fine.
    const ok = merge({
      receivers: [hook],
      route: { receiver: "hook", matchers: [{ name: "namespace", value: "te.*", matchType: "=~" }] },
    });
    assert.deepEqual(codes(ok), []);
  });

  it("a malformed or dangling time-zone annotation is reported and ignored", () => {
    const night = { name: "night", timeIntervals: [{ times: [{ startTime: "00:00", endTime: "06:00" }] }] };
    const spec = { receivers: [hook], route: { receiver: "hook" }, muteTimeIntervals: [night] };
    const annotated = (value: string) => {
      const o = userObject(spec);
      (o.metadata as Record<string, unknown>).annotations = {
        "ai-scaling-alerts/time-interval-locations": value,
      };
      return mergeAlertmanagerConfigs([o], OPTS);
    };
    const bad = annotated("Europe/Berlin");
    assert.deepEqual(codes(bad), [
      'error invalid-time-interval metadata.annotations["ai-scaling-alerts/time-interval-locations"]',
    ]);
    assert.equal(bad.config.time_intervals?.[0]?.time_intervals[0]?.location, undefined);
    const dangling = annotated('{"day": "Europe/Berlin"}');
    assert.deepEqual(codes(dangling), [
      'error undefined-time-interval metadata.annotations["ai-scaling-alerts/time-interval-locations"]',
    ]);
    const good = annotated('{"night": "America/New_York"}');
    assert.deepEqual(codes(good), ["warning time-zone-not-in-crd spec.muteTimeIntervals[0].name"]);
    assert.equal(good.config.time_intervals?.[0]?.time_intervals[0]?.location, "America/New_York");
    checkedFile(good.config);
  });

  it("undefined-time-interval rejects the object", () => {
    const r = merge({
      receivers: [hook],
      route: { receiver: "hook", routes: [{ receiver: "hook", muteTimeIntervals: ["night"] }] },
    });
    assert.deepEqual(codes(r), ["error undefined-time-interval spec.route.routes[0].muteTimeIntervals[0]"]);
    assert.deepEqual(r.rejected, ["team/cfg"]);
  });

  it("other operator checks: duplicate receiver, groupBy, durations, matchers, missing fields, apiVersion", () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ receivers: [hook, hook], route: { receiver: "hook" } }, "duplicate-receiver spec.receivers[1].name"],
      [
        { receivers: [hook], route: { receiver: "hook", groupBy: ["...", "a"] } },
        "invalid-group-by spec.route.groupBy",
      ],
      [
        { receivers: [hook], route: { receiver: "hook", repeatInterval: "4 hours" } },
        "invalid-duration spec.route.repeatInterval",
      ],
      [
        { receivers: [hook], route: { receiver: "hook", groupInterval: "1 m" } },
        "invalid-duration spec.route.groupInterval",
      ],
      [
        {
          receivers: [hook],
          route: { receiver: "hook", matchers: [{ name: "a", value: "(", matchType: "=~" }] },
        },
        "invalid-matcher spec.route.matchers[0].value",
      ],
      [
        { receivers: [hook], route: { receiver: "hook", matchers: [{ name: "a-b", value: "x" }] } },
        "invalid-matcher spec.route.matchers[0]",
      ],
      [
        { receivers: [{ name: "w", webhookConfigs: [{ maxAlerts: 1 }] }], route: { receiver: "w" } },
        "missing-field spec.receivers[0].webhookConfigs[0]",
      ],
      [
        { receivers: [{ name: "p", pagerdutyConfigs: [{}] }], route: { receiver: "p" } },
        "missing-field spec.receivers[0].pagerdutyConfigs[0]",
      ],
    ];
    for (const [spec, expected] of cases) {
      const r = merge(spec);
      assert.deepEqual(codes(r), [`error ${expected}`]);
      assert.deepEqual(r.rejected, ["team/cfg"], expected);
    }
    const beta = mergeAlertmanagerConfigs(
      [{ ...userObject({}), apiVersion: "monitoring.coreos.com/v1beta1" }],
      OPTS,
    );
    assert.deepEqual(codes(beta), ["error unsupported-api-version apiVersion"]);
  });

  it("every problem names a fix", () => {
    const r = merge({
      receivers: [hook, { name: "s", slackConfigs: [{ apiURL: { key: "k" } }] }],
      route: { receiver: "nope", routes: [{ receiver: "x", foo: 1 }] },
    });
    assert.ok(r.problems.length >= 3);
    for (const p of r.problems) assert.match(p.message, /Fix/, p.message);
  });
});

// -------------------------------------------------------------------------------------------------
// Matchers, routing, unreachable routes and inhibition

describe("matchers", () => {
  it("parses the four operators, quoted or not, with Alertmanager's escapes", () => {
    assert.deepEqual(parseMatcher('severity="critical"'), {
      name: "severity",
      operator: "=",
      value: "critical",
    });
    assert.deepEqual(parseMatcher(" a != b "), { name: "a", operator: "!=", value: "b" });
    assert.deepEqual(parseMatcher('x=~"a|b"'), { name: "x", operator: "=~", value: "a|b" });
    assert.deepEqual(parseMatcher("x!~a.*"), { name: "x", operator: "!~", value: "a.*" });
    assert.equal(parseMatcher('q="say \\"hi\\""').value, 'say "hi"');
    assert.equal(parseMatcher('p="a\\\\b"').value, "a\\b");
    assert.equal(parseMatcher('n="1\\n2"').value, "1\n2");
    assert.equal(parseMatcher('r=~"a\\.b"').value, "a\\.b", "a spurious escape stays literal");
    assert.equal(parseMatcher("e=").value, "");
    for (const bad of ["severity", "1x=y", 'a="b"c"', 'a="b'])
      assert.throws(() => parseMatcher(bad), /bad matcher|double quote/);
    assert.throws(() => parseMatcher('a=~"("'), /invalid regex/);
    assert.throws(() => parseMatcher('a=~"(?=x)"'), /look-around/);
  });

  it("formats with escaping so that parsing gives the value back", () => {
    for (const value of ['say "hi"', "back\\slash", "two\nlines", "plain", ""]) {
      const text = formatMatcher({ name: "x", operator: "=", value });
      assert.equal(parseMatcher(text).value, value);
    }
    assert.equal(formatMatcher({ name: "q", operator: "=", value: 'a"b\\c' }), 'q="a\\"b\\\\c"');
  });

  it("splits one string holding several matchers, commas inside quotes included", () => {
    assert.deepEqual(parseMatchers('{a="1", b=~"x,y", c!=z,}').map(formatMatcher), [
      'a="1"',
      'b=~"x,y"',
      'c!="z"',
    ]);
  });

  it("escaped values route the same in amtool", () => {
    const config: AlertmanagerYaml = {
      route: {
        receiver: "default",
        routes: [
          {
            receiver: "quoted",
            matchers: [formatMatcher({ name: "q", operator: "=", value: 'say "hi", \\o/' })],
          },
        ],
      },
      receivers: [{ name: "default" }, { name: "quoted" }],
    };
    const file = checkedFile(config);
    assert.deepEqual(assertAmtoolAgrees(file, config, { q: 'say "hi", \\o/' }), ["quoted"]);
    assert.deepEqual(assertAmtoolAgrees(file, config, { q: "say hi" }), ["default"]);
    // The same through the merge: a CRD matcher value with quotes and backslashes.
    const value = 'say "hi", \\o/';
    const merged = mergeAlertmanagerConfigs(
      [userObject({ receivers: [hook], route: { receiver: "hook", matchers: [{ name: "q", value }] } })],
      OPTS,
    ).config;
    const mergedFile = checkedFile(merged);
    assert.deepEqual(assertAmtoolAgrees(mergedFile, merged, { q: value, namespace: "team" }), [
      "team/cfg/hook",
    ]);
    assert.deepEqual(assertAmtoolAgrees(mergedFile, merged, { q: "say hi", namespace: "team" }), ["null"]);
  });

  it("anchors regexes and reads absent labels as the empty string, like amtool", () => {
    const config: AlertmanagerYaml = {
      route: {
        receiver: "root",
        routes: [
          { receiver: "anchored", matchers: ['x=~"a"'] },
          { receiver: "empty-or-absent", matchers: ['y=~""'], continue: true },
          { receiver: "not-b", matchers: ['z!="b"'], continue: true },
          { receiver: "ci", matchers: ['w=~"(?i)abc"'] },
        ],
      },
      receivers: ["root", "anchored", "empty-or-absent", "not-b", "ci"].map((name) => ({ name })),
    };
    const file = checkedFile(config);
    assert.deepEqual(assertAmtoolAgrees(file, config, { x: "ab", y: "1", z: "b" }), ["root"]);
    assert.deepEqual(assertAmtoolAgrees(file, config, { x: "a" }), ["anchored"]);
    assert.deepEqual(assertAmtoolAgrees(file, config, { x: "b", z: "b" }), ["empty-or-absent"]);
    assert.deepEqual(assertAmtoolAgrees(file, config, { y: "1", z: "c", w: "ABC" }), ["not-b", "ci"]);
  });
});

describe("routing", () => {
  const config: AlertmanagerYaml = {
    route: {
      receiver: "root",
      routes: [
        {
          receiver: "a",
          matchers: ['team="a"'],
          continue: true,
          routes: [{ matchers: ['sev="page"'] }, { receiver: "a-low" }],
        },
        { receiver: "twice", continue: true },
        { receiver: "twice", matchers: ['team="a"'] },
        { receiver: "never", matchers: ['team="a"'] },
        { receiver: "b", matchers: ['team="b"'] },
      ],
    },
    receivers: ["root", "a", "a-low", "twice", "never", "b"].map((name) => ({ name })),
  };

  it("matchRoutes: depth first, continue, inherited receivers, paths", () => {
    assert.deepEqual(
      matchRoutes(config.route, { team: "a", sev: "page" }).map((m) => [m.receiver, m.path.join(".")]),
      [
        ["a", "0.0"],
        ["twice", "1"],
        ["twice", "2"],
      ],
    );
    assert.deepEqual(
      matchRoutes(config.route, { team: "c" }).map((m) => m.path.join(".")),
      ["1"],
    );
  });

  it("receiversFor agrees with amtool, duplicates included (amtool 0.25 does not deduplicate)", () => {
    const file = checkedFile(config);
    assert.deepEqual(assertAmtoolAgrees(file, config, { team: "a", sev: "page" }), ["a", "twice", "twice"]);
    assert.deepEqual(assertAmtoolAgrees(file, config, { team: "a" }), ["a-low", "twice", "twice"]);
    assert.deepEqual(assertAmtoolAgrees(file, config, { team: "b" }), ["twice", "b"]);
    assert.deepEqual(assertAmtoolAgrees(file, config, {}), ["twice"]);
  });
});

describe("unreachableRoutes", () => {
  const paths = (routes: AlertmanagerYaml["route"]["routes"]) =>
    unreachableRoutes({ route: { receiver: "r", routes } }).map((u) => u.path.join("."));

  it("a route after a sibling that matches everything it could and does not continue", () => {
    assert.deepEqual(paths([{ receiver: "all" }, { receiver: "x", matchers: ['a="1"'] }]), ["1"]);
    assert.deepEqual(paths([{ receiver: "all", matchers: ['a=~".*"'] }, { receiver: "x" }]), ["1"]);
    assert.deepEqual(
      paths([
        { receiver: "crit", matchers: ['s="critical"'] },
        { receiver: "x", matchers: ['s="critical"', 't="a"'] },
      ]),
      ["1"],
    );
    assert.deepEqual(paths([{ receiver: "all", continue: true }, { receiver: "x" }]), []);
    assert.deepEqual(
      paths([
        { receiver: "crit", matchers: ['s="critical"'] },
        { receiver: "x", matchers: ['s="warning"'] },
      ]),
      [],
    );
  });

  it("contradictory matchers, with the ancestors' included", () => {
    const reasons = unreachableRoutes({
      route: {
        receiver: "r",
        routes: [
          {
            receiver: "b",
            matchers: ['namespace="b"'],
            continue: true,
            routes: [{ receiver: "a", matchers: ['namespace="a"'] }],
          },
          { receiver: "x", matchers: ['x="1"', 'x="2"'], continue: true },
          {
            receiver: "sev",
            matchers: ['severity=~"critical|warning"'],
            continue: true,
            routes: [
              { receiver: "info", matchers: ['severity="info"'] },
              { receiver: "ok", matchers: ['severity="warning"'] },
            ],
          },
          { receiver: "fine", matchers: ['x!="1"', 'x=~"1|2"'] },
        ],
      },
    });
    assert.deepEqual(
      reasons.map((u) => [u.path.join("."), u.receiver]),
      [
        ["0.0", "a"],
        ["1", "x"],
        ["2.0", "info"],
      ],
    );
    assert.match(reasons[0]?.reason ?? "", /namespace/);
  });

  it("the merged example has none", () => {
    const { config } = mergeAlertmanagerConfigs(exampleObjects({ inhibit: true }), { ...OPTS, base: BASE });
    assert.deepEqual(unreachableRoutes(config), []);
  });
});

describe("inhibited", () => {
  const rule: InhibitRuleConfig = {
    source_matchers: ['event="at_max"'],
    target_matchers: ['event="scaled_up"'],
    equal: ["namespace", "hpa"],
  };
  const atMax = { event: "at_max", namespace: "ml", hpa: "chat" };
  const scaledUp = { event: "scaled_up", namespace: "ml", hpa: "chat" };

  it("mutes the target while an equal source fires", () => {
    assert.deepEqual(inhibited([rule], [atMax, scaledUp]), [
      { alert: 1, labels: scaledUp, rule: 0, source: 0 },
    ]);
    assert.deepEqual(inhibited([rule], [atMax, { ...scaledUp, hpa: "other" }]), []);
    assert.deepEqual(inhibited([rule], [scaledUp]), []);
  });

  it("equal on a label absent from both counts as equal; absent from one does not", () => {
    const noHpa = (l: Record<string, string>) =>
      Object.fromEntries(Object.entries(l).filter(([k]) => k !== "hpa"));
    assert.equal(inhibited([rule], [noHpa(atMax), noHpa(scaledUp)]).length, 1);
    assert.equal(inhibited([rule], [noHpa(atMax), scaledUp]).length, 0);
  });

  it("an alert matching both sides does not mute itself, nor another one that matches both sides", () => {
    const both: InhibitRuleConfig = {
      source_matchers: ['severity="critical"'],
      target_matchers: ['severity=~"critical|warning"'],
      equal: ["alertname"],
    };
    const c1 = { alertname: "A", severity: "critical", i: "1" };
    const c2 = { alertname: "A", severity: "critical", i: "2" };
    const w = { alertname: "A", severity: "warning" };
    assert.deepEqual(inhibited([both], [c1]), []);
    assert.deepEqual(inhibited([both], [c1, c2]), []);
    assert.deepEqual(
      inhibited([both], [c1, c2, w]).map((x) => [x.alert, x.source]),
      [[2, 0]],
    );
  });

  it("the operator's namespace matchers confine an object's inhibit rules to its namespace", () => {
    const { config } = mergeAlertmanagerConfigs(exampleObjects({ inhibit: true }), OPTS);
    const alert = (event: string, namespace: string) => ({
      event,
      namespace,
      horizontalpodautoscaler: "chat",
    });
    const rules = config.inhibit_rules ?? [];
    assert.equal(inhibited(rules, [alert("at_max", OBJ_NS), alert("scaled_up", OBJ_NS)]).length, 1);
    assert.equal(inhibited(rules, [alert("at_max", "other"), alert("scaled_up", "other")]).length, 0);
  });
});
