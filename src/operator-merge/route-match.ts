/**
 * Alertmanager's routing (`dispatch/route.go`) over a plain configuration: which routes, and so
 * which receivers, an alert with a given label set reaches.
 */
import { matchesAll, routeMatchers } from "../matchers/matcher.js";
import type { AlertmanagerYaml, LabelSet, RouteConfig } from "./types.js";

export {
  parseMatcher,
  parseMatchers,
  formatMatcher,
  matchesValue,
  matchesAll,
  routeMatchers,
  MatcherError,
} from "../matchers/matcher.js";
export type { Matcher, MatchOperator } from "../matchers/matcher.js";
export { unreachableRoutes, type UnreachableRoute } from "./unreachable.js";

/** A route an alert ends at. */
export interface MatchedRoute {
  /** The receiver, inherited from the closest ancestor that names one. */
  readonly receiver: string;
  /** Child indices from the root: `[]` is the root, `[0, 2]` is `route.routes[0].routes[2]`. */
  readonly path: readonly number[];
  readonly route: RouteConfig;
}

/**
 * The routes an alert ends at, in order, as Alertmanager's `Route.Match`: depth-first over the
 * children; a child matches if its matchers match (labels that are absent count as ""); after a
 * matching child the search stops unless that child has `continue: true`; a node none of whose
 * children match is itself the match. The root always matches. Throws {@link MatcherError} on a
 * matcher Alertmanager would refuse.
 */
export function matchRoutes(root: RouteConfig, labels: LabelSet): MatchedRoute[] {
  const visit = (
    node: RouteConfig,
    path: number[],
    inherited: string,
    isRoot: boolean,
  ): MatchedRoute[] | undefined => {
    if (!isRoot && !matchesAll(routeMatchers(node), labels)) return undefined;
    const receiver = node.receiver || inherited;
    const all: MatchedRoute[] = [];
    for (const [i, child] of (node.routes ?? []).entries()) {
      const matches = visit(child, [...path, i], receiver, false);
      if (matches) all.push(...matches);
      if (matches && !child.continue) break;
    }
    return all.length > 0 ? all : [{ receiver, path, route: node }];
  };
  return visit(root, [], "", true) ?? [];
}

/**
 * The receivers an alert is sent to, in routing-tree order: exactly what
 * `amtool config routes test` prints. amtool 0.25 does not deduplicate (a receiver reached by two
 * routes is listed twice, and is notified once per route, as each route makes its own group).
 */
export function receiversFor(config: Pick<AlertmanagerYaml, "route">, labels: LabelSet): string[] {
  return matchRoutes(config.route, labels).map((r) => r.receiver);
}
