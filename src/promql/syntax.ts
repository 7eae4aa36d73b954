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
