/**
 * The scale-event feed and the heartbeat on a real Alertmanager (Debian's 0.25, on loopback), with
 * the merged configuration generated from a config whose timings are shortened 30 times through
 * the config's own fields (a 30s evaluation is 1s here, a 5m group interval 10s).
 *
 * A simulated Prometheus posts the step alerts exactly as the rules raise them: each step is its
 * own alert (label `replicas`), firing from the evaluation that sees it for one lookback (two
 * evaluations), re-sent at every evaluation, then sent once as resolved. The burst is the issue's:
 * 2 -> 6 -> 8 and back one pod at a time, plus two other workloads scaling up inside group_wait.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { generate } from "../src/build.js";
import { parseConfig } from "../src/config/load.js";
import type { ConfigInput } from "../src/config/schema.js";
import { standaloneAlertmanagerConfig } from "../src/render/alertmanager-yaml.js";
import { toYaml } from "../src/render/yaml.js";
import {
  describeNotifications,
  startAlertmanager,
  startWebhookReceiver,
  stopAll,
  type AlertmanagerSandbox,
  type Notification,
  type PostableAlert,
  type WebhookReceiver,
} from "../src/sandbox/index.js";
import { requireTool } from "./support/tools.js";

/** Seconds of the scaled clock: scrape and evaluation interval (30s / 30). */
const SCRAPE = 1;
const EVAL = 1;
/** The scale events' lookback (1m / 30): two evaluations. */
const LOOKBACK = 2;
/** group_wait of the routes (30s / 30), the floor's last term. */
const GROUP_WAIT = 1;
const FLOOR = SCRAPE + EVAL + GROUP_WAIT;

const hook = (key: string) => ({ secret: "alert-hooks", key });
const NS = "ml-serving";
const workloads = [
  {
    name: "llm-chat",
    autoscaling: { minReplicas: 2, maxReplicas: 8, metrics: [{ type: "cpu", targetUtilization: 80 }] },
  },
  {
    name: "embeddings",
    autoscaling: { minReplicas: 1, maxReplicas: 10, metrics: [{ type: "cpu", targetUtilization: 80 }] },
  },
  {
    name: "reranker",
    autoscaling: { minReplicas: 1, maxReplicas: 4, metrics: [{ type: "cpu", targetUtilization: 80 }] },
  },
];

/** The live test's config; `notifications` fields override the scaled defaults. */
function feedConfig(notifications: Record<string, unknown> = {}, receivers?: unknown[]) {
  return parseConfig({
    name: "feed",
    namespace: NS,
    monitoring: { operator: { alertmanagerVersion: "0.25.0" } },
    workloads,
    notifications: {
      groupWait: `${GROUP_WAIT}s`,
      groupInterval: "10s",
      repeatInterval: "1h",
      scaleEventGroupInterval: "1s",
      // The defaults (0s, 30s, 55s: a ping a minute), scaled.
      heartbeat: { groupWait: "0s", groupInterval: "1s", repeatInterval: "1833ms" },
      receivers: receivers ?? [
        { name: "feed", type: "webhook", url: hook("feed"), receive: ["info"] },
        { name: "dms", type: "webhook", url: hook("dms"), receive: ["none"] },
      ],
      ...notifications,
    },
  } as ConfigInput);
}

/** The merged alertmanager.yml, its webhook placeholders pointing at `/r/<prefix>.<key>`. */
function mergedYaml(config: ReturnType<typeof parseConfig>, hooks: WebhookReceiver, prefix: string): string {
  const merged = standaloneAlertmanagerConfig(generate(config));
  assert.deepEqual(
    merged.problems.filter((p) => p.severity === "error"),
    [],
  );
  return toYaml(merged.config).replace(
    /https:\/\/[a-z0-9-]+\.invalid\/[a-z0-9-]+\/alert-hooks\/([a-z]+)/g,
    (_, key: string) => hooks.urlFor(`${prefix}.${key}`),
  );
}

/** A change of a workload's desired replicas, at `at` seconds of the scenario. */
interface Step {
  readonly at: number;
  readonly workload: string;
  readonly from: number;
  readonly to: number;
}

/**
 * The burst for llm-chat (scaled): 2 -> 6, -> 8 a minute later, then back to 2 one pod at
 * a time (every 90s scaled, longer than the lookback). embeddings and reranker scale up within the
 * same scrape as llm-chat's first step: kube-state-metrics reports every HPA in one scrape.
 */
const STEPS: readonly Step[] = [
  { at: 0.1, workload: "llm-chat", from: 2, to: 6 },
  { at: 0.4, workload: "embeddings", from: 1, to: 3 },
  { at: 0.7, workload: "reranker", from: 1, to: 2 },
  { at: 2.1, workload: "llm-chat", from: 6, to: 8 },
  ...[7, 6, 5, 4, 3, 2].map((to, i) => ({ at: 5.1 + 3 * i, workload: "llm-chat", from: to + 1, to })),
];

