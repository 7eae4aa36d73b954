/**
 * Sandbox: a real Alertmanager on loopback plus a real HTTP webhook receiver, to prove routing,
 * grouping and inhibition end to end (in tests, and for a live verification command).
 *
 * ```ts
 * const hooks = await startWebhookReceiver();
 * const am = await startAlertmanager({ configYaml: `...url: ${hooks.urlFor("oncall")}...` });
 * try {
 *   await am.postAlerts([{ labels: { alertname: "X", severity: "critical" } }]);
 *   await hooks.waitFor((all) => all.some((n) => n.name === "oncall"));
 * } finally {
 *   await am.stop();
 *   await hooks.close();
 * }
 * ```
 *
 * Everything binds 127.0.0.1 only. Started processes are registered: call {@link stopAll} from a
 * test's `after()`; they are also killed when the Node process exits.
 *
 * @packageDocumentation
 */

/** A free TCP port on 127.0.0.1 (listen on 0, read it, close). */
export { freePort } from "./ports.js";

/**
 * Child processes: {@link startProcess} with a bounded output buffer, {@link stopProcess} by PID
 * (SIGTERM then SIGKILL), {@link stopAll} for `after()`, and the {@link waitForHttp} polling helper.
 */
export {
  startProcess,
  stopProcess,
  stopAll,
  runningProcesses,
  isAlive,
  waitForHttp,
  httpRequest,
} from "./process.js";
export type {
  ManagedProcess,
  StartProcessOptions,
  ExitInfo,
  HttpResponse,
  HttpRequestOptions,
  WaitForHttpOptions,
} from "./process.js";

/**
 * A real Alertmanager in a temporary directory: {@link startAlertmanager}, and
 * {@link findAlertmanagerBinary} which says how to install it when it is missing.
 */
export { startAlertmanager, findAlertmanagerBinary, ALERTMANAGER_INSTALL_HINT } from "./alertmanager.js";
export type {
  AlertmanagerOptions,
  AlertmanagerSandbox,
  PostableAlert,
  GettableAlert,
  AlertQuery,
} from "./alertmanager.js";

/** An HTTP server recording Alertmanager webhook notifications, one path per receiver. */
export { startWebhookReceiver, describeNotifications } from "./webhook-receiver.js";
export type {
  WebhookReceiver,
  WebhookReceiverOptions,
  Notification,
  WebhookPayload,
  WebhookAlert,
  RejectedRequest,
} from "./webhook-receiver.js";

/**
 * A real Prometheus in a temporary directory: {@link startPrometheus} (queries, alerts, rules,
 * targets, live reload of its config and rule files), {@link findPrometheusBinary} which says how to
 * install it when it is missing, and the pure readers of its API answers and its log.
 */
export {
  startPrometheus,
  findPrometheusBinary,
  prometheusVersion,
  PROMETHEUS_INSTALL_HINT,
} from "./prometheus.js";
export type { PrometheusOptions, PrometheusSandbox } from "./prometheus.js";
export { apiData, vectorOf, matrixOf, parseSelfMetrics } from "./prometheus-api.js";
export type {
  SeriesLabels,
  InstantSample,
  SeriesSamples,
  PrometheusAlert,
  RuleStatus,
  RuleGroupStatus,
  TargetStatus,
  SelfMetrics,
} from "./prometheus-api.js";
export { logField, loggedErrors, logProblems, logSince } from "./prometheus-log.js";

/**
 * The live sandbox: {@link runSandbox} runs a scenario on the real Prometheus and Alertmanager and
 * returns its {@link SandboxTimeline}; {@link writeReport} draws it as a self-contained page.
 */
export { runSandbox, type SandboxOptions } from "./run.js";
export { loadScenario, libraryScenarios, parseScenario } from "./scenario/load.js";
export type { Scenario, ScenarioInput } from "./scenario/schema.js";
export type { SandboxTimeline } from "./timeline.js";
export { writeReport, reportHtml } from "./report/index.js";
