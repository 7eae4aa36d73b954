/** The `verify` and `routes` commands: thin shells over src/verify. */
import { Command, Option } from "commander";
import { generate } from "../build.js";
import { ConfigError, truncate } from "../config/errors.js";
import { loadConfigFile } from "../config/load.js";
import { standaloneAlertmanagerConfig, type StandaloneOptions } from "../render/alertmanager-yaml.js";
import { alertInstances } from "../verify/alert-labels.js";
import { checkCoverage } from "../verify/coverage.js";
import { failed, formatReport } from "../verify/report.js";
import { explainRouting, formatRoutingTree, formatRoutings, selectInstances } from "../verify/routes-view.js";
import { verify } from "../verify/verify.js";
import { readBaseConfig, readYamlFile, type InlineCredentialPolicy } from "./base-config.js";
import { parseAlertmanagerVersionArg } from "./args.js";
import { ExitCode, type Io } from "./io.js";

/** Options shared by commands that merge the Alertmanager configuration. */
export interface MergeFlags {
  baseConfig?: string;
  alertmanagerConfig?: string[];
  alertmanagerVersion?: string;
  secretsDir?: string;
}

/**
 * The merge options the flags give. `credentials` says what becomes of credentials written inline
 * in `--base-config`: `refuse` them where the merged file is written out (the default), `redact`
 * them where it is only checked or shown.
 */
export function mergeOptions(
  flags: MergeFlags,
  credentials: InlineCredentialPolicy = "refuse",
): StandaloneOptions {
  const base = flags.baseConfig ? readBaseConfig(flags.baseConfig, credentials) : undefined;
  const extra = (flags.alertmanagerConfig ?? []).flatMap((f) => readYamlFile(f, "--alertmanager-config"));
  return {
    ...(base ? { base } : {}),
    ...(extra.length > 0 ? { extraObjects: extra } : {}),
    ...(flags.alertmanagerVersion ? { alertmanagerVersion: flags.alertmanagerVersion } : {}),
    ...(flags.secretsDir ? { secretsDir: flags.secretsDir } : {}),
  };
}

const collect = (v: string, prev: string[] = []) => [...prev, v];

/** Adds --base-config, --alertmanager-config and --alertmanager-version. */
export function withMergeFlags(cmd: Command): Command {
  return cmd
    .option(
      "--base-config <file>",
      "your alertmanager.yml (global, root route, other receivers) to merge ours into",
    )
    .option(
      "--alertmanager-config <file>",
      "AlertmanagerConfig objects already in the cluster, merged alongside ours (repeatable)",
      collect,
    )
    .option(
      "--alertmanager-version <version>",
      "Alertmanager version to target (default: monitoring.operator.alertmanagerVersion)",
      parseAlertmanagerVersionArg,
    );
}

export function verifyCommand(io: Io): Command {
  return withMergeFlags(
    new Command("verify")
      .description(
        "Prove before deploy that every alert is valid, selected, and reaches the right receiver. Exit 1 when a check fails.",
      )
      .requiredOption("-c, --config <file>", "config file (YAML)")
      .option("--json", "print the report as JSON")
      .option("--details", "print the details of passing checks too"),
  ).action((opts: MergeFlags & { config: string; json?: boolean; details?: boolean }) => {
    const g = generate(loadConfigFile(opts.config));
    const checks = verify(g, mergeOptions(opts, "redact"));
    if (opts.json) io.out(`${JSON.stringify({ ok: !failed(checks), checks }, null, 2)}\n`);
    else io.out(formatReport(checks, opts.details ? "all" : "problems"));
    if (failed(checks)) throw new ExitCode(1);
  });
}

function parseLabels(items: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of items) {
    const m = /^([a-zA-Z_][a-zA-Z0-9_]*)=(.*)$/.exec(item);
    if (!m) {
      throw new ConfigError(
        [{ path: "--label", message: `expected name=value, got ${JSON.stringify(truncate(item))}` }],
        "--label",
      );
    }
    out[m[1] as string] = (m[2] as string).replace(/^"(.*)"$/, "$1");
  }
  return out;
}

export function routesCommand(io: Io): Command {
  return withMergeFlags(
    new Command("routes")
      .description("Print the merged routing tree and, for each alert x workload, the receivers it reaches.")
      .requiredOption("-c, --config <file>", "config file (YAML)")
      .option("--alert <name>", "only this alert")
      .option("--label <name=value>", "only alerts with this label (or: add it); repeatable", collect)
      .addOption(new Option("--json", "print as JSON")),
  ).action((opts: MergeFlags & { config: string; alert?: string; label?: string[]; json?: boolean }) => {
    const g = generate(loadConfigFile(opts.config));
    const merged = standaloneAlertmanagerConfig(g, mergeOptions(opts, "redact"));
    const labels = parseLabels(opts.label ?? []);
    const question = opts.alert !== undefined || Object.keys(labels).length > 0;
    let instances = selectInstances(alertInstances(g.resolved), opts.alert, labels);
    if (question && instances.length === 0) {
      instances = [
        {
          alert: (opts.alert ?? labels.alertname ?? "") as never,
          labels: { alertname: opts.alert ?? "", ...labels },
        },
      ];
    }
    const { routings } = checkCoverage(merged.config, instances);
    if (opts.json) {
      io.out(`${JSON.stringify({ config: merged.config, routings }, null, 2)}\n`);
      return;
    }
    if (!question) io.out(`Routing tree:\n${formatRoutingTree(merged.config)}\n`);
    if (question) for (const r of routings) io.out(explainRouting(merged.config, r.instance.labels));
    io.out(formatRoutings(routings));
  });
}
