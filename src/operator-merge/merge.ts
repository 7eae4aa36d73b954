/**
 * What the Prometheus Operator does with AlertmanagerConfig objects (`pkg/alertmanager/amcfg.go`,
 * `ConfigBuilder.AddAlertmanagerConfigs`), as a pure function: the merged `alertmanager.yml` and the
 * problems found on the way, each naming its cause and its fix.
 */
import { convertMatchers, convertRoute, type CrdContext } from "./crd-route.js";
import { convertReceiver, type ReceiverContext } from "./crd-receivers.js";
import { convertTimeIntervals, timeIntervalLocations, timeIntervalNames } from "./crd-time-intervals.js";
import { escapeMatcherValue } from "../matchers/matcher.js";
import {
  ObjectDiagnostics,
  asList,
  compactObject,
  isObject,
  type JsonObject,
  type MergeProblem,
} from "./problems.js";
import type {
  AlertmanagerYaml,
  InhibitRuleConfig,
  ReceiverConfig,
  RouteConfig,
  TimeIntervalConfig,
} from "./types.js";
import {
  MIN_ALERTMANAGER_VERSION,
  atLeast,
  parseVersion,
  type Version,
} from "../catalog/alertmanager-versions.js";

/** The Alertmanager's `spec.alertmanagerConfigMatcherStrategy.type`. */
export type MatcherStrategy = "OnNamespace" | "OnNamespaceExceptForAlertmanagerNamespace" | "None";

export interface MergeOptions {
  readonly matcherStrategy: MatcherStrategy;
  /** Namespace of the Alertmanager resource (for OnNamespaceExceptForAlertmanagerNamespace). */
  readonly alertmanagerNamespace: string;
  /** The user's own configuration (global, root route, other receivers, inhibit rules, time intervals). */
  readonly base?: Partial<AlertmanagerYaml>;
  /** Where the Secrets are mounted: files are `<secretsDir>/<namespace>/<secret>/<key>`. */
  readonly secretsDir?: string;
  /** The oldest Alertmanager the output must load in (default and minimum 0.25.0). */
  readonly alertmanagerVersion?: string;
}

export interface MergeResult {
  readonly config: AlertmanagerYaml;
  readonly problems: MergeProblem[];
  /** `<namespace>/<name>` of the objects the operator would reject (they contribute nothing). */
  readonly rejected: string[];
}

export const DEFAULT_SECRETS_DIR = "/etc/alertmanager/secrets";
/** Receiver of the root route when the base configuration has none (as in the operator's default). */
export const NULL_RECEIVER = "null";
const SPEC_FIELDS = new Set(["route", "receivers", "inhibitRules", "muteTimeIntervals"]);
const INHIBIT_FIELDS = new Set(["sourceMatch", "targetMatch", "equal"]);

/** The base configuration with a root route, and the operator's checks of that root route. */
function baseConfig(base: Partial<AlertmanagerYaml> | undefined, problems: MergeProblem[]): AlertmanagerYaml {
  const b = structuredClone(base ?? {});
  const receivers = [...(b.receivers ?? [])];
  let route = b.route;
  if (!route) {
    route = { receiver: NULL_RECEIVER };
    if (!receivers.some((r) => r.name === NULL_RECEIVER)) receivers.push({ name: NULL_RECEIVER });
  }
  const diag = new ObjectDiagnostics("base", problems);
  const bad = (path: string, what: string) =>
    diag.error(
      `route.${path}`,
      "invalid-base-config",
      `the root route ${what}; the operator refuses such a base configuration. Fix: remove it from the root route (put it on a child route).`,
    );
  if (!route.receiver) bad("receiver", "has no receiver");
  if (route.continue) bad("continue", "sets continue");
  const keys = (o: object | undefined) => Object.keys(o ?? {}).length;
  if (route.matchers?.length || keys(route.match) || keys(route.match_re)) bad("matchers", "has matchers");
  if (route.mute_time_intervals?.length) bad("mute_time_intervals", "has mute_time_intervals");
  if (route.active_time_intervals?.length) bad("active_time_intervals", "has active_time_intervals");
  return { ...b, route, receivers };
}

