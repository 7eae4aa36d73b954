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

/** An RFC 1123 subdomain: what Kubernetes allows as the name of a Secret (and most objects). */
export const RFC1123_SUBDOMAIN_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** What Kubernetes allows as a key of a Secret's `data` (also a file name where it is mounted). */
export const SECRET_KEY_RE = /^(?!\.\.?$)[-._a-zA-Z0-9]+$/;

/** Whether `text` starts like a URL (`scheme://`). */
export function looksLikeUrl(text: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(text.trim());
}

/** Whether a URL carries a user or password (`scheme://user:password@host`), even an empty one. */
export function hasUserinfo(text: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*@/i.test(text.trim());
}

/**
 * How a refused value in a credential position is described in a message: its length and shape,
 * never its text (a credential pasted in the wrong place must not end up in a log).
 */
export function describeHidden(value: unknown): string {
  if (typeof value !== "string") return `a ${value === null ? "null" : typeof value}`;
  const n = `a value of ${value.length} character${value.length === 1 ? "" : "s"}`;
  if (looksLikeUrl(value)) return `${n} that looks like a URL`;
  if (/\s/.test(value)) return `${n} with white space`;
  return n;
}

/** What a Secret name or key breaks, in words (the value itself is never echoed). */
function secretNameProblem(s: string): string | undefined {
  if (s.length === 0) return "it is empty";
  if (s.length > 253) return "it is longer than 253 characters";
  if (RFC1123_SUBDOMAIN_RE.test(s)) return undefined;
  if (/[A-Z]/.test(s)) return "it has upper-case letters";
  if (/[^-a-z0-9.]/.test(s)) return "it has characters other than lower-case letters, digits, '-' and '.'";
  return "each '.'-separated part must start and end with a letter or digit";
}

function secretKeyProblem(s: string): string | undefined {
  if (s.length === 0) return "it is empty";
  if (s.length > 253) return "it is longer than 253 characters";
  if (s === "." || s === "..") return "'.' and '..' are not keys";
  if (!SECRET_KEY_RE.test(s)) return "it has characters other than letters, digits, '-', '_' and '.'";
  return undefined;
}

const PASTED_CREDENTIAL =
  " (if that is the credential itself: put it in the Secret's data, and give the Secret's name and key here)";

/** A Secret name or key: a string matching `re`, at most 253; refusals describe it, never echo it. */
function refPart(what: string, rule: string, re: RegExp, problem: (s: string) => string | undefined) {
  const message = (iss: { input?: unknown }): string => {
    if (iss.input === undefined) return `required: ${what}`;
    if (typeof iss.input !== "string") return `expected ${what}, got ${describeHidden(iss.input)}`;
    const s = iss.input;
    const pasted = looksLikeUrl(s) || s.length > 253 ? PASTED_CREDENTIAL : "";
    return `expected ${what} (${rule}), got ${describeHidden(s)}: ${problem(s) ?? "not allowed"}${pasted}`;
  };
  return z.string({ error: message }).max(253, { error: message }).regex(re, { error: message });
}

/** The name of a Secret: an RFC 1123 subdomain (at most 253), never echoed in a message. */
export const secretName = refPart(
  "the name of a Secret",
  "lower-case letters, digits, '-' and '.', at most 253",
  RFC1123_SUBDOMAIN_RE,
  secretNameProblem,
);

/** A key of a Secret: letters, digits, '-', '_' and '.', not `.` or `..`; never echoed in a message. */
export const secretKey = refPart(
  "a key of the Secret",
  "letters, digits, '-', '_' and '.', at most 253",
  SECRET_KEY_RE,
  secretKeyProblem,
);

/**
 * A reference to one key of a Kubernetes Secret. Credentials are only ever given this way: an inline
 * string is rejected so that secrets never end up in rendered output, and no message repeats what
 * was given in a credential position.
 */
export const secretRef = z.strictObject(
  {
    secret: secretName.describe("Name of the Secret, in the AlertmanagerConfig's namespace."),
    key: secretKey.describe("Key inside the Secret."),
  },
  {
    error: (iss) =>
      iss.input === undefined
        ? "required: a Secret reference { secret: <name>, key: <key> }"
        : typeof iss.input === "string"
          ? `inline credentials are not allowed (got ${describeHidden(iss.input)}): put it in a Secret and give a Secret reference { secret: <name>, key: <key> }`
          : "expected a Secret reference { secret: <name>, key: <key> }",
  },
);
export type SecretRef = z.infer<typeof secretRef>;

/**
 * An absolute http(s) URL without a user or password: anything in such a URL is published (in a
 * rendered object, an alert's annotations), so credentials must come from a Secret instead.
 * Refusals describe the value, never repeat it. `credentialsHint` says where it is published and
 * where credentials go instead.
 */
export function httpUrl(what: string, credentialsHint: string) {
  return z
    .url({
      protocol: /^https?$/,
      error: (iss) =>
        iss.input === undefined
          ? `required: ${what}`
          : `expected ${what} (an absolute http:// or https:// URL), got ${describeHidden(iss.input)}`,
    })
    .refine((s) => !hasUserinfo(s), {
      error: `must not hold a user or password (scheme://user:password@host): ${credentialsHint}`,
      abort: true,
    });
}
