/** PromQL syntax checking with the official grammar (`@prometheus-io/lezer-promql`). */
import { parser } from "@prometheus-io/lezer-promql";

/** A syntax error at a character offset of the expression. */
export interface PromqlSyntaxError {
  readonly offset: number;
  readonly message: string;
}

/**
 * Returns the syntax errors of a PromQL expression (empty when it parses). This is a grammar check
 * only: types and functions' arguments are left to `promtool check rules`.
 */
export function promqlSyntaxErrors(expr: string): PromqlSyntaxError[] {
  const errors: PromqlSyntaxError[] = [];
  parser.parse(expr).iterate({
    enter(node) {
      if (node.type.isError) {
        const near = expr.slice(Math.max(0, node.from - 10), node.from + 10).replace(/\s+/g, " ");
        errors.push({
          offset: node.from,
          message: `syntax error at offset ${node.from} near ${JSON.stringify(near)}`,
        });
      }
    },
  });
  return errors;
}

/** Checks that `selector` is a valid list of label matchers (what goes between `{` and `}`). */
export function isValidMatcherList(selector: string): boolean {
  if (selector.trim() === "") return true;
  if (/[{}]/.test(selector)) return false;
  return promqlSyntaxErrors(`up{${selector}}`).length === 0;
}

/** `line L, column C` of a character offset (just `column C` on a one-line expression). */
function where(expr: string, offset: number): string {
  const before = expr.slice(0, offset);
  const line = before.split("\n").length;
  const col = offset - (before.lastIndexOf("\n") + 1) + 1;
  return expr.includes("\n") ? `line ${line}, column ${col}` : `column ${col}`;
}

/**
 * Why `expr` cannot be a query whose result is read as one number (a KEDA `prometheus` trigger),
 * or undefined when it can: a syntax error (the first, with its position), or a result that is a
 * range vector or a string.
 */
export function promqlQueryProblem(expr: string): string | undefined {
  if (expr.trim() === "") return "is empty: expected a PromQL query";
  const tree = parser.parse(expr);
  let error: number | undefined;
  tree.iterate({
    enter(node) {
      if (error === undefined && node.type.isError) error = node.from;
      return error === undefined;
    },
  });
  if (error !== undefined) {
    const near = expr.slice(Math.max(0, error - 10), error + 10).replace(/\s+/g, " ");
    return `is not valid PromQL: syntax error at ${where(expr, error)} near ${JSON.stringify(near)}`;
  }
  let top = tree.topNode.firstChild;
  while (top?.name === "ParenExpr") top = top.firstChild;
  if (top?.name === "MatrixSelector" || top?.name === "SubqueryExpr")
    return "gives a range vector (a [range] selector or subquery): the query must give one number, e.g. wrap it in rate() or sum()";
  if (top?.name === "StringLiteral") return "gives a string: the query must give one number";
  return undefined;
}
