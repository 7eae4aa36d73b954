/**
 * The declarative config: one description of the AI workloads and of where notifications go.
 * The zod schema below is the single source of the TypeScript types (`z.infer`), the runtime
 * validation and the published JSON Schema (`schema/config.schema.json`).
 */
import { z } from "zod";
import { ALERT_NAMES, CATALOG, SEVERITIES, type AlertName } from "../catalog/catalog.js";
import {
  expected,
  httpUrl,
  k8sName,
  labelName,
  metricName,
  namespaceName,
  positiveMilli,
  quantity,
} from "./primitives.js";
import { notificationsSchema } from "./notifications-schema.js";
import {
  alertDuration,
  alertmanagerVersion,
  int32,
  labelKey,
  labelMap,
  labelValue,
  metricIdentifier,
  promqlQuery,
  target,
} from "./bounded.js";
import { INT32_MAX, LIMITS } from "./limits.js";
import { PRESET_IDS } from "../presets/ai-metrics.js";

// ---------------------------------------------------------------------------------------------
// Monitoring conventions

const gpuSource = z
  .strictObject({
    metric: metricName
      .default("DCGM_FI_DEV_GPU_UTIL")
      .describe("GPU utilisation series, in percent (0-100)."),
    podLabel: labelName.default("exported_pod").describe("Label holding the pod name on the GPU series."),
    namespaceLabel: labelName
      .default("exported_namespace")
      .describe("Label holding the pod's namespace on the GPU series."),
    selector: z.string().default("").describe('Extra matchers for the GPU series, e.g. job="dcgm-exporter".'),
  })
  .describe(
    "The GPU series the GPU alerts and the dashboard read (NVIDIA dcgm-exporter's by default), and the labels that tie them to pods.",
  );

const queueSource = z
  .strictObject({
    podLabel: labelName.default("pod").describe("Label holding the pod name on inference-server series."),
    namespaceLabel: labelName.default("namespace").describe("Label holding the namespace on those series."),
    selector: z.string().default("").describe("Extra matchers for the queue series."),
  })
  .describe(
    "The inference servers' series (queue depth) the queue alerts read, and their pod and namespace labels.",
  );

const kedaSource = z
  .strictObject({
    namespaceLabel: labelName
      .default("exported_namespace")
      .describe(
        "Label holding the ScaledObject's namespace on KEDA's metrics (exported_namespace unless the scrape honours labels).",
      ),
    selector: z
      .string()
      .default("")
      .describe('Extra matchers for KEDA\'s metrics, e.g. job="keda-operator".'),
  })
  .describe("KEDA's own metrics (keda-operator), which the scaler-error alert reads.");

const labelSelectorRequirement = z.strictObject({
  key: labelKey.describe("Label key the requirement is about."),
  operator: z
    .enum(["In", "NotIn", "Exists", "DoesNotExist"])
    .describe(
      "In / NotIn: the label's value is (not) one of values; Exists / DoesNotExist: the label is (not) set.",
    ),
  values: z
    .array(labelValue)
    .optional()
    .describe("Values, for In and NotIn (leave out for Exists and DoesNotExist)."),
});
/** A Kubernetes label selector (`{}` selects everything). */
export const labelSelector = z.strictObject({
  matchLabels: labelMap
    .optional()
    .describe("Labels an object must carry, every one of them (label: value).")
    .meta({ examples: [{ release: "kube-prometheus-stack" }] }),
  matchExpressions: z
    .array(labelSelectorRequirement)
    .optional()
    .describe("Requirements an object must meet, every one of them."),
});
export type LabelSelector = z.infer<typeof labelSelector>;

/**
 * How the cluster's Prometheus and Alertmanager (Prometheus Operator custom resources) select
 * rules and AlertmanagerConfigs: what `verify` checks the generated objects against. The defaults
 * are kube-prometheus-stack's.
 */
