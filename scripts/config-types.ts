/**
 * Renders `src/config/types.ts`: TypeScript interfaces of the config as a user writes it, with
 * TSDoc taken from the zod schema (its `.describe()` texts, defaults, bounds and `examples`, read
 * through the JSON Schema of its input) and, for the alert overrides, from the alert catalog. One
 * source for the docs of the YAML file (the JSON Schema) and of a TypeScript program (these types);
 * `test/config-types.test.ts` proves the interfaces equal `z.input<typeof configSchema>` and that
 * the committed file is what this renders.
 */
import { format, resolveConfig } from "prettier";
import { configJsonSchema } from "../src/config/json-schema.js";
import { ALERT_NAMES, CATALOG, SEVERITIES, type AlertName } from "../src/catalog/catalog.js";
import { formatSeconds, LIMITS } from "../src/config/limits.js";

/** A node of the JSON Schema (draft 2020-12) that zod writes. */
export interface Node {
  type?: string;
  description?: string;
  default?: unknown;
  examples?: unknown[];
  const?: unknown;
  enum?: unknown[];
  properties?: Record<string, Node>;
  required?: string[];
  additionalProperties?: boolean | Node;
  items?: Node;
  anyOf?: Node[];
  oneOf?: Node[];
  not?: Node;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
}

/**
 * The interface of each object of the config, by path: `.` between fields, `[]` for an array's
 * items, `<type>` for the variant of a union picked by its `type`. Paths that name the same
 * interface must hold the same object; an object without a name here is an error.
 */
