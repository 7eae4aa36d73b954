/**
 * `ai-scaling-alerts test-notify`: post one synthetic alert per receiver, labelled exactly like the
 * catalog's plus `test="true"`, to a running Alertmanager, and check from its API that it routes
 * them as this config predicts. A thin shell over src/notify.
 */
import { Command } from "commander";
import { generate } from "../build.js";
import { loadConfigFile } from "../config/load.js";
import { standaloneAlertmanagerConfig } from "../render/alertmanager-yaml.js";
import {
  AlertmanagerApiError,
  getAlerts,
  parseAlertmanagerUrl,
  postAlerts,
  printable,
} from "../notify/alertmanager-api.js";
import { checkNotifications, type ObservedAlert } from "../notify/check.js";
import { formatNotifyReport } from "../notify/report.js";
import { planTestAlerts, TEST_LABEL, TEST_RUN_LABEL, type TestPlan } from "../notify/test-alerts.js";
import { ExitCode, type Io } from "./io.js";
import { mergeOptions, withMergeFlags, type MergeFlags } from "./verify-commands.js";

interface TestNotifyFlags extends MergeFlags {
  config: string;
  alertmanagerUrl: string;
  receiver?: string;
  json?: boolean;
}

/** The Alertmanager stores posted alerts at once; a few reads cover a slow proxy or a cluster of replicas. */
async function observe(url: URL, plan: TestPlan): Promise<ObservedAlert[]> {
  const filters = [`${TEST_LABEL}="true"`, `${TEST_RUN_LABEL}="${plan.runId}"`];
  let seen: ObservedAlert[] = [];
  for (let attempt = 0; attempt < 10; attempt++) {
    seen = await getAlerts(url, filters);
    if (seen.length >= plan.alerts.length) return seen;
    await new Promise((r) => setTimeout(r, 300));
  }
  return seen;
}

function fail(io: Io, message: string): never {
  io.err(`test-notify: ${message}\n`);
  throw new ExitCode(1);
}

/** The `test-notify` command. */
export function testNotifyCommand(io: Io): Command {
  return withMergeFlags(
    new Command("test-notify")
      .description(
        'Send one test alert per receiver (labelled like the catalog\'s, plus test="true"; they resolve by themselves) to a running Alertmanager and check that it routes them as this config predicts. Exit 1 when it does not.',
      )
      .requiredOption("-c, --config <file>", "config file (YAML)")
      .requiredOption(
        "--alertmanager-url <url>",
        "the Alertmanager's base URL (http or https, no credentials), e.g. http://127.0.0.1:9093",
      )
      .option(
        "--receiver <name>",
        "only this receiver (as the config names it, or <namespace>/<object>/<name>)",
      )
      .option("--json", "print the report as JSON"),
  ).action(async (opts: TestNotifyFlags) => {
    let url: URL;
    try {
      url = parseAlertmanagerUrl(opts.alertmanagerUrl);
    } catch (e) {
      if (e instanceof AlertmanagerApiError) fail(io, e.message);
      throw e;
    }
    const g = generate(loadConfigFile(opts.config));
    if (g.alertmanagerConfigs.length === 0 && !opts.baseConfig)
      fail(io, `${opts.config} has no notifications: there is no receiver to test`);
    const merged = standaloneAlertmanagerConfig(g, mergeOptions(opts, "redact"));
    for (const p of merged.problems.filter((x) => x.severity === "error"))
      io.err(`warning: the Prometheus Operator would reject ${p.object} ${p.path}: ${p.message}\n`);
    const plan = planTestAlerts(g.resolved, merged.config, {
      now: new Date(),
      ...(opts.receiver !== undefined ? { receiver: opts.receiver } : {}),
    });
    if (plan.targets.length === 0) {
      const names = planTestAlerts(g.resolved, merged.config, { now: new Date() }).targets.map(
        (t) => t.receiver,
      );
      fail(
        io,
        `no receiver ${JSON.stringify(opts.receiver)} in this config; its receivers: ${names.join(", ")}`,
      );
    }
    if (plan.alerts.length === 0)
      fail(
        io,
        `no alert of this config routes to ${plan.targets.map((t) => t.receiver).join(", ")}: nothing to send`,
      );
    let observed: ObservedAlert[];
    try {
      await postAlerts(url, plan.alerts);
      observed = await observe(url, plan);
    } catch (e) {
      if (e instanceof AlertmanagerApiError) fail(io, e.message);
      throw e;
    }
    const check = checkNotifications(plan, observed);
    if (opts.json) {
      const { ok, receivers } = check;
      const alerts = check.alerts.map(({ alert, ...seen }) => ({ ...alert, ...seen }));
      const report = { ok, alertmanager: printable(url), runId: plan.runId, receivers, alerts };
      io.out(`${JSON.stringify(report, null, 2)}\n`);
    } else {
      io.out(formatNotifyReport(plan, check, printable(url)));
    }
    if (!check.ok) throw new ExitCode(1);
  });
}