const operatorSettings = z
  .strictObject({
    alertmanagerNamespace: namespaceName
      .default("monitoring")
      .describe("Namespace of the Alertmanager custom resource."),
    alertmanagerVersion: alertmanagerVersion
      .default("0.34.0")
      .describe(
        "Alertmanager version the merged alertmanager.yml targets (kube-prometheus-stack 88 runs 0.34.0; Debian 12 ships 0.25.0).",
      ),
    ruleSelector: labelSelector
      .optional()
      .describe("Prometheus spec.ruleSelector (default: matchLabels = monitoring.ruleSelectorLabels)."),
    ruleNamespaceSelector: labelSelector
      .nullable()
      .default({})
      .describe("Prometheus spec.ruleNamespaceSelector; {} = every namespace, null = its own only."),
    prometheusNamespace: namespaceName
      .default("monitoring")
      .describe("Namespace of the Prometheus custom resource (for a null ruleNamespaceSelector)."),
    alertmanagerConfigSelector: labelSelector
      .nullable()
      .default({})
      .describe("Alertmanager spec.alertmanagerConfigSelector; {} = every object, null = none."),
    alertmanagerConfigNamespaceSelector: labelSelector
      .nullable()
      .default({})
      .describe(
        "Alertmanager spec.alertmanagerConfigNamespaceSelector; {} = every namespace, null = its own only.",
      ),
    namespaceLabels: z
      .record(namespaceName, labelMap)
      .default({})
      .describe("Labels of namespaces, for namespace selectors (kubernetes.io/metadata.name is implied)."),
  })
  .describe(
    "How the cluster's Prometheus and Alertmanager (Prometheus Operator custom resources) select rules and AlertmanagerConfigs: what verify checks the generated objects against. The defaults are kube-prometheus-stack's.",
  );

/**
 * The generated Grafana dashboard (docs/dashboard.md): where it is delivered, and the Grafana
 * whose URL every alert links to in its `dashboard_url` annotation.
 */
const grafanaSettings = z
  .strictObject({
    dashboard: z
      .boolean()
      .default(true)
      .describe("Generate the dashboard (dashboard.json, and the ConfigMap for Grafana's sidecar)."),
    url: httpUrl(
      "Grafana's URL",
      "it is published in every alert's dashboard_url; give the address users open, without credentials",
    )
      .optional()
      .describe(
        "Base URL of your Grafana (e.g. https://grafana.example.com); with it every alert carries a dashboard_url annotation to the workload's view.",
      ),
    dashboardUid: z
      .string({ error: expected("a dashboard UID") })
      .regex(/^[a-zA-Z0-9_-]{1,40}$/, {
        error: (iss) =>
          `expected a Grafana dashboard UID (1 to 40 letters, digits, '-' or '_'), got ${JSON.stringify(String(iss.input).slice(0, 80))}`,
      })
      .optional()
      .describe("UID of the dashboard (default: derived from the config's namespace and name)."),
    namespace: namespaceName
      .optional()
      .describe(
        "Namespace of the dashboard's ConfigMap (default: the top-level namespace; Grafana's own namespace if its sidecar does not search them all).",
      ),
    folder: z
      .string({ error: expected("a folder name") })
      .min(1, { error: "must not be empty" })
      .max(200, { error: "must be at most 200 characters" })
      .refine((f) => !/[\p{Cc}]/u.test(f), { error: "must not hold control characters" })
      .default("AI workloads")
      .describe("Grafana folder of the dashboard, set as the ConfigMap's folder annotation."),
    folderAnnotation: labelKey
      .default("grafana_folder")
      .describe("Annotation the sidecar reads the folder from (its sidecar.dashboards.folderAnnotation)."),
    configMapLabels: labelMap
      .default({ grafana_dashboard: "1" })
      .describe(
        "Labels the sidecar selects dashboard ConfigMaps by (sidecar.dashboards.label / labelValue).",
      ),
  })
  .describe(
    "The generated Grafana dashboard: whether to generate it, where its ConfigMap goes, and the Grafana every alert's dashboard_url points to.",
  );

