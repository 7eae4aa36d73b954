/**
 * The simulated cluster on the wire: one HTTP server on 127.0.0.1 serving each exporter's series
 * on its own path, and the Prometheus scrape configuration that reads them with the labels the
 * config's selectors expect (`job="kube-state-metrics"`...).
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { ResolvedConfig } from "../../config/resolve.js";
import type { SimHpa } from "./model.js";
import { cadvisorText, dcgmText, kedaText, kubeStateMetricsText, queueText } from "./series.js";

/** The exporters the cluster serves, by path. */
export const EXPORTER_PATHS = {
  "kube-state-metrics": "/metrics/kube-state-metrics",
  kubelet: "/metrics/cadvisor",
  "dcgm-exporter": "/metrics/dcgm",
  "inference-server": "/metrics/inference-server",
  "keda-operator": "/metrics/keda",
} as const;
export type ExporterName = keyof typeof EXPORTER_PATHS;

/** What the exporter reads at each scrape. */
export interface ClusterView {
  readonly rc: ResolvedConfig;
  /** The HPAs as they are now; a missing exporter (e.g. kube-state-metrics down) answers 503. */
  hpas(): readonly SimHpa[];
  /** Scenario time now, ms. */
  now(): number;
  /** Exporters that are down (they answer 503). */
  down(): ReadonlySet<ExporterName>;
}

export interface ClusterExporter {
  readonly port: number;
  /** Scrapes served, per exporter. */
  readonly scrapes: Map<ExporterName, number>;
  close(): Promise<void>;
}

function body(view: ClusterView, name: ExporterName): string {
  const hpas = view.hpas();
  const now = view.now();
  switch (name) {
    case "kube-state-metrics":
      return kubeStateMetricsText(hpas, now);
    case "kubelet":
      return cadvisorText(hpas, now, Date.now());
    case "dcgm-exporter":
      return dcgmText(view.rc, hpas, now);
    case "inference-server":
      return queueText(view.rc, hpas, now);
    case "keda-operator":
      return kedaText(view.rc, hpas);
  }
}

/** Starts the exporter on 127.0.0.1 (a free port). */
export async function startClusterExporter(view: ClusterView): Promise<ClusterExporter> {
  const byPath = new Map<string, ExporterName>(
    Object.entries(EXPORTER_PATHS).map(([k, v]) => [v, k as ExporterName]),
  );
  const scrapes = new Map<ExporterName, number>();
  const server: Server = createServer((req, res) => {
    const name = byPath.get((req.url ?? "").split("?")[0] ?? "");
    if (!name) {
      res.writeHead(404).end("not found\n");
      return;
    }
    if (view.down().has(name)) {
      res.writeHead(503).end("down\n");
      return;
    }
    scrapes.set(name, (scrapes.get(name) ?? 0) + 1);
    res.writeHead(200, { "Content-Type": "text/plain; version=0.0.4; charset=utf-8" });
    res.end(body(view, name));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    scrapes,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * The equality matchers of a config selector (`job="x", metrics_path="/y"`) as labels the scrape
 * must attach. Throws on other operators: the sandbox cannot invent a value that matches a regex.
 */
export function selectorLabels(selector: string, field: string): Record<string, string> {
  const out: Record<string, string> = {};
  const rest = selector.replace(
    /\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!=|!~|=)\s*"((?:[^"\\]|\\.)*)"\s*,?/g,
    (_, name: string, op: string, value: string) => {
      if (op !== "=")
        throw new Error(`${field}: the sandbox can only simulate = matchers, not ${name}${op}"${value}"`);
      out[name] = value.replace(/\\(.)/g, "$1");
      return "";
    },
  );
  if (rest.trim() !== "") throw new Error(`${field}: cannot read the selector ${JSON.stringify(selector)}`);
  return out;
}

/** One scrape job per exporter, labelled so that the config's selectors select it. */
export function scrapeConfigs(rc: ResolvedConfig, exporterPort: number): Record<string, unknown>[] {
  const m = rc.monitoring;
  const selectors: Record<ExporterName, [string, string]> = {
    "kube-state-metrics": [m.kubeStateMetricsSelector, "monitoring.kubeStateMetricsSelector"],
    kubelet: [m.cadvisorSelector, "monitoring.cadvisorSelector"],
    "dcgm-exporter": [m.gpu.selector, "monitoring.gpu.selector"],
    "inference-server": [m.queue.selector, "monitoring.queue.selector"],
    "keda-operator": [m.keda.selector, "monitoring.keda.selector"],
  };
  return (Object.keys(EXPORTER_PATHS) as ExporterName[]).map((name) => {
    const labels = selectorLabels(...selectors[name]);
    const job = labels.job ?? name;
    delete labels.job;
    return {
      job_name: job,
      honor_labels: true,
      metrics_path: EXPORTER_PATHS[name],
      static_configs: [
        {
          targets: [`127.0.0.1:${exporterPort}`],
          ...(Object.keys(labels).length > 0 ? { labels } : {}),
        },
      ],
    };
  });
}
