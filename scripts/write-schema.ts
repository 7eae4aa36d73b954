/** Writes schema/config.schema.json from the zod schema (run by `npm run schema`). */
import { mkdirSync, writeFileSync } from "node:fs";
import { configJsonSchema } from "../src/config/json-schema.js";

mkdirSync("schema", { recursive: true });
writeFileSync("schema/config.schema.json", `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
console.log("wrote schema/config.schema.json");
