/**
 * `ai-scaling-alerts sandbox`: run a scenario on the real Prometheus and Alertmanager and show,
 * live, which notifications arrive, when, and why.
 */
import { Command, Option } from "commander";
import { loadConfigFile } from "../config/load.js";
import { loadScenario, libraryScenarios } from "../sandbox/scenario/load.js";
import { runSandbox } from "../sandbox/run.js";
import { summaryTable } from "../sandbox/summary.js";
import { writeReport } from "../sandbox/report/index.js";
import { parseSpeedArg } from "./args.js";
import { ExitCode, type Io } from "./io.js";

interface SandboxFlags {
  config: string;
  scenario: string;
  speed: number;
  report?: string;
  workload?: string;
  list?: boolean;
}

/** The `sandbox` command. */
export function sandboxCommand(io: Io): Command {
  return new Command("sandbox")
    .description(
      "Run a scenario against the real Prometheus and Alertmanager with this config's rules and routing; print the live timeline and expected vs received notifications.",
    )
    .requiredOption("-c, --config <file>", "config file (YAML)")
    .option("-s, --scenario <name|file>", "a library scenario's name or a scenario YAML file", "gpu-spike")
    .addOption(
      new Option("--speed <n>", "run N times faster (rule timings, intervals and group timings divided by N)")
        .argParser(parseSpeedArg)
        .default(30),
    )
    .option("--report <dir>", "write timeline.json and timeline.html into this directory")
    .option("--workload <name>", "drive this workload instead of the first one the scenario fits")
    .option("--list", "list the library's scenarios and exit")
    .action(async (opts: SandboxFlags) => {
      if (opts.list) {
        for (const name of libraryScenarios()) {
          const s = loadScenario(name);
          io.out(`${name.padEnd(24)} ${s.description.replace(/\s+/g, " ")}\n`);
        }
        return;
      }
      const config = loadConfigFile(opts.config);
      const scenario = loadScenario(opts.scenario);
      const abort = new AbortController();
      const onInt = (): void => abort.abort();
      process.once("SIGINT", onInt);
      try {
        const timeline = await runSandbox({
          config,
          scenario,
          speed: opts.speed,
          ...(opts.workload !== undefined ? { workload: opts.workload } : {}),
          log: (line) => io.out(`${line}\n`),
          signal: abort.signal,
        });
        io.out(`\n${summaryTable(timeline).join("\n")}\n`);
        if (opts.report !== undefined) {
          const files = writeReport(opts.report, timeline);
          io.err(`wrote ${files.json} and ${files.html}\n`);
        }
        if (!timeline.passed) throw new ExitCode(1);
      } finally {
        process.off("SIGINT", onInt);
      }
    });
}
