/**
 * An AlertmanagerConfig (v1alpha1) route tree and its matchers, converted into Alertmanager's form
 * the way the Prometheus Operator does (`convertRoute`, `convertMatchersV2`), with the checks of the
 * operator's `validateRoute`. The top route comes through the API server, which prunes unknown
 * keys; child routes are raw JSON that the operator decodes with DisallowUnknownFields (keys match
 * field names case-insensitively, as Go's encoding/json does), so an unknown key there rejects the
 * whole object.
 */
import {
  MatcherError,
  anchoredRegex,
  formatMatcher,
  matchesValue,
  type Matcher,
} from "../matchers/matcher.js";
import { asList, camelCase, compactObject, isObject, type ObjectDiagnostics } from "./problems.js";
import type { RouteConfig } from "./types.js";

/** What a route conversion needs to know about its object. */
export interface CrdContext {
  readonly diag: ObjectDiagnostics;
  /** `<namespace>/<object>/<name>`, the operator's `makeNamespacedString`. */
  readonly prefix: (name: string) => string;
  readonly receivers: ReadonlySet<string>;
  readonly timeIntervals: ReadonlySet<string>;
  /** The namespace the operator pins this object to, if it does (for conflict detection). */
  readonly enforcedNamespace: string | undefined;
}

const ROUTE_FIELDS = [
  "receiver",
  "groupBy",
  "groupWait",
  "groupInterval",
  "repeatInterval",
  "matchers",
  "continue",
  "routes",
  "muteTimeIntervals",
  "activeTimeIntervals",
] as const;
type RouteField = (typeof ROUTE_FIELDS)[number];
const MATCHER_FIELDS = ["name", "value", "matchType", "regex"] as const;
const MATCH_TYPES = new Set(["=", "!=", "=~", "!~"]);
const LABEL_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
// The operator's durationRe (pkg/alertmanager/validation/v1alpha1).
// The operator's Duration pattern (monitoring/v1): also a bare "0".
const DURATION =
  /^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$/;

/** Whether a valid duration is zero (`0`, `0s`, `0m0s`, ...). */
export function isZeroDuration(d: string): boolean {
  return !/[1-9]/.test(d);
}

/** How unknown keys are treated: pruned by the API server (top level) or rejected by the operator (child routes). */
export type KeyMode = "pruned" | "strict";

/** Picks the known fields of `raw`; reports the others. Strict mode matches keys case-insensitively. */
function pickFields<F extends string>(
  raw: Record<string, unknown>,
  fields: readonly F[],
  path: string,
  mode: KeyMode,
  diag: ObjectDiagnostics,
): Partial<Record<F, unknown>> {
  const out: Partial<Record<F, unknown>> = {};
  for (const [key, value] of Object.entries(raw)) {
    const field = fields.find((f) => (mode === "strict" ? f.toLowerCase() === key.toLowerCase() : f === key));
    if (field) {
      out[field] = value;
      continue;
    }
    const hint =
      fields.find((f) => f === camelCase(key)) ?? (key.startsWith("match") ? "matchers" : undefined);
    const fix = hint ? `write "${hint}"` : `remove it (fields: ${fields.join(", ")})`;
    if (mode === "strict")
      diag.reject(
        `${path}.${key}`,
        "unknown-route-field",
        `unknown key "${key}": child routes are decoded with DisallowUnknownFields, so the operator rejects the whole AlertmanagerConfig. Fix: ${fix}.`,
      );
    else
      diag.error(
        `${path}.${key}`,
        "unknown-route-field",
        `unknown key "${key}": not a field of the CRD, so the API server drops it (kubectl with strict validation refuses the object) and it has no effect. Fix: ${fix}.`,
      );
  }
  return out;
}

