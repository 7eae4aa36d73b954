/**
 * The documented config types (src/config/types.ts): equal to the schema's input type (checked by
 * `tsc -p tsconfig.test.json`, which `npm run lint` runs), the committed file what the generator
 * renders, every field documented, and the docs shown on hover in the Pulumi examples.
 */
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, it } from "node:test";
import ts from "typescript";
import type { z } from "zod";
import type { configSchema } from "../src/config/schema.js";
import type { ConfigInput } from "../src/config/types.js";
import { configTypesSource, renderConfigTypes, TYPES_FILE } from "../scripts/config-types.js";

// ---------------------------------------------------------------------------------------------
// Type-level: the interfaces are exactly the schema's input type.

/** A type with every intersection flattened, at every depth, so two spellings of one type compare equal. */
type Normalize<T> = T extends (...args: never[]) => unknown
  ? T
  : T extends object
    ? { [K in keyof T]: Normalize<T[K]> }
    : T;
/** True only when A and B are the same type (optionality, readonly and every key included). */
type Equals<A, B> = (<X>() => X extends A ? 1 : 2) extends <X>() => X extends B ? 1 : 2 ? true : false;
type Assert<T extends true> = T;
type Same<A, B> = Equals<Normalize<A>, Normalize<B>>;

type SchemaInput = z.input<typeof configSchema>;
type Workload = ConfigInput["workloads"][number];
type WithWorkloads<W> = Omit<ConfigInput, "workloads"> & { workloads: W[] };

// The helper types themselves: the config with its own workload type is the same config.
export type SameWithOwnWorkloads = Assert<Same<WithWorkloads<Workload>, SchemaInput>>;

/** Adding, removing or retyping a field in the schema without the interfaces fails here. */
export type ConfigTypesEqualTheSchema = Assert<Same<ConfigInput, SchemaInput>>;

// The check sees the differences that matter (each line is a compile error without its directive).
// @ts-expect-error a field the schema does not have (mutual assignability would miss it)
export type SeesExtraOptionalField = Assert<Same<ConfigInput & { extra?: string }, SchemaInput>>;
// @ts-expect-error a field left out
export type SeesMissingField = Assert<Same<Omit<ConfigInput, "alerts">, SchemaInput>>;
// @ts-expect-error an optional field made required
export type SeesOptionality = Assert<Same<ConfigInput & { name: string }, SchemaInput>>;
/** A workload whose kind is any string, not "Deployment" | "StatefulSet". */
type LooseKind = Omit<Workload, "kind"> & { kind?: string };
// @ts-expect-error a field two levels down widened (workloads[].kind)
export type SeesNestedType = Assert<Same<WithWorkloads<LooseKind>, SchemaInput>>;

// ---------------------------------------------------------------------------------------------

/** A program over the Pulumi examples (tsconfig.examples.json), for hover queries. */
function examplesLanguageService(): { service: ts.LanguageService; files: string[] } {
  const configPath = resolve("tsconfig.examples.json");
  const { config } = ts.readConfigFile(configPath, (f) => ts.sys.readFile(f));
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, resolve("."));
  const host: ts.LanguageServiceHost = {
    getScriptFileNames: () => parsed.fileNames,
    getScriptVersion: () => "0",
    getScriptSnapshot: (f) =>
      ts.sys.fileExists(f) ? ts.ScriptSnapshot.fromString(readFileSync(f, "utf8")) : undefined,
    getCurrentDirectory: () => resolve("."),
    getCompilationSettings: () => parsed.options,
    getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
    fileExists: (f) => ts.sys.fileExists(f),
    readFile: (f) => ts.sys.readFile(f),
    readDirectory: (...a) => ts.sys.readDirectory(...a),
    directoryExists: (d) => ts.sys.directoryExists(d),
    getDirectories: (d) => ts.sys.getDirectories(d),
  };
  return { service: ts.createLanguageService(host), files: parsed.fileNames };
}

/**
 * Keys the Pulumi component's args declare themselves, in src/pulumi/args.ts, to take Pulumi
 * Inputs (namespaces) and credential values: their docs are that file's to write.
 */
