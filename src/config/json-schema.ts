/** The JSON Schema of the config, generated from the zod schema (one source of truth). */
import { z } from "zod";
import { configSchema } from "./schema.js";

/** JSON Schema (draft 2020-12) of the config file as users write it. */
export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(configSchema, { io: "input", unrepresentable: "any" }) as Record<
    string,
    unknown
  >;
  return {
    $id: "https://github.com/ai-scaling-alerts/ai-scaling-alerts/schema/config.schema.json",
    title: "ai-scaling-alerts configuration",
    ...schema,
  };
}
