/**
 * Whether the cluster's Prometheus and Alertmanager select the generated objects: Kubernetes label
 * selectors evaluated against the objects' labels and their namespaces' labels, as the Prometheus
 * Operator does (a null selector selects nothing, or only the resource's own namespace for
 * namespace selectors; `{}` selects everything). Selection uses `metadata.labels` only, never
 * group or rule labels (helm-charts #5008).
 */
import type { GeneratedObjects } from "../build.js";
import type { LabelSelector } from "../config/schema.js";

/** Whether a label set matches a Kubernetes label selector. */
export function selectorMatches(selector: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, e.key);
    const value = labels[e.key];
    const inValues = has && (e.values ?? []).includes(value ?? "");
    if (e.operator === "In" && !inValues) return false;
    if (e.operator === "NotIn" && inValues) return false;
    if (e.operator === "Exists" && !has) return false;
    if (e.operator === "DoesNotExist" && has) return false;
  }
  return true;
}

/** `matchLabels: {a: b}` and expressions as text, for messages. */
export function formatSelector(s: LabelSelector | null): string {
  if (s === null) return "null";
  const parts = [
    ...Object.entries(s.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`),
    ...(s.matchExpressions ?? []).map((e) => `${e.key} ${e.operator} (${(e.values ?? []).join(", ")})`),
  ];
  return parts.length === 0 ? "{} (everything)" : parts.join(", ");
}

/** One selection finding: which object, selected or not, and why. */
export interface SelectionResult {
  readonly object: string;
  readonly selected: boolean;
  readonly reason: string;
}

function namespaceSelected(
  selector: LabelSelector | null,
  namespace: string,
  ownNamespace: string,
  namespaceLabels: Readonly<Record<string, Readonly<Record<string, string>>>>,
): { ok: boolean; reason: string } {
  if (selector === null) {
    return namespace === ownNamespace
      ? { ok: true, reason: `namespace selector is null: only ${ownNamespace}, where it is` }
      : {
          ok: false,
          reason: `namespace selector is null, which selects only ${ownNamespace}; the object is in ${namespace}. Move it, or set the namespace selector to {} or to labels of ${namespace}`,
        };
  }
  const labels = { ...namespaceLabels[namespace], "kubernetes.io/metadata.name": namespace };
  return selectorMatches(selector, labels)
    ? { ok: true, reason: `namespace ${namespace} matches ${formatSelector(selector)}` }
    : {
        ok: false,
        reason: `namespace ${namespace} (labels ${JSON.stringify(labels)}) does not match the namespace selector ${formatSelector(selector)}: label the namespace, or widen the selector (monitoring.operator.namespaceLabels says what the namespace carries)`,
      };
}

/** Checks the PrometheusRule against the rule selectors and each AlertmanagerConfig against its selectors. */
export function checkSelection(g: GeneratedObjects): SelectionResult[] {
  const op = g.resolved.monitoring.operator;
  const out: SelectionResult[] = [];
  const rule = g.prometheusRule;
  const ruleSelector = op.ruleSelector ?? { matchLabels: g.resolved.monitoring.ruleSelectorLabels };
  const ruleId = `PrometheusRule ${rule.metadata.namespace}/${rule.metadata.name}`;
  const ns = namespaceSelected(
    op.ruleNamespaceSelector,
    rule.metadata.namespace,
    op.prometheusNamespace,
    op.namespaceLabels,
  );
  if (!selectorMatches(ruleSelector, rule.metadata.labels)) {
    out.push({
      object: ruleId,
      selected: false,
      reason: `its labels ${JSON.stringify(rule.metadata.labels)} do not match Prometheus' ruleSelector ${formatSelector(ruleSelector)}: Prometheus will never load these rules. Set monitoring.ruleSelectorLabels to the selector's labels (kube-prometheus-stack: release: <helm release name>)`,
    });
  } else if (!ns.ok) {
    out.push({ object: ruleId, selected: false, reason: `ruleNamespaceSelector: ${ns.reason}` });
  } else {
    out.push({
      object: ruleId,
      selected: true,
      reason: `labels match ruleSelector ${formatSelector(ruleSelector)}; ${ns.reason}`,
    });
  }
  for (const a of g.alertmanagerConfigs) {
    const id = `AlertmanagerConfig ${a.metadata.namespace}/${a.metadata.name}`;
    if (op.alertmanagerConfigSelector === null) {
      out.push({
        object: id,
        selected: false,
        reason:
          "the Alertmanager's alertmanagerConfigSelector is null: it merges no AlertmanagerConfig at all. Set it to {} or to labels the object carries",
      });
      continue;
    }
    const nsa = namespaceSelected(
      op.alertmanagerConfigNamespaceSelector,
      a.metadata.namespace,
      op.alertmanagerNamespace,
      op.namespaceLabels,
    );
    if (!selectorMatches(op.alertmanagerConfigSelector, a.metadata.labels)) {
      out.push({
        object: id,
        selected: false,
        reason: `its labels ${JSON.stringify(a.metadata.labels)} do not match alertmanagerConfigSelector ${formatSelector(op.alertmanagerConfigSelector)}: its routes and receivers are never merged`,
      });
    } else if (!nsa.ok) {
      out.push({ object: id, selected: false, reason: `alertmanagerConfigNamespaceSelector: ${nsa.reason}` });
    } else {
      out.push({
        object: id,
        selected: true,
        reason: `labels match alertmanagerConfigSelector ${formatSelector(op.alertmanagerConfigSelector)}; ${nsa.reason}`,
      });
    }
  }
  return out;
}
