/** The shape every alert area module fills in. */
import type { AlertName } from "../catalog/catalog.js";
import type { RuleContext } from "./context.js";
import type { Describer } from "./describe.js";
import type { Variant } from "./variants.js";

/** What a rule variant hands to an alert's condition and description. */
export interface ConditionParams {
  /** PromQL giving this alert's threshold per (namespace, horizontalpodautoscaler). */
  readonly threshold: string;
  /** Counting window (for alerts that count), or the variant's `for` when `forIsWindow`. */
  readonly window: string;
  readonly variant: Variant;
}

/** How one alert of the catalog is written in PromQL. */
export interface AlertDefinition {
  readonly name: AlertName;
  /**
   * The condition, with one series per HPA (labels: cluster?, namespace, horizontalpodautoscaler,
   * and optionally more, such as pod). Scoping to the configured workloads, their labels and the
   * variant filter are added around it by the assembler.
   */
  condition(ctx: RuleContext, p: ConditionParams): string;
  /** The `description` annotation: a Prometheus template with the real numbers. */
  description(ctx: RuleContext, d: Describer, p: ConditionParams): string;
  /** When true, the variant's `for` is the condition's window and the rule itself has no `for`. */
  readonly forIsWindow?: boolean;
}
