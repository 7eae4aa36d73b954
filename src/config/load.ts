/**
 * Reading a config: YAML text -> validated {@link Config}, reporting every problem at once.
 * Structural checks come from the zod schema; cross-references (receivers named by routes,
 * duplicate workloads, namespaces under the operator's matcher strategy, PromQL selectors) are
 * checked here, once the structure is known to be sound.
 */
import { SCALE_EVENT_LOOKBACK, UNROUTED_RECEIVER, type AlertName } from "../catalog/catalog.js";
import { isValidMatcherList } from "../promql/syntax.js";
import { ConfigError, formatPath, zodProblems, type ConfigProblem } from "./errors.js";
import { atLeast, parseVersion } from "../catalog/alertmanager-versions.js";
import { isPinned } from "./matcher-strategy.js";
import { durationSeconds } from "./primitives.js";
import {
  configSchema,
  type AlertOverrides,
  type Config,
  type ConfigInput,
  type ReceiverType,
} from "./schema.js";
import { notificationProblems } from "./checks/notifications.js";
import { objectNameProblems } from "./checks/object-names.js";
import { settingsProblems } from "./checks/settings.js";
import { formatBytes, LIMITS } from "./limits.js";
import { decodeText, readBounded } from "./text-input.js";
import { parseYaml } from "./yaml-input.js";

/** Validates a config object (as parsed from YAML or written in TypeScript). Throws {@link ConfigError}. */
export function parseConfig(input: unknown, source?: string): Config {
  const result = configSchema.safeParse(input, { reportInput: true });
  if (!result.success) throw new ConfigError(zodProblems(result.error.issues), source);
  const problems = [
    ...crossReferenceProblems(result.data),
    ...notificationProblems(result.data),
    ...objectNameProblems(result.data),
    ...settingsProblems(result.data),
  ];
  if (problems.length > 0) throw new ConfigError(problems, source);
  return result.data;
}

/** Typed helper for programmatic use: validates and fills defaults. */
export function defineConfig(input: ConfigInput): Config {
  return parseConfig(input);
}

/**
 * Parses YAML text (at most `LIMITS.fileBytes` bytes); YAML errors are reported with line and
 * column, and never quote the source (a credential's line would print the credential).
 */
export function parseConfigYaml(text: string, source = "config"): Config {
  const bytes = Buffer.byteLength(text);
  if (bytes > LIMITS.fileBytes) {
    const message = `is ${bytes} bytes, more than the ${formatBytes(LIMITS.fileBytes)} a config may have`;
    throw new ConfigError([{ path: "(file)", message }], source);
  }
  const [data] = parseYaml(decodeText(Buffer.from(text), source), { source });
  if (data === null || data === undefined) {
    const message = "is empty (or null): a config is a YAML mapping with at least workloads";
    throw new ConfigError([{ path: "", message }], source);
  }
  if (typeof data !== "object" || Array.isArray(data)) {
    const got = Array.isArray(data) ? "a list" : `a ${typeof data === "string" ? "string" : typeof data}`;
    throw new ConfigError(
      [{ path: "", message: `expected a YAML mapping at the top level, got ${got}` }],
      source,
    );
  }
  return parseConfig(data, source);
}

/** Reads (at most `LIMITS.fileBytes` bytes, UTF-8) and validates a YAML config file. */
export function loadConfigFile(path: string): Config {
  return parseConfigYaml(decodeText(readBounded(path), path), path);
}

/**
 * The oldest Alertmanager of each receiver type that is younger than some supported version; the
 * operator rejects a whole AlertmanagerConfig with such an integration for an older Alertmanager
 * (`checkReceivers` in prometheus-operator's pkg/alertmanager/operator.go).
 */
export const RECEIVER_SINCE: Readonly<Partial<Record<ReceiverType, string>>> = {
  msteams: "0.26.0",
  msteamsv2: "0.28.0",
  discord: "0.25.0",
  webex: "0.25.0",
  telegram: "0.24.0",
  sns: "0.23.0",
};

type Notifications = NonNullable<Config["notifications"]>;
type AddProblem = (path: (string | number)[], message: string) => void;

