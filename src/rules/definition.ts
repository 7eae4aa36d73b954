/** The shape every alert area module fills in. */
import type { AlertName } from "../catalog/catalog.js";
import type { RuleContext } from "./context.js";
import type { Describer } from "./describe.js";
import type { Variant } from "./variants.js";

/** What a rule variant hands to an alert's condition and description. */
export interface ConditionParams {
  /**
   * The threshold to compare with: the default as a number when no workload overrides it, else
   * `on (namespace, horizontalpodautoscaler) group_left () <the recorded threshold per HPA>`.
   */
  readonly threshold: string;
  /** Counting window (for alerts that count), or the variant's `for` when `forIsWindow`. */
  readonly window: string;
  readonly variant: Variant;
}

/** How one alert of the catalog is written in PromQL. */
export interface AlertDefinition {
  readonly name: AlertName;
  /**
   * The condition, with one series per HPA (or per pod, trigger...) carrying the HPA's identity and
   * the workload's labels: read the recorded facts (`SERIES`), which cover the configured workloads
   * only. Lines starting with `#` explain each guard. The variant filter is added by the assembler.
   */
  condition(ctx: RuleContext, p: ConditionParams): string;
  /** The `description` annotation: a Prometheus template with the real numbers. */
  description(ctx: RuleContext, d: Describer, p: ConditionParams): string;
  /** When true, the variant's `for` is the condition's window and the rule itself has no `for`. */
  readonly forIsWindow?: boolean;
}
