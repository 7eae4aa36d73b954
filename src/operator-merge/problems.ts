/**
 * The problems found while merging AlertmanagerConfig objects, and small helpers for reading
 * objects of unknown shape (user-written YAML) without trusting their types.
 */

/** What a problem is about; each names a trap of the Prometheus Operator or of Alertmanager. */
export type MergeProblemCode =
  | "invalid-object"
  | "unsupported-api-version"
  | "duplicate-object"
  | "no-route"
  | "missing-receiver"
  | "undefined-receiver"
  | "duplicate-receiver"
  | "unknown-route-field"
  | "invalid-route-field"
  | "invalid-matcher"
  | "invalid-group-by"
  | "invalid-duration"
  | "namespace-matcher-conflict"
  | "undefined-time-interval"
  | "duplicate-time-interval"
  | "invalid-time-interval"
  | "time-zone-not-in-crd"
  | "secret-without-key"
  | "missing-field"
  | "unsupported-receiver"
  | "unsupported-field"
  | "secret-file-unsupported"
  | "invalid-base-config";

/** One problem: where (object and field path), what, and how to fix it. */
export interface MergeProblem {
  /** `<namespace>/<name>` of the AlertmanagerConfig, or `base` for the base configuration. */
  readonly object: string;
  /** Field path inside the object, e.g. `spec.route.routes[0].group_by`. */
  readonly path: string;
  readonly code: MergeProblemCode;
  /** The cause and the fix. */
  readonly message: string;
  readonly severity: "error" | "warning";
}

/** Collects the problems of one object and whether any of them makes the operator reject it. */
export class ObjectDiagnostics {
  rejected = false;
  constructor(
    readonly object: string,
    private readonly sink: MergeProblem[],
  ) {}

  /** An error that makes the operator skip the whole object. */
  reject(path: string, code: MergeProblemCode, message: string): void {
    this.rejected = true;
    this.sink.push({ object: this.object, path, code, message, severity: "error" });
  }

  /** An error that leaves the object in the configuration (with the stated effect). */
  error(path: string, code: MergeProblemCode, message: string): void {
    this.sink.push({ object: this.object, path, code, message, severity: "error" });
  }

  /** A warning: the object is used, but something in it does not work as written. */
  warn(path: string, code: MergeProblemCode, message: string): void {
    this.sink.push({ object: this.object, path, code, message, severity: "warning" });
  }
}

/** A plain JSON object. */
export type JsonObject = Record<string, unknown>;

/** Whether a value is a plain JSON object (not null, not an array). */
export function isObject(v: unknown): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The value as a list (`undefined`/`null` as empty; anything else that is not an array as undefined). */
export function asList(v: unknown): unknown[] | undefined {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : undefined;
}

/** `camelCase` / `apiURL` to `snake_case` / `api_url`, the way Alertmanager names the CRD's fields. */
export function snakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
    .toLowerCase();
}

/** `snake_case` to `camelCase`, to suggest the CRD's spelling of a snake_case key. */
export function camelCase(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Drops the keys whose value is undefined, so that the YAML has no empty fields. */
export function compactObject<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