/** Receiver checks the schema's shapes cannot make: Alertmanager versions, SNS destinations. */
function receiverProblems(config: Config, n: Notifications, add: AddProblem): void {
  const wanted = config.monitoring.operator.alertmanagerVersion;
  const version = parseVersion(wanted);
  n.receivers.forEach((r, i) => {
    const at = (...rest: (string | number)[]) => ["notifications", "receivers", i, ...rest];
    const since = RECEIVER_SINCE[r.type];
    if (since && !atLeast(version, since)) {
      add(
        at("type"),
        `${r.type} needs Alertmanager >= ${since.replace(/\.0$/, "")}, but monitoring.operator.alertmanagerVersion is ${wanted}: the operator would reject the whole AlertmanagerConfig, so no receiver would get anything. Upgrade Alertmanager (and set the version) or remove this receiver`,
      );
    }
    if (r.type === "telegram" && r.messageThreadId !== undefined && !atLeast(version, "0.26.0")) {
      add(
        at("messageThreadId"),
        `needs Alertmanager >= 0.26, but monitoring.operator.alertmanagerVersion is ${wanted}: the operator drops it, and the messages would go to the chat's general topic. Upgrade Alertmanager (and set the version) or remove it`,
      );
    }
    if (r.type === "sns") {
      const given = (["topicArn", "targetArn", "phoneNumber"] as const).filter((k) => r[k] !== undefined);
      if (given.length !== 1)
        add(
          at(given[1] ?? "topicArn"),
          `give exactly one of topicArn, targetArn or phoneNumber (got ${given.length === 0 ? "none" : given.join(" and ")}): Alertmanager and the operator refuse anything else`,
        );
      if (r.phoneNumber !== undefined && r.region === undefined)
        add(at("region"), "required with phoneNumber: an SMS has no ARN to take the AWS region from");
    }
  });
}

