/**
 * The config published as data, in the `<name>.config` group: which HPAs are covered (with their
 * workload's labels), and which workloads deviate from an alert's defaults (variant or threshold),
 * have a queue target, or are driven by a KEDA ScaledObject. It changes only with the config, so
 * the group is evaluated at the slow interval; the HPA info is recorded in the facts group.
 */
import type { AlertName } from "../catalog/catalog.js";
import type { RuleContext } from "./context.js";
import { KSM, SERIES } from "./context.js";
import { FACT_READERS, renameLabel } from "./facts.js";
import { SIGNAL_READERS } from "./signals.js";
import type { ResolvedWorkload } from "../config/resolve.js";
import { eq, formatNumber, oneOf, sel, str, union } from "../promql/text.js";
import type { CatalogPlan } from "./variants.js";

/** Which alerts read each config-data series; one no active alert reads is not recorded. */
export const READ_BY: Readonly<Partial<Record<string, readonly AlertName[]>>> = {
  [SERIES.queueTarget]: ["AIWorkloadQueueBacklog"],
  [SERIES.kedaScaledObject]: ["AIWorkloadScalerErrors"],
};

/** Whether a recorded series is read by one of the alerts that have rules. */
export function isRead(record: string, active: ReadonlySet<AlertName>): boolean {
  const readers = READ_BY[record] ?? FACT_READERS[record] ?? SIGNAL_READERS[record];
  return readers === undefined || readers.some((a) => active.has(a));
}

/** A recording rule as it appears in a rule file. */
export interface RecordingRule {
  readonly record: string;
  readonly expr: string;
  /** Fixed labels (same-name rules told apart by a label, as kubernetes-mixin does). */
  readonly labels?: Readonly<Record<string, string>>;
}

/** Items grouped by a key, in first-seen order. */
function groupBy<T>(items: readonly T[], key: (t: T) => string): T[][] {
  const m = new Map<string, T[]>();
  for (const it of items) m.set(key(it), [...(m.get(key(it)) ?? []), it]);
  return [...m.values()];
}

/** Sets constant labels on every series of `expr`. */
function setLabels(expr: string, labelSet: Readonly<Record<string, string>>): string {
  return Object.entries(labelSet).reduce(
    (e, [k, v]) => `label_replace(${e}, ${str(k)}, ${str(v)}, "", "")`,
    expr,
  );
}

/** Matchers that select these workloads' HPAs, all in one namespace. */
function hpaMatchers(ws: readonly ResolvedWorkload[]): string[] {
  return [
    eq("namespace", ws[0]?.namespace ?? ""),
    oneOf(
      "horizontalpodautoscaler",
      ws.map((w) => w.hpaName),
    ),
  ];
}

/**
 * One series per listed workload (labels cluster?, namespace, horizontalpodautoscaler; value 1), selected
 * from the recorded HPA info by label matchers, one selector per namespace. Selecting by matchers
 * is what keeps this cheap: a union of per-workload constants (`label_replace(vector(1), ...)`)
 * evaluates in quadratic time on Prometheus 2.x (about 1.5 s for 1,000 of them).
 */
function selectWorkloads(ctx: RuleContext, ws: readonly ResolvedWorkload[]): string {
  const perNamespace = groupBy(ws, (w) => w.namespace).map((g) => sel(SERIES.hpaInfo, ...hpaMatchers(g)));
  return `max by (${ctx.idList}) (${union(perNamespace)})`;
}

/**
 * The configured HPAs (from kube_horizontalpodautoscaler_info), with the workload's name, kind and
 * extra labels, which every fact then carries: recorded first in the facts group.
 */
export function hpaInfoRule(ctx: RuleContext): RecordingRule {
  const { rc } = ctx;
  const infoGroups = groupBy(rc.workloads, (w) =>
    JSON.stringify([w.namespace, Object.entries(w.labels).sort()]),
  ).map((g) => {
    const info = ctx.ksmSel(KSM.info, ...hpaMatchers(g));
    const named = renameLabel(
      renameLabel(info, "scaletargetref_name", "workload"),
      "scaletargetref_kind",
      "workload_kind",
    );
    return setLabels(named, g[0]?.labels ?? {});
  });
  return {
    record: SERIES.hpaInfo,
    expr: `# The configured HPAs, with their workload's labels: every fact joins this once.
max by (${ctx.idList}, workload_kind, ${ctx.workloadLabels}) (
  ${union(infoGroups)}
)`,
  };
}

