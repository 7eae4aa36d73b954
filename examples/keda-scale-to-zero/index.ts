/**
 * A KEDA workload that scales to zero: an LLM that is idle most of the day. KEDA's ScaledObject
 * wakes it on the requests queued at the gateway in front of it (a metric that exists while no pod
 * runs; the vLLM queue of its own pods does not) and scales it on its vLLM queue once running.
 *
 * Alerts: the catalog watches the HPA KEDA creates (`keda-hpa-summarizer`); zero replicas is a
 * normal state, so no failure alert fires while it sleeps. Instead it reports scaled to zero, woke
 * from zero (cold start), a cold start that overran its 8-minute budget, and a failing KEDA scaler.
 * Assumes KEDA 2.14+ and kube-prometheus-stack (release kube-prometheus-stack) in the cluster.
 */
import * as pulumi from "@pulumi/pulumi";
import { AiScalingAlerts } from "ai-scaling-alerts/pulumi";

const cfg = new pulumi.Config();

const alerts = new AiScalingAlerts("keda-scale-to-zero", {
  name: "summarizer-alerts",
  namespace: "batch-llm",
  workloads: [
    {
      name: "summarizer",
      autoscaling: {
        engine: "keda",
        minReplicas: 0,
        maxReplicas: 6,
        metrics: [
          {
            type: "prometheus",
            name: "gateway-queue",
            query: 'sum(gateway_requests_pending{route="summarizer"})',
            threshold: 10,
            activationThreshold: 0,
          },
          { type: "preset", preset: "vllm-queue", targetPerReplica: 8 },
        ],
        keda: { cooldownPeriod: 900, pollingInterval: 15 },
      },
      alerts: { AIWorkloadColdStartSlow: { for: "8m" } },
      labels: { team: "batch" },
    },
  ],
  notifications: {
    receivers: [
      { name: "oncall", type: "opsgenie", apiKey: { value: cfg.requireSecret("opsgenieApiKey") } },
      // Scaled to zero / cold start events, for the cost dashboard.
      { name: "scaling-feed", type: "webhook", url: { value: cfg.requireSecret("scalingFeedUrl") } },
    ],
  },
  monitoringStack: { ruleSelectorLabels: { release: "kube-prometheus-stack" } },
});

export const scaledObjects = alerts.scaledObjectNames;
export const prometheusRule = alerts.prometheusRuleName;
export const alertsByWorkload = alerts.alertsByWorkload;
