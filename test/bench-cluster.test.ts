/**
 * The rule-cost benchmark's synthetic cluster (bench/lib) exposed by the sandbox's series: the
 * roles' replica counts and conditions, pods as a sample of the replicas, KEDA's cold starts and
 * error counters (stray ScaledObjects included), the free GPUs, and the exporter over HTTP on the
 * sandbox's paths, each body accepted by the REAL `promtool check metrics`.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { after, describe, test } from "node:test";
import { parseConfig } from "../src/config/load.js";
import { resolveConfig } from "../src/config/resolve.js";
import { EXPORTER_PATHS, scrapeConfigs, type ExporterName } from "../src/sandbox/cluster/exporter.js";
import { cadvisorText, dcgmText, kedaText, kubeStateMetricsText } from "../src/sandbox/cluster/series.js";
import { buildCluster, configFor, strayScaledObjects, type Hpa, type State } from "../bench/lib/cluster.js";
import { directionsOf, flap, kedaPoll, kedaTick, reversalsIn, updateKedaErrors } from "../bench/lib/drift.js";
import { startExporter, type Exporter } from "../bench/lib/exporter.js";
import { alertKey, expectAt } from "../bench/lib/oracle.js";
import { stepVerdicts, type Scrape } from "../bench/lib/scale-steps.js";
import { requireTool } from "./support/tools.js";

/** The value of the one sample of `metric` whose labels include `labels`; undefined if none. */
function sample(text: string, metric: string, labels: Record<string, string>): number | undefined {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const lines = text
    .split("\n")
    .filter((l) => l.startsWith(`${metric}{`) && want.every((w) => l.includes(w)));
  assert.ok(lines.length <= 1, `${metric} ${want.join(",")}: ${lines.length} samples`);
  return lines[0] === undefined ? undefined : Number(lines[0].slice(lines[0].lastIndexOf(" ") + 1));
}

const START = 1_700_000_000_000;

function first(hpas: readonly Hpa[], state: State, kind = "Deployment"): Hpa {
  const h = hpas.find((x) => x.state === state && x.kind === kind);
  assert.ok(h, `no ${kind} in state ${state}`);
  return h;
}

