/**
 * Schema pieces with the limits of `limits.ts` built in: what `schema.ts` uses wherever a value
 * ends up in a Kubernetes object, a rule or verify's tests, so that a value every later stage would
 * refuse is refused here, with the reason.
 */
import { z } from "zod";
import { atLeast, MIN_ALERTMANAGER_VERSION, parseVersion } from "../catalog/alertmanager-versions.js";
import { promqlQueryProblem } from "../promql/syntax.js";
import { formatSeconds, INT32_MAX, LIMITS } from "./limits.js";
import { duration, durationSeconds, k8sLabels, positiveMilli, PROM_DURATION_RE } from "./primitives.js";

/** A whole number from `min` to 2^31 - 1 (Kubernetes stores it as int32). */
export function int32(min: number) {
  return z
    .number()
    .int()
    .min(min)
    .max(INT32_MAX, { error: `must be at most ${INT32_MAX} (Kubernetes stores it as a 32-bit integer)` });
}

/** A positive target with at most 3 decimals, at most 2^31 - 1. */
export const target = positiveMilli.max(INT32_MAX, {
  error: `must be at most ${INT32_MAX}`,
});

/** The `for` or `window` of an alert: a duration of at most {@link LIMITS.alertDurationSeconds}. */
export const alertDuration = duration.refine(
  (d) => !PROM_DURATION_RE.test(d) || durationSeconds(d) <= LIMITS.alertDurationSeconds,
  {
    error: (iss) =>
      `must be at most ${formatSeconds(LIMITS.alertDurationSeconds)} (verify replays every alert's timing on promtool, one after another), got ${JSON.stringify(iss.input)}`,
  },
);

/** Key of a Kubernetes label (as `k8sLabels` checks it), its prefix at most 253 characters. */
export const labelKey = k8sLabels.keyType.refine((key) => !key.includes("/") || key.indexOf("/") <= 253, {
  error: "the prefix of a label key (before /) may have at most 253 characters",
});
/** Value of a Kubernetes label. */
export const labelValue = k8sLabels.valueType;
/** A Kubernetes label map (labels of an object, `matchLabels`). */
export const labelMap = z.record(labelKey, labelValue);

/**
 * A metric name the HPA reads from a metrics API: Kubernetes refuses one that is not a path segment
 * (empty, `.`, `..`, or with `/` or `%`).
 */
export const metricIdentifier = z
  .string()
  .min(1)
  .refine((s) => s !== "." && s !== ".." && !/[/%]/.test(s), {
    error: (iss) =>
      `expected a metric name Kubernetes accepts (no '/' or '%', not '.' or '..'), got ${JSON.stringify(iss.input)}`,
  });

/** A PromQL expression, checked with Prometheus' own grammar. */
export const promqlQuery = z.string().superRefine((query, ctx) => {
  const problem = promqlQueryProblem(query);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

/** An Alertmanager version this module writes configurations for. */
const VERSION_RE = /^v?\d{1,4}\.\d{1,4}(\.\d{1,4})?$/;
export const alertmanagerVersion = z
  .string()
  .regex(VERSION_RE, {
    error: (iss) => `expected a version such as 0.34.0, got ${JSON.stringify(iss.input)}`,
  })
  .refine((v) => !VERSION_RE.test(v) || atLeast(parseVersion(v), MIN_ALERTMANAGER_VERSION), {
    error: (iss) =>
      `must be ${MIN_ALERTMANAGER_VERSION} or later (the oldest Alertmanager this writes configurations for), got ${JSON.stringify(iss.input)}`,
  });
