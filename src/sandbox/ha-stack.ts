/**
 * The alert path as an HA deployment runs it, on the real binaries: the simulated cluster, N
 * Prometheus replicas with identical rules (each with its own `prometheus_replica` external label,
 * dropped from alerts by `alert_relabel_configs`, as the Prometheus Operator configures its
 * replicas), and one or more routings, each an Alertmanager (or a gossip cluster of them) loading a
 * merged `alertmanager.yml` whose receivers are redirected to its own webhook recorder. Every
 * Prometheus sends every alert to every Alertmanager. Everything binds 127.0.0.1 and is time-scaled
 * like {@link runSandbox}: the generator divides every duration by `speed`, and so are the
 * intervals and Prometheus's alerting flags here.
 */
import type { AlertmanagerYaml } from "../operator-merge/index.js";
import type { GeneratedObjects } from "../build.js";
import type { ResolvedConfig } from "../config/resolve.js";
import { durationSeconds } from "../config/primitives.js";
import { scaleDuration } from "../time-scale/time-scale.js";
import { toYaml } from "../render/yaml.js";
import {
  startAlertmanager,
  type AlertmanagerClusterOptions,
  type AlertmanagerOptions,
  type AlertmanagerSandbox,
} from "./alertmanager.js";
import { startClusterExporter, scrapeConfigs, type ClusterExporter } from "./cluster/exporter.js";
import type { SimHpa } from "./cluster/model.js";
import { startAlertmanagerCluster, waitClusterSettled } from "./ha-cluster.js";
import { isAlive } from "./process.js";
import { startPrometheus, type PrometheusSandbox } from "./prometheus.js";
import { redirectReceivers } from "./redirect.js";
import { PRODUCTION_EVALUATION_INTERVAL, PRODUCTION_SCRAPE_INTERVAL } from "./run.js";
import { startWebhookReceiver, type WebhookReceiver } from "./webhook-receiver.js";

/** The external label that tells the replicas apart (the Prometheus Operator's default name). */
export const REPLICA_LABEL = "prometheus_replica";

/** The external labels of replica `i`, as the Prometheus Operator sets them for `monitoring/k8s`. */
export function replicaExternalLabels(i: number): Record<string, string> {
  return { prometheus: "monitoring/k8s", [REPLICA_LABEL]: `prometheus-k8s-${i}` };
}

/**
 * Prometheus's alerting flags at `speed`: the resend delay, the `for` grace period and the lookback
 * delta divided like the rules' durations (production: 1m, 10m, 5m).
 */
export function scaledAlertingArgs(speed: number): string[] {
  return [
    `--rules.alert.resend-delay=${scaleDuration("1m", speed)}`,
    `--rules.alert.for-grace-period=${scaleDuration("10m", speed)}`,
    `--query.lookback-delta=${scaleDuration("5m", speed)}`,
  ];
}

export interface ReplicaConfigOptions {
  readonly rc: ResolvedConfig;
  readonly exporterPort: number;
  /** Scrape and evaluation intervals as Prometheus reads them (already scaled). */
  readonly scrape: string;
  readonly evaluation: string;
  /** Every Alertmanager, `127.0.0.1:<port>`. */
  readonly alertmanagers: readonly string[];
  readonly externalLabels: Readonly<Record<string, string>>;
}

/**
 * prometheus.yml of one replica: the rules file, the cluster's scrape jobs, its external labels,
 * and alerting to every Alertmanager with the replica label dropped, so that both replicas send
 * identical alerts (Alertmanager deduplicates them by their labels).
 */
export function replicaPrometheusConfig(o: ReplicaConfigOptions): Record<string, unknown> {
  return {
    global: {
      scrape_interval: o.scrape,
      scrape_timeout: o.scrape,
      evaluation_interval: o.evaluation,
      external_labels: { ...o.externalLabels },
    },
    rule_files: ["rules.yml"],
    alerting: {
      alert_relabel_configs: [{ action: "labeldrop", regex: REPLICA_LABEL }],
      alertmanagers: [{ static_configs: [{ targets: [...o.alertmanagers] }] }],
    },
    scrape_configs: scrapeConfigs(o.rc, o.exporterPort),
  };
}

/** One routing of the stack: a merged alertmanager.yml on its own Alertmanager(s) and recorder. */
export interface RoutingSpec {
  /** A name for messages. */
  readonly name: string;
  /** The merged alertmanager.yml (`standaloneAlertmanagerConfig(g).config`), receivers not redirected. */
  readonly config: AlertmanagerYaml;
  /** Alertmanager nodes; default 1 (clustering off), more form a gossip cluster. */
  readonly nodes?: number;
}

/** A started routing. */
export interface StackRouting {
  readonly name: string;
  /** The alertmanager.yml its nodes load (receivers redirected to `recorder`). */
  readonly config: AlertmanagerYaml;
  readonly recorder: WebhookReceiver;
  readonly alertmanagers: readonly AlertmanagerSandbox[];
}

export interface AlertStackOptions {
  /** What `generate(config, { timeScale: speed })` returned: the resolved config and the rules. */
  readonly generated: Pick<GeneratedObjects, "resolved" | "ruleGroups">;
  /** Time-scale factor the rules were generated with, >= 1. */
  readonly speed: number;
  /** The simulated HPAs, as the exporter serves them at each scrape. */
  hpas(): readonly SimHpa[];
  /** Scenario time now, ms (the pods' readiness is in scenario time). */
  now(): number;
  /** Prometheus replicas, default 1. */
  readonly replicas?: number;
  readonly routings: readonly RoutingSpec[];
  /** Scrape and evaluation intervals at speed 1, default 30s (kube-prometheus-stack's). */
  readonly scrapeInterval?: string;
  readonly evaluationInterval?: string;
  /** Gossip timings of the clustered routings (real time, not scaled). */
  readonly gossip?: Omit<AlertmanagerClusterOptions, "port" | "peers">;
  /** `--log.level` of every Alertmanager (`debug` logs each flush and notification). */
  readonly alertmanagerLogLevel?: AlertmanagerOptions["logLevel"];
}