const NAMES: [RegExp, string][] = [
  [/^$/, "ConfigInput"],
  [/^monitoring$/, "MonitoringInput"],
  [/^monitoring\.gpu$/, "GpuSeriesInput"],
  [/^monitoring\.queue$/, "QueueSeriesInput"],
  [/^monitoring\.keda$/, "KedaSeriesInput"],
  [/^monitoring\.operator$/, "OperatorInput"],
  [/^monitoring\.operator\.\w+Selector$/, "LabelSelectorInput"],
  [/^monitoring\.operator\.\w+Selector\.matchExpressions\[\]$/, "LabelSelectorRequirementInput"],
  [/^monitoring\.grafana$/, "GrafanaInput"],
  [/^workloads\[\]$/, "WorkloadInput"],
  [/^workloads\[\]\.autoscaling$/, "AutoscalingInput"],
  [/^workloads\[\]\.autoscaling\.metrics\[\]<cpu>$/, "CpuMetricInput"],
  [/^workloads\[\]\.autoscaling\.metrics\[\]<memory>$/, "MemoryMetricInput"],
  [/^workloads\[\]\.autoscaling\.metrics\[\]<gpu>$/, "GpuMetricInput"],
  [/^workloads\[\]\.autoscaling\.metrics\[\]<queue>$/, "QueueMetricInput"],
  [/^workloads\[\]\.autoscaling\.metrics\[\]<preset>$/, "PresetMetricInput"],
  [/^workloads\[\]\.autoscaling\.metrics\[\]<prometheus>$/, "PrometheusTriggerInput"],
  [/^workloads\[\]\.autoscaling\.metrics\[\]<pods>$/, "PodsMetricInput"],
  [/^workloads\[\]\.autoscaling\.metrics\[\]<object>$/, "ObjectMetricInput"],
  [/^workloads\[\]\.autoscaling\.metrics\[\]<external>$/, "ExternalMetricInput"],
  [/^workloads\[\]\.autoscaling\.metrics\[\]<\w+>\.selector$/, "MetricSelectorInput"],
  [/^workloads\[\]\.autoscaling\.metrics\[\]<object>\.describedObject$/, "DescribedObjectInput"],
  [/^workloads\[\]\.autoscaling\.behavior$/, "ScalingBehaviorInput"],
  [/^workloads\[\]\.autoscaling\.behavior\.scale(Up|Down)$/, "ScalingRulesInput"],
  [/^workloads\[\]\.autoscaling\.behavior\.scale(Up|Down)\.policies\[\]$/, "ScalingPolicyInput"],
  [/^workloads\[\]\.autoscaling\.keda$/, "KedaInput"],
  [/^workloads\[\]\.autoscaling\.keda\.fallback$/, "KedaFallbackInput"],
  [/^workloads\[\]\.signals$/, "SignalsInput"],
  [/^workloads\[\]\.signals\.queue$/, "QueueSignalInput"],
  [/^workloads\[\]\.signals\.keda$/, "KedaSignalInput"],
  [/^notifications$/, "NotificationsInput"],
  [/^notifications\.heartbeat$/, "HeartbeatInput"],
  [/^notifications\.receivers\[\]<slack>$/, "SlackReceiverInput"],
  [/^notifications\.receivers\[\]<email>$/, "EmailReceiverInput"],
  [/^notifications\.receivers\[\]<webhook>$/, "WebhookReceiverInput"],
  [/^notifications\.receivers\[\]<pagerduty>$/, "PagerDutyReceiverInput"],
  [/^notifications\.receivers\[\]<msteams>$/, "MsTeamsReceiverInput"],
  [/^notifications\.receivers\[\]<msteamsv2>$/, "MsTeamsV2ReceiverInput"],
  [/^notifications\.receivers\[\]<opsgenie>$/, "OpsgenieReceiverInput"],
  [/^notifications\.receivers\[\]<discord>$/, "DiscordReceiverInput"],
  [/^notifications\.receivers\[\]<telegram>$/, "TelegramReceiverInput"],
  [/^notifications\.receivers\[\]<webex>$/, "WebexReceiverInput"],
  [/^notifications\.receivers\[\]<sns>$/, "SnsReceiverInput"],
  // Every object right under a receiver is a credential.
  [/^notifications\.receivers\[\]<\w+>\.\w+$/, "SecretRefInput"],
  [/^notifications\.receivers\[\]<opsgenie>\.responders\[\]$/, "OpsgenieResponderInput"],
  [/^notifications\.routes\[\]$/, "RouteInput"],
  [/^notifications\.inhibitions\[\]$/, "InhibitionInput"],
  [/^notifications\.timeIntervals\[\]$/, "TimeIntervalInput"],
  [/^notifications\.timeIntervals\[\]\.intervals\[\]$/, "TimeRangeInput"],
  [/^notifications\.timeIntervals\[\]\.intervals\[\]\.times\[\]$/, "TimeOfDayRangeInput"],
  [/^notifications\.timeIntervals\[\]\.intervals\[\]\.daysOfMonth\[\]$/, "DayOfMonthRangeInput"],
];

/** Unions of objects told apart by `type`, by path, and the type alias they get. */
const UNIONS: Record<string, { name: string; doc: string }> = {
  "workloads[].autoscaling.metrics[]": {
    name: "AutoscalingMetricInput",
    doc: "A metric the workload scales on, told apart by `type`.",
  },
  "notifications.receivers[]": {
    name: "ReceiverInput",
    doc: "Where notifications go, told apart by `type`. Credentials are only ever Secret references.",
  },
};

/** Docs of interfaces that several fields share (a field's own description is about that field). */
const SHARED_DOCS: Record<string, string> = {
  LabelSelectorInput: "A Kubernetes label selector: `{}` selects everything.",
  LabelSelectorRequirementInput: "One requirement of a label selector's `matchExpressions`.",
  MetricSelectorInput: "Labels that select the metric's series (the HPA's `metric.selector`).",
  ScalingRulesInput: "How fast the HPA scales in one direction (its `behavior.scaleUp` / `scaleDown`).",
  SecretRefInput:
    "A reference to one key of a Kubernetes Secret: how every credential is given. An inline string is refused, so a credential never ends up in rendered output.",
};

/** Alert override paths: the catalog documents each alert (the schema has one object per alert). */
const ALERT_OVERRIDES: Record<string, { name: string; perWorkload: boolean }> = {
  alerts: { name: "AlertOverridesInput", perWorkload: false },
  "workloads[].alerts": { name: "WorkloadAlertOverridesInput", perWorkload: true },
};

