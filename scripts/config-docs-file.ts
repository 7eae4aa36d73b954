/**
 * The exact text of docs/configuration.md: the reference generated from the zod schema (through
 * its JSON Schema), formatted by Prettier as `npm run lint` checks it.
 */
import { format, resolveConfig } from "prettier";
import { configJsonSchema } from "../src/config/json-schema.js";
import { configReference, type SchemaNode } from "./config-docs.js";

/** The path of the generated file, relative to the repository. */
export const CONFIG_DOCS_PATH = "docs/configuration.md";

/** docs/configuration.md as it must be committed. */
export async function configReferenceFile(): Promise<string> {
  const options = (await resolveConfig(CONFIG_DOCS_PATH)) ?? {};
  return format(configReference(configJsonSchema() as SchemaNode), { ...options, parser: "markdown" });
}
