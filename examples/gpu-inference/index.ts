/**
 * A vLLM-style GPU inference service that scales on its request queue and on GPU utilisation,
 * with the full alert catalog, and a monitoring stack installed alongside: kube-prometheus-stack
 * (configured to load the PrometheusRule and merge the AlertmanagerConfig), NVIDIA dcgm-exporter
 * (GPU series) and prometheus-adapter (serves `vllm_num_requests_waiting` and
 * `DCGM_FI_DEV_GPU_UTIL` on the custom metrics API, which the HPA reads).
 *
 * The namespace is a Namespace resource's output: the children wait for it.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { AiScalingAlerts } from "ai-scaling-alerts/pulumi";

const cfg = new pulumi.Config();
const servingNamespace = new k8s.core.v1.Namespace("llm-serving", { metadata: { name: "llm-serving" } });

const alerts = new AiScalingAlerts("gpu-inference", {
  name: "gpu-inference",
  namespace: servingNamespace.metadata.name,
  workloads: [
    {
      name: "vllm-llama",
      kind: "Deployment",
      autoscaling: {
        minReplicas: 2,
        maxReplicas: 16,
        metrics: [
          { type: "queue", server: "vllm", targetPerReplica: 8 },
          { type: "gpu", targetUtilization: 75 },
        ],
      },
      labels: { team: "inference" },
    },
  ],
  notifications: {
    receivers: [
      { name: "oncall", type: "pagerduty", routingKey: { value: cfg.requireSecret("pagerdutyRoutingKey") } },
      {
        name: "inference-slack",
        type: "slack",
        apiUrl: { value: cfg.requireSecret("slackWebhookUrl") },
        channel: "#inference-alerts",
      },
    ],
  },
  monitoringStack: { install: true, dcgmExporter: true, prometheusAdapter: true },
});

export const hpas = alerts.horizontalPodAutoscalerNames;
export const prometheusRule = alerts.prometheusRuleName;
export const alertmanagerConfigs = alerts.alertmanagerConfigNames;
export const alertsByWorkload = alerts.alertsByWorkload;
