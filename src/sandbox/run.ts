/**
 * `sandbox`: the whole alert path on the real binaries. It starts, on 127.0.0.1 with temporary
 * storage, the simulated cluster (driven by a scenario), the real Prometheus loading the generated
 * rules, the real Alertmanager loading the merged `alertmanager.yml` with every receiver redirected
 * to a local webhook recorder, and follows the scenario: step -> alert pending -> firing ->
 * notification delivered. Everything it starts is stopped when it ends, fails or is interrupted.
 *
 * Time runs `speed` times faster: the generator itself scales every `for`, window and group
 * timing (`generate(config, { timeScale })`), and the scrape and evaluation intervals are divided
 * alike, so the run shows what gets deployed.
 */
import { generate } from "../build.js";
import { durationSeconds } from "../config/primitives.js";
import type { ResolvedConfig, ResolvedWorkload } from "../config/resolve.js";
import type { Config } from "../config/schema.js";
import { PROMETHEUS_FOR_GRACE_PERIOD } from "../monitoring-stack/values.js";
import { standaloneAlertmanagerConfig } from "../render/alertmanager-yaml.js";
import { scaleDuration, scaleRuleGroups } from "../time-scale/time-scale.js";
import type { RuleGroup } from "../rules/index.js";
import { toYaml } from "../render/yaml.js";
import { startAlertmanager, type AlertmanagerSandbox } from "./alertmanager.js";
import {
  startClusterExporter,
  scrapeConfigs,
  type ClusterExporter,
  type ExporterName,
} from "./cluster/exporter.js";
import {
  applyStep,
  availableReplicas,
  simHpaOf,
  UNCONFIGURED_WORKLOAD,
  unconfiguredHpa,
  type SimHpa,
} from "./cluster/model.js";
import { expectedItems, forbiddenAlerts, judge, notificationsOf, type ReceivedItem } from "./expectations.js";
import { startPrometheus, type PrometheusSandbox } from "./prometheus.js";
import { configReceiverName, redirectReceivers } from "./redirect.js";
import { routeHeldBack } from "./time-intervals.js";
import type { AlertmanagerYaml, RouteConfig } from "../operator-merge/index.js";
import type { Fault, Scenario, WorkloadNeed } from "./scenario/schema.js";
import type { SandboxTimeline, Samples, TimelineAlert, TimelineStep, TimelineWorkload } from "./timeline.js";
import { startWebhookReceiver, type WebhookReceiver } from "./webhook-receiver.js";

/** The intervals a user deploys with (kube-prometheus-stack's default is 30 s for both). */
export const PRODUCTION_SCRAPE_INTERVAL = "30s";
export const PRODUCTION_EVALUATION_INTERVAL = "30s";

export interface SandboxOptions {
  readonly config: Config;
  readonly scenario: Scenario;
  /** Time-scale factor, >= 1 (1: the real intervals). */
  readonly speed: number;
  /** Drive this workload (by name) instead of the first one the scenario's `workload.needs` fits. */
  readonly workload?: string;
  /** Prints one line of the live timeline (no trailing newline). */
  readonly log?: (line: string) => void;
  /** Scrape interval at speed 1, default {@link PRODUCTION_SCRAPE_INTERVAL}. */
  readonly scrapeInterval?: string;
  /** Evaluation interval at speed 1, default {@link PRODUCTION_EVALUATION_INTERVAL}. */
  readonly evaluationInterval?: string;
  /** Aborting stops the run early (e.g. Ctrl-C); what happened so far is still reported. */
  readonly signal?: AbortSignal;
  /** Extra time after the scenario's end to collect late notifications, scenario seconds (default 0). */
  readonly drainSeconds?: number;
  /**
   * Other rule groups to load beside the catalog's (e.g. kube-prometheus-stack's HPA alerts, for a
   * side-by-side comparison), written for speed 1: they are time-scaled like the catalog.
   */
  readonly extraRuleGroups?: readonly RuleGroup[];
}

/** Picks the workload a scenario drives. Throws an Error that names what was needed. */
export function pickWorkload(rc: ResolvedConfig, need: WorkloadNeed, name?: string): ResolvedWorkload {
  if (name !== undefined) {
    const w = rc.workloads.find((x) => x.name === name);
    if (!w)
      throw new Error(
        `--workload ${name}: no such workload in the config (${rc.workloads.map((x) => x.name).join(", ")})`,
      );
    return w;
  }
  const fits = (w: ResolvedWorkload): boolean => {
    switch (need) {
      case "any":
        return true;
      case "gpu":
        return w.gpu;
      case "queue":
        return w.queue !== undefined;
      case "cpu":
        return (w.autoscaling?.metrics ?? []).some((m) => m.type === "cpu");
      case "scaleToZero":
        return w.scaleToZero;
      case "keda":
        return w.scaledObjectName !== undefined;
    }
  };
  const w = rc.workloads.find(fits);
  if (!w) throw new Error(`the scenario needs a workload with ${need}; the config has none`);
  return w;
}