describe("the benchmark's cluster through the sandbox's series", () => {
  const hpas = buildCluster(100, START);
  const rc = resolveConfig(parseConfig(configFor(hpas)));
  const ksm = kubeStateMetricsText(hpas, START);
  const hpaOf = (h: Hpa) => ({ namespace: h.namespace, horizontalpodautoscaler: h.hpa });
  const condition = (h: Hpa, c: string) =>
    sample(ksm, "kube_horizontalpodautoscaler_status_condition", {
      ...hpaOf(h),
      condition: c,
      status: "true",
    });

  test("two pods per workload, the replica counts the HPA's", () => {
    const maxed = first(hpas, "maxed");
    assert.equal(maxed.pods.length, 2);
    const d = { namespace: maxed.namespace, deployment: maxed.target };
    assert.equal(sample(ksm, "kube_deployment_spec_replicas", d), 8);
    assert.equal(sample(ksm, "kube_deployment_status_replicas_available", d), 8);
    assert.equal(condition(maxed, "ScalingLimited"), 1);
    const pod = { namespace: maxed.namespace, pod: maxed.pods[0]?.name ?? "?" };
    assert.equal(sample(ksm, "kube_pod_status_phase", { ...pod, phase: "Running" }), 1);
    assert.equal(
      sample(ksm, "kube_pod_container_resource_requests", { ...pod, resource: "memory" }),
      8 * 1024 ** 3,
    );
  });

  test("conditions per role", () => {
    assert.equal(condition(first(hpas, "maxedUnlimited"), "ScalingLimited"), 0, "at max, not limited");
    assert.equal(condition(first(hpas, "inactive"), "ScalingActive"), 0);
    assert.equal(condition(first(hpas, "unable"), "AbleToScale"), 0);
    const zero = first(hpas, "zero");
    assert.equal(condition(zero, "ScalingActive"), 0, "KEDA disables its HPA at zero");
    assert.equal(condition(zero, "ScalingLimited"), 1, "below its min of 1");
    assert.equal(condition(first(hpas, "normal"), "ScalingLimited"), 0);
  });

  test("a stalled StatefulSet: 3 of 5 available, its second pod Pending and unschedulable", () => {
    const h = first(hpas, "stalled", "StatefulSet");
    const s = { namespace: h.namespace, statefulset: h.target };
    assert.equal(sample(ksm, "kube_statefulset_replicas", s), 5);
    assert.equal(sample(ksm, "kube_statefulset_status_replicas_available", s), 3);
    const pod = { namespace: h.namespace, pod: `${h.target}-1` };
    assert.equal(sample(ksm, "kube_pod_status_phase", { ...pod, phase: "Pending" }), 1);
    assert.equal(sample(ksm, "kube_pod_status_unschedulable", pod), 1);
    assert.equal(sample(ksm, "kube_pod_owner", { ...pod, owner_kind: "StatefulSet" }), 1);
  });

  test("one free GPU per 50 HPAs next to the workloads' GPUs", () => {
    const dcgm = dcgmText(rc, hpas, START, 2);
    assert.equal(dcgm.split("\n").filter((l) => l.includes('UUID="GPU-free')).length, 2);
    const gpuPods = hpas.filter((h) => h.gpu).reduce((n, h) => n + h.pods.length, 0);
    assert.equal(dcgm.split("\n").filter((l) => l.includes("exported_pod=")).length, gpuPods);
  });

  test("KEDA: a wake is Pending and unavailable until the model has loaded, then runs", () => {
    const local = buildCluster(100, START);
    const cycling = local.filter((h) => h.state === "kedaCycle" && h.desired === 0);
    assert.ok(cycling.length > 0);
    // The cycle with phase p wakes at tick p (position 0); find the tick that wakes the first one.
    const h = cycling[0] as Hpa;
    const tick = h.keda?.phase ?? 0;
    const woken = START + tick * 30_000;
    kedaTick(local, woken, tick);
    assert.equal(h.desired, 1);
    const d = { namespace: h.namespace, deployment: h.target };
    let text = kubeStateMetricsText(local, woken);
    assert.equal(sample(text, "kube_deployment_status_replicas_available", d), 0);
    const pod = { namespace: h.namespace, pod: h.pods[0]?.name ?? "?" };
    assert.equal(sample(text, "kube_pod_status_phase", { ...pod, phase: "Pending" }), 1);
    assert.equal(
      sample(cadvisorText(local, woken, woken), "container_cpu_usage_seconds_total", pod),
      undefined,
    );
    kedaPoll(local, woken + 5_000);
    assert.equal(h.statusAvailable, 0, "still loading 5 s after the wake");
    kedaPoll(local, woken + 10_000);
    text = kubeStateMetricsText(local, woken + 10_000);
    assert.equal(sample(text, "kube_deployment_status_replicas_available", d), 1);
    assert.equal(sample(text, "kube_pod_status_phase", { ...pod, phase: "Running" }), 1);
    assert.deepEqual(h.availableHistory.at(-1), [woken + 10_000, 1], "for the oracle");
    // Its counter starts with the pod (the KEDA pods' at 0): 40% of 2 cores for 10 s.
    const cpu = cadvisorText(local, woken + 10_000, woken + 10_000);
    assert.equal(sample(cpu, "container_cpu_usage_seconds_total", { ...pod, container: "server" }), 8);
  });

  test("KEDA's error counters: the failing scaler's from 30 s on, the stray ScaledObjects' always", () => {
    const local = buildCluster(100, START);
    const strays = strayScaledObjects(100);
    const failing = local.find((h) => h.keda?.failing) as Hpa;
    const errors = (t: number) => {
      updateKedaErrors(local, strays, START, t);
      const keda = kedaText(rc, local, strays);
      return [failing.keda?.scaledObject ?? "?", strays[0]?.scaledObject ?? "?"].map((so) =>
        sample(keda, "keda_scaler_detail_errors_total", { scaledObject: so, triggerIndex: "0" }),
      );
    };
    assert.deepEqual(errors(START + 20_000), [0, 1]);
    assert.deepEqual(errors(START + 45_000), [2, 3]);
  });

  test("flapping HPAs move their scale target with them", () => {
    const local = buildCluster(100, START);
    const h = first(local, "flapping");
    flap(local, START + 10_000);
    const text = kubeStateMetricsText(local, START + 10_000);
    const d = { namespace: h.namespace, deployment: h.target };
    assert.equal(sample(text, "kube_horizontalpodautoscaler_status_desired_replicas", hpaOf(h)), 5);
    assert.equal(sample(text, "kube_deployment_spec_replicas", d), 5);
    assert.equal(sample(text, "kube_deployment_status_replicas_available", d), 5);
  });
});

