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
import { flap, kedaPoll, kedaTick, updateKedaErrors } from "../bench/lib/drift.js";
import { startExporter, type Exporter } from "../bench/lib/exporter.js";
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
