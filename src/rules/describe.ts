/**
 * Alert descriptions: Prometheus (Go) templates that show the real numbers (from/to replicas,
 * min/max, the HPA's metrics against their targets, thresholds) looked up when the alert fires.
 *
 * Annotations are expanded at every evaluation of every pending or firing alert, so lookups cost
 * in proportion to the active alerts. Each description therefore makes ONE `query`: the facts it
 * needs are `or`-ed into one expression, each tagged with a `fact` label, and a preamble copies
 * them into template variables that the text then uses.
 */
import { SCALE_EVENT_LOOKBACK, SCALE_STEP_RESOLUTION, type AlertName } from "../catalog/catalog.js";
import { KSM, SERIES, type RuleContext } from "./context.js";
import { formatNumber, printfLiteral } from "./promql.js";

type Fact =
  "from" | "desired" | "current" | "min" | "max" | "available" | "queueTarget" | "threshold" | "metrics";

/** Template snippets for one description; {@link Describer.finish} assembles the result. */
export interface Describer {
  /** `{{ $value }}` as a whole number. */
  readonly value: string;
  /** `{{ $value }}` humanized (85, 1.5k, 250m). */
  readonly valueHuman: string;
  /**
   * The "from" of a scale event: for AIWorkloadScaledUp the highest non-zero count below the
   * alert's value the HPA wanted within the lookback (one lookback ago included), for
   * AIWorkloadScaledDown the lowest above it: the count just before this step, even when steps
   * follow each other within the lookback. For other alerts the desired replicas one lookback ago.
   */
  readonly from: string;
  readonly desired: string;
  readonly current: string;
  readonly min: string;
  readonly max: string;
  /** Available replicas of the scale target (recorded). */
  readonly available: string;
  /** The workload's queue target per replica. */
  readonly queueTarget: string;
  /** "min 2, max 8" */
  readonly minMax: string;
  /** "Metrics: gpu 85 (target 70, above target); ..." from the HPA's status and spec metrics. */
  readonly metrics: string;
  /** The threshold in force for this workload and this description's alert. */
  readonly threshold: string;
  /** The description: the lookup preamble (only for the facts used) followed by `text`. */
  finish(text: string): string;
}

/** The template variable holding a fact: `$min`, `$metrics`... */
const VAR = (f: Fact) => `$${f}`;