/** A CRD matcher as Alertmanager sees it, or undefined (reported) if it is invalid. */
export function convertMatcher(
  raw: unknown,
  path: string,
  mode: KeyMode,
  ctx: Pick<CrdContext, "diag" | "enforcedNamespace">,
): Matcher | undefined {
  const { diag } = ctx;
  if (!isObject(raw)) {
    diag.reject(
      path,
      "invalid-matcher",
      `a matcher must be an object {name, value, matchType}, got ${JSON.stringify(raw)}. Fix: e.g. {name: severity, value: critical, matchType: "="}.`,
    );
    return undefined;
  }
  const f = pickFields(raw, MATCHER_FIELDS, path, mode, diag);
  const name = f.name;
  const value = f.value ?? "";
  if (typeof name !== "string" || !LABEL_NAME.test(name) || typeof value !== "string") {
    diag.reject(
      path,
      "invalid-matcher",
      `matcher name ${JSON.stringify(name)} / value ${JSON.stringify(value)}: the name must be a label name ([a-zA-Z_:][a-zA-Z0-9_:]*) and the value a string, or Alertmanager cannot parse the configuration. Fix the name or quote the value.`,
    );
    return undefined;
  }
  const matchType = f.matchType;
  if (matchType !== undefined && matchType !== "" && !MATCH_TYPES.has(String(matchType))) {
    diag.reject(
      `${path}.matchType`,
      "invalid-matcher",
      `matchType ${JSON.stringify(matchType)} is not one of =, !=, =~, !~; the operator rejects the object. Fix the operator.`,
    );
    return undefined;
  }
  const operator = (matchType || (f.regex === true ? "=~" : "=")) as Matcher["operator"];
  const matcher: Matcher = { name, operator, value };
  if (operator === "=~" || operator === "!~") {
    try {
      anchoredRegex(value);
    } catch (e) {
      if (!(e instanceof MatcherError) || e.kind === "invalid") {
        diag.reject(
          `${path}.value`,
          "invalid-matcher",
          `${(e as Error).message}. The operator passes it on and Alertmanager then refuses the whole configuration, so it is left out here. Fix the regex (Go RE2 syntax).`,
        );
        return undefined;
      }
    }
  }
  checkNamespaceMatcher(matcher, path, ctx);
  return matcher;
}

/** Reports a `namespace` matcher that rejects the namespace the operator pins the object to. */
function checkNamespaceMatcher(
  m: Matcher,
  path: string,
  ctx: Pick<CrdContext, "diag" | "enforcedNamespace">,
): void {
  const ns = ctx.enforcedNamespace;
  if (ns === undefined || m.name !== "namespace") return;
  let accepts: boolean;
  try {
    accepts = matchesValue(m, ns);
  } catch {
    return;
  }
  if (!accepts)
    ctx.diag.error(
      path,
      "namespace-matcher-conflict",
      `${formatMatcher(m)} can never hold: under the matcher strategy the operator also requires namespace="${ns}" (it appends, it does not replace), so this can never match. Fix: remove this matcher, or put the AlertmanagerConfig in the namespace it is meant for (or use alertmanagerConfigMatcherStrategy None).`,
    );
}

/** Converts a list of CRD matchers to Alertmanager matcher strings (undefined entries are dropped). */
export function convertMatchers(
  raw: unknown,
  path: string,
  mode: KeyMode,
  ctx: Pick<CrdContext, "diag" | "enforcedNamespace">,
): string[] {
  const list = asList(raw);
  if (!list) {
    ctx.diag.reject(path, "invalid-matcher", `expected a list of matchers, got ${JSON.stringify(raw)}.`);
    return [];
  }
  return list.flatMap((m, i) => {
    const matcher = convertMatcher(m, `${path}[${i}]`, mode, ctx);
    return matcher ? [formatMatcher(matcher)] : [];
  });
}

function stringList(v: unknown): string[] | undefined {
  const list = asList(v);
  return list?.every((x) => typeof x === "string") ? (list as string[]) : undefined;
}

/** The field values with the types Go's decoder expects; reports (and rejects) a mismatch. */
function typedRoute(
  f: Partial<Record<RouteField, unknown>>,
  path: string,
  diag: ObjectDiagnostics,
): Partial<Record<RouteField, unknown>> | undefined {
  const wrong = (field: string, expected: string) =>
    diag.reject(
      `${path}.${field}`,
      "invalid-route-field",
      `${field} must be ${expected}, got ${JSON.stringify(f[field as RouteField])}; the object is rejected. Fix its type.`,
    );
  let ok = true;
  for (const field of ["receiver", "groupWait", "groupInterval", "repeatInterval"] as const)
    if (f[field] !== undefined && f[field] !== null && typeof f[field] !== "string") {
      wrong(field, "a string");
      ok = false;
    }
  for (const field of ["groupBy", "muteTimeIntervals", "activeTimeIntervals"] as const)
    if (!stringList(f[field])) {
      wrong(field, "a list of strings");
      ok = false;
    }
  if (f.continue !== undefined && f.continue !== null && typeof f.continue !== "boolean") {
    wrong("continue", "true or false");
    ok = false;
  }
  if (!asList(f.routes)) {
    wrong("routes", "a list of routes");
    ok = false;
  }
  return ok ? f : undefined;
}