/**
 * The config as data: the workloads that deviate from an alert's default (variant or threshold),
 * have a queue target, or are driven by KEDA. Workload names appear in label matchers, grouped by
 * namespace and by setting: the expressions grow with the config, the number of rules does not.
 */
export function configDataRules(ctx: RuleContext, plan: CatalogPlan): RecordingRule[] {
  const { rc } = ctx;
  const rules: RecordingRule[] = [];
  if (plan.memberships.length > 0) {
    const parts = groupBy(plan.memberships, (m) => `${m.alert}/${m.variant}`).map((g) =>
      setLabels(
        selectWorkloads(
          ctx,
          g.map((m) => m.workload),
        ),
        {
          alert: g[0]?.alert ?? "",
          variant: g[0]?.variant ?? "",
        },
      ),
    );
    rules.push({
      record: SERIES.alertVariant,
      expr: `# Workloads on another variant of an alert than its default (or off).
${union(parts)}`,
    });
  }
  const overridden = groupBy(plan.thresholds, (t) => t.alert);
  for (const overrides of overridden) {
    const alert = overrides[0]?.alert;
    const defaultValue = plan.alerts.find((a) => a.alert === alert)?.defaultThreshold;
    if (alert === undefined || defaultValue === undefined) continue;
    const parts = groupBy(overrides, (t) => String(t.value)).map(
      (g) =>
        `${selectWorkloads(
          ctx,
          g.map((t) => t.workload),
        )} * 0 + ${formatNumber(g[0]?.value ?? 0)}`,
    );
    const all = [
      union(parts),
      `or on (${ctx.idList})`,
      `max by (${ctx.idList}) (${SERIES.hpaInfo}) * 0 + ${formatNumber(defaultValue)}`,
    ].join("\n");
    rules.push({
      record: SERIES.alertThreshold,
      expr: `# ${alert}'s threshold per HPA: the workloads' own, else the default.\n${all}`,
      labels: { alert },
    });
  }
  const queueWorkloads = rc.workloads.filter((w) => w.queue);
  if (queueWorkloads.length > 0) {
    const parts = groupBy(queueWorkloads, (w) => String(w.queue?.targetPerReplica)).map(
      (g) => `${selectWorkloads(ctx, g)} * 0 + ${formatNumber(g[0]?.queue?.targetPerReplica ?? 0)}`,
    );
    rules.push({ record: SERIES.queueTarget, expr: union(parts) });
  }
  const keda = kedaScaledObjectRule(ctx);
  if (keda) rules.push(keda);
  return rules;
}

/**
 * Which ScaledObject drives each KEDA HPA: one selector per namespace for the HPAs KEDA named
 * `keda-hpa-<scaledobject>` (the name is read back from the HPA's), and one constant label per
 * HPA with a custom name.
 */
function kedaScaledObjectRule(ctx: RuleContext): RecordingRule | undefined {
  const { rc } = ctx;
  const ws = rc.workloads.filter((w) => w.scaledObjectName !== undefined);
  if (ws.length === 0) return undefined;
  const byDefault = (w: ResolvedWorkload) => w.hpaName === `keda-hpa-${w.scaledObjectName}`;
  const keep = `${ctx.idList}, ${ctx.workloadLabels}`;
  const parts = [
    ...groupBy(ws.filter(byDefault), (w) => w.namespace).map(
      (g) =>
        `label_replace(max by (${keep}) (${sel(SERIES.hpaInfo, ...hpaMatchers(g))}), "scaledObject", "$1", "horizontalpodautoscaler", "keda-hpa-(.+)")`,
    ),
    ...ws
      .filter((w) => !byDefault(w))
      .map((w) =>
        setLabels(`max by (${keep}) (${sel(SERIES.hpaInfo, ...hpaMatchers([w]))})`, {
          scaledObject: w.scaledObjectName ?? "",
        }),
      ),
  ];
  return { record: SERIES.kedaScaledObject, expr: union(parts) };
}
