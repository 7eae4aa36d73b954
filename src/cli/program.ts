/**
 * The command-line shell: parses arguments, calls the pure core, writes files. Exit codes: 0 ok,
 * 1 invalid input (config problems, a file that cannot be read or written), 2 usage error (bad
 * arguments), 3 internal error (a bug: no input can cause it; please report it). Every message is
 * one line per problem, with values cut short, and never a stack trace.
 */
import { Command, CommanderError, Option } from "commander";
import { generate, schemaCheckedObjects } from "../build.js";
import { ConfigError, printable } from "../config/errors.js";
import { loadConfigFile } from "../config/load.js";
import { configJsonSchema } from "../config/json-schema.js";
import { configIdentity, outputFiles, outputStream, type OutputFormat } from "../render/output.js";
import { OutputError, writeOutput, type WriteResult } from "../render/write-output.js";
import { schemaViolations } from "../render/schema-check.js";
import { summaryLines } from "../render/summary.js";
import { ExitCode, type Io } from "./io.js";
import {
  mergeOptions,
  routesCommand,
  verifyCommand,
  withMergeFlags,
  type MergeFlags,
} from "./verify-commands.js";
import { standaloneAlertmanagerConfig } from "../render/alertmanager-yaml.js";
import { sandboxCommand } from "./sandbox-command.js";
import { testNotifyCommand } from "./test-notify-command.js";
import { packageVersion } from "./version.js";

export const EXIT = { ok: 0, invalid: 1, usage: 2, internal: 3 } as const;

export type { Io } from "./io.js";

const processIo: Io = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
};

class InternalError extends Error {}

function renderCommand(io: Io): Command {
  return withMergeFlags(new Command("render"))
    .description(
      "Generate the HPAs, PrometheusRule and AlertmanagerConfig (or a plain Prometheus rule file).",
    )
    .requiredOption("-c, --config <file>", "config file (YAML)")
    .option(
      "-o, --output <dir>",
      "directory to write one file per object into, or - for a YAML stream on stdout",
      "-",
    )
    .addOption(
      new Option(
        "-f, --format <format>",
        "kubernetes: HPA/ScaledObject/PrometheusRule/AlertmanagerConfig objects; prometheus: rules.yml and alertmanager.yml for a standalone Prometheus and Alertmanager",
      )
        .choices(["kubernetes", "prometheus"])
        .default("kubernetes"),
    )
    .option("--summary", "print a short summary (objects, alerts per workload, receivers) to stderr")
    .option(
      "--secrets-dir <dir>",
      "prometheus format: where the standalone Alertmanager finds Secrets (<dir>/<namespace>/<secret>/<key>)",
    )
    .action(
      (opts: MergeFlags & { config: string; output: string; format: OutputFormat; summary?: boolean }) => {
        const g = generate(loadConfigFile(opts.config));
        const violations = schemaViolations(schemaCheckedObjects(g));
        if (violations.length > 0) {
          throw new InternalError(
            `generated objects fail their schema:\n${violations.map((v) => `  ${v.object}: ${v.message}`).join("\n")}`,
          );
        }
        const am =
          opts.format === "prometheus" && g.alertmanagerConfigs.length > 0
            ? standaloneAlertmanagerConfig(g, mergeOptions(opts))
            : undefined;
        const errors = am?.problems.filter((p) => p.severity === "error") ?? [];
        for (const p of am?.problems ?? [])
          io.err(`alertmanager.yml: ${p.severity}: ${p.object} ${p.path}: ${p.message}\n`);
        if (errors.length > 0) {
          io.err(
            "alertmanager.yml not written: the Prometheus Operator would reject part of this configuration\n",
          );
          throw new ExitCode(1);
        }
        if (opts.output === "-") {
          io.out(outputStream(g, opts.format, opts.config, am?.config));
        } else {
          const config = configIdentity(g);
          let done: WriteResult;
          try {
            done = writeOutput(opts.output, outputFiles(g, opts.format, opts.config, am?.config), config);
          } catch (e) {
            if (!(e instanceof OutputError)) throw e;
            io.err(`${e.message}\n`);
            throw new ExitCode(EXIT.invalid);
          }
          io.err(`wrote ${done.written.join(", ")} to ${opts.output}\n`);
          if (done.removed.length > 0)
            io.err(`removed stale ${done.removed.join(", ")} (rendered earlier by config ${config})\n`);
          if (done.unclaimed.length > 0)
            io.err(
              `left ${done.unclaimed.join(", ")}: written by an older ai-scaling-alerts that did not record the config; delete what this config no longer produces\n`,
            );
        }
        if (opts.summary)
          io.err(`${summaryLines(g, opts.output === "-" ? "stdout" : opts.output).join("\n")}\n`);
      },
    );
}

