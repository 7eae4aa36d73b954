/**
 * Keeping the number of rules independent of the number of workloads.
 *
 * Each alert is written once per distinct (`for`, severity, window) among the workloads: the
 * *variants*. A non-default variant's rule covers the workloads listed for it in the recorded
 * `workload_hpa:alert_variant:configured` series. The default variant's rule covers every configured
 * workload except those listed as on another variant or `off` (exclusion), or, when that list
 * would be the longer one (say GPU alerts where few workloads have GPUs), exactly the workloads
 * listed under the default variant's id (inclusion). Thresholds work the same way: the rule
 * compares with the default, and only workloads whose threshold differs are listed as data.
 */
import {
  ALERT_NAMES,
  CATALOG,
  type AlertName,
  type AlertRequirement,
  type Severity,
} from "../catalog/catalog.js";
import {
  isActive,
  type EffectiveAlert,
  type ResolvedConfig,
  type ResolvedWorkload,
} from "../config/resolve.js";

/** One rule's worth of settings for an alert. */
export interface Variant {
  /** Stable id, also the value of the `variant` label in the data series. */
  readonly id: string;
  readonly isDefault: boolean;
  readonly for: string;
  readonly severity: Severity;
  readonly window?: string;
  readonly workloads: readonly ResolvedWorkload[];
}

/** A workload listed as data because it is not on the default variant of an alert. */
export interface VariantMembership {
  readonly workload: ResolvedWorkload;
  readonly alert: AlertName;
  /** A variant id, or `off`. */
  readonly variant: string;
}

/** A workload whose threshold for an alert differs from the default. */
export interface ThresholdOverride {
  readonly workload: ResolvedWorkload;
  readonly alert: AlertName;
  readonly value: number;
}

export interface AlertPlan {
  readonly alert: AlertName;
  /** How the default variant's rule selects its workloads (see the module comment). */
  readonly defaultMode: "exclude" | "include";
  /** Variants that cover at least one workload, the default first. */
  readonly variants: readonly Variant[];
  readonly defaultThreshold?: number;
}

export interface CatalogPlan {
  readonly alerts: readonly AlertPlan[];
  readonly memberships: readonly VariantMembership[];
  readonly thresholds: readonly ThresholdOverride[];
}

export const OFF = "off";

/**
 * Requirements whose signal exists only for the workloads that meet them: the recorded GPU
 * utilisation (GPU workloads' pods only), the queue target (queue workloads only) and the KEDA
 * ScaledObject map (KEDA workloads only). A workload that does not meet them needs no `off`.
 */
const SIGNAL_SCOPED: ReadonlySet<AlertRequirement> = new Set<AlertRequirement>(["gpu", "queue", "keda"]);

function variantId(e: EffectiveAlert): string {
  return [`for=${e.for}`, `severity=${e.severity}`, ...(e.window ? [`window=${e.window}`] : [])].join(",");
}

/** Plans the rules of every per-workload alert of the catalog for this config. */
export function planCatalog(rc: ResolvedConfig): CatalogPlan {
  const alerts: AlertPlan[] = [];
  const memberships: VariantMembership[] = [];
  const thresholds: ThresholdOverride[] = [];
  for (const alert of ALERT_NAMES) {
    if (!CATALOG[alert].perWorkload) continue;
    const defaults = rc.alertDefaults[alert];
    const defaultId = variantId(defaults);
    const byId = new Map<string, { e: EffectiveAlert; workloads: ResolvedWorkload[] }>();
    /** Workloads not on the default variant: `off`, or another variant. */
    const listed: VariantMembership[] = [];
    for (const w of rc.workloads) {
      const e = w.alerts[alert];
      // Without the signal the alert reads (no GPU, no queue, no ScaledObject), nothing to exclude.
      if (!e.applies && SIGNAL_SCOPED.has(CATALOG[alert].requires)) continue;
      if (!isActive(e)) {
        listed.push({ workload: w, alert, variant: OFF });
        continue;
      }
      const id = variantId(e);
      if (id !== defaultId) listed.push({ workload: w, alert, variant: id });
      const entry = byId.get(id) ?? { e, workloads: [] };
      entry.workloads.push(w);
      byId.set(id, entry);
      if (e.threshold !== undefined && e.threshold !== defaults.threshold) {
        thresholds.push({ workload: w, alert, value: e.threshold });
      }
    }
    const variants = [...byId.entries()]
      .map(([id, { e, workloads }]): Variant => ({
        id,
        isDefault: id === defaultId,
        for: e.for,
        severity: e.severity,
        window: e.window,
        workloads,
      }))
      .sort((a, b) => Number(b.isDefault) - Number(a.isDefault) || a.id.localeCompare(b.id));
    if (variants.length === 0) continue;
    const others = listed.filter((m) => m.variant !== OFF);
    const defaultVariant = variants.find((v) => v.isDefault);
    let defaultMode: AlertPlan["defaultMode"] = "exclude";
    if (!defaultVariant) {
      memberships.push(...others);
    } else if (defaultVariant.workloads.length < listed.length) {
      defaultMode = "include";
      memberships.push(
        ...defaultVariant.workloads.map((workload) => ({ workload, alert, variant: defaultId })),
        ...others,
      );
    } else {
      memberships.push(...listed);
    }
    alerts.push({ alert, variants, defaultMode, defaultThreshold: defaults.threshold });
  }
  return { alerts, memberships, thresholds };
}