/** Where the rendered types live. */
export const TYPES_FILE = "src/config/types.ts";

const HEADER = `/**
 * The config as a user writes it (in YAML, or in a TypeScript or Pulumi program): every field with
 * its meaning, unit and default, so an editor shows them on hover. Optional fields may be left out;
 * \`parseConfig\` fills in the defaults and checks what types cannot (ranges, patterns, fields that
 * depend on each other).
 *
 * GENERATED by \`npm run config-types\` (scripts/config-types.ts) from the zod schema in
 * \`schema.ts\` and \`notifications-schema.ts\` and from the alert catalog: edit those, not this file.
 * \`test/config-types.test.ts\` fails when these interfaces and the schema's input type differ.
 *
 * @packageDocumentation
 */
`;

/** Width the doc comments are wrapped to, as Prettier wraps the code. */
const WIDTH = 100;

/** Words of `text` in lines of at most `width` characters (a longer word keeps its own line). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/ +/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line];
}

/**
 * Prose for a Markdown hover: a `<placeholder>` outside code would be dropped as an HTML tag, so
 * it becomes code.
 */
function markdown(text: string): string {
  return text
    .split(/(`[^`]*`)/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/<([^<>\s][^<>]*)>/g, "`<$1>`")))
    .join("");
}

/**
 * A doc comment from its paragraphs: prose is wrapped, tag and code lines are kept as they are,
 * each line prefixed with ` * `.
 */
function docComment(parts: string[], indent = ""): string {
  const width = WIDTH - indent.length - 3;
  const lines = parts
    .filter((p) => p.length > 0)
    .flatMap((p, i) => {
      const body = p.startsWith("@") ? p.split("\n") : wrap(markdown(p), width);
      return i === 0 ? body : ["", ...body];
    })
    .map((l) => l.replaceAll("*/", "*\\/"));
  return `${indent}/**\n${lines.map((l) => `${indent} *${l ? ` ${l}` : ""}`).join("\n")}\n${indent} */\n`;
}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A value as a TypeScript literal: keys unquoted where they can be. */
function literal(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(literal).join(", ")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value);
    if (entries.length === 0) return "{}";
    const body = entries.map(([k, v]) => `${IDENT.test(k) ? k : JSON.stringify(k)}: ${literal(v)}`);
    return `{ ${body.join(", ")} }`;
  }
  if (typeof value === "string" && value.includes('"') && !value.includes("'")) return `'${value}'`;
  return JSON.stringify(value);
}

/** Bounds of a value in words, for the doc: what the type cannot say. */
function bounds(node: Node): string {
  const said: string[] = [];
  const kind = node.type === "integer" ? "A whole number" : "A number";
  const lower =
    node.minimum !== undefined
      ? `>= ${node.minimum}`
      : node.exclusiveMinimum !== undefined
        ? `> ${node.exclusiveMinimum}`
        : undefined;
  const upper =
    node.maximum !== undefined
      ? `<= ${node.maximum}`
      : node.exclusiveMaximum !== undefined
        ? `< ${node.exclusiveMaximum}`
        : undefined;
  if (node.type === "integer" || lower || upper) {
    said.push(
      `${kind}${[lower, upper].filter(Boolean).length ? `, ${[lower, upper].filter(Boolean).join(" and ")}` : ""}.`,
    );
  }
  if (node.type === "array" && node.minItems) {
    said.push(`At least ${node.minItems === 1 ? "one item" : `${node.minItems} items`}.`);
  }
  if (node.type === "string" && node.maxLength) said.push(`At most ${node.maxLength} characters.`);
  return said.join(" ");
}

/** The tags and text that document one field. */
function fieldDoc(node: Node, path: string, missing: string[]): string[] {
  if (!node.description) missing.push(path);
  const parts = [node.description ?? ""];
  const b = bounds(node);
  if (b) parts.push(b);
  if (node.default !== undefined) parts.push(`@default ${literal(node.default)}`);
  for (const example of node.examples ?? []) parts.push(`@example\n\`\`\`ts\n${literal(example)}\n\`\`\``);
  return parts;
}

