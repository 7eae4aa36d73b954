/** KEDA itself: a scaler that keeps failing leaves the workload unable to scale on its trigger. */
import { labels, sel } from "../promql/text.js";
import type { RuleContext } from "./context.js";
import { SERIES } from "./context.js";
import type { AlertDefinition } from "./definition.js";

/** KEDA's per-trigger error counter (KEDA >= 2.14; the older keda_scaler_errors is gone in 2.17). */
export const KEDA_SCALER_ERRORS = "keda_scaler_detail_errors_total";

/** The per-second error rate of each trigger, with the scaled object's namespace in `namespace`. */
function scalerErrorRate(ctx: RuleContext, window: string): string {
  const k = ctx.rc.monitoring.keda;
  const rate = `rate(${sel(KEDA_SCALER_ERRORS, k.selector)}[${window}])`;
  return k.namespaceLabel === "namespace"
    ? rate
    : `label_replace(${rate}, "namespace", "$1", "${k.namespaceLabel}", "(.+)")`;
}

export const scalerErrors: AlertDefinition = {
  name: "AIWorkloadScalerErrors",
  condition: (ctx, p) => {
    const by = labels([...ctx.clusterPrefix, "namespace", "scaledObject"]);
    return [
      `# Each KEDA trigger that errs, with the HPA of its ScaledObject and the workload's labels.`,
      `(sum by (${by}, scaler, metric) (${scalerErrorRate(ctx, p.window)}) > 0)`,
      `* on (${by}) group_left (horizontalpodautoscaler, ${ctx.workloadLabels}) ${SERIES.kedaScaledObject}`,
    ].join("\n");
  },
  description: (_ctx, d, p) =>
    `KEDA's {{ $labels.scaler }} trigger ({{ $labels.metric }}) of {{ $labels.workload }} has been failing for ${p.variant.for} (${d.valueHuman} errors/s): the workload cannot scale on it.`,
};
