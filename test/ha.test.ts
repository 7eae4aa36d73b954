/**
 * High availability on the real binaries, as the Prometheus Operator runs it: two Prometheus
 * replicas with identical rules (external label `prometheus_replica` per replica, dropped from
 * alerts by `alert_relabel_configs`) both sending to both nodes of a two-node Alertmanager gossip
 * cluster that loads the merged alertmanager.yml. The simulated cluster's llm-chat (bundled
 * example) scales up twice; each scale event must reach the scaling feed exactly once, also when an
 * Alertmanager or a Prometheus is killed (SIGKILL) mid-scenario. Time runs 30x faster (scrape and
 * evaluation every 1s stand for 30s). About 50 s; a missing binary fails it, never skips it.
 */
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { after, describe, test, type TestContext } from "node:test";
import { generate } from "../src/build.js";
import { loadConfigFile } from "../src/config/load.js";
import type { Config } from "../src/config/schema.js";
import { standaloneAlertmanagerConfig } from "../src/render/alertmanager-yaml.js";
import { scaleDuration } from "../src/time-scale/time-scale.js";
import type { RuleGroup } from "../src/rules/index.js";
import type { AlertmanagerSandbox } from "../src/sandbox/alertmanager.js";
import { applyStep, simHpaOf } from "../src/sandbox/cluster/model.js";
import { notifyingOrder } from "../src/sandbox/ha-cluster.js";
import {
  firingDeliveries,
  groupKeyLabels,
  haConfigProblems,
  payloadProblems,
  replicaVaryingLabels,
  sentBy,
} from "../src/sandbox/ha-safety.js";
import { replicaExternalLabels, startAlertStack, type AlertStack } from "../src/sandbox/ha-stack.js";
import { isAlive, stopAll } from "../src/sandbox/process.js";
import { configReceiverName } from "../src/sandbox/redirect.js";
import type { Notification } from "../src/sandbox/webhook-receiver.js";

const SPEED = 30;
/**
 * Gossip fast enough that a node's notification log reaches the other node well within the peer
 * timeout. The peer timeout is scaled like every other duration (Alertmanager's default 15s ->
 * 0.5s): deduplication between the nodes relies on it staying shorter than the group_interval of
 * the routes (the feed's 30s -> 1s), because the second node checks the shared log one peer
 * timeout after its own flush, and its flush holds the group as it was then. With the two equal,
 * its stale "all resolved" flush clears the log just after the first node notified a new step, and
 * the step goes out again. Measured with two workloads scaling up five times each: peer timeout
 * equal to the group_interval, duplicates in 3 of 3 runs (21 to 27 notifications for 10 steps);
 * half of it (the defaults' ratio, 15s against 30s), none in 8 runs (80 steps).
 */
const GOSSIP = { gossipInterval: "50ms", pushPullInterval: "2s", peerTimeout: scaleDuration("15s", SPEED) };
const FEED = "scaling-feed";
const REPLICAS = [replicaExternalLabels(0), replicaExternalLabels(1)];
const VARYING = replicaVaryingLabels(REPLICAS);

const stacks: AlertStack[] = [];
after(async () => {
  await Promise.allSettled(stacks.map((s) => s.stop()));
  await stopAll();
});

/** The bundled example with the scaling feed never muted, so the test passes at any hour. */
function haConfig(): Config {
  const c = loadConfigFile("examples/llm-serving.yaml");
  const n = c.notifications;
  assert.ok(n, "the bundled example has notifications");
  return {
    ...c,
    notifications: {
      ...n,
      receivers: n.receivers.map((r) => (r.name === FEED ? { ...r, muteTimeIntervals: undefined } : r)),
    },
  };
}

describe("HA safety of the generated rules and alertmanager.yml", () => {
  const g = generate(haConfig(), { timeScale: SPEED });
  const merged = standaloneAlertmanagerConfig(g);

  test("only prometheus_replica differs between the replicas", () => {
    assert.deepEqual(VARYING, ["prometheus_replica"]);
  });

  test("no alert label reads the per-replica external labels or URL; no group_by or equal names the replica label", () => {
    assert.deepEqual(haConfigProblems(g.ruleGroups, merged.config, VARYING), []);
  });

  test("the check catches a per-replica rule label and a group_by on the replica label", () => {
    const bad: RuleGroup[] = [
      {
        name: "x",
        rules: [
          {
            alert: "AIWorkloadScaledUp",
            expr: "vector(1)",
            labels: { source: "{{ $externalLabels.prometheus_replica }}" },
            annotations: {},
          },
        ],
      },
    ];
    const route = structuredClone(merged.config);
    route.route.group_by = ["alertname", "prometheus_replica"];
    assert.equal(haConfigProblems(bad, route, VARYING).length, 2);
  });

  test("group keys: the labels after the route path", () => {
    assert.deepEqual(
      groupKeyLabels(
        '{}/{alertname=~"A|B",namespace="ml"}/{event=~"x"}:{alertname="A", namespace="ml", workload="w\\"1"}',
      ),
      { alertname: "A", namespace: "ml", workload: 'w"1' },
    );
    assert.throws(() => groupKeyLabels("no labels"), /not an Alertmanager group key/);
  });
});

