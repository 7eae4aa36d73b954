/**
 * The original design (a Pulumi Python program: an HPA, a PrometheusRule, and Alertmanager routing
 * it only talked about), done right with the AiScalingAlerts component, keeping its names:
 *
 * - HorizontalPodAutoscaler `ai-workload-hpa` for Deployment `ai-workload-deployment` in `default`,
 *   1 to 10 replicas at 80 % CPU;
 * - PrometheusRule `ai-workload-scaling-alert` in `monitoring`, with the alert
 *   `AIWorkloadHighCpuUtilization` (warning, 5m, CPU usage above 80 % of the CPU requested: the
 *   original compared cores with 0.8 on a label that does not exist) next to the scaling-event alerts;
 * - the routing it never built: e-mail, Slack and a webhook, credentials from Pulumi config secrets
 *   (`pulumi config set --secret slackWebhookUrl ...`), stored in a Secret the component creates;
 * - `alert_rule_name` exported, as before.
 *
 * Assumes, like the original, an existing kube-prometheus-stack (release `kube-prometheus-stack`).
 */
import * as pulumi from "@pulumi/pulumi";
import { AiScalingAlerts } from "ai-scaling-alerts/pulumi";

const cfg = new pulumi.Config();

const alerts = new AiScalingAlerts("ai-workload", {
  // The PrometheusRule takes the config's name and namespace; the workload has its own namespace.
  name: "ai-workload-scaling-alert",
  namespace: "monitoring",
  workloads: [
    {
      name: "ai-workload-deployment",
      namespace: "default",
      hpaName: "ai-workload-hpa",
      autoscaling: {
        minReplicas: 1,
        maxReplicas: 10,
        metrics: [{ type: "cpu", targetUtilization: 80 }],
      },
    },
  ],
  alerts: { AIWorkloadHighCpuUtilization: { threshold: 80, for: "5m", severity: "warning" } },
  notifications: {
    receivers: [
      {
        name: "email",
        type: "email",
        to: cfg.get("alertEmailTo") ?? "ml-oncall@example.com",
        from: cfg.get("alertEmailFrom") ?? "alertmanager@example.com",
        smarthost: cfg.get("smtpSmarthost") ?? "smtp.example.com:587",
        authUsername: cfg.get("smtpUsername") ?? "alertmanager@example.com",
        authPassword: { value: cfg.requireSecret("smtpPassword") },
      },
      {
        name: "slack",
        type: "slack",
        apiUrl: { value: cfg.requireSecret("slackWebhookUrl") },
        channel: cfg.get("slackChannel") ?? "#ai-workload-alerts",
      },
      {
        name: "webhook",
        type: "webhook",
        url: { value: cfg.requireSecret("webhookUrl") },
      },
    ],
  },
  monitoringStack: { ruleSelectorLabels: { release: "kube-prometheus-stack" } },
});

/** The PrometheusRule's name, as the original exported it. */
export const alert_rule_name = alerts.prometheusRuleName;
/** What each workload is alerted on. */
export const alerts_by_workload = alerts.alertsByWorkload;
