/** Writes src/config/types.ts, the documented config input types, from the zod schema (`npm run config-types`). */
import { writeFileSync } from "node:fs";
import { configTypesSource } from "./config-types.js";

writeFileSync("src/config/types.ts", await configTypesSource());
console.log("wrote src/config/types.ts");