/** Identifies the objects (`<ns>/<name>`), reports the unusable ones; later duplicates win. */
function identify(objects: readonly unknown[], problems: MergeProblem[]): Map<string, JsonObject> {
  const byKey = new Map<string, JsonObject>();
  objects.forEach((o, i) => {
    const meta = isObject(o) && isObject(o.metadata) ? o.metadata : {};
    const ok = (v: unknown): v is string => typeof v === "string" && v !== "";
    const key = ok(meta.namespace) && ok(meta.name) ? `${meta.namespace}/${meta.name}` : `objects[${i}]`;
    const diag = new ObjectDiagnostics(key, problems);
    if (!isObject(o) || o.kind !== "AlertmanagerConfig" || !ok(meta.namespace) || !ok(meta.name)) {
      diag.reject(
        "metadata",
        "invalid-object",
        "not an AlertmanagerConfig with metadata.name and metadata.namespace. Fix the object.",
      );
    } else if (o.apiVersion !== "monitoring.coreos.com/v1alpha1") {
      diag.reject(
        "apiVersion",
        "unsupported-api-version",
        `apiVersion ${JSON.stringify(o.apiVersion)}: only monitoring.coreos.com/v1alpha1 is handled (the storage version; v1beta1 needs the operator's conversion webhook). Fix: write v1alpha1.`,
      );
    } else {
      if (byKey.has(key))
        diag.warn("metadata", "duplicate-object", `${key} is given twice; the last one is used.`);
      byKey.set(key, o);
    }
  });
  return byKey;
}

/** What one accepted object contributes. */
interface Contribution {
  route?: RouteConfig;
  receivers: ReceiverConfig[];
  timeIntervals: TimeIntervalConfig[];
  inhibitRules: InhibitRuleConfig[];
}

/** Converts one object; returns undefined when the operator would reject it. */
function convertObject(
  key: string,
  obj: JsonObject,
  options: MergeOptions,
  version: Version,
  global: Record<string, unknown>,
  problems: MergeProblem[],
): Contribution | undefined {
  const diag = new ObjectDiagnostics(key, problems);
  const namespace = (obj.metadata as JsonObject).namespace as string;
  const spec = isObject(obj.spec) ? obj.spec : {};
  const prefix = (name: string) => `${key}/${name}`;
  const enforcedNamespace =
    options.matcherStrategy === "None" ||
    (options.matcherStrategy === "OnNamespaceExceptForAlertmanagerNamespace" &&
      namespace === options.alertmanagerNamespace)
      ? undefined
      : namespace;
  for (const k of Object.keys(spec))
    if (!SPEC_FIELDS.has(k))
      diag.error(
        `spec.${k}`,
        "unsupported-field",
        `spec.${k} is not a v1alpha1 field, so the API server drops it. Fix: use ${[...SPEC_FIELDS].join(", ")}.`,
      );

  const rawReceivers = (asList(spec.receivers) ?? []).filter(isObject);
  const names = new Set<string>();
  const rctx: ReceiverContext = {
    diag,
    namespace,
    secretsDir: options.secretsDir ?? DEFAULT_SECRETS_DIR,
    version,
    global,
  };
  const receivers = rawReceivers.flatMap((r, i) => {
    const path = `spec.receivers[${i}]`;
    const name = typeof r.name === "string" ? r.name : "";
    if (name === "" || names.has(name)) {
      diag.reject(
        `${path}.name`,
        "duplicate-receiver",
        name === ""
          ? "a receiver without a name; the object is rejected. Fix: name it."
          : `receiver "${name}" is defined twice; the operator rejects the object. Fix: merge or rename them.`,
      );
      return [];
    }
    names.add(name);
    return [convertReceiver(r, prefix(name), path, rctx)];
  });
  const timeIntervals = convertTimeIntervals(
    spec.muteTimeIntervals,
    "spec.muteTimeIntervals",
    prefix,
    diag,
    timeIntervalLocations(obj.metadata, diag),
  );
  const ctx: CrdContext = {
    diag,
    prefix,
    receivers: names,
    timeIntervals: timeIntervalNames(spec.muteTimeIntervals),
    enforcedNamespace,
  };
  const inhibitRules = (asList(spec.inhibitRules) ?? []).map((r, i) =>
    convertInhibitRule(r, `spec.inhibitRules[${i}]`, ctx),
  );

  let route: RouteConfig | undefined;
  if (spec.route === undefined || spec.route === null) {
    diag.error(
      "spec.route",
      "no-route",
      `no spec.route: the operator then takes only the inhibit rules of this object and drops its ${receivers.length} receiver(s) and ${timeIntervals.length} time interval(s), so nothing is routed to them. Fix: add spec.route with a receiver.`,
    );
  } else {
    route = convertRoute(spec.route, "spec.route", true, ctx);
    if (route && enforcedNamespace !== undefined)
      route.matchers = [...(route.matchers ?? []), namespaceMatcher(enforcedNamespace)];
    if (route) route.continue = true;
  }
  if (diag.rejected) return undefined;
  return route
    ? { route, receivers, timeIntervals, inhibitRules }
    : { receivers: [], timeIntervals: [], inhibitRules };
}

