/**
 * Every library scenario, end to end on the real Prometheus and Alertmanager at sandbox speed:
 * the exact set of notifications (alert, workload, receiver, firing/resolved), each inside its
 * window, and nothing else. A missing binary fails these tests.
 */
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { loadConfigFile } from "../src/config/load.js";
import type { Config } from "../src/config/schema.js";
import { runSandbox } from "../src/sandbox/run.js";
import { libraryScenarios, loadScenario } from "../src/sandbox/scenario/load.js";
import { summaryTable } from "../src/sandbox/summary.js";
import type { SandboxTimeline } from "../src/sandbox/timeline.js";
import { stopAll } from "../src/sandbox/index.js";
import { withoutMuteIntervals } from "../src/sandbox/config-variants.js";

after(() => stopAll());

const SPEED = 30;
const BUNDLED = "examples/llm-serving.yaml";
const KEDA = "examples/batch-llm-keda.yaml";

async function run(config: Config, scenario: string): Promise<SandboxTimeline> {
  const lines: string[] = [];
  const t = await runSandbox({
    config,
    scenario: loadScenario(scenario),
    speed: SPEED,
    log: (l) => lines.push(l),
  });
  if (!t.passed) console.log([...lines, ...summaryTable(t)].join("\n"));
  return t;
}

function assertExact(t: SandboxTimeline): void {
  const missing = t.expectations.filter((e) => !e.ok);
  const unexpected = t.notifications.filter((n) => !n.expected);
  assert.deepEqual(
    { missing, unexpected },
    { missing: [], unexpected: [] },
    `scenario ${t.scenario.name}: expected notifications missing or unexpected ones arrived`,
  );
  assert.equal(t.passed, true);
}

const configFor = (name: string) => (name.startsWith("keda-") ? KEDA : BUNDLED);

describe("library scenarios on the real binaries", { concurrency: 2 }, () => {
  // The fault scenarios have their own checks (test/sandbox-faults.test.ts).
  for (const name of libraryScenarios().filter((n) => !n.startsWith("fault-"))) {
    test(`${name} (${configFor(name)})`, async () => {
      const t = await run(loadConfigFile(configFor(name)), name);
      assertExact(t);
      // The heartbeat reaches the dead man's switch in every run.
      assert.ok(
        t.notifications.some(
          (n) =>
            n.receiver === "deadmans-switch" &&
            n.alerts.some((a) => a.alertname === "AIScalingAlertsHeartbeat"),
        ),
        "the heartbeat reached deadmans-switch",
      );
    });
  }
});

describe("the scale-event feed, unmuted", () => {
  test("a burst and its slow scale-down: every step notified once, no flapping", async () => {
    const t = await run(withoutMuteIntervals(loadConfigFile(BUNDLED)), "scale-down-after-spike");
    assertExact(t);
    const feed = t.notifications
      .filter((n) => n.receiver === "scaling-feed")
      .flatMap((n) =>
        n.alerts.filter((a) => a.status === "firing").map((a) => `${a.alertname}:${a.labels.replicas}`),
      );
    assert.deepEqual(feed, [
      "AIWorkloadScaledUp:6",
      "AIWorkloadScaledUp:8",
      "AIWorkloadScaledDown:7",
      "AIWorkloadScaledDown:6",
      "AIWorkloadScaledDown:5",
      "AIWorkloadScaledDown:4",
      "AIWorkloadScaledDown:3",
      "AIWorkloadScaledDown:2",
    ]);
    assert.ok(!t.alerts.some((a) => a.alertname === "AIWorkloadScalingFlapping"), "no flapping alert");
  });
});