export const monitoringSchema = z
  .strictObject({
    ruleSelectorLabels: labelMap
      .default({})
      .describe(
        "Labels the PrometheusRule must carry for Prometheus to load it (kube-prometheus-stack: release: <helm release>).",
      )
      .meta({ examples: [{ release: "kube-prometheus-stack" }] }),
    kubeStateMetricsSelector: z
      .string()
      .default('job="kube-state-metrics"')
      .describe("Matchers that select kube-state-metrics series."),
    cadvisorSelector: z
      .string()
      .default('job="kubelet", metrics_path="/metrics/cadvisor"')
      .describe("Matchers that select cAdvisor container series."),
    clusterLabel: labelName
      .optional()
      .describe("Label that tells clusters apart, when one Prometheus sees several."),
    gpu: gpuSource.prefault({}),
    queue: queueSource.prefault({}),
    keda: kedaSource.prefault({}),
    operator: operatorSettings.prefault({}),
    grafana: grafanaSettings.prefault({}),
    runbookBaseUrl: httpUrl(
      "the runbook page's URL",
      "it is published in every alert's runbook_url; link a page that needs no credentials (or sits behind your single sign-on)",
    )
      .default("https://github.com/ai-scaling-alerts/ai-scaling-alerts/blob/main/docs/runbooks.md")
      .describe("URL of the runbook page; each alert links to <url>#<alertname in lower case>."),
  })
  .describe(
    "How the cluster's monitoring is set up: where the series come from and how they are labelled, how the Prometheus Operator selects objects, the Grafana dashboard, the runbooks. The defaults suit kube-prometheus-stack with dcgm-exporter.",
  );

// ---------------------------------------------------------------------------------------------
// Alert overrides

function alertOverrideSchema(name: AlertName) {
  const spec = CATALOG[name];
  const shape: Record<string, z.ZodType> = {
    enabled: z.boolean().optional().describe("Turn the alert off (false) or on."),
    for: alertDuration.optional().describe(`How long the condition must hold (default ${spec.for}).`),
    severity: z.enum(SEVERITIES).optional().describe(`Severity label (default ${spec.severity}).`),
  };
  if (spec.threshold) {
    const t = spec.threshold;
    shape.threshold = z
      .number({ error: `expected a number (${t.unit})` })
      .min(t.min, { error: `must be >= ${t.min} (${t.unit})` })
      .max(t.max, { error: `must be <= ${t.max} (${t.unit})` })
      .optional()
      .describe(`Threshold in ${t.unit} (default ${t.default}).`);
  }
  if (spec.window) {
    shape.window = alertDuration.optional().describe(`Counting window (default ${spec.window}).`);
  }
  return z.strictObject(shape).describe(spec.summary);
}

/** Per-alert overrides, keyed by alert name. */
export const alertOverridesSchema = z.strictObject(
  Object.fromEntries(ALERT_NAMES.map((n) => [n, alertOverrideSchema(n).optional()])) as unknown as Record<
    AlertName,
    z.ZodOptional<z.ZodType<AlertOverride, AlertOverride>>
  >,
);

/**
 * Per-alert overrides of one workload: the same keys, except that an alert about the alerting
 * itself rather than one workload (the heartbeat, AIScalingAlertsMetricsAbsent) is refused there
 * with a message that says where it goes, instead of being silently ignored.
 */
export const workloadAlertOverridesSchema = z.strictObject(
  Object.fromEntries(
    ALERT_NAMES.map((n) => [
      n,
      CATALOG[n].perWorkload
        ? alertOverrideSchema(n).optional()
        : z
            .never({
              error: `${n} is about the alerting itself, not per workload: set it under the top-level alerts`,
            })
            .optional(),
    ]),
  ) as unknown as Record<AlertName, z.ZodOptional<z.ZodType<AlertOverride, AlertOverride>>>,
);

export interface AlertOverride {
  enabled?: boolean;
  for?: string;
  severity?: (typeof SEVERITIES)[number];
  threshold?: number;
  window?: string;
}
export type AlertOverrides = Partial<Record<AlertName, AlertOverride>>;

