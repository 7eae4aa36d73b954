/**
 * YAML syntax errors as problems that never repeat the YAML itself. The `yaml` library's messages
 * quote the offending line (and some quote a tag, an anchor or an escape taken from it); a YAML
 * error on the line that holds a credential would print the credential. These keep the line, the
 * column and what is wrong, and drop every piece of the source.
 */
import type { Document, ParsedNode, YAMLError } from "yaml";
import { ConfigError, type ConfigProblem } from "./errors.js";

/** Error codes whose messages (`yaml` 2.x) are fixed text, with nothing taken from the source. */
const FIXED_TEXT = new Set([
  "ALIAS_PROPS",
  "BAD_INDENT",
  "BLOCK_AS_IMPLICIT_KEY",
  "BLOCK_IN_FLOW",
  "DUPLICATE_KEY",
  "IMPOSSIBLE",
  "KEY_OVER_1024_CHARS",
  "MISSING_CHAR",
  "MULTILINE_IMPLICIT_KEY",
  "MULTIPLE_ANCHORS",
  "MULTIPLE_DOCS",
  "MULTIPLE_TAGS",
  "NON_STRING_KEY",
  "TAB_AS_INDENT",
]);

/** Messages of other codes that hold only a token type or one indicator character. */
const FIXED_SHAPES = [
  /^Unexpected [a-z-]+ (at node end|token)$/,
  /^Unexpected (,|empty item) in flow (map|sequence|collection)$/,
  /^Unexpected .? in (flow (map|sequence)|collection)$/,
  /^Expected a flow scalar value, but found: [a-z-]+$/,
  /^Unsupported token [a-z-]+$/,
  /^Plain value cannot start with (reserved character )?.$/u,
  /^Anchors and tags must be after the .? indicator$/u,
];

/** What the codes whose messages quote the source mean, in words. */
const DESCRIPTIONS: Readonly<Record<string, string>> = {
  BAD_ALIAS: "invalid alias",
  BAD_COLLECTION_TYPE: "a tag that does not fit this collection",
  BAD_DIRECTIVE: "unknown or invalid directive",
  BAD_DQ_ESCAPE: "invalid escape sequence in a double-quoted string",
  BAD_PROP_ORDER: "anchors and tags must come after the indicator",
  BAD_SCALAR_START: "a plain value cannot start with this character (quote the value)",
  RESOURCE_EXHAUSTION: "too deeply nested or too large",
  TAG_RESOLVE_FAILED: "unknown tag, or a value that does not fit its tag",
  UNEXPECTED_TOKEN: "unexpected content",
};

/** The message of a YAML error without anything taken from the source (no line, tag or escape). */
export function safeYamlMessage(error: YAMLError): string {
  const first = (error.message.split("\n")[0] ?? "").replace(/ at line \d+, column \d+:?$/, "");
  if (FIXED_TEXT.has(error.code) || FIXED_SHAPES.some((re) => re.test(first))) return first;
  return DESCRIPTIONS[error.code] ?? "invalid YAML";
}

/** Where a YAML error is, as `line L, column C` (empty when the library does not know). */
export function yamlErrorPosition(error: YAMLError): string {
  const pos = error.linePos?.[0];
  return pos ? `line ${pos.line}, column ${pos.col}` : "";
}

/** YAML errors as config problems: path `line L, column C`, a message that never quotes the source. */
export function yamlProblems(errors: readonly YAMLError[]): ConfigProblem[] {
  return errors.map((e) => ({ path: yamlErrorPosition(e), message: safeYamlMessage(e) }));
}

/** A YAML error as one line: `line L, column C: <what is wrong>`. */
export function formatYamlError(error: YAMLError): string {
  const at = yamlErrorPosition(error);
  return at ? `${at}: ${safeYamlMessage(error)}` : safeYamlMessage(error);
}

/** Thrown by {@link yamlToJs}: a document that parses but cannot become data. */
export class YamlDataError extends Error {}

/**
 * `doc.toJS()`, whose errors (an alias to no anchor, too many aliases) are rethrown as a
 * {@link YamlDataError} whose message does not quote the alias or any other part of the source.
 */
export function yamlToJs(doc: Document.Parsed<ParsedNode> | Document, maxAliasCount = 100): unknown {
  try {
    return doc.toJS({ maxAliasCount });
  } catch (e) {
    const message = e instanceof Error ? e.message : "";
    if (/^Unresolved alias/.test(message))
      throw new YamlDataError("an alias (*name) refers to no anchor (&name) defined before it");
    if (/alias count/i.test(message))
      throw new YamlDataError(`too many aliases (more than ${maxAliasCount} expansions)`);
    throw new YamlDataError("the YAML cannot be read as data (a circular alias?)");
  }
}

/** Throws a {@link ConfigError} listing YAML errors (line, column, what), if there are any. */
export function throwYamlErrors(errors: readonly YAMLError[], source?: string): void {
  if (errors.length > 0) throw new ConfigError(yamlProblems(errors), source);
}

/** {@link yamlToJs}, a failure thrown as a {@link ConfigError} of `source`. */
export function yamlData(
  doc: Document.Parsed<ParsedNode> | Document,
  source?: string,
  maxAliasCount = 100,
): unknown {
  try {
    return yamlToJs(doc, maxAliasCount);
  } catch (e) {
    if (e instanceof YamlDataError) throw new ConfigError([{ path: "", message: e.message }], source);
    throw e;
  }
}
