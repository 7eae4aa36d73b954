/**
 * Prometheus 3's range semantics on promtool 2.42: Prometheus 3 leaves a range selector's window
 * open at its start (a sample exactly `d` ago is not in `x[d]`), Prometheus 2 includes it. Every
 * range `[d]` (a range selector's, or a subquery's range) shortened by one millisecond selects on
 * Prometheus 2 exactly what `[d]` selects on Prometheus 3, for samples on whole milliseconds.
 */
import { parser } from "@prometheus-io/lezer-promql";
import { applyEdits, type Edit } from "../../src/time-scale/time-scale-promql.js";
import type { Rule, RuleGroup } from "../../src/rules/index.js";
import { leftOpen } from "../../src/rules/windows.js";

/** The expression with every range one millisecond shorter; offsets and subquery steps as they are. */
export function leftOpenExpr(expr: string): string {
  const edits: Edit[] = [];
  parser.parse(expr).iterate({
    enter(ref) {
      if (ref.type.isError) throw new Error(`does not parse: ${expr}`);
      if (ref.name !== "MatrixSelector" && ref.name !== "SubqueryExpr") return undefined;
      // The first duration child is the range (a subquery's second is its step).
      for (let c = ref.node.firstChild; c; c = c.nextSibling) {
        if (c.name !== "DurationExpr") continue;
        const text = expr.slice(c.from, c.to);
        if (!/^(?:\d+(?:ms|[ywdhms]))+$/.test(text)) throw new Error(`not a literal range: ${text}`);
        edits.push({ from: c.from, to: c.to, text: leftOpen(text) });
        break;
      }
      return undefined;
    },
  });
  return applyEdits(expr, edits);
}

/** Every rule of every group with {@link leftOpenExpr} applied. */
export function leftOpenGroups(groups: readonly RuleGroup[]): RuleGroup[] {
  return groups.map((g) => ({
    ...g,
    rules: g.rules.map((r): Rule => ({ ...r, expr: leftOpenExpr(r.expr) })),
  }));
}
