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

/** An Output or a Promise: a namespace the program does not know yet. */
function isPending(v: unknown): v is pulumi.Output<string> | Promise<string> {
  return pulumi.Output.isInstance(v) || v instanceof Promise;
}

/**
 * Replaces every namespace that is an Output or a Promise by a placeholder. Anything else (a
 * string, or a wrong value that validation will report) stays as it is.
 */
export function placeholdNamespaces(config: Rec): PlaceholderNamespaces {
  const byInput = new Map<unknown, string>();
  const pending = new Map<string, pulumi.Output<string>>();
  const replaced = mapNamespaces(config, (ns) => {
    if (!isPending(ns)) return ns;
    let placeholder = byInput.get(ns);
    if (placeholder === undefined) {
      placeholder = `input-namespace-${byInput.size}`;
      byInput.set(ns, placeholder);
      pending.set(placeholder, pulumi.output(ns));
    }
    return placeholder;
  });
  return { config: replaced, pending };
}

/** The generated objects, as children are created from them. */
export interface GenerationPlan {
  /** Generated with placeholders: decides which children exist and their names. */
  readonly planned: GeneratedObjects;
  /** The generation with the real namespaces. */
  readonly actual: pulumi.Output<GeneratedObjects>;
  /** The real object for a planned one (the planned object itself when nothing is pending). */
  input<T extends KubernetesObject>(planned: T): pulumi.Output<T>;
  /** The real value of a (planned) namespace name. */
  namespace(planned: string): pulumi.Input<string>;
}

const keyOf = (o: KubernetesObject, ns = o.metadata.namespace) =>
  `${o.apiVersion}/${o.kind} ${ns}/${o.metadata.name}`;

/** `o` is an object of the same apiVersion and kind as `planned` (so of its type). */
function sameKind<T extends KubernetesObject>(planned: T, o: KubernetesObject): o is T {
  return o.apiVersion === planned.apiVersion && o.kind === planned.kind;
}

/** A generation, and its objects by the key of the planned object each stands for. */
interface Matched {
  readonly g: GeneratedObjects;
  readonly byPlannedKey: ReadonlyMap<string, KubernetesObject>;
}

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
  const placeholders = [...ph.pending.keys()];
  const real = (ns: string, values: readonly string[]) => {
    const i = placeholders.indexOf(ns);
    return i < 0 ? ns : (values[i] ?? ns);
  };
  const match = (values: readonly string[]): Matched => {
    if (placeholders.length === 0) {
      return { g: planned, byPlannedKey: new Map(plannedObjects.map((o) => [keyOf(o), o])) };
    }
    const g = generateWith(
      mapNamespaces(ph.config, (ns) => (typeof ns === "string" ? real(ns, values) : ns)),
    );
    const byKey = new Map(kubernetesObjects(g).map((o) => [keyOf(o), o]));
    const byPlannedKey = new Map<string, KubernetesObject>();
    for (const p of plannedObjects) {
      const o = byKey.get(keyOf(p, real(p.metadata.namespace, values)));
      if (o) byPlannedKey.set(keyOf(p), o);
    }
    if (byPlannedKey.size !== plannedObjects.length || byKey.size !== plannedObjects.length) {
      throw new Error(
        `the namespace Outputs resolved to ${values.join(", ")}, which changes the set of generated objects (pass the same Output object wherever the same namespace is meant)`,
      );
    }
    return { g, byPlannedKey };
  };
  const matched = pulumi.all([...ph.pending.values()]).apply(match);
  return {
    planned,
    actual: matched.apply((m) => m.g),
    input: (p) =>
      matched.apply((m) => {
        const o = m.byPlannedKey.get(keyOf(p));
        if (!o || !sameKind(p, o)) throw new Error(`no generated object for ${keyOf(p)}`);
        return o;
      }),
    namespace: (ns) => ph.pending.get(ns) ?? ns,
  };
}
