/**
 * The blind spots of the catalog: every other alert reads kube-state-metrics' HPA series (joined
 * through `workload_hpa:info:configured`), so without them nothing fires and nothing says so. Two
 * alerts watch the input itself:
 *
 * - AIScalingAlertsMetricsAbsent: kube-state-metrics reports no HPA of the configured namespaces
 *   (it is down, not scraped, its selector is wrong, or it does not export HPAs). Not per workload;
 *   it carries the heartbeat's `namespace` so that the namespace-pinned AlertmanagerConfig routes it.
 * - AIWorkloadHpaMissing: a configured workload's Deployment or StatefulSet is reported, but not
 *   the HPA the config names for it (a typo in `hpaName`, the HPA deleted, KEDA not creating
 *   `keda-hpa-<scaledobject>`), while other HPAs of the configured namespaces are, so it never fires
 *   together with AIScalingAlertsMetricsAbsent. The missing HPA has no series to join, so the
 *   expected HPAs are derived from the scale targets: one selector per namespace, kind and naming
 *   pattern lists the workloads, and label_replace turns each workload's name into its HPA's
 *   (`<name>`, `keda-hpa-<name>`, `<name>-hpa`...). A workload whose scale target does not exist
 *   either has nothing to scale and gets no alert.
 *
 * Why not one `absent(hpa{namespace, horizontalpodautoscaler})` per workload: Prometheus 2.x
 * evaluates an expression in time that grows with the square of its size (measured on 2.42: 2 ms
 * for 100 such terms, 135 ms for 1,000), and the text would grow by ~100 bytes per workload; here
 * a workload adds its name to a regex and the cost stays that of a few selectors.
 *
 * With `monitoring.clusterLabel`, AIWorkloadHpaMissing is per cluster (the scale target's cluster;
 * the guard counts that cluster's HPAs). AIScalingAlertsMetricsAbsent looks across all clusters:
 * it fires when no cluster reports an HPA.
 */
import type { Severity } from "../catalog/catalog.js";
import type { ResolvedWorkload } from "../config/resolve.js";
import { KSM, type RuleContext } from "./context.js";
import type { AlertRule } from "./passes.js";
import { heartbeatNamespace } from "./heartbeat.js";
import { eq, labels, oneOf, str, union } from "../promql/text.js";
import type { AlertPlan, Variant } from "./variants.js";