// ---------------------------------------------------------------------------------------------
// Autoscaling

export const QUEUE_SERVERS = ["vllm", "triton", "tgi", "sglang"] as const;
export type QueueServer = (typeof QUEUE_SERVERS)[number];

const cpuMetric = z
  .strictObject({
    type: z.literal("cpu"),
    targetUtilization: z.number().int().min(1).max(1000).describe("Target CPU utilisation, % of requests."),
  })
  .describe("Scale on the pods' CPU usage, as a percentage of their CPU requests (an HPA Resource metric).");
const memoryMetric = z
  .strictObject({
    type: z.literal("memory"),
    targetUtilization: z
      .number()
      .int()
      .min(1)
      .max(1000)
      .describe("Target memory utilisation, % of requests."),
  })
  .describe(
    "Scale on the pods' memory usage, as a percentage of their memory requests (an HPA Resource metric).",
  );
const gpuMetric = z
  .strictObject({
    type: z.literal("gpu"),
    targetUtilization: positiveMilli
      .refine((n) => n >= 1 && n <= 100, { error: "must be between 1 and 100 (%)" })
      .describe("Target mean GPU utilisation per pod, %."),
    hpaMetricName: metricIdentifier
      .optional()
      .describe(
        "Custom-metrics API name the HPA reads (as exposed by prometheus-adapter); default DCGM_FI_DEV_GPU_UTIL.",
      ),
  })
  .describe(
    "Scale on the pods' mean GPU utilisation (dcgm-exporter's series through prometheus-adapter, an HPA Pods metric); it also turns on the GPU alerts.",
  );
const queueMetric = z
  .strictObject({
    type: z.literal("queue"),
    server: z.enum(QUEUE_SERVERS).describe("Inference server whose queue-depth metric is used."),
    targetPerReplica: target.describe("Target number of waiting requests per replica."),
    metric: metricName.optional().describe("Prometheus series of the queue depth (default: the server's)."),
    hpaMetricName: metricIdentifier
      .optional()
      .describe("Custom-metrics API name the HPA reads (default: the metric with ':' replaced by '_')."),
  })
  .describe(
    "Scale on the inference server's requests waiting per replica (an HPA Pods metric); it also turns on the queue alerts.",
  );
const presetMetric = z
  .strictObject({
    type: z.literal("preset"),
    preset: z.enum(PRESET_IDS).describe("A named AI metric preset (see README, metric presets)."),
    targetPerReplica: target.describe("Target value per replica, in the preset's unit."),
    hpaMetricName: metricIdentifier
      .optional()
      .describe("Custom-metrics API name the HPA reads (default: the series with ':' replaced by '_')."),
  })
  .describe(
    "Scale on a named AI metric preset, whose series and unit are known; a queue preset also turns on the queue alerts.",
  );
const prometheusTrigger = z
  .strictObject({
    type: z.literal("prometheus"),
    query: promqlQuery.describe(
      "PromQL giving one number (KEDA engine only), e.g. requests queued at the gateway.",
    ),
    threshold: target.describe("Target value (per replica with metricType AverageValue)."),
    activationThreshold: z
      .number()
      .min(0)
      .max(INT32_MAX, { error: `must be at most ${INT32_MAX}` })
      .optional()
      .describe("Wake from zero when the query is above this (KEDA activationThreshold, default 0)."),
    metricType: z
      .enum(["AverageValue", "Value"])
      .default("AverageValue")
      .describe(
        "AverageValue: the query's value divided by the replicas is held at threshold; Value: the value itself is.",
      ),
    name: k8sName.optional().describe("Trigger name, shown in KEDA's metrics (default trigger-<index>)."),
  })
  .describe(
    "A KEDA Prometheus trigger (engine keda only): scale on any PromQL query, e.g. requests queued at a gateway, the way to wake a workload from zero.",
  );
const metricSelector = z.strictObject({
  matchLabels: labelMap.describe("Labels the metric's series must carry."),
});
const metricNameIn = (api: string) =>
  metricIdentifier.describe(`Name of the metric in the ${api} metrics API.`);
