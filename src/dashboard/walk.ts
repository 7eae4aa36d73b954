/**
 * Every PromQL query a dashboard holds, read back from its JSON model (panels, annotations,
 * variables), and the substitution of its variables: what the tests parse and run against a real
 * Prometheus, so that they check the JSON that ships rather than the builder's inputs.
 */
import type { GrafanaDashboard } from "./dashboard.js";

/** One query of the dashboard and where it sits. */
export interface DashboardQuery {
  readonly kind: "panel" | "annotation" | "variable";
  /** Panel title, annotation name or variable name. */
  readonly owner: string;
  /** The panel query's refId (`A`, `B`...); the variable's or annotation's name otherwise. */
  readonly refId: string;
  readonly expr: string;
  /** An instant query (tables), else a range query. */
  readonly instant: boolean;
}

interface TargetLike {
  readonly refId?: string;
  readonly expr?: unknown;
  readonly instant?: unknown;
}

/** The queries of a dashboard, panels first (in order), then annotations, then variables. */
export function panelQueries(d: GrafanaDashboard): DashboardQuery[] {
  const out: DashboardQuery[] = [];
  const panels = (d.panels ?? []).flatMap((p) =>
    "panels" in p && Array.isArray(p.panels) ? [p, ...p.panels] : [p],
  );
  for (const p of panels) {
    const targets = ("targets" in p ? p.targets : undefined) as readonly TargetLike[] | undefined;
    for (const t of targets ?? []) {
      if (typeof t.expr !== "string") continue;
      out.push({
        kind: "panel",
        owner: p.title ?? "",
        refId: t.refId ?? "",
        expr: t.expr,
        instant: t.instant === true,
      });
    }
  }
  for (const a of d.annotations.list ?? []) {
    if (typeof a.expr === "string")
      out.push({ kind: "annotation", owner: a.name, refId: a.name, expr: a.expr, instant: false });
  }
  for (const v of d.templating.list ?? []) {
    const q = v.query;
    const text = typeof q === "string" ? q : typeof q?.query === "string" ? (q.query as string) : undefined;
    if (v.type === "query" && text !== undefined)
      out.push({ kind: "variable", owner: v.name, refId: v.name, expr: text, instant: true });
  }
  return out;
}

/**
 * A variable query `label_values(<selector>, <label>)` as the series selector Prometheus answers
 * it with (Grafana asks `/api/v1/series` or a label values call for it), and the label.
 */
export function labelValuesQuery(
  expr: string,
): { readonly selector: string; readonly label: string } | undefined {
  const m = /^label_values\((.*),\s*([a-zA-Z_][a-zA-Z0-9_]*)\)$/s.exec(expr.trim());
  return m ? { selector: m[1] as string, label: m[2] as string } : undefined;
}

/**
 * Replaces the dashboard's variables in a query (`$name`, `${name}`, and Grafana's
 * `$__rate_interval`, `$__interval`, `$__range`) with the given values.
 */
export function interpolate(expr: string, values: Readonly<Record<string, string>>): string {
  return expr.replace(
    /\$\{?(__)?([a-zA-Z_][a-zA-Z0-9_]*)\}?/g,
    (all, dunder: string | undefined, name: string) => {
      const key = `${dunder ?? ""}${name}`;
      const v = values[key];
      if (v === undefined) throw new Error(`no value for the variable ${key} in ${expr}`);
      return v;
    },
  );
}
