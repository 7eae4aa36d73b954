/**
 * ai-scaling-alerts for Pulumi: the {@link AiScalingAlerts} component
 * (`import { AiScalingAlerts } from "ai-scaling-alerts/pulumi"`). Needs the optional peer
 * dependencies `@pulumi/pulumi` and `@pulumi/kubernetes`; nothing else in the package imports them.
 *
 * @module ai-scaling-alerts/pulumi
 */
export { AiScalingAlerts, AI_SCALING_ALERTS_TYPE } from "./component.js";
export type {
  AiScalingAlertsArgs,
  AiScalingAlertsConfig,
  CredentialInput,
  MonitoringStackArgs,
  MonitoringStackValues,
  NotificationsArgs,
  ReceiverArgs,
  SecretValue,
  SecretsArgs,
  WorkloadArgs,
} from "./args.js";
export type { MonitoringStackResources } from "./monitoring-stack.js";
