/**
 * docs/configuration.md from the config's JSON Schema: one section per list, map of alerts or
 * variant of a `type` discriminator, one table row per key (nested objects flattened to dotted
 * keys) with its type and constraints, default and description. Pure: schema in, Markdown out;
 * `scripts/write-config-docs.ts` writes it and `test/docs.test.ts` checks the committed file.
 */

/** The subset of JSON Schema that the config's schema uses. */
export interface SchemaNode {
  type?: string | string[];
  description?: string;
  default?: unknown;
  properties?: Record<string, SchemaNode>;
  required?: string[];
  additionalProperties?: boolean | SchemaNode;
  propertyNames?: SchemaNode;
  items?: SchemaNode;
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
  not?: SchemaNode;
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
}

interface Row {
  key: string;
  type: string;
  default: string;
  description: string;
}

interface Section {
  /** Heading text: the key path, e.g. `workloads[].autoscaling`. */
  path: string;
  /** For one kind of a list of several kinds: its discriminator, e.g. `type: cpu`. */
  variant?: string;
  intro: string;
  rows: Row[];
}

const code = (s: string): string => `\`${s}\``;
const cell = (s: string): string => s.replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ");

/** A Secret reference `{ secret, key }`: described once, not as a sub-table in every receiver. */
function isSecretRef(n: SchemaNode): boolean {
  const keys = Object.keys(n.properties ?? {});
  return keys.length === 2 && keys.includes("secret") && keys.includes("key");
}

function isPlainObject(n: SchemaNode): boolean {
  return n.type === "object" && n.properties !== undefined && !isSecretRef(n);
}

/** The discriminating `const` of a oneOf variant (`type: cpu`), if there is one. */
function discriminator(variant: SchemaNode): { key: string; value: string } | undefined {
  for (const [key, p] of Object.entries(variant.properties ?? {}))
    if (p.const !== undefined) return { key, value: String(p.const) };
  return undefined;
}

function bounds(n: SchemaNode): string[] {
  const out: string[] = [];
  const lo =
    n.minimum !== undefined
      ? `>= ${n.minimum}`
      : n.exclusiveMinimum !== undefined
        ? `> ${n.exclusiveMinimum}`
        : "";
  if (lo && n.maximum !== undefined) out.push(`${lo}, <= ${n.maximum}`);
  else if (lo) out.push(lo);
  else if (n.maximum !== undefined) out.push(`<= ${n.maximum}`);
  if (n.minLength !== undefined && n.minLength > 0)
    out.push(n.minLength === 1 ? "not empty" : `at least ${n.minLength} characters`);
  if (n.maxLength !== undefined) out.push(`at most ${n.maxLength} characters`);
  if (n.minItems !== undefined) out.push(`at least ${n.minItems}`);
  if (n.format !== undefined) out.push(n.format);
  return out;
}

/** The type cell: `integer (>= 1)`, one of the enum values, `list of string`, `map of string`... */
function typeOf(n: SchemaNode): string {
  if (n.not !== undefined && Object.keys(n.not).length === 0) return "not allowed here";
  if (n.const !== undefined) return code(JSON.stringify(n.const));
  if (n.enum) return n.enum.map((v) => code(String(v))).join(", ");
  if (n.anyOf) {
    const parts = n.anyOf.map((a) => (a.type === "null" ? "`null`" : typeOf(a)));
    return [...new Set(parts)].join(" or ");
  }
  if (isSecretRef(n)) return "Secret reference `{ secret, key }`";
  let t: string;
  if (n.type === "array") t = `list of ${n.items ? typeOf(n.items) : "any"}`;
  else if (n.type === "object" && typeof n.additionalProperties === "object")
    t = `map of ${typeOf(n.additionalProperties)}`;
  else if (n.type === "object" && n.properties) t = "object";
  else t = Array.isArray(n.type) ? n.type.join(" or ") : (n.type ?? "any");
  const b = bounds(n);
  return b.length ? `${t} (${b.join(", ")})` : t;
}

function defaultOf(n: SchemaNode, required: boolean): string {
  if (required) return "**required**";
  if (n.default === undefined) return "";
  return code(JSON.stringify(n.default));
}

