/** The monitoring stack's Helm values, pure: they select what the generator produced. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { generate } from "../src/build.js";
import { parseConfig } from "../src/config/load.js";
import type { ConfigInput } from "../src/config/schema.js";
import {
  dcgmExporterValues,
  deepMerge,
  kubePrometheusStackValues,
  prometheusAdapterRules,
  prometheusAdapterValues,
} from "../src/monitoring-stack/index.js";

/* eslint-disable @typescript-eslint/no-explicit-any -- Helm values are untyped trees */
const gen = (c: ConfigInput) => generate(parseConfig(c));
const cpu = { minReplicas: 1, maxReplicas: 4, metrics: [{ type: "cpu" as const, targetUtilization: 80 }] };
const subset = (small: Record<string, string>, big: Record<string, string>) =>
  Object.entries(small).every(([k, v]) => big[k] === v);

describe("kubePrometheusStackValues", () => {
  const g = gen({
    namespace: "ml",
    monitoring: { ruleSelectorLabels: { release: "kps" } },
    workloads: [{ name: "chat", autoscaling: cpu }],
    notifications: {
      matcherStrategy: "None",
      receivers: [{ name: "hook", type: "webhook", url: { secret: "s", key: "k" } }],
    },
  });
  const values = kubePrometheusStackValues({
    ruleSelectorLabels: g.resolved.monitoring.ruleSelectorLabels,
    matcherStrategy: g.resolved.notifications?.matcherStrategy,
  }) as any;

  it("selects the PrometheusRule by the labels it carries, in every namespace", () => {
    const p = values.prometheus.prometheusSpec;
    assert.deepEqual(p.ruleSelector.matchLabels, { release: "kps" });
    assert.ok(subset(p.ruleSelector.matchLabels, g.prometheusRule.metadata.labels));
    assert.equal(p.ruleSelectorNilUsesHelmValues, false);
    assert.deepEqual(p.ruleNamespaceSelector, {});
  });

  it("selects the AlertmanagerConfigs by their labels and states the matcher strategy", () => {
    const a = values.alertmanager.alertmanagerSpec;
    assert.ok(g.alertmanagerConfigs.length > 0);
    for (const o of g.alertmanagerConfigs)
      assert.ok(subset(a.alertmanagerConfigSelector.matchLabels, o.metadata.labels));
    assert.deepEqual(a.alertmanagerConfigSelector.matchLabels, {
      "app.kubernetes.io/managed-by": "ai-scaling-alerts",
    });
    assert.deepEqual(a.alertmanagerConfigNamespaceSelector, {});
    assert.deepEqual(a.alertmanagerConfigMatcherStrategy, { type: "None" });
    const defaulted = kubePrometheusStackValues({ ruleSelectorLabels: {} }) as any;
    assert.deepEqual(defaulted.alertmanager.alertmanagerSpec.alertmanagerConfigMatcherStrategy, {
      type: "OnNamespace",
    });
  });
});

describe("dcgmExporterValues", () => {
  const labels = { release: "kps" };
  it("keeps honorLabels off for the default exported_pod / exported_namespace", () => {
    const g = gen({ workloads: [{ name: "chat", autoscaling: cpu }] });
    const v = dcgmExporterValues({ serviceMonitorLabels: labels, gpu: g.resolved.monitoring.gpu }) as any;
    assert.deepEqual(v.serviceMonitor, { enabled: true, honorLabels: false, additionalLabels: labels });
  });
  it("turns honorLabels on for pod / namespace, and refuses labels the chart cannot produce", () => {
    const on = dcgmExporterValues({
      serviceMonitorLabels: labels,
      gpu: { podLabel: "pod", namespaceLabel: "namespace" },
    }) as any;
    assert.equal(on.serviceMonitor.honorLabels, true);
    assert.throws(
      () =>
        dcgmExporterValues({
          serviceMonitorLabels: labels,
          gpu: { podLabel: "pod", namespaceLabel: "exported_namespace" },
        }),
      /cannot come from the dcgm-exporter chart/,
    );
  });
});

