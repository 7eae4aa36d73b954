/** Writes schema/config.schema.json and schema/scenario.schema.json from the zod schemas (`npm run schema`). */
import { mkdirSync, writeFileSync } from "node:fs";
import { configJsonSchema } from "../src/config/json-schema.js";
import { scenarioJsonSchema } from "../src/sandbox/scenario/json-schema.js";

mkdirSync("schema", { recursive: true });
writeFileSync("schema/config.schema.json", `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
writeFileSync("schema/scenario.schema.json", `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
console.log("wrote schema/config.schema.json, schema/scenario.schema.json");