class Renderer {
  /** Rendered declarations by name, in the order they were first met. */
  readonly declarations = new Map<string, { text: string; node: string }>();
  /** Paths of fields and objects that have no description (each must have one). */
  readonly missing: string[] = [];

  /** Name of the interface of the object at `path`. */
  private nameOf(path: string): string {
    const hit = NAMES.find(([re]) => re.test(path));
    if (!hit) throw new Error(`config types: no interface name for the object at ${path || "(root)"}`);
    return hit[1];
  }

  /** Records a declaration, checking that every path that names it holds the same object. */
  private declare(name: string, node: Node, render: () => string): void {
    const shape = JSON.stringify({
      ...node,
      description: undefined,
      default: undefined,
      examples: undefined,
    });
    const seen = this.declarations.get(name);
    if (seen) {
      if (seen.node !== shape) throw new Error(`config types: ${name} names objects of different shapes`);
      return;
    }
    this.declarations.set(name, { text: "", node: shape });
    this.declarations.set(name, { text: render(), node: shape });
  }

  /** The TypeScript type of `node`, declaring the interfaces it needs. */
  type(node: Node, path: string): string {
    if (ALERT_OVERRIDES[path]) return this.alertOverrides(node, path);
    if (node.not && Object.keys(node.not).length === 0) return "never";
    if (node.const !== undefined) return JSON.stringify(node.const);
    if (node.enum) return node.enum.map((v) => JSON.stringify(v)).join(" | ");
    const union = node.oneOf ?? node.anyOf;
    if (union) {
      const tagged = UNIONS[path];
      const members = union.map((m) => {
        const tag = m.properties?.type?.const;
        return this.type(m, tagged && typeof tag === "string" ? `${path}<${tag}>` : path);
      });
      if (!tagged) return members.join(" | ");
      const text = `${docComment([tagged.doc])}export type ${tagged.name} =\n${members.map((m) => `  | ${m}`).join("\n")};\n`;
      this.declare(tagged.name, node, () => text);
      return tagged.name;
    }
    switch (node.type) {
      case "string":
      case "number":
      case "boolean":
      case "null":
        return node.type;
      case "integer":
        return "number";
      case "array": {
        if (!node.items) throw new Error(`config types: ${path} is an array of nothing`);
        const item = this.type(node.items, `${path}[]`);
        return /[|&]/.test(item) ? `(${item})[]` : `${item}[]`;
      }
      case "object":
        if (node.properties) return this.object(node, path);
        if (typeof node.additionalProperties === "object") {
          return `Record<string, ${this.type(node.additionalProperties, `${path}{}`)}>`;
        }
        return "Record<string, unknown>";
      default:
        if (Object.keys(node).every((k) => k === "description" || k === "default")) return "unknown";
        throw new Error(
          `config types: cannot type the node at ${path}: ${JSON.stringify(node).slice(0, 200)}`,
        );
    }
  }

  /** An interface for an object with properties. */
  private object(node: Node, path: string): string {
    const name = this.nameOf(path);
    this.declare(name, node, () => {
      const required = new Set(node.required ?? []);
      const fields = Object.entries(node.properties ?? {}).map(([key, child]) => {
        const childPath = path ? `${path}.${key}` : key;
        const type = this.type(child, childPath);
        // A `type` tag documents itself; every other field must have a description.
        const doc =
          child.const !== undefined && !child.description
            ? [`Always ${JSON.stringify(child.const)}.`]
            : fieldDoc(child, childPath, this.missing);
        return `${docComment(doc, "  ")}  ${key}${required.has(key) ? "" : "?"}: ${type};\n`;
      });
      const doc = SHARED_DOCS[name] ?? node.description ?? "";
      if (!doc) this.missing.push(`${path || "(root)"} (${name})`);
      return `${docComment([doc])}export interface ${name} {\n${fields.join("\n")}}\n`;
    });
    return name;
  }