function crossReferenceProblems(config: Config): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const add = (path: (string | number)[], message: string) =>
    problems.push({ path: formatPath(path), message });

  const m = config.monitoring;
  const selectors: [string, string][] = [
    ["kubeStateMetricsSelector", m.kubeStateMetricsSelector],
    ["cadvisorSelector", m.cadvisorSelector],
  ];
  for (const [key, sel] of selectors) {
    if (!isValidMatcherList(sel))
      add(["monitoring", key], `expected PromQL label matchers such as job="x", got ${JSON.stringify(sel)}`);
  }
  for (const source of ["gpu", "queue", "keda"] as const) {
    const sel = m[source].selector;
    if (!isValidMatcherList(sel))
      add(
        ["monitoring", source, "selector"],
        `expected PromQL label matchers such as job="x", got ${JSON.stringify(sel)}`,
      );
  }
  if (m.clusterLabel) {
    config.workloads.forEach((w, i) => {
      if (w.labels && Object.hasOwn(w.labels, m.clusterLabel as string)) {
        add(
          ["workloads", i, "labels", m.clusterLabel as string],
          `is monitoring.clusterLabel: the alerts take it from the series; a workload label of that name would make every rule invalid`,
        );
      }
    });
  }

  const checkOverrides = (alerts: AlertOverrides | undefined, path: (string | number)[]) => {
    const window = (name: AlertName, key: "for" | "window") => {
      const v = alerts?.[name]?.[key];
      if (v !== undefined && durationSeconds(v) === 0)
        add([...path, name, key], "must be longer than 0s: it is the window the condition is measured over");
    };
    window("AIWorkloadScaleUpStalled", "for");
    window("AIWorkloadScalingFlapping", "window");
    for (const name of [
      "AIWorkloadScaledUp",
      "AIWorkloadScaledDown",
      "AIWorkloadScaledToZero",
      "AIWorkloadColdStart",
    ] as const) {
      const v = alerts?.[name]?.for;
      if (v !== undefined && durationSeconds(v) >= durationSeconds(SCALE_EVENT_LOOKBACK)) {
        add(
          [...path, name, "for"],
          `must be shorter than ${SCALE_EVENT_LOOKBACK} minus the evaluation interval: a scale event is visible for ${SCALE_EVENT_LOOKBACK}, so a longer for would never fire (leave it at 0s)`,
        );
      }
    }
  };
  checkOverrides(config.alerts, ["alerts"]);
  config.workloads.forEach((w, i) => checkOverrides(w.alerts, ["workloads", i, "alerts"]));

  const workloadKeys = new Map<string, number>();
  const hpaKeys = new Map<string, number>();
  config.workloads.forEach((w, i) => {
    const ns = w.namespace ?? config.namespace;
    const wk = `${ns}/${w.kind}/${w.name}`;
    const prev = workloadKeys.get(wk);
    if (prev !== undefined)
      add(["workloads", i, "name"], `duplicate of workloads[${prev}] (${w.kind} ${ns}/${w.name})`);
    workloadKeys.set(wk, i);
    const hk = `${ns}/${w.hpaName ?? w.name}`;
    const prevHpa = hpaKeys.get(hk);
    if (prevHpa !== undefined && prev === undefined) {
      add(["workloads", i, "hpaName"], `HPA ${hk} is already used by workloads[${prevHpa}]; give hpaName`);
    }
    hpaKeys.set(hk, i);
  });

  const n = config.notifications;
  if (!n) return problems;
  const receivers = new Map<string, number>();
  n.receivers.forEach((r, i) => {
    if (r.name === UNROUTED_RECEIVER) {
      add(
        ["notifications", "receivers", i, "name"],
        `${UNROUTED_RECEIVER} is reserved for the catch-all receiver`,
      );
    }
    if (receivers.has(r.name))
      add(["notifications", "receivers", i, "name"], `duplicate receiver name ${r.name}`);
    receivers.set(r.name, i);
  });
  receiverProblems(config, n, add);
  const intervals = new Set<string>();
  n.timeIntervals.forEach((t, i) => {
    if (intervals.has(t.name))
      add(["notifications", "timeIntervals", i, "name"], `duplicate time interval ${t.name}`);
    intervals.add(t.name);
  });
  const checkIntervals = (names: string[] | undefined, path: (string | number)[]) =>
    names?.forEach((name, j) => {
      if (!intervals.has(name))
        add([...path, j], `time interval ${name} is not defined in notifications.timeIntervals`);
    });
  n.receivers.forEach((r, i) => {
    checkIntervals(r.muteTimeIntervals, ["notifications", "receivers", i, "muteTimeIntervals"]);
    checkIntervals(r.activeTimeIntervals, ["notifications", "receivers", i, "activeTimeIntervals"]);
  });
  const checkGroupBy = (g: string[] | undefined, path: (string | number)[]) => {
    if (g?.includes("...") && g.length > 1) add(path, '"..." (group by every label) must be the only entry');
  };
  checkGroupBy(n.groupBy, ["notifications", "groupBy"]);
  n.routes.forEach((r, i) => {
    checkGroupBy(r.groupBy, ["notifications", "routes", i, "groupBy"]);
    if (!receivers.has(r.receiver)) {
      add(
        ["notifications", "routes", i, "receiver"],
        `receiver ${r.receiver} is not defined (defined: ${[...receivers.keys()].join(", ")})`,
      );
    }
    checkIntervals(r.muteTimeIntervals, ["notifications", "routes", i, "muteTimeIntervals"]);
    checkIntervals(r.activeTimeIntervals, ["notifications", "routes", i, "activeTimeIntervals"]);
  });

  // Under OnNamespace the operator pins the AlertmanagerConfig's route to its own namespace: an
  // explicit namespace that differs from a workload's means that workload's alerts reach no one.
  const amNs = config.monitoring.operator.alertmanagerNamespace;
  if (n.namespace && isPinned(n.matcherStrategy, n.namespace, amNs)) {
    config.workloads.forEach((w, i) => {
      const ns = w.namespace ?? config.namespace;
      if (ns !== n.namespace) {
        add(
          ["workloads", i, "namespace"],
          `is ${ns}, but notifications.namespace is ${n.namespace}: under matcherStrategy ${n.matcherStrategy} the operator adds namespace="${n.namespace}" to the route, so this workload's alerts would reach no receiver. Remove notifications.namespace (one AlertmanagerConfig per namespace is generated), put it in the Alertmanager's namespace (${amNs}) with OnNamespaceExceptForAlertmanagerNamespace, or set matcherStrategy: None`,
        );
      }
    });
  }
  return problems;
}
