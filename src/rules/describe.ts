/**
 * Alert descriptions: Prometheus (Go) templates that show the real numbers (min/max, the HPA's
 * metrics against their targets, thresholds) when the alert fires.
 *
 * Most numbers are the alert's own `$value` and labels. Annotations are expanded at every
 * evaluation of every pending or firing alert, so the few facts a description needs besides are
 * read with ONE short selector over the recorded per-HPA facts (`workload_hpa:*`, see facts.ts),
 * and a preamble copies them into template variables that the text then uses.
 */
import type { AlertName } from "../catalog/catalog.js";
import { SERIES, type RuleContext } from "./context.js";
import { formatNumber, oneOf } from "../promql/text.js";

type Fact = "desired" | "current" | "min" | "max" | "available" | "queueTarget" | "threshold" | "metrics";

/** The recorded series each fact is read from. */
const SOURCE: Readonly<Record<Fact, string>> = {
  desired: SERIES.desired,
  current: SERIES.current,
  min: SERIES.min,
  max: SERIES.max,
  available: SERIES.targetAvailableReplicas,
  queueTarget: SERIES.queueTarget,
  threshold: SERIES.alertThreshold,
  metrics: SERIES.targetMetric,
};

/** Template snippets for one description; {@link Describer.finish} assembles the result. */
export interface Describer {
  /** `{{ $value }}` as a whole number. */
  readonly value: string;
  /** `{{ $value }}` humanized (85, 1.5k, 250m). */
  readonly valueHuman: string;
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
  /** "Metrics: gpu 85 (target 70), queue 6 (target 8)." from the HPA's status and spec metrics. */
  readonly metrics: string;
  /**
   * The threshold in force: the default as text when no workload overrides it (then the rule
   * compares with that number), else looked up for this workload.
   */
  readonly threshold: string;
  /** The description: the lookup preamble (only for the facts used) followed by `text`. */
  finish(text: string): string;
}

/** The template variable holding a fact: `$min`, `$metrics`... */
const VAR = (f: Fact) => `$${f}`;

/**
 * A describer for one alert. `thresholdOverridden` says whether some workload has its own
 * threshold for it (then the threshold is a recorded fact, labelled with the alert's name).
 */
export function describer(ctx: RuleContext, alert: AlertName, thresholdOverridden = false): Describer {
  const cluster = ctx.rc.monitoring.clusterLabel;
  const thresholdDefault = ctx.rc.alertDefaults[alert].threshold;
  const used = new Set<Fact>();
  const use = (f: Fact) => {
    used.add(f);
    return `{{ ${VAR(f)} }}`;
  };

  const preamble = (): string => {
    if (used.size === 0) return "";
    const facts = [...used];
    const names = oneOf(
      "__name__",
      facts.map((f) => SOURCE[f]),
    );
    // The threshold fact is the only one with an `alert` label: match it, or no such label.
    const matchers = [
      names,
      "namespace=%q",
      "horizontalpodautoscaler=%q",
      ...(cluster ? [`${cluster}=%q`] : []),
      ...(used.has("threshold") ? [`alert=~"${alert}|"`] : []),
    ];
    const args = [
      "$labels.namespace",
      "$labels.horizontalpodautoscaler",
      ...(cluster ? [`$labels.${cluster}`] : []),
    ];
    const init = facts.map((f) => `{{ ${VAR(f)} := ${f === "metrics" ? '""' : '"?"'} }}`).join("");
    // Each result is copied into its fact's variable; with one fact there is nothing to tell apart.
    const when = (f: Fact, body: string) =>
      facts.length === 1 ? body : `{{ if eq .Labels.__name__ "${SOURCE[f]}" }}${body}{{ end }}`;
    const assign = facts
      .map((f) => {
        if (f === "metrics") {
          return when(
            f,
            `{{ $metrics = printf "%s%s %s (target %s)" (and $metrics (printf "%s, " $metrics)) .Labels.metric_name (humanize .Value) .Labels.target }}`,
          );
        }
        const value = f === "queueTarget" || f === "threshold" ? "humanize .Value" : `printf "%.0f" .Value`;
        return when(f, `{{ ${VAR(f)} = ${value} }}`);
      })
      .join("");
    const sorted = used.has("metrics") ? ` | sortByLabel "metric_name"` : "";
    const query = `{${matchers.join(",")}}`;
    return `${init}{{ range printf \`${query}\` ${args.join(" ")} | query${sorted} }}${assign}{{ end }}`;
  };

  const d = {
    value: `{{ $value | printf "%.0f" }}`,
    valueHuman: `{{ $value | humanize }}`,
    get minMax() {
      return `min ${use("min")}, max ${use("max")}`;
    },
    get metrics() {
      used.add("metrics");
      return `Metrics: {{ if $metrics }}{{ $metrics }}{{ else }}none reported{{ end }}.`;
    },
    get threshold() {
      if (!thresholdOverridden && thresholdDefault !== undefined) return formatNumber(thresholdDefault);
      return use("threshold");
    },
    finish: (text: string) => `${preamble()}${text}`,
  };
  // One getter per single-value fact: reading it marks the fact as needed by the lookup.
  for (const f of ["desired", "current", "min", "max", "available", "queueTarget"] as const) {
    Object.defineProperty(d, f, { get: () => use(f), enumerable: true });
  }
  return d as unknown as Describer;
}