/** The labels the rules give a step's alert. */
function stepLabels(s: Step): Record<string, string> {
  const up = s.to > s.from;
  return {
    alertname: up ? "AIWorkloadScaledUp" : "AIWorkloadScaledDown",
    severity: "info",
    event: up ? "scaled_up" : "scaled_down",
    namespace: NS,
    horizontalpodautoscaler: s.workload,
    workload: s.workload,
    replicas: String(s.to),
  };
}
const stepKey = (labels: Record<string, string>) =>
  `${labels.alertname}|${labels.workload}|${labels.replicas}`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Plays Prometheus: scrapes at every whole second and evaluates at every whole second (after the
 * scrape, in the worst case a whole evaluation later), so a step is seen at the evaluation
 * EVAL after the scrape that follows it. At every evaluation it posts each step alert that fires
 * (for one lookback; `endsAt` four evaluations ahead, as Prometheus does) and, once, each that
 * resolved. Returns when every alert has resolved; `t0` is the scenario's start (ms).
 */
async function playPrometheus(ams: readonly AlertmanagerSandbox[], t0: number): Promise<void> {
  const seen = (at: number) => Math.ceil(at / SCRAPE) * SCRAPE + EVAL;
  const fires = STEPS.map((s) => ({ step: s, from: seen(s.at), until: 0 }));
  for (const f of fires) f.until = f.from + LOOKBACK;
  const end = Math.max(...fires.map((f) => f.until));
  for (let tick = 0; tick <= end; tick += EVAL) {
    await sleep(Math.max(0, t0 + tick * 1000 - Date.now()));
    const now = Date.now();
    const alerts: PostableAlert[] = fires.flatMap((f) => {
      if (tick < f.from || tick > f.until) return [];
      const startsAt = new Date(t0 + f.from * 1000);
      const endsAt = new Date(tick === f.until ? now : now + 4 * EVAL * 1000);
      return [{ labels: stepLabels(f.step), annotations: { summary: "step" }, startsAt, endsAt }];
    });
    if (alerts.length > 0) await Promise.all(ams.map((am) => am.postAlerts(alerts)));
  }
}

/** `<alert key>` -> the times (ms) it arrived as firing at `name`. */
function arrivals(list: readonly Notification[], name: string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const n of list.filter((x) => x.name === name))
    for (const a of n.payload.alerts.filter((x) => x.status === "firing"))
      out.set(stepKey(a.labels), [...(out.get(stepKey(a.labels)) ?? []), n.receivedAt]);
  return out;
}