describe("prometheusAdapterRules", () => {
  const g = gen({
    namespace: "ml",
    monitoring: { queue: { selector: 'job="inference"' }, gpu: { selector: 'job="dcgm"' } },
    workloads: [
      {
        name: "vllm",
        autoscaling: {
          minReplicas: 1,
          maxReplicas: 8,
          metrics: [
            { type: "queue", server: "vllm", targetPerReplica: 4 },
            { type: "gpu", targetUtilization: 70 },
          ],
        },
      },
      {
        name: "triton",
        autoscaling: {
          minReplicas: 1,
          maxReplicas: 8,
          metrics: [
            { type: "queue", server: "triton", targetPerReplica: 2, hpaMetricName: "triton_queue" },
            { type: "pods", name: "already_served", averageValue: 3 },
          ],
        },
      },
      { name: "other", autoscaling: { ...cpu, metrics: [{ type: "gpu", targetUtilization: 50 }] } },
      { name: "legacy", existingHpa: true, signals: { queue: { server: "sglang", targetPerReplica: 1 } } },
    ],
  });
  const rules = prometheusAdapterRules(g);

  it("serves exactly the HPAs' gpu and queue metric names, once each", () => {
    const hpaNames = new Set(
      g.horizontalPodAutoscalers.flatMap((h) =>
        h.spec.metrics.flatMap((m) =>
          m.type === "Pods" && m.pods.metric.name !== "already_served" ? [m.pods.metric.name] : [],
        ),
      ),
    );
    assert.deepEqual(new Set(rules.map((r) => r.name.as)), hpaNames);
    assert.equal(rules.length, hpaNames.size);
    assert.deepEqual([...hpaNames].sort(), [
      "DCGM_FI_DEV_GPU_UTIL",
      "triton_queue",
      "vllm_num_requests_waiting",
    ]);
  });

  it("maps the series' labels to pods and renames the series to the HPA's name", () => {
    const by = Object.fromEntries(rules.map((r) => [r.name.as, r]));
    assert.deepEqual(by.vllm_num_requests_waiting, {
      seriesQuery: 'vllm:num_requests_waiting{namespace!="",pod!="",job="inference"}',
      resources: { overrides: { namespace: { resource: "namespace" }, pod: { resource: "pod" } } },
      name: { matches: "^vllm:num_requests_waiting$", as: "vllm_num_requests_waiting" },
      metricsQuery: 'sum by (<<.GroupBy>>) (vllm:num_requests_waiting{<<.LabelMatchers>>,job="inference"})',
    });
    assert.equal(by.triton_queue?.name.matches, "^nv_inference_pending_request_count$");
    const gpu = by.DCGM_FI_DEV_GPU_UTIL!;
    assert.equal(gpu.seriesQuery, 'DCGM_FI_DEV_GPU_UTIL{exported_namespace!="",exported_pod!="",job="dcgm"}');
    assert.deepEqual(Object.keys(gpu.resources.overrides).sort(), ["exported_namespace", "exported_pod"]);
    assert.match(gpu.metricsQuery, /^avg by \(<<\.GroupBy>>\)/);
  });

  it("refuses two series under one metric name", () => {
    const clash = gen({
      workloads: [
        {
          name: "a",
          autoscaling: {
            ...cpu,
            metrics: [{ type: "queue", server: "vllm", targetPerReplica: 1, hpaMetricName: "q" }],
          },
        },
        {
          name: "b",
          autoscaling: {
            ...cpu,
            metrics: [{ type: "queue", server: "tgi", targetPerReplica: 1, hpaMetricName: "q" }],
          },
        },
      ],
    });
    assert.throws(() => prometheusAdapterRules(clash), /custom metric q would be served from both/);
  });

  it("puts the rules and the Prometheus URL into the chart's values, default rules off", () => {
    const v = prometheusAdapterValues(g, {
      prometheusUrl: "http://prometheus-operated.monitoring.svc",
    }) as any;
    assert.deepEqual(v.prometheus, {
      url: "http://prometheus-operated.monitoring.svc",
      port: 9090,
      path: "",
    });
    assert.equal(v.rules.default, false);
    assert.deepEqual(v.rules.custom, rules);
  });
});

describe("deepMerge", () => {
  it("merges objects, replaces the rest, and leaves its inputs alone", () => {
    const base = { a: { b: 1, c: [1, 2] }, d: "x" };
    const merged = deepMerge(base, { a: { c: [3], e: true }, d: null });
    assert.deepEqual(merged, { a: { b: 1, c: [3], e: true }, d: null });
    assert.deepEqual(base, { a: { b: 1, c: [1, 2] }, d: "x" });
  });
});
