/**
 * The five disagreements with the Prometheus Operator named in issue 11, each held to the
 * operator's behaviour (pkg/alertmanager/amcfg.go and validation at v0.93.0) and, where a file is
 * written, to the real amtool.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { generate } from "../src/build.js";
import { mergeAlertmanagerConfigs } from "../src/operator-merge/index.js";
import type { AlertmanagerYaml } from "../src/operator-merge/index.js";
import { parseConfigYaml } from "../src/config/load.js";
import { toYaml } from "../src/render/yaml.js";
import { toolVersion, runTool } from "../src/verify/tools.js";
import { verify } from "../src/verify/verify.js";
import { requireTool } from "./support/tools.js";

const amtool = requireTool("amtool");
const OPTS = { matcherStrategy: "OnNamespace" as const, alertmanagerNamespace: "monitoring" };
const sel = (key: string) => ({ name: "s", key });
const object = (name: string, spec: Record<string, unknown>) => ({
  apiVersion: "monitoring.coreos.com/v1alpha1",
  kind: "AlertmanagerConfig",
  metadata: { name, namespace: "team" },
  spec,
});
const hook = { name: "hook", webhookConfigs: [{ url: "http://127.0.0.1:9/" }] };
const codes = (r: ReturnType<typeof mergeAlertmanagerConfigs>) =>
  r.problems.map((p) => `${p.severity} ${p.code} ${p.path}`);
const loads = (config: AlertmanagerYaml) => {
  const r = runTool(amtool, ["check-config", "alertmanager.yml"], { "alertmanager.yml": toYaml(config) });
  assert.ok(r.ok, r.output);
};

describe("issue 11: PagerDuty links", () => {
  it("writes the CRD's link `alt` as Alertmanager's `text`, and amtool loads the file", () => {
    const r = mergeAlertmanagerConfigs(
      [
        object("pd", {
          route: { receiver: "pd" },
          receivers: [
            {
              name: "pd",
              pagerdutyConfigs: [
                { routingKey: sel("k"), pagerDutyLinkConfigs: [{ href: "https://runbook", alt: "Runbook" }] },
              ],
            },
          ],
        }),
      ],
      OPTS,
    );
    assert.deepEqual(codes(r), []);
    assert.deepEqual(r.config.receivers[1]?.pagerduty_configs?.[0]?.links, [
      { href: "https://runbook", text: "Runbook" },
    ]);
    loads(r.config);
  });
});

describe("issue 11: fields the operator translates are translated", () => {
  const receiver = {
    name: "all",
    webhookConfigs: [
      {
        url: "http://127.0.0.1:9/",
        timeout: "5s",
        payload: '{"a": 1}',
        httpConfig: {
          basicAuth: { username: sel("u"), password: sel("p") },
          tlsConfig: { ca: { secret: sel("ca") }, serverName: "x", insecureSkipVerify: false },
          proxyUrl: "http://proxy:3128",
          noProxy: "localhost",
        },
      },
      {
        url: "http://127.0.0.1:9/",
        httpConfig: {
          oauth2: { clientId: { secret: sel("id") }, clientSecret: sel("cs"), tokenUrl: "http://t/" },
        },
      },
    ],
    slackConfigs: [{ apiURL: sel("s"), updateMessage: true, messageText: "m", timeout: "10s" }],
    pagerdutyConfigs: [{ routingKey: sel("r"), timeout: "7s" }],
    emailConfigs: [
      {
        to: "a@b.c",
        from: "a@b.c",
        smarthost: "h:25",
        forceImplicitTLS: true,
        threading: { threadByDate: "Daily" },
        tlsConfig: { serverName: "mail" },
      },
    ],
  };
  const merge = (v: string) =>
    mergeAlertmanagerConfigs([object("all", { route: { receiver: "all" }, receivers: [receiver] })], {
      ...OPTS,
      secretsDir: "/s",
      alertmanagerVersion: v,
    });

  it("at Alertmanager 0.32 every field is in the file, with no warning but the OAuth2 client id", () => {
    const r = merge("0.32.0");
    assert.deepEqual(r.rejected, []);
    assert.deepEqual(codes(r), [
      "warning secret-file-unsupported spec.receivers[0].webhookConfigs[1].httpConfig.oauth2.clientId",
    ]);
    const out = r.config.receivers[1];
    assert.deepEqual(out?.webhook_configs?.[0], {
      url: "http://127.0.0.1:9/",
      timeout: "5s",
      payload: '{"a": 1}',
      http_config: {
        proxy_url: "http://proxy:3128",
        no_proxy: "localhost",
        basic_auth: { username_file: "/s/team/s/u", password_file: "/s/team/s/p" },
        tls_config: { ca_file: "/s/team/s/ca", server_name: "x", insecure_skip_verify: false },
      },
    });
    assert.deepEqual(out?.webhook_configs?.[1]?.http_config, {
      oauth2: {
        client_id: "client-id-from-file:/s/team/s/id",
        client_secret_file: "/s/team/s/cs",
        token_url: "http://t/",
      },
    });
    const slack = out?.slack_configs?.[0];
    assert.deepEqual([slack?.update_message, slack?.message_text, slack?.timeout], [true, "m", "10s"]);
    assert.equal(out?.pagerduty_configs?.[0]?.timeout, "7s");
    const email = out?.email_configs?.[0];
    assert.deepEqual(
      [email?.force_implicit_tls, email?.threading, email?.tls_config],
      [true, { enabled: true, thread_by_date: "daily" }, { server_name: "mail" }],
    );
  });

  it("for an older Alertmanager: rejects the object where the operator does, drops where it drops", () => {
    const old = merge("0.27.0");
    assert.deepEqual(old.rejected, ["team/all"]);
    const rejectedFor = old.problems
      .filter((p) => p.severity === "error")
      .map((p) => p.path.split(".").pop());
    assert.deepEqual(rejectedFor.sort(), [
      "forceImplicitTLS",
      "messageText",
      "payload",
      "threading",
      "updateMessage",
    ]);
    const r = mergeAlertmanagerConfigs(
      [
        object("t", {
          route: { receiver: "w" },
          receivers: [{ name: "w", webhookConfigs: [{ url: "http://127.0.0.1:9/", timeout: "5s" }] }],
        }),
      ],
      OPTS,
    );
    assert.deepEqual(codes(r), ["warning unsupported-field spec.receivers[0].webhookConfigs[0].timeout"]);
    assert.equal(r.config.receivers[1]?.webhook_configs?.[0]?.timeout, undefined);
    loads(r.config);
  });
});

describe("issue 11: zero durations as the operator treats them", () => {
  it("keeps group_wait 0, drops a zero interval (the parent's applies), rejects nothing", () => {
    const r = mergeAlertmanagerConfigs(
      [
        object("z", {
          route: {
            receiver: "hook",
            groupWait: "0s",
            groupInterval: "0s",
            repeatInterval: "0",
            routes: [{ receiver: "hook", groupWait: "0", repeatInterval: "0m0s" }],
          },
          receivers: [hook],
        }),
      ],
      OPTS,
    );
    assert.deepEqual(r.rejected, []);
    const route = r.config.route.routes?.[0];
    assert.equal(route?.group_wait, "0s");
    assert.equal(route?.group_interval, undefined);
    assert.equal(route?.repeat_interval, undefined);
    assert.equal(route?.routes?.[0]?.group_wait, "0");
    assert.equal(route?.routes?.[0]?.repeat_interval, undefined);
    assert.deepEqual(codes(r), [
      "warning invalid-duration spec.route.groupInterval",
      "warning invalid-duration spec.route.repeatInterval",
      "warning invalid-duration spec.route.routes[0].repeatInterval",
    ]);
    loads(r.config);
  });
});

describe("issue 11: time intervals validated as the operator validates them", () => {
  const withPeriod = (period: Record<string, unknown>) =>
    object("bad", {
      route: { receiver: "hook", muteTimeIntervals: ["q"] },
      receivers: [hook],
      muteTimeIntervals: [{ name: "q", timeIntervals: [period] }],
    });
  const good = object("good", { route: { receiver: "hook" }, receivers: [hook] });
  for (const [what, period, path] of [
    ["a day of month without end", { daysOfMonth: [{ start: 1 }] }, "daysOfMonth[0]"],
    ["a day out of range", { daysOfMonth: [{ start: 1, end: 32 }] }, "daysOfMonth[0]"],
    ["an unknown weekday", { weekdays: ["funday"] }, "weekdays[0]"],
    ["an unknown month", { months: ["smarch"] }, "months[0]"],
    ["a reversed month range", { months: ["june:may"] }, "months[0]"],
  ] as const) {
    it(`${what}: only that object is dropped, and the file loads`, () => {
      const r = mergeAlertmanagerConfigs([withPeriod(period), good], OPTS);
      assert.deepEqual(r.rejected, ["team/bad"]);
      assert.deepEqual(codes(r), [
        `error invalid-time-interval spec.muteTimeIntervals[0].timeIntervals[0].${path}`,
      ]);
      assert.deepEqual(
        r.config.route.routes?.map((x) => x.receiver),
        ["team/good/hook"],
      );
      loads(r.config);
    });
  }
  it("numeric weekdays and months are written as Alertmanager reads them", () => {
    const r = mergeAlertmanagerConfigs(
      [withPeriod({ weekdays: ["1:5"], months: ["3"], years: ["2030"] })],
      OPTS,
    );
    assert.deepEqual(r.rejected, []);
    assert.deepEqual(r.config.time_intervals?.[0]?.time_intervals, [
      { weekdays: ["monday:friday"], months: ["march"], years: ["2030"] },
    ]);
    loads(r.config);
  });
});

describe("issue 11: verify never says PASS for a file amtool did not check", () => {
  it("an amtool older than the targeted Alertmanager gives WARN and why", () => {
    const local = toolVersion(amtool);
    assert.ok(local, "amtool reports its version");
    const config = parseConfigYaml(
      [
        "name: t",
        "namespace: team",
        "monitoring: { operator: { alertmanagerVersion: '9.0.0' } }",
        "workloads: [{ name: w, autoscaling: { minReplicas: 1, maxReplicas: 2, metrics: [{ type: cpu, targetUtilization: 80 }] } }]",
        "notifications: { receivers: [{ name: hook, type: webhook, url: { secret: s, key: k }, receive: [critical, warning, info] }] }",
      ].join("\n"),
      "t.yaml",
    );
    const checks = verify(generate(config), { tools: { promtool: null, amtool } });
    const c = checks.find((x) => x.id === "amtool-check");
    assert.equal(c?.status, "warn", JSON.stringify(c));
    assert.match(
      c?.summary ?? "",
      new RegExp(`not checked for 9\\.0\\.0: amtool ${local.replace(/\./g, "\\.")} is older`),
    );
  });
});