/** A running stack, see {@link startAlertStack}. */
export interface AlertStack {
  readonly prometheus: readonly PrometheusSandbox[];
  readonly routings: readonly StackRouting[];
  readonly exporter: ClusterExporter;
  /** The scaled intervals Prometheus runs with. */
  readonly scrape: string;
  readonly evaluation: string;
  /**
   * Waits until every running Prometheus has all its targets up and every Alertmanager discovered,
   * and every clustered routing has settled.
   */
  waitReady(timeoutMs?: number): Promise<void>;
  /** Stops everything (by PID, SIGTERM then SIGKILL) and removes the temporary directories; idempotent. */
  stop(): Promise<void>;
}

const isRunning = (p: { pid: number }): boolean => isAlive(p.pid);

/**
 * Starts the routings' recorders and Alertmanagers, the cluster exporter and the Prometheus
 * replicas, in that order. On a failure to start, whatever started is stopped and the error rethrown.
 */
export async function startAlertStack(o: AlertStackOptions): Promise<AlertStack> {
  const { speed } = o;
  if (!(speed >= 1) || !Number.isFinite(speed)) throw new Error(`speed must be a number >= 1, got ${speed}`);
  const scrape = scaleDuration(o.scrapeInterval ?? PRODUCTION_SCRAPE_INTERVAL, speed);
  const evaluation = scaleDuration(o.evaluationInterval ?? PRODUCTION_EVALUATION_INTERVAL, speed);
  const rc = o.generated.resolved;
  const routings: StackRouting[] = [];
  const recorders: WebhookReceiver[] = [];
  const prometheus: PrometheusSandbox[] = [];
  let exporter: ClusterExporter | undefined;
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopped ??= Promise.allSettled([
      ...prometheus.map((p) => p.stop()),
      ...routings.flatMap((r) => r.alertmanagers.map((a) => a.stop())),
      ...recorders.map((r) => r.close()),
      exporter?.close(),
    ]).then(() => undefined));

  try {
    for (const spec of o.routings) {
      const recorder = await startWebhookReceiver();
      recorders.push(recorder);
      const config = redirectReceivers(spec.config, (name) => recorder.urlFor(name));
      const nodes = spec.nodes ?? 1;
      const alertmanagers =
        nodes > 1
          ? await startAlertmanagerCluster({
              configYaml: toYaml(config),
              nodes,
              ...(o.gossip ? { timing: o.gossip } : {}),
              ...(o.alertmanagerLogLevel ? { logLevel: o.alertmanagerLogLevel } : {}),
            })
          : [
              await startAlertmanager({
                configYaml: toYaml(config),
                ...(o.alertmanagerLogLevel ? { logLevel: o.alertmanagerLogLevel } : {}),
              }),
            ];
      routings.push({ name: spec.name, config, recorder, alertmanagers });
    }
    exporter = await startClusterExporter({ rc, hpas: o.hpas, now: o.now, down: () => new Set() });
    const targets = routings.flatMap((r) => r.alertmanagers.map((a) => `127.0.0.1:${a.port}`));
    const rules = toYaml({ groups: o.generated.ruleGroups });
    const port = exporter.port;
    const started = await Promise.allSettled(
      Array.from({ length: o.replicas ?? 1 }, (_, i) =>
        startPrometheus({
          configYaml: toYaml(
            replicaPrometheusConfig({
              rc,
              exporterPort: port,
              scrape,
              evaluation,
              alertmanagers: targets,
              externalLabels: replicaExternalLabels(i),
            }),
          ),
          extraFiles: { "rules.yml": rules },
          retention: "1d",
          extraArgs: scaledAlertingArgs(speed),
        }),
      ),
    );
    for (const s of started) if (s.status === "fulfilled") prometheus.push(s.value);
    const failed = started.find((s): s is PromiseRejectedResult => s.status === "rejected");
    if (failed) throw failed.reason;
  } catch (err) {
    await stop();
    throw err;
  }

  const scrapeJobs = scrapeConfigs(rc, exporter.port).length;
  const amCount = routings.reduce((n, r) => n + r.alertmanagers.length, 0);
  return {
    prometheus,
    routings,
    exporter,
    scrape,
    evaluation,
    async waitReady(timeoutMs = 30_000 + 3 * durationSeconds(scrape) * 1000) {
      const deadline = Date.now() + timeoutMs;
      const left = (): number => Math.max(1, deadline - Date.now());
      await Promise.all([
        ...prometheus.filter(isRunning).map(async (p) => {
          await p.waitTargetsUp(scrapeJobs, left());
          for (;;) {
            const data = (await p.api("/api/v1/alertmanagers")) as { activeAlertmanagers: unknown[] };
            if (data.activeAlertmanagers.length === amCount) break;
            if (Date.now() >= deadline)
              throw new Error(
                `Prometheus ${p.url} discovered ${data.activeAlertmanagers.length} of ${amCount} Alertmanagers`,
              );
            await new Promise((r) => setTimeout(r, 100));
          }
        }),
        ...routings
          .filter((r) => r.alertmanagers.length > 1)
          .map((r) => waitClusterSettled(r.alertmanagers.filter(isRunning), left())),
      ]);
    },
    stop,
  };
}
