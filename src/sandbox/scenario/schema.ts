/**
 * The scenario format: a small YAML file that says what the simulated cluster does over time and
 * which notifications that must produce. See `scenarios/README.md` for the reference and
 * `schema/scenario.schema.json` (generated from this file) for editor completion.
 */
import { z } from "zod";
import { ALERT_NAMES } from "../../catalog/catalog.js";
import { duration, expected, labelName } from "../../config/primitives.js";

/** A replica count: a number, or relative to the HPA's bounds: `min`, `max`, `min+2`, `max-1`. */
export const REPLICAS_RE = /^(min|max)([+-]\d+)?$/;
const replicas = z.union([
  z.number().int().min(0).max(100_000),
  z.string().regex(REPLICAS_RE, { error: 'expected a number or min, max, "min+N", "max-N"' }),
]);

const percent = z.number().min(0).max(1000);

/** What a step changes on the workload (every field optional; unset fields keep their value). */
export const stepSetSchema = z
  .strictObject({
    replicas: replicas
      .optional()
      .describe(
        "Desired and current replicas of the HPA (and the scale target's spec). Available replicas follow after the workload's startup time unless `available` is set.",
      ),
    desired: replicas.optional().describe("The HPA's desired replicas only."),
    current: replicas.optional().describe("The HPA's current replicas only."),
    available: replicas.optional().describe("Available (ready) replicas of the scale target."),
    min: z.number().int().min(0).max(100_000).optional().describe("The HPA's spec.minReplicas."),
    max: z.number().int().min(1).max(100_000).optional().describe("The HPA's spec.maxReplicas."),
    startup: duration
      .optional()
      .describe("How long a new pod takes to become available (model load), from now on. Default 0s."),
    ableToScale: z.boolean().optional().describe("The AbleToScale condition."),
    scalingActive: z
      .boolean()
      .optional()
      .describe("The ScalingActive condition (false: metrics unavailable). Default: false only at zero."),
    scalingLimited: z
      .boolean()
      .optional()
      .describe(
        "The ScalingLimited condition. Default: true when desired replicas are at max (or below min).",
      ),
    unschedulable: z
      .number()
      .int()
      .min(0)
      .max(10_000)
      .optional()
      .describe("How many of the not-yet-available pods are Pending and unschedulable."),
    gpuUtilization: percent.optional().describe("Mean GPU utilisation of the running pods, %."),
    queuePerReplica: z.number().min(0).max(1e6).optional().describe("Requests waiting per running pod."),
    cpuUtilization: percent.optional().describe("CPU used as % of the CPU requested."),
    scalerErrors: z
      .boolean()
      .optional()
      .describe("KEDA: whether the ScaledObject's first trigger fails (its error counter grows)."),
  })
  .describe("What the step changes.");

/** Faults a step can inject into the alert path itself. */
export const FAULTS = [
  "receiver-down",
  "receiver-up",
  "alertmanager-restart",
  "prometheus-restart",
  "prometheus-crash",
  "prometheus-stop",
  "kube-state-metrics-down",
  "kube-state-metrics-up",
  "hpa-deleted",
] as const;
export type Fault = (typeof FAULTS)[number];

export const stepSchema = z.strictObject({
  at: duration.describe("Scenario time of the step, from the start."),
  note: z.string().max(200).optional().describe("What happens, in a few words (shown in the timeline)."),
  target: z
    .enum(["workload", "unconfigured"])
    .default("workload")
    .describe("workload: the scenario's workload; unconfigured: an HPA that is not in the config."),
  set: stepSetSchema.default({}),
  fault: z
    .enum(FAULTS)
    .optional()
    .describe(
      "A fault in the alert path: receiver-down/-up (the receivers answer 503, then 200 again), alertmanager-restart, prometheus-restart (SIGTERM) or -crash (SIGKILL), restarted on the same port and storage; prometheus-stop (for good); kube-state-metrics-down/-up (its scrapes fail); hpa-deleted (kube-state-metrics no longer knows the workload's HPA).",
    ),
});

export const expectationSchema = z.strictObject({
  alert: z.enum(ALERT_NAMES, { error: expected(`one of the catalog's alerts (${ALERT_NAMES.join(", ")})`) }),
  status: z
    .enum(["firing", "resolved"])
    .default("firing")
    .describe("firing, or resolved (only receivers that are told about resolutions get it)."),
  at: duration.describe("Scenario time of the step that causes it."),
  within: duration.describe("How long after `at` it may arrive (the deadline)."),
  labels: z
    .record(labelName, z.string())
    .optional()
    .describe('Labels the alert must carry, e.g. { replicas: "6" }.'),
  receivers: z
    .array(z.string().min(1))
    .optional()
    .describe("Receivers (config names) that must get it. Default: those the config routes it to."),
  optional: z
    .boolean()
    .default(false)
    .describe(
      "May arrive but need not: for a notification whose delivery races another alert (e.g. a step that an inhibiting alert may or may not mute in time).",
    ),
});

export const scenarioSchema = z
  .strictObject({
    name: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]*$/, { error: "expected lower-case letters, digits and '-'" })
      .describe("Short name, as given to --scenario."),
    description: z.string().min(1).max(500).describe("What the scenario shows, in a sentence or two."),
    duration: duration.describe("How long the scenario runs (scenario time)."),
    workload: z
      .strictObject({
        needs: z
          .enum(["any", "gpu", "queue", "cpu", "scaleToZero", "keda"])
          .default("any")
          .describe("Which of the config's workloads the steps drive: the first one that has this."),
      })
      .default({ needs: "any" }),
    steps: z.array(stepSchema).min(1),
    expect: z
      .array(expectationSchema)
      .default([])
      .describe("The notifications it must produce; any other notification fails the run."),
    neverFires: z
      .array(z.enum(ALERT_NAMES))
      .default([])
      .describe(
        "Alerts that must not even fire for the workload (stricter than no notification: an alert that fires and resolves inside group_wait, or is inhibited, is never notified).",
      ),
  })
  .describe("A sandbox scenario.");

/** A scenario as written (defaults not yet applied). */
export type ScenarioInput = z.input<typeof scenarioSchema>;
/** A validated scenario with defaults. */
export type Scenario = z.output<typeof scenarioSchema>;
export type ScenarioStep = Scenario["steps"][number];
export type StepSet = ScenarioStep["set"];
export type Expectation = Scenario["expect"][number];
export type WorkloadNeed = Scenario["workload"]["needs"];
