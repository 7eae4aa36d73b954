#!/usr/bin/env node
/** The `ai-scaling-alerts` command. */
import { run } from "./program.js";

process.exitCode = await run(process.argv.slice(2));