const selectorField = () => metricSelector.optional().describe("Labels that narrow the metric's series.");
const podsMetric = z
  .strictObject({
    type: z.literal("pods"),
    name: metricNameIn("custom"),
    selector: selectorField(),
    averageValue: quantity
      .describe("Target average value per pod: a number or a Kubernetes quantity.")
      .meta({ examples: ["500m", 8] }),
  })
  .describe(
    "An HPA Pods metric from the custom metrics API, averaged over the workload's pods (engine hpa only).",
  );
const objectMetric = z
  .strictObject({
    type: z.literal("object"),
    name: metricNameIn("custom"),
    describedObject: z
      .strictObject({
        apiVersion: z.string().min(1).describe("API version of the object, e.g. networking.k8s.io/v1."),
        kind: z.string().min(1).describe("Kind of the object, e.g. Ingress."),
        name: k8sName.describe("Name of the object, in the workload's namespace."),
      })
      .describe("The Kubernetes object the metric describes."),
    selector: selectorField(),
    value: quantity.optional().describe("Target value of the metric (give value or averageValue)."),
    averageValue: quantity
      .optional()
      .describe("Target value divided by the number of pods (give value or averageValue)."),
  })
  .refine((m) => (m.value === undefined) !== (m.averageValue === undefined), {
    error: "give exactly one of value or averageValue",
  })
  .describe(
    "An HPA Object metric: a metric of one Kubernetes object, e.g. an Ingress's requests per second (engine hpa only).",
  );
const externalMetric = z
  .strictObject({
    type: z.literal("external"),
    name: metricNameIn("external"),
    selector: selectorField(),
    value: quantity.optional().describe("Target value of the metric (give value or averageValue)."),
    averageValue: quantity
      .optional()
      .describe("Target value divided by the number of pods (give value or averageValue)."),
  })
  .refine((m) => (m.value === undefined) !== (m.averageValue === undefined), {
    error: "give exactly one of value or averageValue",
  })
  .describe(
    "An HPA External metric from the external metrics API, not tied to a Kubernetes object (engine hpa only).",
  );

export const autoscalingMetricSchema = z.discriminatedUnion(
  "type",
  [
    cpuMetric,
    memoryMetric,
    gpuMetric,
    queueMetric,
    presetMetric,
    prometheusTrigger,
    podsMetric,
    objectMetric,
    externalMetric,
  ],
  {
    error:
      "expected a metric with type cpu, memory, gpu, queue, preset, prometheus, pods, object or external",
  },
);
export type AutoscalingMetric = z.infer<typeof autoscalingMetricSchema>;

const scalingPolicy = z
  .strictObject({
    type: z
      .enum(["Pods", "Percent"])
      .describe(
        "Pods: change by at most value pods per period; Percent: by at most value % of the current replicas.",
      ),
    value: int32(1).describe("Pods, or percent of the current replicas, allowed per period."),
    periodSeconds: z.number().int().min(1).max(1800).describe("Length of the period, in seconds."),
  })
  .describe("A limit on how fast the replica count changes.");
const scalingRules = z.strictObject({
  stabilizationWindowSeconds: z
    .number()
    .int()
    .min(0)
    .max(3600)
    .optional()
    .describe(
      "Seconds of past recommendations the HPA considers, so the replica count does not flap (Kubernetes' default: 0 up, 300 down).",
    ),
  selectPolicy: z
    .enum(["Max", "Min", "Disabled"])
    .optional()
    .describe(
      "Which policy wins when several apply: Max (the most change, Kubernetes' default), Min, or Disabled (no scaling this way).",
    ),
  policies: z
    .array(scalingPolicy)
    .min(1)
    .optional()
    .describe(
      "Limits on how fast the replicas change (Kubernetes' default: up by 4 pods or 100 % per 15 s, whichever is more; down by 100 % per 15 s).",
    )
    .meta({ examples: [[{ type: "Pods", value: 2, periodSeconds: 60 }]] }),
});
export type ScalingRules = z.infer<typeof scalingRules>;