/** The list of sections, depth first, in the schema's key order. */
function sections(root: SchemaNode): Section[] {
  const out: Section[] = [];

  function objectSection(
    path: string,
    node: SchemaNode,
    intro: string,
    skip: string[] = [],
    variant?: string,
  ): void {
    const section: Section = { path, intro, rows: [], ...(variant ? { variant } : {}) };
    out.push(section);
    const pending: (() => void)[] = [];
    addRows(section, "", node, skip, pending);
    for (const f of pending) f();
  }

  /** Rows for the keys of `node`; its lists of objects and top-level objects become sections after it. */
  function addRows(
    section: Section,
    prefix: string,
    node: SchemaNode,
    skip: string[],
    later: (() => void)[],
  ): void {
    const required = new Set(node.required ?? []);
    for (const [key, child] of Object.entries(node.properties ?? {})) {
      if (skip.includes(key)) continue;
      const name = `${prefix}${key}`;
      const full = section.path ? `${section.path}.${name}` : name;
      const description = child.description ?? "";
      const isRequired = required.has(key);
      if (child.type === "array" && child.items && (isPlainObject(child.items) || child.items.oneOf)) {
        section.rows.push({
          key: name,
          type: `list of objects, see ${code(`${full}[]`)}`,
          default: defaultOf(child, isRequired),
          description,
        });
        later.push(() => itemSections(`${full}[]`, child.items as SchemaNode, description));
      } else if (isPlainObject(child) && prefix === "" && section.path === "") {
        section.rows.push({
          key: name,
          type: `object, see ${code(full)}`,
          default: defaultOf(child, isRequired),
          description,
        });
        later.push(() => objectSection(full, child, description));
      } else if (isPlainObject(child)) {
        section.rows.push({
          key: name,
          type: "object",
          default: defaultOf(child, isRequired),
          description,
        });
        addRows(section, `${name}.`, child, [], later);
      } else {
        section.rows.push({
          key: name,
          type: typeOf(child),
          default: defaultOf(child, isRequired),
          description,
        });
        const objectVariant = child.anyOf?.find((a) => isPlainObject(a));
        if (objectVariant) addRows(section, `${name}.`, objectVariant, [], later);
      }
    }
  }

  function itemSections(path: string, items: SchemaNode, description: string): void {
    if (!items.oneOf) return objectSection(path, items, description);
    const variants = items.oneOf;
    const shared = Object.keys(variants[0]?.properties ?? {}).filter((k) =>
      variants.every(
        (v) =>
          v.properties?.[k] !== undefined &&
          v.properties[k].const === undefined &&
          JSON.stringify(v.properties[k]) === JSON.stringify(variants[0]?.properties?.[k]),
      ),
    );
    const tags = variants.map(discriminator);
    const tagKey = tags[0]?.key ?? "type";
    const kinds = tags.map((t) => (t ? code(t.value) : "?")).join(", ");
    if (shared.length > 0) {
      const common: SchemaNode = {
        properties: Object.fromEntries(shared.map((k) => [k, variants[0]?.properties?.[k] ?? {}])),
        required: (variants[0]?.required ?? []).filter((k) => shared.includes(k)),
      };
      const section: Section = {
        path,
        intro: `${description ? `${description} ` : ""}One of several kinds, told apart by ${code(tagKey)} (${kinds}). Keys every kind has:`,
        rows: [],
      };
      out.push(section);
      const pending: (() => void)[] = [];
      addRows(section, "", common, [], pending);
      for (const f of pending) f();
    } else {
      out.push({
        path,
        intro: `${description ? `${description} ` : ""}One of several kinds, told apart by ${code(tagKey)}: ${kinds}.`,
        rows: [],
      });
    }
    variants.forEach((v, i) => {
      const tag = tags[i];
      const variant = tag ? `${tag.key}: ${tag.value}` : `variant ${i + 1}`;
      const more = shared.length > 0 ? ` Besides the keys every kind has:` : "";
      const intro = `${v.description ?? ""}${more}`;
      objectSection(path, v, intro.trim(), [...shared, ...(tag ? [tag.key] : [])], variant);
    });
  }

  objectSection("", root, "");
  return out;
}

const HEADER = `# Configuration reference

<!-- Generated by \`npm run docs:config\` (scripts/write-config-docs.ts) from the config's schema: do not edit. -->

Every key of the config file (YAML), which is also the object the TypeScript API and the Pulumi
component take. Unknown keys are errors; a missing key takes its default. The same reference as a
JSON Schema, for editors and validators: [\`schema/config.schema.json\`](../schema/config.schema.json)
(add \`# yaml-language-server: $schema=<path>/schema/config.schema.json\` at the top of a config).
How the keys fit together, with examples: [the configuration guide](config-guide.md).

A **Secret reference** \`{ secret, key }\` names a key of a Kubernetes Secret in the
AlertmanagerConfig's namespace; credentials are never written in the config (an inline value is
refused). With Pulumi, \`{ value }\` (a Pulumi secret) makes the component create the Secret: see
[the Pulumi guide](pulumi.md#secrets).
`;

/** The Markdown of docs/configuration.md for a config JSON Schema (before Prettier formats it). */
export function configReference(schema: SchemaNode): string {
  const parts = [HEADER];
  for (const s of sections(schema)) {
    const title = s.path ? code(s.path) : "Top level";
    parts.push(`## ${title}${s.variant ? ` with ${code(s.variant)}` : ""}\n`);
    if (s.intro) parts.push(`${s.intro}\n`);
    if (s.rows.length === 0) continue;
    parts.push("| key | type | default | description |", "| --- | --- | --- | --- |");
    for (const r of s.rows)
      parts.push(`| ${code(r.key)} | ${cell(r.type)} | ${cell(r.default)} | ${cell(r.description)} |`);
    parts.push("");
  }
  return `${parts.join("\n")}\n`;
}