/** One scenario on a fresh stack: llm-chat, at 2 replicas, scales to 4 and then to 6. */
interface Run {
  readonly stack: AlertStack;
  /** Applies a step at scenario time now. */
  scaleTo(replicas: number): void;
  /** Resolves with the first notification of the feed carrying llm-chat's scale-up to `replicas`. */
  delivered(replicas: number): Promise<Notification>;
  /** Waits until no replica fires that scale-up any more, then long enough for a late duplicate. */
  settled(replicas: number): Promise<void>;
  /** Which running replicas had the scale-up to `replicas` firing at some poll. */
  readonly firedBy: Map<number, Set<number>>;
}

const isScaleUp = (labels: Record<string, string>, replicas: number): boolean =>
  labels.alertname === "AIWorkloadScaledUp" &&
  labels.workload === "llm-chat" &&
  labels.replicas === String(replicas);

async function startRun(t: TestContext): Promise<Run> {
  const g = generate(haConfig(), { timeScale: SPEED });
  const merged = standaloneAlertmanagerConfig(g);
  const t0 = Date.now();
  const hpas = g.resolved.workloads.map((w) => simHpaOf(w, t0));
  const llm = hpas.find((h) => h.target === "llm-chat");
  assert.ok(llm);
  const now = (): number => (Date.now() - t0) * SPEED;
  const stack = await startAlertStack({
    generated: g,
    speed: SPEED,
    hpas: () => hpas,
    now,
    replicas: 2,
    routings: [{ name: "ha", config: merged.config, nodes: 2 }],
    gossip: GOSSIP,
  });
  stacks.push(stack);
  await stack.waitReady();
  // The scale events compare with a minute ago: give Prometheus that much history first.
  await sleep(3000);
  const [routing] = stack.routings;
  assert.ok(routing);
  const firedBy = new Map<number, Set<number>>();
  let polling = true;
  // Which replica fires what, polled while the scenario runs.
  const poller = (async () => {
    while (polling) {
      await Promise.all(
        stack.prometheus.map(async (p, i) => {
          const alerts = await p.alerts().catch(() => []);
          for (const a of alerts) {
            if (
              a.state !== "firing" ||
              a.labels.workload !== "llm-chat" ||
              a.labels.alertname !== "AIWorkloadScaledUp"
            )
              continue;
            const r = Number(a.labels.replicas);
            if (!firedBy.has(r)) firedBy.set(r, new Set());
            firedBy.get(r)?.add(i);
          }
        }),
      );
      await sleep(200);
    }
  })();
  t.after(async () => {
    polling = false;
    await poller;
  });
  const feedFiring = (all: readonly Notification[], replicas: number): Notification[] =>
    all.filter(
      (n) =>
        configReceiverName(n.name ?? "") === FEED &&
        n.payload.alerts.some((a) => a.status === "firing" && isScaleUp(a.labels, replicas)),
    );
  return {
    stack,
    firedBy,
    scaleTo(replicas) {
      applyStep(llm, { replicas }, now(), Date.now());
    },
    async delivered(replicas) {
      const all = await routing.recorder.waitFor((list) => feedFiring(list, replicas).length > 0, 20_000);
      return feedFiring(all, replicas)[0] as Notification;
    },
    async settled(replicas) {
      const deadline = Date.now() + 20_000;
      for (;;) {
        const live = stack.prometheus.filter((p) => isAlive(p.pid));
        const firing = await Promise.all(
          live.map(async (p) =>
            (await p.alerts().catch(() => [])).some((a) => isScaleUp(a.labels, replicas)),
          ),
        );
        if (!firing.some(Boolean)) break;
        assert.ok(Date.now() < deadline, `the scale-up to ${replicas} still fires after 20 s`);
        await sleep(200);
      }
      // A duplicate would come from the second node after its peer timeout, or at a later flush
      // of either node (group_interval of the feed: 1s here).
      await sleep(2500);
    },
  };
}