const fmtTime = (s: number): string => {
  const sign = s < 0 ? "-" : "";
  const a = Math.abs(Math.round(s));
  return `${sign}${Math.floor(a / 60)}:${String(a % 60).padStart(2, "0")}`;
};

function stepLabel(workload: string, step: Scenario["steps"][number]): string {
  const what = [
    ...(step.fault ? [`FAULT ${step.fault}`] : []),
    ...Object.entries(step.set).map(([k, v]) => `${k} ${String(v)}`),
  ].join(", ");
  return `${step.target === "unconfigured" ? UNCONFIGURED_WORKLOAD : workload}: ${step.note ?? what}${step.note && what ? ` (${what})` : ""}`;
}

const alertKey = (labels: Readonly<Record<string, string>>): string =>
  JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));

function describeAlert(labels: Readonly<Record<string, string>>): string {
  const extra = labels.replicas !== undefined ? ` replicas=${labels.replicas}` : "";
  return `${labels.alertname}${labels.workload ? ` ${labels.workload}` : ""}${extra}`;
}

/** Runs one scenario and returns its timeline. Rejects only on a failure to start (missing binary, bad config). */
export async function runSandbox(options: SandboxOptions): Promise<SandboxTimeline> {
  const { scenario, speed } = options;
  if (!(speed >= 1) || !Number.isFinite(speed)) throw new Error(`speed must be a number >= 1, got ${speed}`);
  const log = options.log ?? (() => undefined);
  const g = generate(options.config, { timeScale: speed });
  const rc = g.resolved;
  const workload = pickWorkload(rc, scenario.workload.needs, options.workload);
  const merged = standaloneAlertmanagerConfig(g);
  const mergeErrors = merged.problems.filter((p) => p.severity === "error");
  if (g.alertmanagerConfigs.length === 0)
    throw new Error("the config has no notifications: the sandbox needs receivers to deliver to");
  if (mergeErrors.length > 0)
    throw new Error(`the operator would reject the routing: ${mergeErrors.map((p) => p.message).join("; ")}`);

  const scaled = (d: string): string => scaleDuration(d, speed);
  const scrape = scaled(options.scrapeInterval ?? PRODUCTION_SCRAPE_INTERVAL);
  const evaluation = scaled(options.evaluationInterval ?? PRODUCTION_EVALUATION_INTERVAL);
  const evalMs = durationSeconds(evaluation) * 1000;

  // The simulated cluster, in its initial state (the steps at 0s), before anything scrapes it.
  const wallStart = Date.now();
  const hpas: SimHpa[] = rc.workloads.map((w) => simHpaOf(w, wallStart));
  const driven = hpas[rc.workloads.indexOf(workload)] as SimHpa;
  let unconfigured: SimHpa | undefined;
  const targetOf = (step: Scenario["steps"][number]): SimHpa => {
    if (step.target === "workload") return driven;
    unconfigured ??= unconfiguredHpa(workload.namespace, Date.now());
    if (!hpas.includes(unconfigured)) hpas.push(unconfigured);
    return unconfigured;
  };
  const steps = [...scenario.steps].sort((a, b) => durationSeconds(a.at) - durationSeconds(b.at));
  let nextStep = 0;
  while (
    nextStep < steps.length &&
    durationSeconds((steps[nextStep] as Scenario["steps"][number]).at) === 0
  ) {
    const s = steps[nextStep++] as Scenario["steps"][number];
    applyStep(targetOf(s), s.set, 0, wallStart);
  }

  let t0 = Number.POSITIVE_INFINITY;
  /** Scenario ms since t0 (negative before the scenario starts). */
  const scenarioMs = (wall = Date.now()): number => (Number.isFinite(t0) ? (wall - t0) * speed : 0);
  const down = new Set<ExporterName>();
  const fault = {
    receiverDown: false,
    prometheusGone: false,
    failed: [] as { t: number; receiver: string }[],
  };
  /** Webhook calls answered 503 while the receivers were down: attempts, not deliveries. */
  const failedAttempts = new WeakSet<object>();

  let recorder: WebhookReceiver | undefined;
  let am: AlertmanagerSandbox | undefined;
  let exporter: ClusterExporter | undefined;
  let prom: PrometheusSandbox | undefined;
  try {
    recorder = await startWebhookReceiver({
      status: (n) => {
        if (!fault.receiverDown) return 200;
        failedAttempts.add(n);
        fault.failed.push({
          t: Math.round(scenarioMs(n.receivedAt) / 100) / 10,
          receiver: configReceiverName(n.name ?? n.path),
        });
        return 503;
      },
    });
    const rec = recorder;
    const amYaml = redirectReceivers(merged.config, (name) => rec.urlFor(name));
    am = await startAlertmanager({ configYaml: toYaml(amYaml) });
    exporter = await startClusterExporter({
      rc,
      hpas: () => hpas,
      now: () => Math.max(0, scenarioMs()),
      down: () => down,
    });
    const promConfig = {
      global: {
        scrape_interval: scrape,
        scrape_timeout: scrape,
        evaluation_interval: evaluation,
      },
      rule_files: ["rules.yml"],
      alerting: { alertmanagers: [{ static_configs: [{ targets: [`127.0.0.1:${am.port}`] }] }] },
      scrape_configs: scrapeConfigs(rc, exporter.port),
    };
    prom = await startPrometheus({
      configYaml: toYaml(promConfig),
      // The rules are loaded once the targets are up (below).
      extraFiles: { "rules.yml": toYaml({ groups: [] }) },
      retention: "1d",
      extraArgs: [
        `--rules.alert.resend-delay=${scaled("1m")}`,
        // As the monitoring stack configures it (see PROMETHEUS_FOR_GRACE_PERIOD).
        `--rules.alert.for-grace-period=${scaled(PROMETHEUS_FOR_GRACE_PERIOD)}`,
        `--query.lookback-delta=${scaled("5m")}`,
      ],
    });
    log(
      `sandbox: Prometheus ${prom.url}, Alertmanager ${am.url}, recorder ${rec.url}, cluster 127.0.0.1:${exporter.port}`,
    );
    log(
      `sandbox: scenario ${scenario.name} on ${workload.namespace}/${workload.name}, speed ${speed} (scrape and evaluation every ${scrape}); times are scenario time (m:ss)`,
    );
    for (const note of mutedNow(merged.config, new Date()))
      log(`sandbox: ${note} (its notifications are held back, as they would be in production)`);
    log(
      "sandbox: columns: scenario time, then a scenario step, an alert pending/firing/resolved in Prometheus, or a notification Alertmanager delivered to a receiver",
    );
    // Prometheus discovers its targets ~5 s after the start, then scrapes each within an interval.
    const scrapeMs = durationSeconds(scrape) * 1000;
    await prom.waitTargetsUp(scrapeConfigs(rc, exporter.port).length, 20_000 + 3 * scrapeMs);
    // Only now the rules: a production Prometheus has had its data for long. Evaluated before the
    // first scrape (Prometheus discovers its targets ~5 s of wall time after the start, which no
    // flag scales), AIScalingAlertsMetricsAbsent's scaled `for` would pass with no data yet.
    await prom.writeFile(
      "rules.yml",
      toYaml({ groups: [...g.ruleGroups, ...scaleRuleGroups(options.extraRuleGroups ?? [], speed)] }),
    );
    // A reload restarts the discovery of the Alertmanager too (again throttled to 5 s): until
    // Prometheus knows it, firing alerts would be dropped.
    await waitForAlertmanager(prom, 30_000);
    t0 = Date.now();

    const duration = durationSeconds(scenario.duration);
    const end = duration + (options.drainSeconds ?? 0);
    const timelineSteps: TimelineStep[] = steps
      .filter((s) => durationSeconds(s.at) === 0)
      .map((s) => ({
        t: 0,
        workload: s.target === "workload" ? workload.name : UNCONFIGURED_WORKLOAD,
        label: stepLabel(workload.name, s),
      }));
    for (const s of timelineSteps) log(`${fmtTime(0).padStart(6)}  step      ${s.label}`);

    const series = new Map<
      SimHpa,
      { desired: Samples; current: Samples; available: Samples; gpu: Samples; queue: Samples }
    >();
    const sample = (t: number): void => {
      for (const h of hpas) {
        if (!h.configured) continue;
        let s = series.get(h);
        if (!s) series.set(h, (s = { desired: [], current: [], available: [], gpu: [], queue: [] }));
        const push = (arr: Samples, v: number) => {
          const last = arr[arr.length - 1];
          if (!last || last[1] !== v || t - last[0] >= 5) arr.push([t, v]);
        };
        push(s.desired, h.desired);
        push(s.current, h.current);
        push(s.available, availableReplicas(h, t * 1000));
        push(s.gpu, h.gpuUtilization);
        push(s.queue, h.queuePerReplica);
      }
    };

    const alerts = new Map<
      string,
      { labels: Record<string, string>; pendingAt?: number; firingAt?: number; endedAt?: number }
    >();
    const pollAlerts = async (t: number): Promise<void> => {
      const active = await (prom as PrometheusSandbox).alerts();
      const seen = new Set<string>();
      for (const a of active) {
        const k = alertKey(a.labels);
        seen.add(k);
        let rec = alerts.get(k);
        if (!rec || rec.endedAt !== undefined) {
          rec = { labels: a.labels };
          alerts.set(k, rec);
        }
        if (a.state === "pending" && rec.pendingAt === undefined) {
          rec.pendingAt = t;
          log(`${fmtTime(t).padStart(6)}  pending   ${describeAlert(a.labels)}`);
        }
        if (a.state === "firing" && rec.firingAt === undefined) {
          rec.firingAt = t;
          log(`${fmtTime(t).padStart(6)}  firing    ${describeAlert(a.labels)}`);
        }
      }
      for (const [k, rec] of alerts) {
        if (!seen.has(k) && rec.endedAt === undefined) {
          rec.endedAt = t;
          if (rec.firingAt !== undefined)
            log(`${fmtTime(t).padStart(6)}  resolved  ${describeAlert(rec.labels)}`);
        }
      }
    };

    const delivered = () => rec.notifications().filter((n) => !failedAttempts.has(n));
    let printed = 0;
    const toScenarioSeconds = (wall: number) => Math.round(((wall - t0) * speed) / 100) / 10;
    const printNotifications = (): void => {
      const all = rec.notifications();
      for (; printed < all.length; printed++) {
        const n = all[printed];
        if (!n) continue;
        const t = toScenarioSeconds(n.receivedAt);
        const who = configReceiverName(n.name ?? n.path);
        const what = failedAttempts.has(n) ? "FAILED   " : "notified ";
        for (const a of n.payload.alerts)
          log(`${fmtTime(t).padStart(6)}  ${what} ${who} <- ${describeAlert(a.labels)} (${a.status})`);
      }
    };

    const injectFault = async (f: Fault): Promise<void> => {
      const p = prom as PrometheusSandbox;
      switch (f) {
        case "receiver-down":
        case "receiver-up":
          fault.receiverDown = f === "receiver-down";
          return;
        case "kube-state-metrics-down":
          down.add("kube-state-metrics");
          return;
        case "kube-state-metrics-up":
          down.delete("kube-state-metrics");
          return;
        case "hpa-deleted":
          driven.hpaDeleted = true;
          return;
        case "alertmanager-restart":
          await (am as AlertmanagerSandbox).restart();
          return;
        case "prometheus-restart":
        case "prometheus-crash":
          fault.prometheusGone = true;
          await p.restart(f === "prometheus-crash" ? "SIGKILL" : "SIGTERM");
          fault.prometheusGone = false;
          return;
        case "prometheus-stop":
          fault.prometheusGone = true;
          await p.stop();
          return;
      }
    };

    const tickMs = Math.max(100, Math.min(evalMs / 2, 1000));
    let lastErrorTick = 0;
    for (;;) {
      if (options.signal?.aborted) {
        log("sandbox: interrupted");
        break;
      }
      const now = scenarioMs();
      const t = now / 1000;
      if (t >= end) break;
      while (
        nextStep < steps.length &&
        durationSeconds((steps[nextStep] as Scenario["steps"][number]).at) <= t
      ) {
        const s = steps[nextStep++] as Scenario["steps"][number];
        applyStep(targetOf(s), s.set, now, Date.now());
        if (s.fault) await injectFault(s.fault);
        const st: TimelineStep = {
          t: durationSeconds(s.at),
          workload: s.target === "workload" ? workload.name : UNCONFIGURED_WORKLOAD,
          label: stepLabel(workload.name, s),
        };
        timelineSteps.push(st);
        log(`${fmtTime(st.t).padStart(6)}  step      ${st.label}`);
      }
      // KEDA polls its scalers every 30 s by default: a failing one counts an error each time.
      if (now - lastErrorTick >= 30_000) {
        lastErrorTick = now;
        for (const h of hpas) if (h.scalerErrors) h.scalerErrorCount++;
      }
      sample(t);
      if (!fault.prometheusGone) await pollAlerts(t);
      printNotifications();
      await new Promise((r) => setTimeout(r, tickMs));
    }
    printNotifications();
    const tEnd = Math.min(scenarioMs() / 1000, end);

    const expected = expectedItems(scenario, workload, [...alerts.values()], merged.config, new Date());
    const received: ReceivedItem[] = delivered().flatMap((n) =>
      n.payload.alerts.map((a) => ({
        t: toScenarioSeconds(n.receivedAt),
        receiver: configReceiverName(n.name ?? n.path),
        alertname: a.labels.alertname ?? "",
        ...(a.labels.workload !== undefined ? { workload: a.labels.workload } : {}),
        status: a.status,
        labels: a.labels,
        fingerprint: a.fingerprint,
      })),
    );
    const verdict = judge(expected, received);
    const timelineAlerts: TimelineAlert[] = [...alerts.values()].map((a) => ({
      alertname: a.labels.alertname ?? "",
      ...(a.labels.workload !== undefined ? { workload: a.labels.workload } : {}),
      ...(a.labels.namespace !== undefined ? { namespace: a.labels.namespace } : {}),
      severity: a.labels.severity ?? "",
      labels: a.labels,
      ...(a.pendingAt !== undefined ? { pendingAt: a.pendingAt } : {}),
      ...(a.firingAt !== undefined ? { firingAt: a.firingAt } : {}),
      ...(a.endedAt !== undefined ? { endedAt: a.endedAt } : {}),
    }));
    const forbidden = forbiddenAlerts(timelineAlerts, scenario, workload.name);
    const workloads: TimelineWorkload[] = hpas
      .filter((h) => h.configured)
      .map((h) => {
        const s = series.get(h) ?? { desired: [], current: [], available: [], gpu: [], queue: [] };
        return {
          namespace: h.namespace,
          name: h.target,
          hpa: h.hpa,
          minReplicas: h.min,
          maxReplicas: h.max,
          series: {
            desired: s.desired,
            current: s.current,
            available: s.available,
            ...(h.gpu ? { gpuUtilization: s.gpu } : {}),
            ...(h.queueMetric ? { queuePerReplica: s.queue } : {}),
          },
          targets: {
            ...(h.gpuTarget !== undefined ? { gpuUtilization: h.gpuTarget } : {}),
            ...(h.queueTarget !== undefined ? { queuePerReplica: h.queueTarget } : {}),
          },
        };
      });
    return {
      scenario: { name: scenario.name, description: scenario.description, speed },
      config: rc.name,
      startedAt: new Date(t0).toISOString(),
      durationSeconds: Math.round(tEnd),
      workloads,
      steps: timelineSteps,
      alerts: timelineAlerts,
      notifications: notificationsOf(received, verdict, expected),
      expectations: verdict.expectations,
      ...(fault.failed.length > 0 ? { failedAttempts: fault.failed } : {}),
      ...(forbidden.length > 0 ? { forbiddenAlerts: forbidden } : {}),
      passed:
        forbidden.length === 0 &&
        verdict.expectations.every((e) => e.ok) &&
        verdict.unexpected.length === 0 &&
        !options.signal?.aborted,
    };
  } finally {
    await Promise.allSettled([prom?.stop(), am?.stop(), exporter?.close(), recorder?.close()]);
  }
}

/** Polls Prometheus until it has discovered an Alertmanager to send its alerts to. */
async function waitForAlertmanager(prom: PrometheusSandbox, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const data = (await prom.api("/api/v1/alertmanagers")) as { activeAlertmanagers?: unknown[] };
    if ((data.activeAlertmanagers ?? []).length > 0) return;
    if (Date.now() > deadline)
      throw new Error(`Prometheus ${prom.url} found no Alertmanager within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** "receiver X: muted now by time interval Y" for each route Alertmanager holds back at `at`. */
function mutedNow(am: AlertmanagerYaml, at: Date): string[] {
  const out = new Set<string>();
  const walk = (r: RouteConfig, receiver: string): void => {
    const rcv = r.receiver ?? receiver;
    const why = routeHeldBack(am, r, at);
    if (why !== undefined) out.add(`receiver ${configReceiverName(rcv)}: ${why}`);
    for (const c of r.routes ?? []) walk(c, rcv);
  };
  walk(am.route, "");
  return [...out];
}