const kedaSettings = z.strictObject({
  scaledObjectName: k8sName.optional().describe("Name of the ScaledObject (default: the workload's name)."),
  hpaName: k8sName
    .optional()
    .describe(
      "Name of the HPA KEDA creates (advanced.horizontalPodAutoscalerConfig.name; default keda-hpa-<scaledObjectName>).",
    ),
  prometheusServerAddress: httpUrl(
    "the URL of the Prometheus KEDA queries",
    "it is written in clear in the ScaledObject; KEDA takes a Prometheus' credentials from a Secret through a TriggerAuthentication (authModes basic or bearer), which this config does not generate: give an address that needs none",
  )
    .default("http://kube-prometheus-stack-prometheus.monitoring.svc:9090")
    .describe("Prometheus the triggers query (default: kube-prometheus-stack's service)."),
  pollingInterval: int32(1).default(15).describe("Seconds between trigger checks."),
  cooldownPeriod: int32(0)
    .default(300)
    .describe("Seconds after the last active trigger before scaling to zero."),
  initialCooldownPeriod: int32(0)
    .optional()
    .describe("Seconds after creation before scaling to zero is allowed."),
  fallback: z
    .strictObject({
      failureThreshold: int32(1).describe("Failed checks in a row before the fallback applies."),
      replicas: int32(1).describe("Replicas to hold while it applies."),
    })
    .optional()
    .describe("Replicas to hold while a trigger keeps failing."),
});
export type KedaSettings = z.infer<typeof kedaSettings>;
/** KEDA settings when none are given. */
export const KEDA_DEFAULTS: Omit<KedaSettings, "scaledObjectName" | "hpaName"> = kedaSettings.parse({});

const POD_LOCAL_METRICS = new Set(["cpu", "memory", "gpu", "queue", "preset", "pods"]);
const KEDA_METRICS = new Set(["cpu", "memory", "gpu", "queue", "preset", "prometheus"]);

const autoscalingSchema = z
  .strictObject({
    engine: z
      .enum(["hpa", "keda"])
      .default("hpa")
      .describe("hpa: generate an autoscaling/v2 HPA; keda: a KEDA ScaledObject (allows scale to zero)."),
    minReplicas: int32(0).describe("Minimum replicas; 0 (scale to zero) needs engine: keda."),
    maxReplicas: int32(1).describe("Maximum replicas."),
    metrics: z
      .array(autoscalingMetricSchema)
      .min(1, { error: "give at least one metric" })
      .describe(
        "What the workload scales on; with several, the replica count is the largest any of them asks for.",
      )
      .meta({
        examples: [
          [
            { type: "queue", server: "vllm", targetPerReplica: 8 },
            { type: "gpu", targetUtilization: 75 },
          ],
        ],
      }),
    behavior: z
      .strictObject({
        scaleUp: scalingRules.optional().describe("How fast it scales up."),
        scaleDown: scalingRules.optional().describe("How fast it scales down."),
      })
      .optional()
      .describe(
        "How fast the replica count may change (the HPA's behavior; with engine keda, the HPA KEDA creates).",
      ),
    keda: kedaSettings.optional().describe("KEDA settings (engine: keda)."),
  })
  .superRefine(
    (a, ctx) => {
      const issue = (path: (string | number)[], message: string) =>
        ctx.addIssue({ code: "custom", path, message });
      if (
        typeof a.minReplicas === "number" &&
        typeof a.maxReplicas === "number" &&
        a.maxReplicas < a.minReplicas
      ) {
        issue(["maxReplicas"], `must be >= minReplicas (${a.minReplicas}), got ${a.maxReplicas}`);
      }
      const engine = a.engine ?? "hpa";
      if (a.minReplicas === 0 && engine !== "keda") {
        issue(["minReplicas"], "must be >= 1 with engine hpa (scale to zero needs engine: keda)");
      }
      if (a.keda !== undefined && engine !== "keda") issue(["keda"], "only allowed with engine: keda");
      const metrics = Array.isArray(a.metrics) ? a.metrics : [];
      const seen = new Set<string>();
      metrics.forEach((m, i) => {
        if (typeof m !== "object" || m === null) return;
        const key = m.type === "preset" ? `preset ${m.preset}` : m.type;
        if (m.type !== "pods" && m.type !== "object" && m.type !== "external" && m.type !== "prometheus") {
          if (seen.has(key)) issue(["metrics", i, "type"], `metric ${key} given twice`);
          seen.add(key);
        }
        if (engine === "keda" && !KEDA_METRICS.has(m.type)) {
          issue(
            ["metrics", i, "type"],
            `type ${m.type} is not available with engine keda; use type prometheus with a PromQL query`,
          );
        }
        if (engine === "hpa" && m.type === "prometheus") {
          issue(["metrics", i, "type"], "type prometheus needs engine: keda (an HPA cannot run PromQL)");
        }
      });
      // At zero replicas, metrics read from the workload's own pods do not exist: a workload that
      // only has such triggers is never woken up again.
      if (engine === "keda" && a.minReplicas === 0 && metrics.every((m) => POD_LOCAL_METRICS.has(m?.type))) {
        issue(
          ["metrics"],
          "with minReplicas 0 at least one metric must exist while no pod runs: add a type prometheus trigger on a metric of the gateway or router in front of the workload (cpu, memory, gpu, queue and preset metrics come from the workload's own pods and read nothing at zero replicas, so it would never wake up)",
        );
      }
    },
    // Run even when another field of this object is invalid, so every problem is reported at once.
    { when: () => true },
  );