/** Resolves once the Alertmanager lists llm-chat's scale-up to `replicas` (it resolves ~1 min later). */
async function heldBy(am: AlertmanagerSandbox, replicas: number): Promise<void> {
  const deadline = Date.now() + 15_000;
  const filter = ['alertname="AIWorkloadScaledUp"', 'workload="llm-chat"', `replicas="${replicas}"`];
  while ((await am.getAlerts({ filter })).length === 0) {
    assert.ok(Date.now() < deadline, `${am.url} got the scale-up to ${replicas}`);
    await sleep(50);
  }
}

/** Every firing scale event reached each receiver in exactly one notification; no replica label anywhere. */
function assertOncePerReceiver(all: readonly Notification[]): void {
  for (const n of all)
    assert.deepEqual(payloadProblems(n.payload, VARYING), [], `payload from ${n.payload.externalURL}`);
  const scaleEvents = firingDeliveries(all).filter((d) => /^scaled_(up|down)$/.test(d.labels.event ?? ""));
  assert.ok(scaleEvents.length >= 2, "the two scale-ups were delivered");
  for (const d of scaleEvents)
    assert.equal(
      d.notifications.length,
      1,
      `${d.labels.alertname} ${d.labels.workload} replicas=${d.labels.replicas} to ${d.receiver}: ` +
        d.notifications.map((n) => `${new Date(n.receivedAt).toISOString()} by :${sentBy(n)}`).join(", "),
    );
  // The alerts carry the shared external label: the replica label would have reached Alertmanager too.
  for (const d of scaleEvents) assert.equal(d.labels.prometheus, "monitoring/k8s");
}

describe("HA on the real binaries: 2 Prometheus replicas x 2-node Alertmanager cluster", () => {
  test("each scale-up is notified once, also when the notifying Alertmanager is killed mid-scenario", async (t) => {
    const run = await startRun(t);
    const [routing] = run.stack.routings;
    assert.ok(routing);
    const [first, second] = await notifyingOrder(routing.alertmanagers);
    assert.ok(first && second);

    run.scaleTo(4);
    // Both nodes get the alert (from both replicas): one notification means the cluster deduplicated.
    const held = Promise.all(routing.alertmanagers.map((am) => heldBy(am, 4)));
    const n1 = await run.delivered(4);
    await held;
    assert.equal(sentBy(n1), first.port, "the node at position 0 notifies while both are up");
    await run.settled(4);

    // Kill the node that notifies (its log of the first notification has reached the other node),
    // then scale again: the survivor, still behind the dead node's position until the cluster
    // notices, waits one peer timeout, finds nothing logged and notifies. (Killed between sending
    // and gossiping, a node's notification can be sent twice: Alertmanager delivers at least once.)
    process.kill(first.pid, "SIGKILL");
    run.scaleTo(6);
    const n2 = await run.delivered(6);
    assert.equal(sentBy(n2), second.port, "the surviving node notifies");
    await run.settled(6);

    assert.deepEqual([...(run.firedBy.get(4) ?? [])].sort(), [0, 1], "both replicas fired the scale-up to 4");
    assertOncePerReceiver(routing.recorder.notifications());
  });

  test("each scale-up is notified once, also when a Prometheus replica is killed mid-scenario", async (t) => {
    const run = await startRun(t);
    const [routing] = run.stack.routings;
    assert.ok(routing);
    const [p0, p1] = run.stack.prometheus;
    assert.ok(p0 && p1);

    run.scaleTo(4);
    await run.delivered(4);
    await run.settled(4);

    // Kill replica 0 once it has fired (and sent) the next scale-up: replica 1 carries on alone.
    run.scaleTo(6);
    const deadline = Date.now() + 15_000;
    while (!(await p0.alerts()).some((a) => a.state === "firing" && isScaleUp(a.labels, 6))) {
      assert.ok(Date.now() < deadline, "replica 0 fired the scale-up to 6");
      await sleep(20);
    }
    process.kill(p0.pid, "SIGKILL");
    await run.delivered(6);
    await run.settled(6);

    assert.deepEqual([...(run.firedBy.get(4) ?? [])].sort(), [0, 1], "both replicas fired the scale-up to 4");
    assert.ok(run.firedBy.get(6)?.has(1), "the surviving replica fired the scale-up to 6");
    assertOncePerReceiver(routing.recorder.notifications());
  });
});
