/**
 * Helpers for alert descriptions: Prometheus (Go) templates that look up the real numbers (from/to
 * replicas, min/max, metrics against their targets) with `query` at the time the alert fires.
 */
import type { AlertName } from "../catalog/catalog.js";
import { KSM, SERIES, type RuleContext } from "./context.js";
import { formatNumber, printfLiteral } from "./promql.js";

/** Template snippets bound to one config's selectors. */
export interface Describer {
  /** `{{ $value }}` as a whole number. */
  readonly value: string;
  /** `{{ $value }}` humanized (85, 1.5k, 250m). */
  readonly valueHuman: string;
  /** A one-value query on KSM HPA series: `SEL` in `expr` is replaced by this HPA's matchers. */
  hpaValue(expr: string, format?: "int" | "human"): string;
  /** One value of a recorded per-HPA series. */
  recorded(series: string, format?: "int" | "human"): string;
  /** "min 2, max 8" */
  readonly minMax: string;
  /** "Metrics: gpu 85 (target 70, above target); ..." from the HPA's status and spec metrics. */
  readonly metrics: string;
  /** The threshold in force for this workload and alert. */
  threshold(alert: AlertName): string;
}

export function describer(ctx: RuleContext): Describer {
  const cluster = ctx.rc.monitoring.clusterLabel;
  const matchers = [
    printfLiteral(ctx.ksm),
    "namespace=%q",
    "horizontalpodautoscaler=%q",
    ...(cluster ? [`${cluster}=%q`] : []),
  ]
    .filter((m) => m !== "")
    .join(",");
  const args = [
    "$labels.namespace",
    "$labels.horizontalpodautoscaler",
    ...(cluster ? [`$labels.${cluster}`] : []),
  ];
  const recordedMatchers = [
    "namespace=%q",
    "horizontalpodautoscaler=%q",
    ...(cluster ? [`${cluster}=%q`] : []),
  ].join(",");

  const fmt = (f: "int" | "human") => (f === "int" ? `printf "%.0f"` : "humanize");
  const lookup = (expr: string, sels: number, f: "int" | "human", extraArgs: string[] = []) => {
    const allArgs = Array.from({ length: sels }, () => args.join(" ")).join(" ");
    return `{{ with printf \`${expr}\` ${allArgs}${extraArgs.length ? " " + extraArgs.join(" ") : ""} | query }}{{ . | first | value | ${fmt(f)} }}{{ else }}?{{ end }}`;
  };
  const hpaValue = (expr: string, f: "int" | "human" = "int") => {
    const sels = expr.split("SEL").length - 1;
    return lookup(expr.replaceAll("SEL", `{${matchers}}`), sels, f);
  };

  const status = `max by (metric_name, metric_target_type) (${KSM.statusMetric}{${matchers}})`;
  const spec = `max(${KSM.specMetric}{${matchers},metric_name=%q,metric_target_type=%q})`;
  const metrics =
    `Metrics:{{ range $m := printf \`${status}\` ${args.join(" ")} | query | sortByLabel "metric_name" }}` +
    ` {{ $m.Labels.metric_name }} {{ $m.Value | humanize }}` +
    `{{ with printf \`${spec}\` ${args.join(" ")} $m.Labels.metric_name $m.Labels.metric_target_type | query }}` +
    ` (target {{ . | first | value | humanize }}{{ if gt $m.Value (. | first | value) }}, above target{{ end }})` +
    `{{ end }};{{ else }} none reported;{{ end }}`;

  return {
    value: `{{ $value | printf "%.0f" }}`,
    valueHuman: `{{ $value | humanize }}`,
    hpaValue,
    recorded: (series, f = "int") =>
      `{{ with printf \`max(${series}{${recordedMatchers}})\` ${args.join(" ")} | query }}{{ . | first | value | ${fmt(f)} }}{{ else }}?{{ end }}`,
    minMax: `min ${hpaValue(`max(${KSM.min}SEL)`)}, max ${hpaValue(`max(${KSM.max}SEL)`)}`,
    metrics,
    threshold: (alert) => {
      const defaultValue = ctx.rc.alertDefaults[alert].threshold;
      const fallback = defaultValue === undefined ? "" : ` or vector(${formatNumber(defaultValue)})`;
      const expr = `max(${SERIES.alertThreshold}{alert="${alert}",namespace=%q,horizontalpodautoscaler=%q})${fallback}`;
      return `{{ with printf \`${expr}\` $labels.namespace $labels.horizontalpodautoscaler | query }}{{ . | first | value | humanize }}{{ else }}?{{ end }}`;
    },
  };
}