/** The operator's route checks: receiver defined, groupBy, durations, time intervals defined. */
function checkRoute(
  f: Partial<Record<RouteField, unknown>>,
  path: string,
  top: boolean,
  ctx: CrdContext,
): void {
  const { diag } = ctx;
  const receiver = (f.receiver as string | undefined) ?? "";
  if (receiver === "" && top)
    diag.reject(
      `${path}.receiver`,
      "missing-receiver",
      "the top route has no receiver: the operator rejects the object. Fix: name one of spec.receivers.",
    );
  else if (receiver !== "" && !ctx.receivers.has(receiver))
    diag.reject(
      `${path}.receiver`,
      "undefined-receiver",
      `receiver "${receiver}" is not defined in this AlertmanagerConfig (receivers are per object: ${[...ctx.receivers].join(", ") || "none"}); the operator rejects the object. Fix: add it to spec.receivers or fix the name.`,
    );
  const groupBy = stringList(f.groupBy) ?? [];
  if (new Set(groupBy).size !== groupBy.length || (groupBy.includes("...") && groupBy.length > 1))
    diag.reject(
      `${path}.groupBy`,
      "invalid-group-by",
      `groupBy ${JSON.stringify(groupBy)} has duplicates or "..." with other labels; the operator rejects the object. Fix: list each label once, or use "..." alone.`,
    );
  for (const field of ["groupWait", "groupInterval", "repeatInterval"] as const) {
    const d = f[field];
    if (typeof d !== "string" || d === "") continue;
    if (!DURATION.test(d))
      diag.reject(
        `${path}.${field}`,
        "invalid-duration",
        `${field} "${d}" is not a duration such as 30s, 5m or 4h; the object is rejected. Fix the value.`,
      );
    else if (field !== "groupWait" && isZeroDuration(d))
      diag.warn(
        `${path}.${field}`,
        "invalid-duration",
        `${field} "${d}" is zero, which Alertmanager refuses: the operator drops it, so the parent route's (or Alertmanager's default) ${field} applies. Fix: give a positive duration, or remove it.`,
      );
  }
  for (const field of ["muteTimeIntervals", "activeTimeIntervals"] as const)
    for (const [i, name] of (stringList(f[field]) ?? []).entries())
      if (!ctx.timeIntervals.has(name))
        diag.reject(
          `${path}.${field}[${i}]`,
          "undefined-time-interval",
          `time interval "${name}" is not defined in spec.muteTimeIntervals of this object; the operator rejects the object. Fix: define it there or fix the name.`,
        );
}

/**
 * Converts one CRD route (and its children) to an Alertmanager route: receiver and time-interval
 * names prefixed, matchers as strings, `continue` kept as written. Returns undefined if the node
 * itself is unusable; problems go to `ctx.diag` (a rejecting one means the object must be skipped).
 */
export function convertRoute(
  raw: unknown,
  path: string,
  top: boolean,
  ctx: CrdContext,
): RouteConfig | undefined {
  if (!isObject(raw)) {
    ctx.diag.reject(path, "invalid-route-field", `a route must be an object, got ${JSON.stringify(raw)}.`);
    return undefined;
  }
  const mode: KeyMode = top ? "pruned" : "strict";
  const f = typedRoute(pickFields(raw, ROUTE_FIELDS, path, mode, ctx.diag), path, ctx.diag);
  if (!f) return undefined;
  checkRoute(f, path, top, ctx);
  const names = (v: unknown) => {
    const list = stringList(v) ?? [];
    return list.length > 0 ? list.map(ctx.prefix) : undefined;
  };
  const matchers = convertMatchers(f.matchers, `${path}.matchers`, mode, ctx);
  const children = (asList(f.routes) ?? []).flatMap((child, i) => {
    const r = convertRoute(child, `${path}.routes[${i}]`, false, ctx);
    return r ? [r] : [];
  });
  const groupBy = stringList(f.groupBy) ?? [];
  const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);
  // The operator's convertToNonZeroDuration: a zero interval is dropped (the parent's applies).
  const nonZero = (v: unknown) => (str(v) && !isZeroDuration(v as string) ? (v as string) : undefined);
  return compactObject<RouteConfig>({
    receiver: str(f.receiver) && ctx.prefix(f.receiver as string),
    group_by: groupBy.length > 0 ? groupBy : undefined,
    group_wait: str(f.groupWait),
    group_interval: nonZero(f.groupInterval),
    repeat_interval: nonZero(f.repeatInterval),
    matchers: matchers.length > 0 ? matchers : undefined,
    continue: f.continue === true ? true : undefined,
    mute_time_intervals: names(f.muteTimeIntervals),
    active_time_intervals: names(f.activeTimeIntervals),
    routes: children.length > 0 ? children : undefined,
  });
}