export type Autoscaling = z.infer<typeof autoscalingSchema>;

// ---------------------------------------------------------------------------------------------
// Workloads

const queueSignal = z.strictObject({
  server: z.enum(QUEUE_SERVERS).describe("Inference server, whose queue-depth series is known."),
  targetPerReplica: target.describe(
    "Waiting requests per replica the workload is sized for (the queue alerts compare with it).",
  ),
  metric: metricName.optional().describe("Prometheus series of the queue depth (default: the server's)."),
});

export const RESERVED_LABELS = new Set([
  "alertname",
  "severity",
  "event",
  "namespace",
  "horizontalpodautoscaler",
  "workload",
  "workload_kind",
  "alert_variant",
  // KEDA's labels, kept on AIWorkloadScalerErrors.
  "scaledObject",
  "scaler",
  "metric",
  "pod",
  "job",
  "instance",
]);

const workloadSchema = z
  .strictObject({
    name: k8sName.describe("Name of the Deployment or StatefulSet."),
    namespace: namespaceName.optional().describe("Namespace (default: the top-level namespace)."),
    kind: z.enum(["Deployment", "StatefulSet"]).default("Deployment").describe("Kind of the workload."),
    hpaName: k8sName.optional().describe("Name of the HPA (default: the workload's name)."),
    autoscaling: autoscalingSchema
      .optional()
      .describe("Generate an HPA (with engine keda, a KEDA ScaledObject) with these settings."),
    existingHpa: z
      .boolean()
      .optional()
      .describe("true: an HPA already exists for this workload; only alert on it."),
    signals: z
      .strictObject({
        gpu: z.boolean().optional().describe("The workload's pods use GPUs reported by DCGM."),
        queue: queueSignal.optional().describe("The workload serves an inference queue."),
        keda: z
          .strictObject({
            scaledObject: k8sName.describe("Name of the existing KEDA ScaledObject."),
            scaleToZero: z
              .boolean()
              .default(false)
              .describe("Its minReplicaCount is 0: zero replicas is a normal state, not an outage."),
          })
          .optional()
          .describe("An existing KEDA ScaledObject drives this workload's HPA (with existingHpa: true)."),
      })
      .optional()
      .describe("Data the workload exposes, for alerts (implied by gpu/queue autoscaling metrics)."),
    alerts: workloadAlertOverridesSchema.optional().describe("Per-alert overrides for this workload."),
    labels: z
      .record(labelName, z.string())
      .optional()
      .describe("Extra labels on every alert of the workload, e.g. for routing by team.")
      .meta({ examples: [{ team: "inference" }] }),
  })
  .superRefine((w, ctx) => {
    if (w.autoscaling && w.existingHpa) {
      ctx.addIssue({
        code: "custom",
        path: ["existingHpa"],
        message: "give either autoscaling (generate an HPA) or existingHpa: true (only alert), not both",
      });
    }
    if (w.autoscaling?.engine === "keda" && w.hpaName !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["hpaName"],
        message: "KEDA names the HPA it creates: set autoscaling.keda.hpaName instead",
      });
    }
    if (w.signals?.keda && w.autoscaling) {
      ctx.addIssue({
        code: "custom",
        path: ["signals", "keda"],
        message: "only for an existing ScaledObject (existingHpa: true); with autoscaling use engine: keda",
      });
    }
    if (!w.autoscaling && !w.existingHpa) {
      ctx.addIssue({
        code: "custom",
        path: ["autoscaling"],
        message:
          "required: give autoscaling (generate an HPA) or existingHpa: true (an HPA exists, only alert)",
      });
    }
    for (const key of Object.keys(w.labels ?? {})) {
      if (RESERVED_LABELS.has(key)) {
        ctx.addIssue({
          code: "custom",
          path: ["labels", key],
          message: `label ${key} is set by the alerts themselves and cannot be overridden`,
        });
      }
    }
    const queueMetricSpec = w.autoscaling?.metrics.find((m) => m.type === "queue");
    const q = w.signals?.queue;
    if (
      queueMetricSpec &&
      q &&
      (q.server !== queueMetricSpec.server ||
        q.targetPerReplica !== queueMetricSpec.targetPerReplica ||
        q.metric !== queueMetricSpec.metric)
    ) {
      ctx.addIssue({
        code: "custom",
        path: ["signals", "queue"],
        message: "conflicts with the queue metric in autoscaling.metrics; give it in one place",
      });
    }
  })
  .describe(
    "One AI workload (a Deployment or StatefulSet): the HPA or KEDA ScaledObject to generate for it, or the existing HPA to watch, and its alerts.",
  );