const DECLARED_BY_PULUMI_ARGS = new Set(["namespace", "workloads", "notifications", "receivers", "value"]);

describe("config types", () => {
  it("src/config/types.ts is what `npm run config-types` renders from the schema", async () => {
    const committed = readFileSync(TYPES_FILE, "utf8");
    assert.ok(committed === (await configTypesSource()), "out of date: run `npm run config-types`");
  });

  it("every field and interface of src/config/types.ts has a doc comment", () => {
    const source = ts.createSourceFile(
      TYPES_FILE,
      readFileSync(TYPES_FILE, "utf8"),
      ts.ScriptTarget.Latest,
      true,
    );
    const undocumented: string[] = [];
    let fields = 0;
    const documented = (n: ts.Node) =>
      ts.getJSDocCommentsAndTags(n).some((d) => ts.getTextOfJSDocComment(d.comment));
    source.forEachChild((decl) => {
      if (!ts.isInterfaceDeclaration(decl) && !ts.isTypeAliasDeclaration(decl)) return;
      if (!documented(decl)) undocumented.push(decl.name.text);
      if (!ts.isInterfaceDeclaration(decl)) return;
      for (const member of decl.members) {
        fields++;
        if (!documented(member)) undocumented.push(`${decl.name.text}.${member.name?.getText(source)}`);
      }
    });
    assert.deepEqual(undocumented, []);
    assert.ok(fields > 250, `only ${fields} fields`);
  });

  it("the generator refuses a field or object without a description, and an object it cannot name", () => {
    const object = (properties: Record<string, object>, description?: string) => ({
      type: "object",
      properties,
      required: [],
      additionalProperties: false,
      ...(description ? { description } : {}),
    });
    assert.match(
      renderConfigTypes(object({ name: { type: "string", description: "The name." } }, "The config.")),
      /export interface ConfigInput \{\n {2}\/\*\*\n {3}\* The name\.\n {3}\*\/\n {2}name\?: string;/,
    );
    assert.throws(
      () => renderConfigTypes(object({ name: { type: "string" }, other: { type: "number" } }, "The config.")),
      /describe\(\) these in the zod schema:\n {2}name\n {2}other/,
    );
    assert.throws(() => renderConfigTypes(object({}, undefined)), /\(root\) \(ConfigInput\)/);
    assert.throws(
      () => renderConfigTypes(object({ extra: object({}, "An object.") }, "The config.")),
      /no interface name for the object at extra/,
    );
  });

  it("hovering a config field in the Pulumi examples shows its doc", () => {
    const { service, files } = examplesLanguageService();
    const program = service.getProgram();
    assert.ok(program);
    const checker = program.getTypeChecker();
    const undocumented: string[] = [];
    let checked = 0;
    for (const file of files) {
      const source = program.getSourceFile(file);
      assert.ok(source, file);
      const visit = (node: ts.Node): void => {
        if (ts.isNewExpression(node) && node.expression.getText(source) === "AiScalingAlerts") {
          const args = node.arguments?.[1];
          assert.ok(args && ts.isObjectLiteralExpression(args), `${file}: the args are an object literal`);
          visitArgs(args);
        }
        ts.forEachChild(node, visit);
      };
      const visitArgs = (node: ts.Node): void => {
        if (ts.isPropertyAssignment(node)) {
          const literal = node.parent as ts.ObjectLiteralExpression;
          const contextual = checker.getContextualType(literal);
          // Entries of a map (labels, matchLabels) are the user's own keys.
          const isMapEntry = contextual?.getNonNullableType().getStringIndexType() !== undefined;
          const key = node.name.getText(source);
          if (!isMapEntry && !DECLARED_BY_PULUMI_ARGS.has(key)) {
            checked++;
            const info = service.getQuickInfoAtPosition(file, node.name.getStart(source));
            if (!ts.displayPartsToString(info?.documentation)) {
              const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
              undocumented.push(`${file.split("/").slice(-2).join("/")}:${line + 1} ${key}`);
            }
          }
        }
        ts.forEachChild(node, visitArgs);
      };
      visit(source);
    }
    assert.deepEqual(undocumented, []);
    assert.ok(checked > 60, `only ${checked} keys checked`);
  });
});
