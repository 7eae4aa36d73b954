/** What the Prometheus Operator's AlertmanagerConfig matcher strategy does to an object's routes. */
import type { MatcherStrategy } from "./notifications-schema.js";

/**
 * Whether the operator pins an AlertmanagerConfig in `namespace` to alerts of that namespace:
 * always under OnNamespace, except in the Alertmanager's own namespace under
 * OnNamespaceExceptForAlertmanagerNamespace, never under None.
 */
export function isPinned(
  strategy: MatcherStrategy,
  namespace: string,
  alertmanagerNamespace: string,
): boolean {
  if (strategy === "None") return false;
  return strategy === "OnNamespace" || namespace !== alertmanagerNamespace;
}