describe("the benchmark's exporter", () => {
  let exporter: Exporter | undefined;
  after(async () => {
    await exporter?.close();
  });

  test("serves every exporter the sandbox's scrape jobs read, each body valid for promtool", async () => {
    const promtool = requireTool("promtool");
    const e = await startExporter(100);
    exporter = e;
    const paths = scrapeConfigs(e.rc, e.port).map((j) => j.metrics_path);
    assert.deepEqual(paths, Object.values(EXPORTER_PATHS));
    for (const [name, path] of Object.entries(EXPORTER_PATHS) as [ExporterName, string][]) {
      const res = await fetch(`http://127.0.0.1:${e.port}${path}`);
      assert.equal(res.status, 200, path);
      const body = await res.text();
      assert.ok(body.split("\n").length > 20, `${path}: ${body.length} bytes`);
      const r = spawnSync(promtool, ["check", "metrics"], { input: body, encoding: "utf8" });
      // Exit 3 is lint only (no HELP text, DCGM's camelCase labels); 1 would be a parse error.
      assert.ok(r.status === 0 || r.status === 3, `${path}: ${r.status} ${r.stdout}${r.stderr}`);
      assert.doesNotMatch(`${r.stdout}${r.stderr}`, /error while|parsing error/i, path);
      assert.ok(e.firstScrape.has(name), name);
    }
    assert.ok(e.stats.ksmBytes > 100_000);
    assert.equal((await fetch(`http://127.0.0.1:${e.port}/metrics/nope`)).status, 404);
  });
});

/** Scrapes every 5 s from `from` to `to`, each taking `duration` ms. */
function scrapesEvery5s(from: number, to: number, duration = 100): Scrape[] {
  const out: Scrape[] = [];
  for (let t = from; t <= to; t += 5000) out.push({ at: t, duration });
  return out;
}

/** A minute-aligned start, so that the subquery's 15 s steps fall at known offsets. */
const T0 = 1_700_000_040_000;

describe("the oracle of the scale steps (one alert per count)", () => {
  const scrapes = scrapesEvery5s(T0 - 120_000, T0 + 300_000);
  const history: [number, number][] = [
    [T0 - 200_000, 3],
    [T0 + 2_000, 5],
    [T0 + 32_000, 6],
  ];
  const at = (t: number) => stepVerdicts(history, scrapes, t - 500, t);

  test("a step is recorded at the first facts evaluation after its scrape, and holds for one minute", () => {
    assert.deepEqual([...at(T0 + 4_000).up], [], "not scraped yet");
    // Scraped at +5 s: recorded at the facts group's next evaluation, within 5 s (phase unknown).
    assert.deepEqual([...at(T0 + 8_000).up], [[5, "maybe"]]);
    assert.deepEqual([...at(T0 + 12_000).up], [[5, "yes"]]);
    assert.deepEqual([...at(T0 + 47_000).up].sort(), [
      [5, "yes"],
      [6, "yes"],
    ]);
    // A minute after the step to 5 was recorded, only the step to 6 remains.
    assert.deepEqual([...at(T0 + 75_000).up], [[6, "yes"]]);
    assert.deepEqual([...at(T0 + 110_000).up], [], "a minute after the step to 6");
    assert.equal(at(T0 + 47_000).down.size, 0);
  });

  test("a change while a scrape runs, or a scrape not yet stored, makes the step maybe", () => {
    const slow = scrapes.map((s) => (s.at === T0 ? { ...s, duration: 3000 } : s));
    assert.deepEqual([...stepVerdicts(history, slow, T0 + 4_500, T0 + 4_500).up], [[5, "maybe"]]);
    const late = scrapes.map((s) => (s.at === T0 + 5000 ? { ...s, duration: 2000 } : s));
    assert.deepEqual([...stepVerdicts(history, late, T0 + 6_000, T0 + 6_000).up], [[5, "maybe"]]);
    assert.deepEqual([...stepVerdicts(history, late, T0 + 13_000, T0 + 13_000).up], [[5, "yes"]]);
  });

  test("two changes within one sampling gap may be recorded as one step", () => {
    const quick: [number, number][] = [
      [T0 - 200_000, 2],
      [T0 + 2_000, 3],
      [T0 + 4_000, 4],
    ];
    const v = stepVerdicts(quick, scrapes, T0 + 20_000, T0 + 20_000);
    assert.deepEqual([...v.up].sort(), [
      [3, "maybe"],
      [4, "maybe"],
    ]);
  });

  test("a failed scrape reads as no sample, and makes a step near it maybe", () => {
    const failed = scrapes.map((s) => (s.at === T0 + 5000 ? { ...s, failed: true } : s));
    assert.deepEqual([...stepVerdicts(history, failed, T0 + 6_000, T0 + 6_000).up], []);
    assert.deepEqual([...stepVerdicts(history, failed, T0 + 20_000, T0 + 20_000).up], [[5, "maybe"]]);
  });

  test("KEDA: waking to 1 then 2 is one step up, and going to zero none down", () => {
    const keda: [number, number][] = [
      [T0 - 200_000, 0],
      [T0 + 2_000, 1],
      [T0 + 32_000, 2],
      [T0 + 92_000, 0],
    ];
    for (let t = T0; t <= T0 + 200_000; t += 5_000) {
      const v = stepVerdicts(keda, scrapes, t - 1000, t);
      assert.equal(v.down.size, 0, `down at +${t - T0}`);
      assert.ok(
        [...v.up.keys()].every((x) => x === 2),
        `up at +${t - T0}: ${[...v.up.keys()]}`,
      );
    }
    assert.deepEqual([...stepVerdicts(keda, scrapes, T0 + 50_000, T0 + 50_000).up], [[2, "yes"]]);
  });
});