describe("live Alertmanager: the scale-event feed and the heartbeat", () => {
  requireTool("prometheus-alertmanager", "alertmanager");
  let hooks: WebhookReceiver;
  const ams: AlertmanagerSandbox[] = [];
  let received: Notification[] = [];
  let t0 = 0;

  before(async () => {
    hooks = await startWebhookReceiver();
    const start = async (config: ReturnType<typeof parseConfig>, prefix: string) => {
      const am = await startAlertmanager({ configYaml: mergedYaml(config, hooks, prefix) });
      ams.push(am);
      return am;
    };
    const [fixed, grouped, before5m, muted, hbShort, hbEqual] = await Promise.all([
      start(feedConfig(), "fixed"),
      // Grouped across workloads: a burst of several workloads is one notification.
      start(feedConfig({ groupBy: ["namespace", "alertname"] }), "grouped"),
      // As before: scale events flushed at the group interval of lasting problems.
      start(feedConfig({ scaleEventGroupInterval: "10s" }), "old"),
      // The feed muted all day (Berlin time): the nested scale-event route must be muted too.
      start(
        feedConfig(
          {
            timeIntervals: [
              {
                name: "always",
                location: "Europe/Berlin",
                intervals: [{ times: [{ start: "00:00", end: "24:00" }] }],
              },
            ],
          },
          [
            {
              name: "feed",
              type: "webhook",
              url: hook("feed"),
              receive: ["info"],
              muteTimeIntervals: ["always"],
            },
          ],
        ),
        "muted",
      ),
      start(feedConfig(), "hb-short"),
      start(
        // "A ping a minute" written as repeat_interval 1m over a 30s group_interval, scaled.
        feedConfig({ heartbeat: { groupWait: "0s", groupInterval: "1s", repeatInterval: "2s" } }),
        "hb-equal",
      ),
    ]);
    const heartbeat: PostableAlert = {
      labels: { alertname: "AIScalingAlertsHeartbeat", severity: "none", event: "heartbeat", namespace: NS },
      startsAt: new Date(),
      endsAt: new Date(Date.now() + 120_000),
    };
    t0 = Date.now() + 500;
    await Promise.all([
      playPrometheus([fixed, grouped, before5m, muted], t0),
      hbShort.postAlerts([heartbeat]),
      hbEqual.postAlerts([heartbeat]),
    ]);
    // The last flush of the feed is at most a scale-event group interval away. (The heartbeats
    // keep pinging, so there is no quiet to wait for.)
    await sleep(2500);
    received = hooks.notifications();
  });

  after(async () => {
    await Promise.all(ams.map((am) => am.stop()));
    await hooks?.close();
    await stopAll();
  });

  it("delivers every step once, each within 1.2x the floor (scrape + evaluation + group_wait)", () => {
    const got = arrivals(received, "fixed.feed");
    for (const s of STEPS) {
      const times = got.get(stepKey(stepLabels(s))) ?? [];
      assert.equal(
        times.length,
        1,
        `${stepKey(stepLabels(s))} delivered ${times.length} times\n${describeNotifications(received)}`,
      );
      const latency = ((times[0] as number) - (t0 + s.at * 1000)) / 1000;
      assert.ok(
        latency <= 1.2 * FLOOR,
        `${stepKey(stepLabels(s))}: ${latency.toFixed(2)}s > ${1.2 * FLOOR}s`,
      );
    }
    assert.equal([...got.keys()].length, STEPS.length, "nothing else");
  });

  it("groups a burst: three workloads scaling up at once are one notification (groupBy namespace, alertname)", () => {
    const first = received.find(
      (n) =>
        n.name === "grouped.feed" &&
        n.payload.alerts.some((a) => stepKey(a.labels) === "AIWorkloadScaledUp|llm-chat|6"),
    );
    assert.deepEqual(first?.payload.alerts.map((a) => stepKey(a.labels)).sort(), [
      "AIWorkloadScaledUp|embeddings|3",
      "AIWorkloadScaledUp|llm-chat|6",
      "AIWorkloadScaledUp|reranker|2",
    ]);
    // Every step still arrives in time. (A notification lists every alert of its group that
    // still fires, so a step can appear again next to a newer one of another workload.)
    const got = arrivals(received, "grouped.feed");
    for (const s of STEPS) {
      const at = got.get(stepKey(stepLabels(s)))?.[0];
      assert.ok(at !== undefined, `${stepKey(stepLabels(s))} never arrived`);
      assert.ok((at - (t0 + s.at * 1000)) / 1000 <= 1.2 * FLOOR, `${stepKey(stepLabels(s))} late`);
    }
  });

  it("without the short scale-event group interval, steps into an existing group are lost", () => {
    const got = arrivals(received, "old.feed");
    const lost = STEPS.filter((s) => !got.has(stepKey(stepLabels(s))));
    // 6 -> 8 joins the notified scale-up group and resolves long before its 10s flush.
    assert.ok(
      lost.some((s) => s.to === 8),
      `lost: ${lost.map((s) => s.to).join(", ")}`,
    );
    assert.ok(lost.length >= 4, `only ${lost.length} steps lost`);
  });

  it("keeps the receiver's mute interval on the nested scale-event route (Alertmanager does not inherit it)", () => {
    assert.deepEqual(
      received.filter((n) => n.name === "muted.feed"),
      [],
    );
  });

  /** Seconds between consecutive heartbeat notifications at `name`. */
  const gaps = (name: string) => {
    const at = received.filter((n) => n.name === name).map((n) => n.receivedAt);
    return at.slice(1).map((t, i) => (t - (at[i] as number)) / 1000);
  };

  it("pings the dead man's switch once a minute (scaled: 2s) with the default heartbeat timings", () => {
    const g = gaps("hb-short.dms");
    assert.ok(g.length >= 8, `only ${g.length + 1} pings: ${g.join(", ")}`);
    for (const gap of g) assert.ok(gap > 1.8 && gap < 2.3, `gap ${gap}s, expected 2s: ${g.join(", ")}`);
  });

  it("skips a flush now and then when repeat_interval is exactly two group intervals", () => {
    // Alertmanager repeats only once repeat_interval has passed since the last notification was
    // logged, which is a moment after its flush: two flushes later it has not, quite, some of the
    // time. Measured on 0.25: gaps of 2s and 3s, so the dead man's switch sees 1.5x the period.
    const g = gaps("hb-equal.dms");
    assert.ok(g.length >= 4, `only ${g.length + 1} pings: ${g.join(", ")}`);
    assert.ok(Math.max(...g) > 2.5, `no skipped flush: ${g.join(", ")}`);
  });
});