/** Text shown verbatim in a Go template: `{{` would start an action. */
function literal(text: string): string {
  return text.replace(/\{\{/g, '{{ "{{" }}');
}

/** The selector of every HPA series of the configured namespaces. */
function anyHpa(ctx: RuleContext): string {
  return ctx.ksmSel(KSM.info, ctx.nsMatcher);
}

/** The condition of AIScalingAlertsMetricsAbsent: 1, with no labels, while no HPA is reported. */
export function metricsAbsentExpr(ctx: RuleContext): string {
  // Not `absent(selector)`: that copies the selector's equality matchers (job=...) as labels.
  return `vector(1) unless on () count(${anyHpa(ctx)})`;
}

/** The `description` of AIScalingAlertsMetricsAbsent. */
export function metricsAbsentDescription(ctx: RuleContext, forValue: string): string {
  const namespaces = [...new Set(ctx.rc.workloads.map((w) => w.namespace))].sort().join(", ");
  return literal(
    `kube-state-metrics has reported no HPA (${ctx.ksmSel(KSM.info)}) in namespace(s) ${namespaces} for ${forValue}: every scaling alert of ${ctx.rc.name} is blind: none can fire, and the ones that were firing resolved without being fixed. Check that kube-state-metrics runs and Prometheus scrapes it (up{${ctx.ksm}}), that monitoring.kubeStateMetricsSelector matches its series, and that its --resources and --namespaces flags include horizontalpodautoscalers and these namespaces.`,
  );
}

/** The AIScalingAlertsMetricsAbsent rule (before the common passes). */
export function metricsAbsentRule(ctx: RuleContext, e: { for: string; severity: Severity }): AlertRule {
  return {
    alert: "AIScalingAlertsMetricsAbsent",
    expr: metricsAbsentExpr(ctx),
    ...(e.for !== "0s" ? { for: e.for } : {}),
    labels: { severity: e.severity, namespace: heartbeatNamespace(ctx) },
    annotations: { description: metricsAbsentDescription(ctx, e.for) },
  };
}

/** The `description` of AIWorkloadHpaMissing, for workloads whose alert has this `for`. */
export function hpaMissingDescription(forValue: string): string {
  return `kube-state-metrics has reported the scale target of {{ $labels.workload }} but not its HPA {{ $labels.horizontalpodautoscaler }} in namespace {{ $labels.namespace }} for ${forValue}, while it reports other HPAs: every scaling alert of {{ $labels.workload }} is blind. Check that the HPA exists (kubectl -n {{ $labels.namespace }} get hpa {{ $labels.horizontalpodautoscaler }}): a typo in hpaName, an HPA deleted or never created (for KEDA, a ScaledObject that KEDA did not reconcile, or whose HPA is not keda-hpa-<scaledobject> or the configured hpaName).`;
}

/** Items grouped by a key, in first-seen order. */
function groupBy<T>(items: readonly T[], key: (t: T) => string): T[][] {
  const m = new Map<string, T[]>();
  for (const it of items) m.set(key(it), [...(m.get(key(it)) ?? []), it]);
  return [...m.values()];
}

/** The scale target's kube-state-metrics series, and the label that names it. */
const TARGET = {
  Deployment: { metric: "kube_deployment_spec_replicas", name: "deployment" },
  StatefulSet: { metric: "kube_statefulset_replicas", name: "statefulset" },
} as const;

/**
 * How a workload's HPA name is made from its name: `prefix${1}suffix` (`${1}` = the name) for an
 * HPA whose name contains the workload's, else the HPA name itself.
 */
function hpaPattern(w: ResolvedWorkload): { readonly replacement: string; readonly perWorkload: boolean } {
  const at = w.hpaName.indexOf(w.name);
  if (at < 0) return { replacement: w.hpaName, perWorkload: true };
  return {
    replacement: `${w.hpaName.slice(0, at)}\${1}${w.hpaName.slice(at + w.name.length)}`,
    perWorkload: false,
  };
}

/**
 * 1 per workload of this list whose scale target kube-state-metrics reports, with labels
 * {cluster?, namespace, workload, horizontalpodautoscaler (the configured one), extra labels}. One
 * selector per (namespace, kind, HPA naming pattern, extra labels), listing the workloads' names;
 * a workload whose HPA name does not contain its name has a selector of its own.
 */
function expectedHpas(ctx: RuleContext, workloads: readonly ResolvedWorkload[]): string {
  const set = (expr: string, name: string, value: string) =>
    `label_replace(${expr}, ${str(name)}, ${str(value)}, "", "")`;
  const groups = groupBy(workloads, (w) => {
    const p = hpaPattern(w);
    return JSON.stringify([
      w.namespace,
      w.kind,
      p.perWorkload ? `${w.name}/${p.replacement}` : p.replacement,
      Object.entries(w.labels).sort(),
    ]);
  });
  const parts = groups.map((g) => {
    const first = g[0] as ResolvedWorkload;
    const target = TARGET[first.kind];
    const selected = ctx.ksmSel(
      target.metric,
      eq("namespace", first.namespace),
      oneOf(
        target.name,
        g.map((w) => w.name),
      ),
    );
    const keep = labels([...ctx.clusterPrefix, "namespace", target.name]);
    const named = `label_replace(max by (${keep}) (${selected}), "workload", "$1", ${str(target.name)}, "(.+)")`;
    const withHpa = `label_replace(${named}, "horizontalpodautoscaler", ${str(hpaPattern(first).replacement)}, ${str(target.name)}, "(.+)")`;
    return Object.entries(first.labels).reduce((e, [k, v]) => set(e, k, v), withHpa);
  });
  const keep = labels([
    ...ctx.clusterPrefix,
    "namespace",
    "horizontalpodautoscaler",
    "workload",
    ...ctx.rc.extraLabelNames,
  ]);
  return `max by (${keep}) (\n  ${union(parts)}\n)`;
}

/** One AIWorkloadHpaMissing rule per variant (distinct `for` and severity), listing its workloads. */
function hpaMissingRule(ctx: RuleContext, v: Variant): AlertRule {
  const on = labels([...ctx.clusterPrefix, "namespace", "horizontalpodautoscaler"]);
  const cluster = labels(ctx.clusterPrefix);
  const expr = [
    expectedHpas(ctx, v.workloads),
    `unless on (${on}) ${anyHpa(ctx)}`,
    // Only where kube-state-metrics reports HPAs: never together with AIScalingAlertsMetricsAbsent.
    `and on (${cluster}) count${cluster ? ` by (${cluster}) ` : ""}(${anyHpa(ctx)})`,
  ].join("\n");
  return {
    alert: "AIWorkloadHpaMissing",
    expr,
    ...(v.for !== "0s" ? { for: v.for } : {}),
    labels: v.isDefault ? { severity: v.severity } : { severity: v.severity, alert_variant: v.id },
    annotations: { description: hpaMissingDescription(v.for) },
  };
}

/** The AIWorkloadHpaMissing rules of a plan (before the common passes). */
export function hpaMissingRules(ctx: RuleContext, plan: AlertPlan): AlertRule[] {
  if (plan.alert !== "AIWorkloadHpaMissing") throw new Error(`not the plan of AIWorkloadHpaMissing`);
  return plan.variants.map((v) => hpaMissingRule(ctx, v));
}
