import { after, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { stringify } from "yaml";
import { AlertmanagerConfig } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1/AlertmanagerConfig";
import { inhibited } from "../src/operator-merge/index.js";
import { generate } from "../src/build.js";
import { loadConfigFile, parseConfig } from "../src/config/load.js";
import { standaloneAlertmanagerConfig } from "../src/render/alertmanager-yaml.js";
import { alertInstances } from "../src/verify/alert-labels.js";
import { resolveConfig } from "../src/config/resolve.js";
import {
  TIME_INTERVAL_LOCATIONS_ANNOTATION,
  UNROUTED_RECEIVER,
  buildAlertmanagerConfigs,
  formatMatcher,
  parseMatchers,
  receiverSeverities,
  type AlertmanagerConfigObject,
  type AlertmanagerRoute,
} from "../src/alertmanager-config/alertmanager-config.js";

const EXAMPLE = fileURLToPath(new URL("../examples/llm-serving.yaml", import.meta.url));
const MODELS = fileURLToPath(new URL("../node_modules/", import.meta.url));
const COMMON = { labels: { "app.kubernetes.io/managed-by": "ai-scaling-alerts" } };
const TMP = mkdtempSync(join(tmpdir(), "routing-test-"));
after(() => rmSync(TMP, { recursive: true, force: true }));

// ---------------------------------------------------------------------------------------------
// Helpers: build, check against the CRD, run the real amtool

function build(input: Record<string, unknown>): AlertmanagerConfigObject[] {
  const objs = buildAlertmanagerConfigs(resolveConfig(parseConfig(input)), COMMON);
  objs.forEach(checkObject);
  return objs;
}
const RECEIVERS = [
  { name: "pager", type: "pagerduty", routingKey: { secret: "pd", key: "key" } },
  { name: "chat", type: "slack", apiUrl: { secret: "slack", key: "url" } },
  { name: "feed", type: "webhook", url: { secret: "hook", key: "url" } },
];
/** The children every route that can carry them gets, with the default timings. */
const SCALE_CHILD: AlertmanagerRoute = {
  matchers: [{ name: "event", matchType: "=~", value: "scaled_up|scaled_down" }],
  groupInterval: "30s",
};
const HEARTBEAT_CHILD: AlertmanagerRoute = {
  matchers: [{ name: "event", matchType: "=", value: "heartbeat" }],
  groupWait: "0s",
  groupInterval: "30s",
  repeatInterval: "55s",
};
const config = (notifications: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  namespace: "ml",
  workloads: [{ name: "w", existingHpa: true }],
  notifications: { receivers: RECEIVERS, ...notifications },
  ...extra,
});

/** Property names of a type of the published model (from its .d.ts, which lists every field). */
function crdFields(type: string): Set<string> {
  const file =
    type === "SecretKeySelector"
      ? "kubernetes-models/v1"
      : "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1";
  const text = readFileSync(join(MODELS, file, `${type}.d.ts`), "utf8");
  const start = text.indexOf(`export interface I${type} {`);
  const block = text.slice(start, text.indexOf("\n}", start));
  return new Set([...block.matchAll(/^\s+"(\w+)"\??:/gm)].map((m) => m[1] as string));
}
const SKS = "SecretKeySelector";
const CHILD: Record<string, Record<string, string>> = {
  AlertmanagerConfigSpec: {
    route: "Route",
    receivers: "Receiver",
    inhibitRules: "InhibitRule",
    muteTimeIntervals: "MuteTimeInterval",
  },
  Route: { matchers: "Matcher", routes: "Route" },
  InhibitRule: { sourceMatch: "Matcher", targetMatch: "Matcher" },
  MuteTimeInterval: { timeIntervals: "TimeInterval" },
  TimeInterval: { times: "TimeRange", daysOfMonth: "DayOfMonthRange" },
  Receiver: {
    slackConfigs: "SlackConfig",
    emailConfigs: "EmailConfig",
    webhookConfigs: "WebhookConfig",
    pagerdutyConfigs: "PagerDutyConfig",
    msteamsConfigs: "MSTeamsConfig",
    opsgenieConfigs: "OpsGenieConfig",
  },
  SlackConfig: { apiURL: SKS },
  EmailConfig: { headers: "KeyValue", authPassword: SKS },
  WebhookConfig: { urlSecret: SKS },
  PagerDutyConfig: { details: "KeyValue", routingKey: SKS },
  MSTeamsConfig: { webhookUrl: SKS },
  OpsGenieConfig: { responders: "OpsGenieConfigResponder", apiKey: SKS },
};

/** Every key is a field of the CRD type (child routes too: the operator rejects unknown fields there). */
function checkFields(value: object, type: string, path: string): void {
  const fields = crdFields(type);
  for (const [k, v] of Object.entries(value)) {
    assert.ok(fields.has(k), `${path}.${k} is not a field of ${type}`);
    const child = CHILD[type]?.[k];
    if (child)
      for (const [i, x] of (Array.isArray(v) ? v : [v]).entries())
        checkFields(x, child, `${path}.${k}[${i}]`);
  }
}

