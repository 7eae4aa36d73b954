/**
 * Namespaces given as Outputs (a `Namespace` resource's name, say). Namespace names are compiled
 * into the rules' PromQL and decide how many AlertmanagerConfigs exist, so the objects cannot be
 * generated before they are known. Yet creating resources inside `apply` hides them from previews
 * and from URN tracking. So the component plans with placeholders and fills in the real values:
 *
 * 1. each distinct Output namespace gets a placeholder name and the config is validated and
 *    generated with it, synchronously: that fixes which children exist and their logical names;
 * 2. the children are created at once, each with inputs that are an Output of the same generation
 *    run again on the real namespace names (so their inputs are exactly what the CLI would render);
 * 3. if the real names change the set of objects (two Outputs that turn out to name the same
 *    namespace), that apply fails with an error rather than deploying something else.
 *
 * Pass the same Output object wherever the same namespace is meant; plain strings need none of this.
 * The placeholders are `input-namespace-<n>`, numbered in order of first appearance (top level,
 * workloads, notifications); they appear in the children's logical names in place of the namespace.
 */
import * as pulumi from "@pulumi/pulumi";
import { kubernetesObjects, type GeneratedObjects, type KubernetesObject } from "../build.js";

/** Placeholders for the namespaces that are not plain strings. */
export interface PlaceholderNamespaces {
  /** The config with each Output namespace replaced by its placeholder. */
  readonly config: Record<string, unknown>;
  /** Placeholder -> the Output it stands for (empty when every namespace is a plain string). */
  readonly pending: ReadonlyMap<string, pulumi.Output<string>>;
}

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === "object" && v !== null;

/** The config's namespace fields: top level, each workload, notifications. */
function mapNamespaces(config: Rec, f: (ns: unknown) => unknown): Rec {
  const out: Rec = { ...config };
  if ("namespace" in config) out.namespace = f(config.namespace);
  if (Array.isArray(config.workloads)) {
    out.workloads = config.workloads.map((w: unknown) =>
      isRec(w) && "namespace" in w ? { ...w, namespace: f(w.namespace) } : w,
    );
  }
  if (isRec(config.notifications) && "namespace" in config.notifications) {
    out.notifications = { ...config.notifications, namespace: f(config.notifications.namespace) };
  }
  return out;
}

/** Replaces every namespace that is not a plain string (nor absent) by a placeholder. */
export function placeholdNamespaces(config: Rec): PlaceholderNamespaces {
  const byInput = new Map<unknown, string>();
  const pending = new Map<string, pulumi.Output<string>>();
  const replaced = mapNamespaces(config, (ns) => {
    if (ns === undefined || typeof ns === "string") return ns;
    let placeholder = byInput.get(ns);
    if (placeholder === undefined) {
      placeholder = `input-namespace-${byInput.size}`;
      byInput.set(ns, placeholder);
      pending.set(placeholder, pulumi.output(ns as pulumi.Input<string>));
    }
    return placeholder;
  });
  return { config: replaced, pending };
}

/** The generated objects, as children are created from them. */
export interface GenerationPlan {
  /** Generated with placeholders: decides which children exist and their names. */
  readonly planned: GeneratedObjects;
  /** `kubernetesObjects(planned)`. */
  readonly plannedObjects: readonly KubernetesObject[];
  /** The real object for each planned one (the planned object itself when nothing is pending). */
  readonly objectInputs: readonly pulumi.Input<KubernetesObject>[];
  /** The generation with the real namespaces. */
  readonly actual: pulumi.Output<GeneratedObjects>;
  /** The real value of a (planned) namespace name. */
  namespace(planned: string): pulumi.Input<string>;
}

const keyOf = (o: KubernetesObject, ns = o.metadata.namespace) =>
  `${o.apiVersion}/${o.kind} ${ns}/${o.metadata.name}`;

/**
 * Builds the plan. `generateWith` validates and generates a config (throwing on invalid input);
 * it is called again, inside an apply, with the real namespace names when some are pending.
 */
export function planGeneration(
  ph: PlaceholderNamespaces,
  generateWith: (config: Rec) => GeneratedObjects,
): GenerationPlan {
  const planned = generateWith(ph.config);
  const plannedObjects = kubernetesObjects(planned);
  if (ph.pending.size === 0) {
    return {
      planned,
      plannedObjects,
      objectInputs: plannedObjects,
      actual: pulumi.output(planned),
      namespace: (ns) => ns,
    };
  }
  const placeholders = [...ph.pending.keys()];
  const realValues = pulumi.all([...ph.pending.values()]);
  const real = (ns: string, values: readonly string[]) => {
    const i = placeholders.indexOf(ns);
    return i < 0 ? ns : (values[i] as string);
  };
  const resolved = realValues.apply((values) => {
    const g = generateWith(
      mapNamespaces(ph.config, (ns) => (typeof ns === "string" ? real(ns, values) : ns)),
    );
    const byKey = new Map(kubernetesObjects(g).map((o) => [keyOf(o), o]));
    const matched = plannedObjects.map((p) => byKey.get(keyOf(p, real(p.metadata.namespace, values))));
    if (matched.some((o) => o === undefined) || byKey.size !== plannedObjects.length) {
      throw new Error(
        `the namespace Outputs resolved to ${values.join(", ")}, which changes the set of generated objects (pass the same Output object wherever the same namespace is meant)`,
      );
    }
    return { g, matched: matched as KubernetesObject[] };
  });
  return {
    planned,
    plannedObjects,
    objectInputs: plannedObjects.map((_, i) => resolved.apply((r) => r.matched[i] as KubernetesObject)),
    actual: resolved.apply((r) => r.g),
    namespace: (ns) => {
      const out = ph.pending.get(ns);
      return out ?? ns;
    },
  };
}
