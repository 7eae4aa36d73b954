/** Writes docs/configuration.md from the config's schema (`npm run docs:config`). */
import { writeFileSync } from "node:fs";
import { configReferenceFile } from "./config-docs-file.js";

writeFileSync("docs/configuration.md", await configReferenceFile());
console.log("wrote docs/configuration.md");
