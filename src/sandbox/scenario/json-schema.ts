/** The JSON Schema of the scenario format, generated from the zod schema (one source of truth). */
import { z } from "zod";
import { scenarioSchema } from "./schema.js";

/** JSON Schema (draft 2020-12) of a scenario file as users write it. */
export function scenarioJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(scenarioSchema, { io: "input", unrepresentable: "any" }) as Record<
    string,
    unknown
  >;
  return {
    $id: "https://github.com/ai-scaling-alerts/ai-scaling-alerts/schema/scenario.schema.json",
    title: "ai-scaling-alerts sandbox scenario",
    ...schema,
  };
}
