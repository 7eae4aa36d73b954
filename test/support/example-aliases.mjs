/**
 * Module resolution hook for running the Pulumi examples from the repository's tests, without an
 * `npm install` inside them: `ai-scaling-alerts` and `ai-scaling-alerts/pulumi` resolve to the
 * sources (as tsconfig.examples.json maps them for the type check), and `@pulumi/*` always to the
 * root's copy, so that the mocks the test sets are the ones the example's resources see.
 */
import { URL } from "node:url";

const ROOT = new URL("../../", import.meta.url);
const ALIASES = {
  "ai-scaling-alerts": "src/index.ts",
  "ai-scaling-alerts/pulumi": "src/pulumi/index.ts",
};

export async function resolve(specifier, context, next) {
  const alias = ALIASES[specifier];
  if (alias) return next(new URL(alias, ROOT).href, context);
  if (specifier.startsWith("@pulumi/")) {
    return next(specifier, { ...context, parentURL: new URL("package.json", ROOT).href });
  }
  return next(specifier, context);
}
