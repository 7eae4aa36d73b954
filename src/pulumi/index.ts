/**
 * ai-scaling-alerts for Pulumi (`import { AiScalingAlerts } from "ai-scaling-alerts/pulumi"`). Needs
 * the optional peer dependencies `@pulumi/pulumi` and `@pulumi/kubernetes`; nothing else in the
 * package imports them.
 *
 * @packageDocumentation
 */
export { AiScalingAlerts, AI_SCALING_ALERTS_TYPE, alertsByWorkload } from "./component.js";
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
export { CREDENTIAL_FIELDS } from "./credentials.js";
export { DEFAULT_MONITORING_NAMESPACE, DEFAULT_RELEASE_NAME } from "./monitoring-stack.js";
export { childName, kindSlug } from "./children.js";
export * from "../monitoring-stack/index.js";