/** A workload as a user writes it, documented field by field (`types.ts`, equal to the schema's input). */
export type { WorkloadInput } from "./types.js";

export * from "./notifications-schema.js";

// ---------------------------------------------------------------------------------------------
// The whole config

export const configSchema = z
  .strictObject({
    name: k8sName
      .max(LIMITS.labelValueChars, {
        error: `must be at most ${LIMITS.labelValueChars} characters: it is the value of the label app.kubernetes.io/part-of on every generated object`,
      })
      .default("ai-scaling-alerts")
      .describe("Base name of the generated PrometheusRule and AlertmanagerConfig."),
    namespace: namespaceName
      .default("default")
      .describe("Default namespace of workloads and generated objects."),
    monitoring: monitoringSchema.prefault({}),
    alerts: alertOverridesSchema.optional().describe("Overrides that apply to every workload."),
    workloads: z
      .array(workloadSchema)
      .min(1, { error: "give at least one workload" })
      .describe("The workloads to autoscale and alert on."),
    notifications: notificationsSchema.optional(),
  })
  .describe(
    "The ai-scaling-alerts config: the AI workloads to autoscale and alert on, how the cluster's monitoring is set up, and where notifications go.",
  );

/** A validated config, with defaults filled in. */
export type Config = z.infer<typeof configSchema>;
/**
 * The config as written by a user (defaults optional): the documented interfaces of `types.ts`,
 * which `test/config-types.test.ts` proves equal to `z.input<typeof configSchema>`.
 */
export type { ConfigInput } from "./types.js";
export type Workload = Config["workloads"][number];
export type Notifications = z.infer<typeof notificationsSchema>;