function validateCommand(io: Io): Command {
  return new Command("validate")
    .description("Check a config and report every problem at once, with its field path.")
    .requiredOption("-c, --config <file>", "config file (YAML)")
    .action((opts: { config: string }) => {
      const g = generate(loadConfigFile(opts.config));
      // What render would refuse after validation: a schema violation is a bug (exit 3), an
      // AlertmanagerConfig the operator would reject is the config's (exit 1).
      const violations = schemaViolations(schemaCheckedObjects(g));
      if (violations.length > 0) {
        throw new InternalError(
          `generated objects fail their schema:\n${violations.map((v) => `  ${v.object}: ${v.message}`).join("\n")}`,
        );
      }
      const merged = g.alertmanagerConfigs.length > 0 ? standaloneAlertmanagerConfig(g) : undefined;
      const rejected = merged?.problems.filter((p) => p.severity === "error") ?? [];
      if (rejected.length > 0) {
        throw new ConfigError(
          rejected.map((p) => ({
            path: `${p.object} ${p.path}`,
            message: `the Prometheus Operator would reject this: ${p.message}`,
          })),
          opts.config,
        );
      }
      io.out(
        `${opts.config}: valid (${g.resolved.workloads.length} workloads, ${schemaCheckedObjects(g).length} objects)\n`,
      );
    });
}

function schemaCommand(io: Io): Command {
  return new Command("schema")
    .description("Print the JSON Schema of the config (for editor completion).")
    .action(() => io.out(`${JSON.stringify(configJsonSchema(), null, 2)}\n`));
}

const USAGE_HINT = "(add --help for usage)";

/** Commander's output: errors one printable line each (a long argument is cut short). */
function output(io: Io) {
  return {
    writeOut: io.out,
    writeErr: io.err,
    outputError: (text: string, write: (t: string) => void) =>
      write(`${text.replace(/\n$/, "").split("\n").map(printable).join("\n")}\n`),
  };
}

/** Builds the program. */
export function buildProgram(io: Io = processIo): Command {
  const program = new Command("ai-scaling-alerts")
    .description("Alerting on the scaling events of AI workloads on Kubernetes, as code.")
    .version(packageVersion())
    .showHelpAfterError(USAGE_HINT)
    .configureOutput(output(io))
    .exitOverride();
  for (const cmd of [
    renderCommand(io),
    validateCommand(io),
    verifyCommand(io),
    routesCommand(io),
    sandboxCommand(io),
    testNotifyCommand(io),
    schemaCommand(io),
  ]) {
    program.addCommand(cmd.configureOutput(output(io)).showHelpAfterError(USAGE_HINT).exitOverride());
  }
  return program;
}

/** Runs the CLI and returns its exit code; never throws and never prints a stack trace. */
export async function run(argv: readonly string[], io: Io = processIo): Promise<number> {
  const program = buildProgram(io);
  if (argv.length === 0) {
    const commands = program.commands.map((c) => c.name()).join(", ");
    io.err(`error: missing command (one of ${commands})\n${USAGE_HINT}\n`);
    return EXIT.usage;
  }
  try {
    await program.parseAsync([...argv], { from: "user" });
    return EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (
        e.code === "commander.helpDisplayed" ||
        e.code === "commander.version" ||
        e.code === "commander.help"
      )
        return EXIT.ok;
      return EXIT.usage;
    }
    if (e instanceof ExitCode) return e.code;
    if (e instanceof ConfigError) {
      io.err(`${e.message}\n`);
      if (argv.includes("--json")) io.out(`${JSON.stringify(configErrorJson(e, argv[0]), null, 2)}\n`);
      return EXIT.invalid;
    }
    const message = printable(e instanceof Error ? e.message : String(e));
    io.err(
      `internal error: ${message}\nThis is a bug in ai-scaling-alerts; please report it with your config.\n`,
    );
    return EXIT.internal;
  }
}

/**
 * The JSON a `--json` command prints for an invalid input, on stdout as its report would be: `verify`
 * gives its report's shape (one failed check, `config`), the other commands `{ ok, problems }`.
 */
export function configErrorJson(e: ConfigError, command: string | undefined): object {
  const problems = e.problems.map((p) => ({ path: p.path, message: p.message }));
  if (command !== "verify") return { ok: false, source: e.source, problems };
  const noun = problems.length === 1 ? "problem" : "problems";
  return {
    ok: false,
    checks: [
      {
        id: "config",
        title: "Config",
        status: "fail",
        summary: `${e.source ? `${e.source}: ` : ""}invalid config, ${problems.length} ${noun}`,
        details: problems.map((p) => `${p.path || "(config)"}: ${p.message}`),
      },
    ],
  };
}
