/**
 * The merged alertmanager.yml on a real Alertmanager (Debian's, on loopback) delivering to a real
 * HTTP receiver: one synthetic alert for every alert of every workload of the catalog is posted,
 * and the receiver must get exactly the notifications the routing tree and the inhibit rules
 * promise, no more, no fewer. Our routing and inhibition evaluators predict the set; a handful of
 * expectations are also written out by hand, so that both cannot be wrong together.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { inhibited, receiversFor } from "../src/operator-merge/index.js";
import { generate } from "../src/build.js";
import { parseConfig } from "../src/config/load.js";
import { standaloneAlertmanagerConfig } from "../src/render/alertmanager-yaml.js";
import { toYaml } from "../src/render/yaml.js";
import {
  describeNotifications,
  startAlertmanager,
  startWebhookReceiver,
  stopAll,
  type AlertmanagerSandbox,
  type Notification,
  type WebhookReceiver,
} from "../src/sandbox/index.js";
import { alertInstances } from "../src/verify/alert-labels.js";
import { requireTool } from "./support/tools.js";

const hook = (key: string) => ({ secret: "alert-hooks", key });
const config = parseConfig({
  name: "live",
  namespace: "ml-serving",
  // Debian's Alertmanager: webhooks get a placeholder URL (no url_file before 0.26), which this
  // test substitutes as a deployment would.
  monitoring: { operator: { alertmanagerVersion: "0.25.0" } },
  workloads: [
    {
      name: "llm-chat",
      autoscaling: {
        minReplicas: 2,
        maxReplicas: 8,
        metrics: [
          { type: "gpu", targetUtilization: 70 },
          { type: "queue", server: "vllm", targetPerReplica: 8 },
        ],
      },
      labels: { team: "ml-platform" },
    },
    {
      name: "reranker",
      namespace: "ml-batch",
      autoscaling: {
        engine: "keda",
        minReplicas: 0,
        maxReplicas: 4,
        metrics: [{ type: "prometheus", query: "sum(gateway_pending)", threshold: 4 }],
      },
    },
  ],
  notifications: {
    groupWait: "1s",
    groupInterval: "1s",
    repeatInterval: "1h",
    receivers: [
      { name: "pager", type: "webhook", url: hook("pager"), receive: ["critical"], sendResolved: true },
      { name: "chat", type: "webhook", url: hook("chat"), receive: ["critical", "warning"] },
      { name: "feed", type: "webhook", url: hook("feed"), receive: ["info"] },
      { name: "deadman", type: "webhook", url: hook("deadman"), receive: ["none"] },
    ],
  },
});

/** The placeholder of each webhook (`.../<namespace>/<secret>/<key>`) becomes a path of the receiver. */
function substituteUrls(yaml: string, hooks: WebhookReceiver): string {
  return yaml.replace(
    /https:\/\/[a-z0-9-]+\.invalid\/([a-z0-9-]+)\/alert-hooks\/([a-z]+)/g,
    (_, ns: string, key: string) => hooks.urlFor(`${ns}.${key}`),
  );
}

describe("live Alertmanager: every catalog alert reaches exactly the expected receivers", () => {
  requireTool("prometheus-alertmanager", "alertmanager");
  const g = generate(config);
  const merged = standaloneAlertmanagerConfig(g);
  const instances = alertInstances(g.resolved);
  let hooks: WebhookReceiver;
  let am: AlertmanagerSandbox;
  let received: Notification[] = [];

  before(async () => {
    hooks = await startWebhookReceiver();
    am = await startAlertmanager({ configYaml: substituteUrls(toYaml(merged.config), hooks) });
    await am.postAlerts(
      instances.map((i) => ({
        labels: { ...i.labels },
        annotations: { summary: `${i.alert} (live test)` },
        startsAt: new Date(),
      })),
    );
    // group_wait 1s: everything is out within a few seconds; then nothing more may come.
    received = await hooks.waitForQuiet(3000);
  });

  after(async () => {
    await am?.stop();
    await hooks?.close();
    await stopAll();
  });

  it("writes no credential and no webhook URL into the merged file", () => {
    assert.equal(
      merged.problems.filter((p) => p.severity === "error").length,
      0,
      JSON.stringify(merged.problems),
    );
    assert.doesNotMatch(toYaml(merged.config), /127\.0\.0\.1/);
  });

  /** `<receiver path>|<alertname>|<workload>` of each alert delivered. */
  const delivered = () =>
    received
      .flatMap((n) =>
        n.payload.alerts.map((a) => `${n.name}|${a.labels.alertname}|${a.labels.workload ?? "-"}`),
      )
      .sort();

  it("delivers what the routing tree and the inhibit rules predict, and nothing else", () => {
    const all = instances.map((i) => i.labels);
    const muted = new Set(inhibited(merged.config.inhibit_rules ?? [], all).map((x) => x.alert));
    const expected = instances
      .filter((_, idx) => !muted.has(idx))
      .flatMap((i) =>
        receiversFor(merged.config, i.labels)
          .filter((r) => !r.endsWith("/ai-scaling-alerts-unrouted") && r !== "null")
          .map((r) => {
            const [ns, , name] = r.split("/");
            return `${ns}.${name}|${i.alert}|${i.labels.workload ?? "-"}`;
          }),
      )
      .sort();
    assert.ok(expected.length > 20, `expected many notifications, got ${expected.length}`);
    assert.deepEqual(delivered(), expected, describeNotifications(received));
  });

  it("pages for critical alerts, chats for warnings, feeds info events, and keeps the heartbeat apart", () => {
    const d = new Set(delivered());
    assert.ok(d.has("ml-serving.pager|AIWorkloadScalingInactive|llm-chat"));
    assert.ok(d.has("ml-serving.chat|AIWorkloadScalingInactive|llm-chat"));
    assert.ok(d.has("ml-serving.chat|AIWorkloadPodsUnschedulable|llm-chat"));
    assert.ok(!d.has("ml-serving.pager|AIWorkloadPodsUnschedulable|llm-chat"), "warnings do not page");
    assert.ok(
      d.has("ml-serving.feed|AIWorkloadScaledDown|llm-chat") === false,
      "flapping mutes scale events",
    );
    assert.ok(d.has("ml-serving.deadman|AIScalingAlertsHeartbeat|-"));
    assert.ok(d.has("ml-batch.pager|AIWorkloadScalerErrors|reranker"));
    assert.ok(d.has("ml-batch.feed|AIWorkloadColdStart|reranker"));
    // Each namespace's alerts go only through its own AlertmanagerConfig (OnNamespace).
    for (const x of d) assert.ok(!x.startsWith("ml-serving.") || !x.endsWith("|reranker"), x);
  });

  it("honours the inhibitions: the explained alerts never arrive", () => {
    const d = delivered();
    for (const muted of [
      "AIWorkloadAtMaxReplicas|llm-chat", // ScalingInactive explains it
      "AIWorkloadScaleUpStalled|llm-chat",
      "AIWorkloadScaledUp|llm-chat", // AtMax / flapping
      "AIWorkloadScaledDown|llm-chat", // flapping
      "AIWorkloadScalingInactive|reranker", // the failing KEDA scaler explains it
      "AIWorkloadScaleUpStalled|reranker", // the slow cold start names it
    ]) {
      assert.ok(!d.some((x) => x.endsWith(`|${muted}`)), `${muted} should be inhibited`);
    }
  });

  it("sends one notification per group, as firing", () => {
    for (const n of received) {
      assert.equal(n.payload.status, "firing");
      assert.equal(n.payload.alerts.length, 1, "grouped by namespace, workload and alertname");
    }
  });
});