describe("the oracle of flapping (reversals of the scaling direction)", () => {
  test("directions skip zero; reversals count changes of direction in the window", () => {
    const h = {
      history: [
        [0, 3],
        [10, 4],
        [20, 5],
        [30, 4],
        [40, 0],
        [50, 1],
        [60, 2],
        [70, 1],
      ],
    } as Hpa;
    const dirs = directionsOf(h);
    assert.deepEqual(dirs, [
      [10, 1],
      [20, 1],
      [30, -1],
      [60, 1],
      [70, -1],
    ]);
    assert.equal(reversalsIn(dirs, 0, 100), 3);
    assert.equal(reversalsIn(dirs, 25, 65), 1);
    assert.equal(reversalsIn(dirs, 0, 25), 0, "a long scale-up in steps is one direction");
  });

  test("flapping HPAs fire at the catalog's 3 reversals, the overridden one at 4", () => {
    const local = buildCluster(100, START);
    const flapping = local.filter((h) => h.state === "flapping");
    assert.deepEqual(
      flapping.map((h) => [h.slot, h.flappingThreshold, h.flappingWindowSeconds]),
      [
        [20, 3, 1800],
        [21, 4, 1800],
        [22, 3, 1800],
      ],
    );
    for (let k = 1; k <= 7; k++) flap(local, START + k * 10_000);
    // Changes every 10 s from 10 s on, each a reversal but the first, readable up to 15 s later;
    // the one at 10 s may come before B first recorded the desired replicas.
    const flappingAt = (q: number) => {
      const o = expectAt(local, q, START, new Map([["AIWorkloadScalingFlapping", [q - 1000, q]]]));
      return flapping.map((h) => {
        const k = alertKey({
          alertname: "AIWorkloadScalingFlapping",
          namespace: h.namespace,
          horizontalpodautoscaler: h.hpa,
        });
        return o.expected.has(k) ? "yes" : o.ambiguous.has(k) ? "maybe" : "no";
      });
    };
    assert.deepEqual(flappingAt(START + 36_000), ["no", "no", "no"], "2 reversals surely, 3 at most");
    assert.deepEqual(flappingAt(START + 42_000), ["maybe", "no", "maybe"]);
    assert.deepEqual(flappingAt(START + 56_000), ["maybe", "maybe", "maybe"], "2 surely, 4 at most");
    assert.deepEqual(flappingAt(START + 66_000), ["yes", "maybe", "yes"], "3 surely, 5 at most");
    assert.deepEqual(flappingAt(START + 76_000), ["yes", "yes", "yes"], "4 surely");
  });
});

describe("the oracle of a stuck cold start", () => {
  test("is a stalled scale-up once its 10m window has passed since the wake", () => {
    const local = buildCluster(100, START);
    const stuck = local.filter((h) => h.state === "coldStuck");
    assert.equal(stuck.length, 2);
    kedaTick(local, START + 30_000, 1);
    const stalledAt = (q: number) => {
      const o = expectAt(local, q, START, new Map([["AIWorkloadScaleUpStalled", [q - 1000, q]]]));
      return stuck.map((h) => {
        const k = alertKey({
          alertname: "AIWorkloadScaleUpStalled",
          namespace: h.namespace,
          horizontalpodautoscaler: h.hpa,
        });
        return o.expected.has(k) ? "yes" : o.ambiguous.has(k) ? "maybe" : "no";
      });
    };
    assert.deepEqual(stalledAt(START + 600_000), ["no", "no"], "9.5 min after the wake");
    assert.deepEqual(stalledAt(START + 630_000), ["maybe", "maybe"]);
    // Available replicas are recorded every minute: surely stalled a minute and more later.
    assert.deepEqual(stalledAt(START + 690_000), ["maybe", "maybe"]);
    assert.deepEqual(stalledAt(START + 720_000), ["yes", "yes"]);
  });
});
