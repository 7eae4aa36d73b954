/**
 * Routes of a routing tree that no alert can reach. Only certain cases are reported (no false
 * alarms): a route whose matchers, together with its ancestors', can never all hold, and a route
 * after a sibling with `continue: false` that matches every alert this route could match.
 */
import { formatMatcher, matchesValue, routeMatchers, type Matcher } from "../matchers/matcher.js";
import type { AlertmanagerYaml, RouteConfig } from "./types.js";

/** A route that can never be reached. */
export interface UnreachableRoute {
  /** Child indices from the root, as in `MatchedRoute.path`. */
  readonly path: readonly number[];
  readonly receiver: string | undefined;
  readonly reason: string;
}

/** `matchesValue`, with `undefined` when the regex cannot be evaluated here. */
function accepts(m: Matcher, value: string): boolean | undefined {
  try {
    return matchesValue(m, value);
  } catch {
    return undefined;
  }
}

/** The literals of a regex that is a plain alternation (`a|b|c`), or undefined. */
function literals(m: Matcher): string[] | undefined {
  if (m.operator !== "=~") return undefined;
  const parts = m.value.split("|");
  return parts.every((p) => !/[\\^$.|?*+()[\]{}]/.test(p)) ? parts : undefined;
}

/** Whether a matcher accepts every value (`=~".*"` and the like). */
function alwaysTrue(m: Matcher): boolean {
  return m.operator === "=~" && /^(\(\?s\))?(\.\*)+$|^\(\.\*\)$/.test(m.value);
}

/**
 * The values a label can take under these matchers, when that set is finite and known (an equality,
 * or an alternation of literals, filtered by the other matchers); undefined when it is not.
 */
function possibleValues(ms: readonly Matcher[]): string[] | undefined {
  let candidates: string[] | undefined;
  for (const m of ms) {
    const set = m.operator === "=" ? [m.value] : literals(m);
    if (set) candidates = candidates ? candidates.filter((c) => set.includes(c)) : [...set];
  }
  return candidates?.filter((c) => ms.every((m) => accepts(m, c) !== false));
}

/** Why these matchers can never all hold, or undefined when they can (or it cannot be told). */
function contradiction(ms: readonly Matcher[]): string | undefined {
  const byName = new Map<string, Matcher[]>();
  for (const m of ms) byName.set(m.name, [...(byName.get(m.name) ?? []), m]);
  for (const [name, group] of byName) {
    if (group.every((m) => accepts(m, "") === true)) continue;
    const values = possibleValues(group);
    if (values && values.length === 0)
      return `no value of label "${name}" satisfies ${group.map(formatMatcher).join(", ")}`;
  }
  return undefined;
}

/** Whether every alert that satisfies `constraints` also satisfies the matcher `m`. */
function implied(m: Matcher, constraints: readonly Matcher[]): boolean {
  if (alwaysTrue(m)) return true;
  const same = constraints.filter((c) => c.name === m.name);
  if (same.some((c) => c.operator === m.operator && c.value === m.value)) return true;
  const values = same.length > 0 ? possibleValues(same) : undefined;
  return values !== undefined && values.every((v) => accepts(m, v) === true);
}

/**
 * The routes no alert can reach, topmost only (the routes under them are unreachable too):
 * - their matchers and their ancestors' can never all hold (`namespace="a"` under `namespace="b"`,
 *   `x="1"` with `x="2"`, an equality the ancestor's regex refuses);
 * - an earlier sibling without `continue` matches every alert they could match (e.g. it has no
 *   matchers, or only always-true ones), so the search always stops before them.
 * Throws `MatcherError` on a matcher Alertmanager would refuse.
 */
export function unreachableRoutes(config: Pick<AlertmanagerYaml, "route">): UnreachableRoute[] {
  const out: UnreachableRoute[] = [];
  const walk = (node: RouteConfig, path: number[], inherited: Matcher[], receiver: string | undefined) => {
    const blockers: { path: number[]; matchers: Matcher[] }[] = [];
    for (const [i, child] of (node.routes ?? []).entries()) {
      const childPath = [...path, i];
      const own = routeMatchers(child);
      const constraints = [...inherited, ...own];
      const childReceiver = child.receiver || receiver;
      const why = contradiction(constraints);
      const blocker = why
        ? undefined
        : blockers.find((b) => b.matchers.every((m) => implied(m, constraints)));
      if (why)
        out.push({
          path: childPath,
          receiver: childReceiver,
          reason: `its matchers with its ancestors' can never all hold: ${why}`,
        });
      else if (blocker)
        out.push({
          path: childPath,
          receiver: childReceiver,
          reason: `the earlier sibling at [${blocker.path.join(", ")}] has continue: false and matches every alert this route could match (${blocker.matchers.map(formatMatcher).join(", ") || "no matchers"}), so routing never gets here`,
        });
      else walk(child, childPath, constraints, childReceiver);
      if (!why && !child.continue) blockers.push({ path: childPath, matchers: own });
    }
  };
  walk(config.route, [], [], config.route.receiver);
  return out;
}