  /** The per-alert overrides: one optional field per alert, documented from the catalog. */
  private alertOverrides(node: Node, path: string): string {
    const { name, perWorkload } = ALERT_OVERRIDES[path]!;
    const keys = Object.keys(node.properties ?? {});
    if (keys.join() !== ALERT_NAMES.join())
      throw new Error(`config types: ${path} does not list the catalog's alerts`);
    this.declare("AlertOverrideInput", {}, () => ALERT_OVERRIDE);
    this.declare(name, {}, () => {
      const fields = ALERT_NAMES.map(
        (alert) => `${docComment(alertDoc(alert, perWorkload), "  ")}  ${alert}?: AlertOverrideInput;\n`,
      );
      const doc = perWorkload
        ? "Overrides of the alerts of one workload, by alert name; they win over the top-level `alerts`."
        : "Overrides of the alerts of every workload, by alert name (a workload's own `alerts` win).";
      return `${docComment([doc])}export interface ${name} {\n${fields.join("\n")}}\n`;
    });
    return name;
  }
}

/** The runbook page: the default of `monitoring.runbookBaseUrl`. */
const RUNBOOKS = (
  (configJsonSchema() as Node).properties?.monitoring?.properties?.runbookBaseUrl?.default as string
).replace(/\/$/, "");

/** What an alert reports and its defaults, for its key in the overrides. */
function alertDoc(alert: AlertName, perWorkload: boolean): string[] {
  const spec = CATALOG[alert];
  const defaults = [`for ${spec.for}`, `severity ${spec.severity}`];
  if (spec.threshold)
    defaults.push(
      `threshold ${spec.threshold.default} (${spec.threshold.unit}, ${spec.threshold.min} to ${spec.threshold.max})`,
    );
  if (spec.window) defaults.push(`window ${spec.window}`);
  const parts = [`${spec.summary}.`.replace(/\.\.$/, "."), `Defaults: ${defaults.join(", ")}.`];
  if (perWorkload && !spec.perWorkload) {
    parts.push(
      "Not allowed here: it is about the alerting itself, not one workload; set it under the top-level `alerts`.",
    );
  }
  parts.push(`@see ${RUNBOOKS}#${alert.toLowerCase()}`);
  return parts;
}

const ALERT_OVERRIDE = `${docComment([
  "Overrides of one alert; what is left out keeps the catalog's default (given on the alert's key).",
])}export interface AlertOverrideInput {
${docComment(["Turn the alert off (`false`) or on."], "  ")}  enabled?: boolean;
${docComment([`How long the condition must hold before the alert fires: a Prometheus duration, at most ${formatSeconds(LIMITS.alertDurationSeconds)}.`, '@example\n```ts\n"10m"\n```'], "  ")}  for?: string;
${docComment(["Value of the alert's `severity` label, which the default routes use."], "  ")}  severity?: ${SEVERITIES.map((s) => JSON.stringify(s)).join(" | ")};
${docComment(["Threshold, in the alert's unit; only for alerts that have one (refused on the others)."], "  ")}  threshold?: number;
${docComment(["Counting window (a Prometheus duration); only for alerts that count events."], "  ")}  window?: string;
}
`;

/**
 * The declarations for a config JSON Schema, unformatted. Throws, naming every path, when a field
 * or object has no description or an object has no interface name in {@link NAMES}.
 */
export function renderConfigTypes(schema: Node): string {
  const renderer = new Renderer();
  renderer.type(schema, "");
  if (renderer.missing.length > 0) {
    throw new Error(`config types: describe() these in the zod schema:\n  ${renderer.missing.join("\n  ")}`);
  }
  return `${HEADER}\n${[...renderer.declarations.values()].map((d) => d.text).join("\n")}`;
}

/** The source of `src/config/types.ts`, formatted with the project's Prettier settings. */
export async function configTypesSource(): Promise<string> {
  const options = await resolveConfig(TYPES_FILE);
  return format(renderConfigTypes(configJsonSchema() as Node), { ...options, filepath: TYPES_FILE });
}
