/** Small zod building blocks shared by the config schema. */
import { z } from "zod";
import { REMOVED_SERIES } from "../presets/ai-metrics.js";

/** An error function: "required: <expected>" for a missing value, else "<expected>". */
export function expected(what: string) {
  return (iss: { input?: unknown }) => (iss.input === undefined ? `required: ${what}` : what);
}

/** A Prometheus duration such as `30s`, `5m`, `1h30m`. */
export const PROM_DURATION_RE = /^(?:\d+y)?(?:\d+w)?(?:\d+d)?(?:\d+h)?(?:\d+m)?(?:\d+s)?(?:\d+ms)?$/;

export const duration = z
  .string({ error: expected("a duration such as 30s, 5m or 1h") })
  .refine((s) => s.length > 0 && PROM_DURATION_RE.test(s), {
    error: (iss) => `expected a duration such as 30s, 5m or 1h, got ${JSON.stringify(iss.input)}`,
  });

/** Parses a Prometheus duration into seconds. Accepts only strings that match {@link PROM_DURATION_RE}. */
export function durationSeconds(d: string): number {
  const units: Record<string, number> = { y: 31536000, w: 604800, d: 86400, h: 3600, m: 60, s: 1, ms: 0.001 };
  let total = 0;
  for (const m of d.matchAll(/(\d+)(ms|y|w|d|h|m|s)/g)) total += Number(m[1]) * (units[m[2] as string] ?? 0);
  return total;
}

/** A Kubernetes object name (RFC 1123 subdomain, 253 characters at most). */
export const k8sName = z
  .string({ error: expected("a Kubernetes name (lower-case letters, digits, '-' and '.')") })
  .max(253, { error: "must be at most 253 characters" })
  .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, {
    error: (iss) =>
      `expected a Kubernetes name (lower-case letters, digits, '-' and '.', starting and ending with a letter or digit), got ${JSON.stringify(iss.input)}`,
  });

/** A namespace name (RFC 1123 label, 63 characters at most). */
export const namespaceName = z
  .string({ error: expected("a namespace name") })
  .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, {
    error: (iss) =>
      `expected a namespace name (lower-case letters, digits and '-', at most 63), got ${JSON.stringify(iss.input)}`,
  });

/** A Prometheus label name. */
export const labelName = z
  .string({ error: expected("a label name") })
  .regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, {
    error: (iss) =>
      `expected a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*), got ${JSON.stringify(iss.input)}`,
  })
  .refine((s) => !s.startsWith("__"), { error: "label names starting with __ are reserved" });

/** A Prometheus metric name (colons allowed, as in recording-rule and vLLM names). */
export const metricName = z
  .string({ error: expected("a metric name") })
  .regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, {
    error: (iss) =>
      `expected a Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*), got ${JSON.stringify(iss.input)}`,
  })
  // A series its exporter renamed or removed would leave the HPA or alert silently blind.
  .refine((s) => !Object.hasOwn(REMOVED_SERIES, s), {
    error: (iss) => `${String(iss.input)} is ${REMOVED_SERIES[String(iss.input)] ?? "removed"}`,
  });

/** A Kubernetes label map (used for selector labels on generated objects). */
export const k8sLabels = z.record(
  z.string().regex(/^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/, {
    error: (iss) => `expected a Kubernetes label key, got ${JSON.stringify(iss.input)}`,
  }),
  z.string().regex(/^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/, {
    error: (iss) =>
      `expected a Kubernetes label value (63 characters, alphanumeric, '-', '_', '.'), got ${JSON.stringify(iss.input)}`,
  }),
);

/** A Kubernetes resource quantity such as `8`, `500m`, `1.5`, `2Gi` (the apimachinery syntax, > 0). */
export const QUANTITY_RE = /^\+?(\d+(\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;
export const quantity = z.union([
  z
    .number()
    .positive({ error: "must be > 0" })
    .refine((n) => Math.abs(n * 1000 - Math.round(n * 1000)) < 1e-9, {
      error: "at most 3 decimal places (the HPA works in thousandths)",
    }),
  z
    .string()
    .regex(QUANTITY_RE, {
      error: (iss) =>
        `expected a Kubernetes quantity such as 8, 500m or 1.5, got ${JSON.stringify(iss.input)}`,
    })
    .refine((s) => /[1-9]/.test(s.replace(/[eE][+-]?\d+$/, "")), { error: "must be > 0" }),
]);

/** A positive number with at most 3 decimal places (HPA targets are written in thousandths). */
export const positiveMilli = z
  .number()
  .positive({ error: "must be > 0" })
  .refine((n) => Math.abs(n * 1000 - Math.round(n * 1000)) < 1e-9, {
    error: "at most 3 decimal places (the HPA works in thousandths)",
  });

/**
 * A reference to one key of a Kubernetes Secret. Credentials are only ever given this way: an inline
 * string is rejected so that secrets never end up in rendered output.
 */
export const secretRef = z.strictObject(
  {
    secret: k8sName.describe("Name of the Secret, in the AlertmanagerConfig's namespace."),
    key: z
      .string()
      .min(1, { error: "expected the key inside the Secret" })
      .describe("Key inside the Secret."),
  },
  {
    error: (iss) =>
      iss.input === undefined
        ? "required: a Secret reference { secret: <name>, key: <key> }"
        : typeof iss.input === "string"
          ? "inline credentials are not allowed: give a Secret reference { secret: <name>, key: <key> }"
          : "expected a Secret reference { secret: <name>, key: <key> }",
  },
);
export type SecretRef = z.infer<typeof secretRef>;