/** A describer for one alert. */
export function describer(ctx: RuleContext, alert: AlertName): Describer {
  const cluster = ctx.rc.monitoring.clusterLabel;
  // printf's explicit argument indexes let every selector reuse the same arguments.
  const hpa = ["namespace=%[1]q", "horizontalpodautoscaler=%[2]q", ...(cluster ? [`${cluster}=%[3]q`] : [])];
  const args = [
    "$labels.namespace",
    "$labels.horizontalpodautoscaler",
    ...(cluster ? [`$labels.${cluster}`] : []),
  ];
  const ksm = (metric: string) =>
    `${metric}{${[printfLiteral(ctx.ksm), ...hpa].filter((m) => m !== "").join(",")}}`;
  const recorded = (series: string) => `${series}{${hpa.join(",")}}`;
  const thresholdDefault = ctx.rc.alertDefaults[alert].threshold;

  const specMax = `max by (metric_name, metric_target_type) (${ksm(KSM.specMetric)})`;
  const status = `max by (metric_name, metric_target_type) (${ksm(KSM.statusMetric)}) * on (metric_name, metric_target_type) group_left(target) (0 * count_values by (metric_name, metric_target_type) ("target", ${specMax}) + 1)`;
  const metricsExpr = `label_replace(${status}, "above", "yes", "", "") > on (metric_name, metric_target_type) group_left() ${specMax} or on (metric_name, metric_target_type) (${status})`;

  // The alert's value (the step's new count), an argument of printf after the HPA's labels.
  const valueArg = `%[${args.length + 1}]f`;
  const before = `max(${ksm(KSM.desired)} offset ${SCALE_EVENT_LOOKBACK})`;
  const stepFrom = (agg: "max" | "min", op: "<" | ">") =>
    `${agg}(label_replace(${agg}_over_time(((max(${ksm(KSM.desired)}) > 0) ${op} ${valueArg})[${SCALE_EVENT_LOOKBACK}:${SCALE_STEP_RESOLUTION}]), "part", "lookback", "", "") or (${before} > 0) ${op} ${valueArg})`;
  const from =
    alert === "AIWorkloadScaledUp"
      ? stepFrom("max", "<")
      : alert === "AIWorkloadScaledDown"
        ? stepFrom("min", ">")
        : before;

  const exprs: Record<Fact, string> = {
    from,
    desired: `max(${ksm(KSM.desired)})`,
    current: `max(${ksm(KSM.current)})`,
    min: `max(${ksm(KSM.min)})`,
    max: `max(${ksm(KSM.max)})`,
    available: `max(${recorded(SERIES.targetAvailableReplicas)})`,
    // Recorded by (namespace, horizontalpodautoscaler) only: no cluster matcher.
    queueTarget: `max(${SERIES.queueTarget}{namespace=%[1]q,horizontalpodautoscaler=%[2]q})`,
    threshold: `max(${SERIES.alertThreshold}{alert="${alert}",namespace=%[1]q,horizontalpodautoscaler=%[2]q})${thresholdDefault === undefined ? "" : ` or vector(${formatNumber(thresholdDefault)})`}`,
    metrics: metricsExpr,
  };
  const human = new Set<Fact>(["queueTarget", "threshold"]);
  const used = new Set<Fact>();
  const use = (f: Fact) => {
    used.add(f);
    return `{{ ${VAR(f)} }}`;
  };

  const preamble = (): string => {
    if (used.size === 0) return "";
    const facts = [...used];
    const query = facts.map((f) => `label_replace(${exprs[f]}, "fact", "${f}", "", "")`).join(" or ");
    const init = facts.map((f) => `{{ ${VAR(f)} := ${f === "metrics" ? '""' : '"?"'} }}`).join("");
    const assign = facts
      .map((f) => {
        if (f === "metrics") {
          return `{{ if eq .Labels.fact "metrics" }}{{ $metrics = printf "%s %s %s (target %s%s);" $metrics .Labels.metric_name (humanize .Value) (humanize .Labels.target) (and .Labels.above ", above target") }}{{ end }}`;
        }
        const value = human.has(f) ? "humanize .Value" : `printf "%.0f" .Value`;
        return `{{ if eq .Labels.fact "${f}" }}{{ ${VAR(f)} = ${value} }}{{ end }}`;
      })
      .join("");
    const sorted = used.has("metrics") ? ` | sortByLabel "metric_name"` : "";
    const printfArgs = query.includes(valueArg) ? [...args, "$value"] : args;
    return `${init}{{ range printf \`${query}\` ${printfArgs.join(" ")} | query${sorted} }}${assign}{{ end }}`;
  };

  const d = {
    value: `{{ $value | printf "%.0f" }}`,
    valueHuman: `{{ $value | humanize }}`,
    get minMax() {
      return `min ${use("min")}, max ${use("max")}`;
    },
    get metrics() {
      used.add("metrics");
      return `Metrics:{{ if $metrics }}{{ $metrics }}{{ else }} none reported;{{ end }}`;
    },
    finish: (text: string) => `${preamble()}${text}`,
  };
  // One getter per single-value fact: reading it marks the fact as needed by the query.
  const singles = [
    "from",
    "desired",
    "current",
    "min",
    "max",
    "available",
    "queueTarget",
    "threshold",
  ] as const;
  for (const f of singles) Object.defineProperty(d, f, { get: () => use(f), enumerable: true });
  return d as unknown as Describer;
}