/** Every matcher in routes and inhibit rules; the operator adds the namespace one itself. */
function allMatchers(o: AlertmanagerConfigObject) {
  const walk = (r: AlertmanagerRoute): NonNullable<AlertmanagerRoute["matchers"]> => [
    ...(r.matchers ?? []),
    ...(r.routes ?? []).flatMap(walk),
  ];
  return [
    ...walk(o.spec.route),
    ...(o.spec.inhibitRules ?? []).flatMap((i) => [...i.sourceMatch, ...i.targetMatch]),
  ];
}

function checkObject(o: AlertmanagerConfigObject): void {
  new AlertmanagerConfig(o as unknown as ConstructorParameters<typeof AlertmanagerConfig>[0]).validate();
  checkFields(o.spec, "AlertmanagerConfigSpec", "spec");
  const names = new Set(o.spec.receivers.map((r) => r.name));
  assert.ok(o.spec.route.receiver, "the top route names a receiver (the operator requires it)");
  const walk = (r: AlertmanagerRoute): void => {
    // A child route without a receiver inherits its parent's.
    if (r.receiver !== undefined)
      assert.ok(names.has(r.receiver), `route receiver ${r.receiver} is not defined`);
    r.routes?.forEach(walk);
  };
  walk(o.spec.route);
}

