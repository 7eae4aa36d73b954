/**
 * YAML text -> plain data, safely: every problem is a {@link ConfigError} with a line and column,
 * and the work is bounded whatever the input. Nesting deeper than {@link LIMITS.depth} is refused
 * before the document is composed (the composer recurses), aliases may not expand a document beyond
 * {@link LIMITS.values} values (an alias bomb), and what plain data cannot hold faithfully is refused
 * rather than guessed: keys that are not scalars, duplicate keys, tags other than the core ones.
 * Like `yaml-errors.ts`, no message quotes the source (a key, an alias, a tag or the line): a
 * mistake on the line of a credential must not print it.
 */
import type { CST } from "yaml";
import {
  Composer,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  Parser,
  type Document,
  type Node,
} from "yaml";
import { ConfigError, type ConfigProblem } from "./errors.js";
import { LIMITS } from "./limits.js";
import { safeYamlMessage } from "./yaml-errors.js";

/** Tags a config may carry: YAML 1.2's core schema (`!!str "08"` is a way to quote). */
const CORE_TAGS = new Set(
  ["str", "int", "float", "bool", "null", "map", "seq"].map((t) => `tag:yaml.org,2002:${t}`),
);

/** Options of {@link parseYaml}. */
export interface ParseYamlOptions {
  /** Where the text comes from, for messages (a file path). */
  readonly source: string;
  /** Names the input in problems (e.g. `--base-config`); empty for the config itself. */
  readonly what?: string;
  /** Accept several documents (`---`) and return each; by default exactly one is expected. */
  readonly multi?: boolean;
}

class Problems {
  readonly list: ConfigProblem[] = [];
  constructor(
    private readonly lines: LineCounter,
    private readonly what: string,
  ) {}
  line(offset: number): number {
    return this.lines.linePos(offset).line;
  }
  at(offset: number, message: string): void {
    const { line, col } = this.lines.linePos(offset);
    this.list.push({ path: `${this.what ? `${this.what}: ` : ""}line ${line}, column ${col}`, message });
  }
}

/** The deepest nesting of collections in the CST, and where the limit is first passed (walked without recursion). */
function tooDeep(doc: CST.Document): number | undefined {
  const stack: [CST.Token | null | undefined, number][] = [[doc.value, 0]];
  while (stack.length > 0) {
    const [token, depth] = stack.pop() as [CST.Token | null | undefined, number];
    if (!token) continue;
    if (token.type === "block-map" || token.type === "block-seq" || token.type === "flow-collection") {
      if (depth + 1 > LIMITS.depth) return token.offset;
      for (const item of token.items) {
        stack.push([item.key, depth + 1], [item.value, depth + 1]);
      }
    }
  }
  return undefined;
}

interface Size {
  readonly values: number;
  readonly depth: number;
}

/**
 * Checks one composed document: keys, tags, aliases, and the size and depth it has once aliases
 * are expanded (anchors come before their aliases, so a walk in document order knows each
 * anchor's size when an alias names it).
 */
function checkNodes(doc: Document.Parsed, problems: Problems): void {
  const sizes = new Map<Node, Size>();
  let reported = false;
  const walk = (node: unknown): Size => {
    if (reported) return { values: 0, depth: 0 };
    if (isAlias(node)) {
      const target = node.resolve(doc);
      const offset = node.range?.[0] ?? 0;
      if (!target) {
        problems.at(offset, "an alias (*name) refers to no anchor (&name) defined before it");
        reported = true;
        return { values: 0, depth: 0 };
      }
      const size = sizes.get(target);
      if (!size) {
        problems.at(offset, "an alias (*name) inside the node its anchor (&name) is on");
        reported = true;
        return { values: 0, depth: 0 };
      }
      return size;
    }
    const n = node as Node | null;
    if (n === null || n === undefined) return { values: 1, depth: 0 };
    const offset = n.range?.[0] ?? 0;
    if (n.tag !== undefined && !CORE_TAGS.has(n.tag)) {
      problems.at(
        offset,
        "a tag (!name) other than YAML's core ones (!!str, !!int, ...): write a plain value",
      );
      reported = true;
    }
    let values = 1;
    let depth = 0;
    const add = (s: Size) => {
      values += s.values;
      depth = Math.max(depth, s.depth);
    };
    if (isMap(n)) {
      const seen = new Map<string, number>();
      for (const pair of n.items) {
        if (!isPair(pair)) continue;
        const key = pair.key as Node | null;
        const keyOffset = key?.range?.[0] ?? offset;
        if (key !== null && !isScalar(key)) {
          problems.at(keyOffset, "a key must be a plain value such as name, not a list, mapping or alias");
          reported = true;
          return { values: 0, depth: 0 };
        }
        const text = String(key?.value ?? "");
        const first = seen.get(text);
        if (first !== undefined) {
          problems.at(keyOffset, `duplicate key (first at line ${first})`);
          reported = true;
        }
        if (first === undefined) seen.set(text, problems.line(keyOffset));
        add(walk(key));
        add(walk(pair.value));
      }
      depth += 1;
    } else if (isSeq(n)) {
      for (const item of n.items) add(walk(item));
      depth += 1;
    }
    const size = { values, depth };
    sizes.set(n, size);
    if (!reported && size.values > LIMITS.values) {
      problems.at(
        offset,
        `expands to more than ${LIMITS.values} values (an alias bomb?): write it out, or use fewer aliases`,
      );
      reported = true;
    } else if (!reported && size.depth > LIMITS.depth) {
      problems.at(offset, `nests more than ${LIMITS.depth} levels deep once its aliases are expanded`);
      reported = true;
    }
    return size;
  };
  walk(doc.contents);
}

/**
 * Parses YAML text into plain data (one value, or one per document with `multi`). Throws
 * {@link ConfigError} listing the first problem found, with its line and column.
 */
export function parseYaml(text: string, options: ParseYamlOptions): unknown[] {
  const lines = new LineCounter();
  const problems = new Problems(lines, options.what ?? "");
  const fail = (): never => {
    throw new ConfigError(problems.list.slice(0, 1), options.source);
  };
  const tokens = [...new Parser(lines.addNewLine).parse(text)];
  for (const token of tokens) {
    if (token.type !== "document") continue;
    const offset = tooDeep(token);
    if (offset !== undefined) {
      problems.at(offset, `nested more than ${LIMITS.depth} levels deep: a config needs far fewer`);
      fail();
    }
  }
  const composer = new Composer({ uniqueKeys: false, version: "1.2", schema: "core", merge: false });
  const docs = [...composer.compose(tokens, true, text.length)];
  for (const [i, doc] of docs.entries()) {
    if (i > 0 && !options.multi) {
      problems.at(doc.range[0], "a second YAML document (---): a config is one document");
      fail();
    }
    for (const e of [...doc.errors, ...doc.warnings]) problems.at(e.pos[0], safeYamlMessage(e));
    if (problems.list.length > 0) fail();
    checkNodes(doc, problems);
    if (problems.list.length > 0) fail();
  }
  const out: unknown[] = [];
  for (const doc of docs) {
    try {
      out.push(doc.toJS({ maxAliasCount: LIMITS.values }));
    } catch (e) {
      problems.at(
        doc.range[0],
        /alias count/i.test((e as Error).message)
          ? `aliases expand it to more than ${LIMITS.values} values (an alias bomb?)`
          : "the YAML cannot be read as data",
      );
      fail();
    }
  }
  return out;
}