const namespaceMatcher = (ns: string) => `namespace="${escapeMatcherValue(ns)}"`;

/** An inhibit rule; under namespace enforcement `namespace="<ns>"` is added to both sides (once). */
function convertInhibitRule(raw: unknown, path: string, ctx: CrdContext): InhibitRuleConfig {
  const r = isObject(raw) ? raw : {};
  for (const k of Object.keys(r))
    if (!INHIBIT_FIELDS.has(k))
      ctx.diag.error(
        `${path}.${k}`,
        "unsupported-field",
        `${k} is not a field of an inhibit rule, so the API server drops it. Fix: use sourceMatch, targetMatch, equal.`,
      );
  const side = (field: string) => {
    const ms = convertMatchers(r[field], `${path}.${field}`, "pruned", ctx);
    const ns = ctx.enforcedNamespace;
    if (ns !== undefined && !ms.includes(namespaceMatcher(ns))) ms.push(namespaceMatcher(ns));
    return ms.length > 0 ? ms : undefined;
  };
  const equal = (asList(r.equal) ?? []).filter((x): x is string => typeof x === "string");
  return compactObject<InhibitRuleConfig>({
    source_matchers: side("sourceMatch"),
    target_matchers: side("targetMatch"),
    equal: equal.length > 0 ? equal : undefined,
  });
}

/**
 * Merges AlertmanagerConfig objects into an Alertmanager configuration exactly as the Prometheus
 * Operator does, and reports the traps it falls into:
 * - objects are taken in sorted `<namespace>/<name>` order; rejected ones contribute nothing;
 * - receivers, route receivers and time intervals are renamed `<namespace>/<name>/<item>`;
 * - each object's route becomes a first-level child of the root route, before the base routes,
 *   with `continue: true` forced (child routes keep theirs);
 * - OnNamespace appends `namespace="<ns>"` to that route and adds it to both sides of each inhibit
 *   rule (unless already there); OnNamespaceExceptForAlertmanagerNamespace does so except for
 *   objects in the Alertmanager's namespace; None adds nothing;
 * - an object without spec.route contributes only its inhibit rules;
 * - time zones an object records in its `ai-scaling-alerts/time-interval-locations` annotation
 *   (v1alpha1 has no `location`) become `location` in the merged file, with a warning that the
 *   operator itself applies those intervals in UTC.
 * Secrets become `*_file` paths under `secretsDir` (see `crd-receivers.ts` for what Alertmanager 0.25
 * lacks). Without a base root route the root goes to an empty receiver named `null`.
 */
export function mergeAlertmanagerConfigs(objects: readonly unknown[], options: MergeOptions): MergeResult {
  const version = parseVersion(options.alertmanagerVersion ?? MIN_ALERTMANAGER_VERSION);
  if (!atLeast(version, MIN_ALERTMANAGER_VERSION))
    throw new Error(
      `alertmanagerVersion ${options.alertmanagerVersion} is below ${MIN_ALERTMANAGER_VERSION}`,
    );
  const problems: MergeProblem[] = [];
  const base = baseConfig(options.base, problems);
  const byKey = identify(objects, problems);
  const rejected: string[] = [];
  const routes: RouteConfig[] = [];
  const receivers = [...base.receivers];
  const inhibitRules = [...(base.inhibit_rules ?? [])];
  const timeIntervals = [...(base.time_intervals ?? [])];
  for (const key of [...byKey.keys()].sort()) {
    const c = convertObject(key, byKey.get(key) as JsonObject, options, version, base.global ?? {}, problems);
    if (!c) {
      rejected.push(key);
      continue;
    }
    inhibitRules.push(...c.inhibitRules);
    if (c.route) routes.push(c.route);
    receivers.push(...c.receivers);
    timeIntervals.push(...c.timeIntervals);
  }
  const route: RouteConfig = { ...base.route };
  const allRoutes = [...routes, ...(base.route.routes ?? [])];
  if (allRoutes.length > 0) route.routes = allRoutes;
  const config = compactObject<AlertmanagerYaml>({
    global: base.global,
    templates: base.templates,
    route,
    receivers,
    inhibit_rules: inhibitRules.length > 0 ? inhibitRules : undefined,
    time_intervals: timeIntervals.length > 0 ? timeIntervals : undefined,
    mute_time_intervals: base.mute_time_intervals,
  });
  return { config, problems, rejected };
}