/** Runs the real amtool; fails (never skips) when it is missing. */
function amtool(args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync("amtool", args, { encoding: "utf8" });
  if (r.error) assert.fail(`amtool is needed (${r.error.message}): apt-get install prometheus-alertmanager`);
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/**
 * The alertmanager.yaml the operator would make of these objects (the route tree, receivers
 * without integrations, inhibit rules and time intervals): names prefixed `<ns>/<name>/`, each
 * top route a first-level child with `continue: true`, and under OnNamespace `namespace="<ns>"`
 * appended to it and to every inhibit rule.
 */
function operatorView(objs: AlertmanagerConfigObject[], strategy: "OnNamespace" | "None"): string {
  const receivers = [{ name: "global-default" }];
  const routes: unknown[] = [];
  const time_intervals: unknown[] = [];
  const inhibit_rules: unknown[] = [];
  for (const o of objs) {
    const p = (n: string) => `${o.metadata.namespace}/${o.metadata.name}/${n}`;
    const ns = strategy === "OnNamespace" ? [`namespace="${o.metadata.namespace}"`] : [];
    const route = (r: AlertmanagerRoute): Record<string, unknown> => ({
      receiver: r.receiver && p(r.receiver),
      matchers: (r.matchers ?? []).map(formatMatcher),
      continue: r.continue,
      group_by: r.groupBy,
      group_wait: r.groupWait,
      group_interval: r.groupInterval,
      repeat_interval: r.repeatInterval,
      mute_time_intervals: r.muteTimeIntervals?.map(p),
      active_time_intervals: r.activeTimeIntervals?.map(p),
      routes: r.routes?.map(route),
    });
    const top = route(o.spec.route);
    routes.push({ ...top, matchers: [...(top.matchers as string[]), ...ns], continue: true });
    receivers.push(...o.spec.receivers.map((r) => ({ name: p(r.name) })));
    for (const t of o.spec.muteTimeIntervals ?? []) {
      time_intervals.push({
        name: p(t.name),
        time_intervals: t.timeIntervals.map((i) => ({
          times: i.times?.map((x) => ({ start_time: x.startTime, end_time: x.endTime })),
          weekdays: i.weekdays,
          days_of_month: i.daysOfMonth?.map((d) => `${d.start}:${d.end}`),
          months: i.months,
          years: i.years,
        })),
      });
    }
    for (const i of o.spec.inhibitRules ?? []) {
      inhibit_rules.push({
        source_matchers: [...i.sourceMatch.map(formatMatcher), ...ns],
        target_matchers: [...i.targetMatch.map(formatMatcher), ...ns],
        equal: i.equal,
      });
    }
  }
  const am = { route: { receiver: "global-default", routes }, receivers, time_intervals, inhibit_rules };
  const file = join(TMP, `am-${Math.random().toString(36).slice(2)}.yml`);
  writeFileSync(file, stringify(JSON.parse(JSON.stringify(am))));
  const check = amtool(["check-config", file]);
  assert.equal(check.status, 0, `amtool check-config failed:\n${check.stdout}${check.stderr}`);
  return file;
}

/** Asserts, with the real `amtool config routes test --verify.receivers`, which receivers an alert reaches. */
function assertRoutes(file: string, labels: Record<string, string>, expected: string[]): void {
  const args = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
  const r = amtool([
    "config",
    "routes",
    "test",
    `--config.file=${file}`,
    `--verify.receivers=${expected.join(",")}`,
    ...args,
  ]);
  assert.equal(
    r.status,
    0,
    `${args.join(" ")}: amtool says ${r.stdout.trim()}, expected ${expected.join(",")}`,
  );
}

// ---------------------------------------------------------------------------------------------
// The example

const example = () => buildAlertmanagerConfigs(resolveConfig(loadConfigFile(EXAMPLE)), COMMON);

test("example: one AlertmanagerConfig in ml-serving that passes the published schema", () => {
  const objs = example();
  assert.equal(objs.length, 1);
  const o = objs[0] as AlertmanagerConfigObject;
  checkObject(o);
  assert.deepEqual(o.metadata, {
    name: "ai-scaling-alerts",
    namespace: "ml-serving",
    labels: COMMON.labels,
    // quiet-hours is meant in Berlin time; v1alpha1 has no field for it.
    annotations: { [TIME_INTERVAL_LOCATIONS_ANNOTATION]: '{"quiet-hours":"Europe/Berlin"}' },
  });
  assert.equal(o.spec.route.receiver, UNROUTED_RECEIVER);
  assert.deepEqual(o.spec.receivers[0], { name: UNROUTED_RECEIVER });
  assert.deepEqual(o.spec.route.groupBy, ["namespace", "alertname"]);
  assert.ok(
    !allMatchers(o).some((m) => m.name === "namespace"),
    "no namespace matcher: the operator adds it",
  );
  assert.ok(allMatchers(o).every((m) => ["=", "!=", "=~", "!~"].includes(m.matchType) && !("regex" in m)));
  const broken = structuredClone(o) as unknown as {
    spec: { receivers: { slackConfigs?: { apiURL: unknown }[] }[] };
  };
  const slack = broken.spec.receivers.find((r) => r.slackConfigs)?.slackConfigs?.[0];
  assert.ok(slack);
  slack.apiURL = "https://hooks.slack.com/services/T000/B000/XXXX";
  assert.throws(() => checkObject(broken as unknown as AlertmanagerConfigObject), /apiURL must be object/);
});

test("example: credentials are only Secret references, never inline", () => {
  const credentialFields = [
    "apiURL",
    "routingKey",
    "serviceKey",
    "apiKey",
    "webhookUrl",
    "urlSecret",
    "authPassword",
    "authSecret",
    "url",
  ];
  const objs = example();
  let selectors = 0;
  const walk = (v: unknown, path: string): void => {
    if (typeof v === "string") assert.doesNotMatch(v, /^[a-z]+:\/\//, `${path} holds a URL`);
    if (typeof v !== "object" || v === null) return;
    for (const [k, x] of Object.entries(v)) {
      if (credentialFields.includes(k)) {
        assert.ok(typeof x === "object" && x !== null, `${path}.${k} must be a SecretKeySelector`);
        assert.deepEqual(Object.keys(x).sort(), ["key", "name"], `${path}.${k}`);
        for (const s of Object.values(x)) assert.ok(typeof s === "string" && s.length > 0, `${path}.${k}`);
        selectors++;
      }
      walk(x, `${path}.${k}`);
    }
  };
  walk(objs, "");
  assert.equal(selectors, 7, "one selector per credential of the example (SMTP password included)");
  assert.doesNotMatch(JSON.stringify(objs), /hooks\.slack\.com|events\.pagerduty|"url":/);
});

test("example: amtool routes each severity to the right receivers", () => {
  const file = operatorView(example(), "OnNamespace");
  const rx = (...names: string[]) => names.map((n) => `ml-serving/ai-scaling-alerts/${n}`);
  const alert = (alertname: string, severity: string, event: string, ns = "ml-serving") => ({
    alertname,
    severity,
    event,
    namespace: ns,
    workload: "llm-chat",
    horizontalpodautoscaler: "llm-chat",
    team: "ml-platform",
  });
  const chat = ["team-slack", "team-teams", "team-email"];
  assertRoutes(
    file,
    alert("AIWorkloadUnableToScale", "critical", "unable_to_scale"),
    rx("oncall-pagerduty", "oncall-opsgenie", ...chat),
  );
  assertRoutes(file, alert("AIWorkloadAtMaxReplicas", "warning", "at_max"), rx(...chat));
  assertRoutes(file, alert("AIWorkloadScaledUp", "info", "scaled_up"), rx("scaling-feed"));
  assertRoutes(
    file,
    { alertname: "AIScalingAlertsHeartbeat", severity: "none", event: "heartbeat", namespace: "ml-serving" },
    rx("deadmans-switch"),
  );
  // A catalog alert with a severity no receiver takes ends at the no-integration receiver.
  assertRoutes(file, alert("AIWorkloadAtMaxReplicas", "error", "at_max"), rx(UNROUTED_RECEIVER));
  // Other alerts of the namespace, and catalog alerts of other namespaces, are not ours to route.
  assertRoutes(file, { alertname: "KubePodCrashLooping", severity: "critical", namespace: "ml-serving" }, [
    "global-default",
  ]);
  assertRoutes(file, alert("AIWorkloadUnableToScale", "critical", "unable_to_scale", "other"), [
    "global-default",
  ]);
  // --verify.receivers really fails on a mismatch.
  const wrong = amtool([
    "config",
    "routes",
    "test",
    `--config.file=${file}`,
    "--verify.receivers=x",
    "severity=critical",
  ]);
  assert.equal(wrong.status, 1);
});

// ---------------------------------------------------------------------------------------------
// Matchers

test("parseMatchers: four operators, quoted or not, escapes, and the map form", () => {
  assert.deepEqual(
    parseMatchers(['severity="critical"', 'event=~"scaled_.*"', "a!=b", 'a!~"x|y"', " team = ml ", 'e=""']),
    [
      { name: "severity", matchType: "=", value: "critical" },
      { name: "event", matchType: "=~", value: "scaled_.*" },
      { name: "a", matchType: "!=", value: "b" },
      { name: "a", matchType: "!~", value: "x|y" },
      { name: "team", matchType: "=", value: "ml" },
      { name: "e", matchType: "=", value: "" },
    ],
  );
  const [quote, slash, dot] = parseMatchers(['q="say \\"hi\\""', 'p="a\\\\b"', 'r=~"a\\.b"']);
  assert.equal(quote?.value, 'say "hi"');
  assert.equal(slash?.value, "a\\b");
  assert.equal(dot?.value, "a\\.b", "a spurious escape stays literal, as in Alertmanager");
  assert.equal(formatMatcher(quote!), 'q="say \\"hi\\""');
  assert.deepEqual(parseMatchers({ severity: "critical", team: "ml" }), [
    { name: "severity", matchType: "=", value: "critical" },
    { name: "team", matchType: "=", value: "ml" },
  ]);
  assert.throws(() => parseMatchers(["severity"]), /invalid matcher/);
  assert.throws(() => parseMatchers(["1x=y"]), /invalid matcher/);
});

// ---------------------------------------------------------------------------------------------
// Placement

const twoNamespaces = {
  workloads: [
    { name: "a", namespace: "team-a", existingHpa: true },
    { name: "b", namespace: "team-b", existingHpa: true },
  ],
};

test("OnNamespace: one object per workload namespace; a route's namespace matcher is resolved per object", () => {
  const objs = build(
    config(
      { routes: [{ receiver: "pager", matchers: ['namespace="team-b"', 'event="at_max"'] }] },
      twoNamespaces,
    ),
  );
  assert.deepEqual(
    objs.map((o) => o.metadata.namespace),
    ["team-a", "team-b"],
  );
  assert.deepEqual(objs[0]?.spec.receivers, objs[1]?.spec.receivers);
  const [a, b] = objs as [AlertmanagerConfigObject, AlertmanagerConfigObject];
  assert.ok(
    !a.spec.route.routes?.some((r) => r.matchers?.some((m) => m.value === "at_max")),
    "unmatchable in team-a",
  );
  assert.deepEqual(b.spec.route.routes?.[0]?.matchers, [{ name: "event", matchType: "=", value: "at_max" }]);
  const file = operatorView(objs, "OnNamespace");
  const labels = (ns: string) => ({
    alertname: "AIWorkloadAtMaxReplicas",
    severity: "warning",
    event: "at_max",
    namespace: ns,
  });
  assertRoutes(file, labels("team-b"), ["team-b/ai-scaling-alerts/pager", "team-b/ai-scaling-alerts/chat"]);
  assertRoutes(file, labels("team-a"), ["team-a/ai-scaling-alerts/chat"]);
});

test("None strategy, or an explicit namespace, gives one object", () => {
  const none = build(
    config(
      { matcherStrategy: "None", routes: [{ receiver: "pager", matchers: ['namespace="team-b"'] }] },
      twoNamespaces,
    ),
  );
  assert.deepEqual(
    none.map((o) => o.metadata.namespace),
    ["ml"],
  );
  assert.deepEqual(none[0]?.spec.route.routes?.[0]?.matchers, [
    { name: "namespace", matchType: "=", value: "team-b" },
  ]);
  const file = operatorView(none, "None");
  const rx = (...n: string[]) => n.map((x) => `ml/ai-scaling-alerts/${x}`);
  assertRoutes(
    file,
    { alertname: "AIWorkloadScaledUp", severity: "info", namespace: "team-b" },
    rx("pager", "feed"),
  );
  assertRoutes(file, { alertname: "AIWorkloadScaledUp", severity: "info", namespace: "team-a" }, rx("feed"));
  const pinned = build(
    config(
      { namespace: "monitoring", name: "scaling" },
      { workloads: [{ name: "w", namespace: "monitoring", existingHpa: true }] },
    ),
  );
  assert.deepEqual(
    pinned.map((o) => [o.metadata.namespace, o.metadata.name]),
    [["monitoring", "scaling"]],
  );
  assert.deepEqual(
    buildAlertmanagerConfigs(
      resolveConfig(parseConfig({ workloads: [{ name: "w", existingHpa: true }] })),
      COMMON,
    ),
    [],
  );
});

// ---------------------------------------------------------------------------------------------
// Routes, inhibitions, time intervals

test("user routes come first (continue defaults to true); continue: false stops the alert", () => {
  const [o] = build(
    config({
      routes: [
        { receiver: "chat", matchers: { event: "scaled_up" }, groupWait: "1m" },
        { receiver: "feed", matchers: ['event="flapping"'], continue: false },
      ],
    }),
  );
  assert.ok(o);
  assert.deepEqual(
    o.spec.route.routes?.map((r) => [r.receiver, r.continue]),
    [
      ["chat", true],
      ["feed", false],
      ["pager", true],
      ["chat", true],
      ["feed", true],
    ],
  );
  assert.equal(o.spec.route.routes?.[0]?.groupWait, "1m");
  const file = operatorView([o], "OnNamespace");
  const rx = (...n: string[]) => n.map((x) => `ml/ai-scaling-alerts/${x}`);
  assertRoutes(
    file,
    { alertname: "AIWorkloadScaledUp", severity: "info", event: "scaled_up", namespace: "ml" },
    rx("chat", "feed"),
  );
  assertRoutes(
    file,
    { alertname: "AIWorkloadScalingFlapping", severity: "warning", event: "flapping", namespace: "ml" },
    rx("feed"),
  );
});

test("defaultRoutes and defaultInhibitions false remove them; user inhibitions keep their equal default", () => {
  const [o] = build(
    config({
      defaultRoutes: false,
      defaultInhibitions: false,
      routes: [{ receiver: "pager" }],
      inhibitions: [{ source: ['event="at_max"'], target: { event: "queue_backlog" } }],
    }),
  );
  // The route takes every alert: the scale events and the heartbeat get their own timings below it.
  assert.deepEqual(o?.spec.route.routes, [
    { receiver: "pager", continue: true, routes: [SCALE_CHILD, HEARTBEAT_CHILD] },
  ]);
  assert.deepEqual(o?.spec.inhibitRules, [
    {
      sourceMatch: [{ name: "event", matchType: "=", value: "at_max" }],
      targetMatch: [{ name: "event", matchType: "=", value: "queue_backlog" }],
      equal: ["namespace", "horizontalpodautoscaler"],
    },
  ]);
  const [bare] = build(config({ defaultRoutes: false, defaultInhibitions: false }));
  assert.equal(bare?.spec.route.routes, undefined);
  assert.equal(bare?.spec.inhibitRules, undefined);
});

test("default inhibitions, with the cluster label in equal", () => {
  const [o] = build(config({}, { monitoring: { clusterLabel: "cluster" } }));
  const rules = o?.spec.inhibitRules ?? [];
  assert.deepEqual(
    rules.map((r) => [formatMatcher(r.sourceMatch[0]!), formatMatcher(r.targetMatch[0]!)]),
    [
      ['event=~"metrics_unavailable|unable_to_scale"', 'event=~"at_max|scale_up_stalled"'],
      ['event="at_max"', 'event="scaled_up"'],
      ['event="flapping"', 'event=~"scaled_up|scaled_down"'],
      ['event="scaler_error"', 'event="metrics_unavailable"'],
      ['event="cold_start_slow"', 'event="scale_up_stalled"'],
    ],
  );
  for (const r of rules) assert.deepEqual(r.equal, ["namespace", "horizontalpodautoscaler", "cluster"]);
});

test("the blind spots: AIScalingAlertsMetricsAbsent pages, AIWorkloadHpaMissing reaches chat, and no default inhibition mutes them or lets them mute", () => {
  const rc = resolveConfig(loadConfigFile(EXAMPLE));
  const file = operatorView(example(), "OnNamespace");
  const rx = (...names: string[]) => names.map((n) => `ml-serving/ai-scaling-alerts/${n}`);
  const chat = ["team-slack", "team-teams", "team-email"];
  const instances = alertInstances(rc);
  const one = (alert: string) => {
    const i = instances.find((x) => x.alert === alert);
    assert.ok(i, alert);
    return i.labels;
  };
  // Labelled exactly as the rules label them: the heartbeat's namespace passes OnNamespace.
  const absent = one("AIScalingAlertsMetricsAbsent");
  assert.deepEqual(absent, {
    alertname: "AIScalingAlertsMetricsAbsent",
    severity: "critical",
    event: "metrics_absent",
    namespace: "ml-serving",
  });
  assertRoutes(file, absent, rx("oncall-pagerduty", "oncall-opsgenie", ...chat));
  assertRoutes(file, one("AIWorkloadHpaMissing"), rx(...chat));

  // With every alert of the example firing at once, neither is muted, and they mute nothing that
  // the others do not: kube-state-metrics gone leaves no other alert to mute.
  const merged = standaloneAlertmanagerConfig(generate(parseConfig(loadConfigFile(EXAMPLE)))).config;
  const rules = merged.inhibit_rules ?? [];
  assert.ok(rules.length > 0);
  const all = instances.map((i) => i.labels);
  const muted = (alerts: typeof all) => inhibited(rules, alerts).map((m) => m.labels.alertname);
  const blind = new Set(["AIScalingAlertsMetricsAbsent", "AIWorkloadHpaMissing"]);
  assert.deepEqual(
    muted(all).filter((a) => blind.has(a ?? "")),
    [],
  );
  assert.deepEqual(muted(all), muted(all.filter((l) => !blind.has(l.alertname ?? ""))));
});

test("receive overrides the kind's severities; an empty receive gets no default route", () => {
  assert.deepEqual(receiverSeverities({ type: "pagerduty" }), ["critical"]);
  assert.deepEqual(receiverSeverities({ type: "email" }), ["critical", "warning"]);
  assert.deepEqual(receiverSeverities({ type: "webhook" }), ["info"]);
  assert.deepEqual(receiverSeverities({ type: "slack", receive: ["none", "info"] }), ["info", "none"]);
  const receivers = [
    { ...RECEIVERS[1], receive: ["warning", "info"] },
    { ...RECEIVERS[0], receive: [] },
  ];
  const [o] = build(config({ receivers }));
  assert.deepEqual(o?.spec.route.routes, [
    {
      receiver: "chat",
      matchers: [{ name: "severity", matchType: "=~", value: "warning|info" }],
      continue: true,
      routes: [SCALE_CHILD],
    },
  ]);
});

test("time intervals map to v1alpha1 muteTimeIntervals and reach the receiver's default route", () => {
  const timeIntervals = [
    {
      name: "office",
      intervals: [
        {
          times: [{ start: "09:00", end: "17:30" }],
          weekdays: ["Monday:Friday"],
          daysOfMonth: [{ start: 1, end: 7 }],
          months: ["January:March"],
          years: ["2026"],
        },
      ],
    },
    { name: "nights", intervals: [{ times: [{ start: "00:00", end: "07:00" }] }] },
  ];
  const receivers = [{ ...RECEIVERS[2], muteTimeIntervals: ["nights"], activeTimeIntervals: ["office"] }];
  const [o] = build(config({ receivers, timeIntervals }));
  assert.deepEqual(o?.spec.muteTimeIntervals, [
    {
      name: "office",
      timeIntervals: [
        {
          times: [{ startTime: "09:00", endTime: "17:30" }],
          weekdays: ["monday:friday"],
          daysOfMonth: [{ start: 1, end: 7 }],
          months: ["january:march"],
          years: ["2026"],
        },
      ],
    },
    { name: "nights", timeIntervals: [{ times: [{ startTime: "00:00", endTime: "07:00" }] }] },
  ]);
  // Alertmanager does not pass mute and active intervals on to child routes: the child repeats them.
  assert.deepEqual(o?.spec.route.routes?.[0], {
    receiver: "feed",
    matchers: [{ name: "severity", matchType: "=", value: "info" }],
    continue: true,
    muteTimeIntervals: ["nights"],
    activeTimeIntervals: ["office"],
    routes: [{ ...SCALE_CHILD, muteTimeIntervals: ["nights"], activeTimeIntervals: ["office"] }],
  });
  assert.equal(o?.metadata.annotations, undefined, "no time zone, no annotation");
  operatorView([o!], "OnNamespace"); // amtool check-config accepts the intervals and the references
});

test("a time interval's time zone is validated, and kept in an annotation (v1alpha1 has no location)", () => {
  const timeIntervals = [
    { name: "quiet", location: "Europe/Berlin", intervals: [{ times: [{ start: "22:00", end: "24:00" }] }] },
    { name: "office", intervals: [{ weekdays: ["monday:friday"] }] },
  ];
  const [o] = build(config({ timeIntervals }));
  assert.deepEqual(o?.metadata.annotations, {
    [TIME_INTERVAL_LOCATIONS_ANNOTATION]: '{"quiet":"Europe/Berlin"}',
  });
  assert.ok(crdFields("TimeInterval").has("times") && !crdFields("TimeInterval").has("location"));
  assert.ok(
    o?.spec.muteTimeIntervals?.every((t) => t.timeIntervals.every((i) => !("location" in i))),
    "no location field in the CRD object",
  );
  for (const [location, message] of [
    ["Europe/Nowhere", /notifications\.timeIntervals\[0\]\.location: expected an IANA time zone/],
    ["europe/berlin", /notifications\.timeIntervals\[0\]\.location: .*case-sensitive.*"Europe\/Berlin"/],
    ["Local", /expected an IANA time zone/],
  ] as const)
    assert.throws(() => parseConfig(config({ timeIntervals: [{ ...timeIntervals[0], location }] })), message);
});

// ---------------------------------------------------------------------------------------------
// The scale-event feed and the heartbeat: child routes with their own timings

test("the example: the feed flushes scale events every 30s, the dead man's switch pings every minute", () => {
  const [o] = example();
  const route = (name: string) => o!.spec.route.routes!.find((r) => r.receiver === name)!;
  const feed = route("scaling-feed");
  assert.deepEqual(feed.routes, [
    {
      matchers: [{ name: "event", matchType: "=~", value: "scaled_up|scaled_down" }],
      groupInterval: "30s",
      muteTimeIntervals: ["quiet-hours"],
    },
  ]);
  assert.deepEqual(route("deadmans-switch").routes, [HEARTBEAT_CHILD]);
  // Pagers and chat get neither: no scale event or heartbeat has their severities.
  for (const name of ["oncall-pagerduty", "oncall-opsgenie", "team-slack", "team-teams", "team-email"])
    assert.equal(route(name).routes, undefined, name);
});

test("children only where the alerts can arrive, and not under a route with its own timing", () => {
  const [o] = build(
    config(
      {
        scaleEventGroupInterval: "15s",
        heartbeat: { groupWait: "5s", groupInterval: "2m", repeatInterval: "110s" },
        routes: [
          { receiver: "chat", matchers: ['event=~"scaled_.*"'] },
          { receiver: "chat", matchers: ['event="flapping"'] },
          { receiver: "chat", matchers: { event: "scaled_up" }, groupInterval: "1m" },
          { receiver: "pager", matchers: ['alertname="AIScalingAlertsHeartbeat"'], repeatInterval: "1m" },
        ],
        receivers: [...RECEIVERS, { ...RECEIVERS[2], name: "dms", receive: ["none"] }],
      },
      {
        workloads: [
          { name: "w", existingHpa: true },
          { name: "k", existingHpa: true, signals: { keda: { scaledObject: "k", scaleToZero: true } } },
        ],
      },
    ),
  );
  const routes = o!.spec.route.routes!;
  assert.deepEqual(
    routes.map((r) => [r.receiver, r.routes?.map((c) => c.matchers?.[0]?.value) ?? []]),
    [
      // scaled_.* lets through all but cold_start (and no heartbeat: its event is not scaled_).
      ["chat", ["scaled_up|scaled_down|scaled_to_zero"]],
      ["chat", []],
      ["chat", []],
      ["pager", []],
      ["pager", []],
      ["chat", []],
      ["feed", ["scaled_up|scaled_down|scaled_to_zero|cold_start"]],
      ["dms", ["heartbeat"]],
    ],
  );
  assert.equal(routes[0]?.routes?.[0]?.groupInterval, "15s");
  assert.deepEqual(routes[7]?.routes?.[0], {
    matchers: [{ name: "event", matchType: "=", value: "heartbeat" }],
    groupWait: "5s",
    groupInterval: "2m",
    repeatInterval: "110s",
  });
  // A severity override that makes a scale event a warning brings the child under chat.
  const [w] = build(config({}, { alerts: { AIWorkloadScaledDown: { severity: "warning" } } }));
  const chat = w!.spec.route.routes!.find((r) => r.receiver === "chat")!;
  assert.deepEqual(chat.routes, [
    { ...SCALE_CHILD, matchers: [{ name: "event", matchType: "=", value: "scaled_down" }] },
  ]);
  // The operator's view: amtool accepts the nested routes, and they inherit the receiver.
  const file = operatorView([o!], "OnNamespace");
  const rx = (...n: string[]) => n.map((x) => `ml/ai-scaling-alerts/${x}`);
  assertRoutes(
    file,
    { alertname: "AIWorkloadScaledToZero", severity: "info", event: "scaled_to_zero", namespace: "ml" },
    rx("chat", "feed"),
  );
  assertRoutes(
    file,
    { alertname: "AIScalingAlertsHeartbeat", severity: "none", event: "heartbeat", namespace: "ml" },
    rx("pager", "dms"),
  );
});

// ---------------------------------------------------------------------------------------------
// Templates, rendered by the real amtool

const GLOB = join(TMP, "none.tmpl");
writeFileSync(GLOB, "");
const RUNBOOK = "https://example.com/runbooks#aiworkloadunabletoscale";

function data(status: "firing" | "resolved", severity: string, workloads = ["llm-chat"]): string {
  const alerts = workloads.map((w) => ({
    status,
    labels: {
      alertname: "AIWorkloadUnableToScale",
      severity,
      event: "unable_to_scale",
      namespace: "ml-serving",
      workload: w,
      horizontalpodautoscaler: w,
      team: "ml-platform",
    },
    annotations: {
      summary: "Autoscaler is unable to scale.",
      description: `${w}: 8 -> 8 replicas (max 8), queue 30 < 64 & rising`,
      runbook_url: RUNBOOK,
    },
    startsAt: "2026-01-01T00:00:00Z",
    endsAt: status === "resolved" ? "2026-01-01T01:00:00Z" : "0001-01-01T00:00:00Z",
    generatorURL: "",
    fingerprint: w,
  }));
  const common =
    workloads.length === 1
      ? alerts[0]?.labels
      : { alertname: "AIWorkloadUnableToScale", severity, event: "unable_to_scale", namespace: "ml-serving" };
  const file = join(TMP, `data-${status}-${severity}-${workloads.length}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      receiver: "r",
      status,
      alerts,
      groupLabels: {},
      commonLabels: common,
      commonAnnotations: {},
      externalURL: "http://am",
    }),
  );
  return file;
}

function render(template: string, dataFile: string, type: "text" | "html" = "text"): string {
  const r = amtool([
    "template",
    "render",
    `--template.glob=${GLOB}`,
    `--template.text=${template}`,
    `--template.data=${dataFile}`,
    `--template.type=${type}`,
  ]);
  assert.equal(r.status, 0, `amtool template render failed: ${r.stderr}\n${template}`);
  return r.stdout;
}

test("templates render with Alertmanager 0.25's amtool and read well", () => {
  const [o] = example();
  const rcv = (name: string) => o!.spec.receivers.find((r) => r.name === name)!;
  const slack = rcv("team-slack").slackConfigs![0]!;
  const email = rcv("team-email").emailConfigs![0]!;
  const teams = rcv("team-teams").msteamsConfigs![0]!;
  const pd = rcv("oncall-pagerduty").pagerdutyConfigs![0]!;
  const og = rcv("oncall-opsgenie").opsgenieConfigs![0]!;
  const firing = data("firing", "critical");
  const resolved = data("resolved", "warning");
  const group = data("firing", "critical", ["llm-chat", "embeddings"]);

  assert.equal(render(slack.title, firing), "[FIRING] CRITICAL ml-serving/llm-chat: unable to scale");
  assert.equal(render(slack.title, resolved), "[RESOLVED] WARNING ml-serving/llm-chat: unable to scale");
  assert.equal(render(slack.title, group), "[FIRING x2] CRITICAL 2 alerts in ml-serving: unable to scale");
  assert.equal(render(slack.fallback, firing), render(slack.title, firing));
  assert.deepEqual(
    [firing, resolved].map((d) => render(slack.color, d)),
    ["danger", "good"],
  );
  const slackText = render(slack.text, firing);
  assert.match(
    slackText,
    /^\*Autoscaler is unable to scale\.\*\nllm-chat: 8 -&gt; 8 replicas \(max 8\), queue 30 &lt; 64 &amp; rising\n/,
  );
  assert.ok(slackText.includes(`team: ml-platform · <${RUNBOOK}|Runbook>`), slackText);
  assert.match(render(slack.text, group), /\*embeddings in ml-serving: Autoscaler/);

  assert.equal(
    render(email.headers[0]!.value, resolved),
    "[RESOLVED] WARNING ml-serving/llm-chat: unable to scale",
  );
  const html = render(email.html, firing, "html");
  assert.ok(html.includes(`<a href="${RUNBOOK}">Runbook</a>`), html);
  assert.ok(html.includes("queue 30 &lt; 64 &amp; rising"), "HTML-escaped description");
  assert.match(
    render(email.text, firing),
    new RegExp(
      `^\\[FIRING\\] CRITICAL .*\\n\\nAutoscaler is unable to scale\\.\\nllm-chat: 8 -> 8 .*\\nteam: ml-platform\\nRunbook: ${RUNBOOK}\\n`,
    ),
  );

  assert.equal(render(teams.title, firing), "[FIRING] CRITICAL ml-serving/llm-chat: unable to scale");
  assert.ok(render(teams.text, firing).startsWith(`**Autoscaler is unable to scale.**\n\nllm-chat: 8 -> 8`));
  assert.ok(render(teams.text, firing).includes(`[Runbook](${RUNBOOK})`));

  assert.equal(render(pd.description, firing), "[FIRING] CRITICAL ml-serving/llm-chat: unable to scale");
  assert.deepEqual(
    ["critical", "warning", "info", "none"].map((s) => render(pd.severity, data("firing", s))),
    ["critical", "warning", "info", "info"],
  );
  const details = Object.fromEntries(pd.details.map((d) => [d.key, render(d.value, firing)]));
  assert.deepEqual(details, {
    workload: "ml-serving/llm-chat",
    event: "unable to scale",
    description: `Autoscaler is unable to scale. llm-chat: 8 -> 8 replicas (max 8), queue 30 < 64 & rising Runbook: ${RUNBOOK}\n`,
    runbook: RUNBOOK,
  });

  assert.equal(render(og.message, firing), "[FIRING] CRITICAL ml-serving/llm-chat: unable to scale");
  assert.deepEqual(
    ["critical", "warning", "info", "none"].map((s) => render(og.priority, data("firing", s))),
    ["P1", "P3", "P5", "P5"],
  );
  assert.equal(render(og.tags, firing), "ai-scaling-alerts,critical,unable_to_scale,ml-serving,llm-chat");
  assert.match(
    render(og.description, group),
    /^llm-chat in ml-serving: Autoscaler.*\nembeddings in ml-serving: Autoscaler/,
  );
});
