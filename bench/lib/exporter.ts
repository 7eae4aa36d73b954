/**
 * The synthetic exporter: one HTTP server on 127.0.0.1 (ephemeral port) serving the cluster's
 * series with the sandbox's exposition (src/sandbox/cluster/series.ts) on the sandbox's exporter
 * paths, one scrape job each (src/sandbox/cluster/exporter.ts: EXPORTER_PATHS, scrapeConfigs), and
 * applying the drift (and KEDA's moves) on timers. Unlike the sandbox's exporter it caches the
 * series that only change with the cluster (kube-state-metrics is about 20 MiB at N = 5000) and
 * rebuilds them once per change, and serves the stray ScaledObjects' counters.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { parseConfig } from "../../src/config/load.js";
import { resolveConfig, type ResolvedConfig } from "../../src/config/resolve.js";
import { EXPORTER_PATHS, type ExporterName } from "../../src/sandbox/cluster/exporter.js";
import {
  cadvisorText,
  dcgmText,
  kedaText,
  kubeStateMetricsText,
  queueText,
} from "../../src/sandbox/cluster/series.js";
import {
  buildCluster,
  configFor,
  DRIFT_SECONDS,
  FLAP_SECONDS,
  prng,
  strayScaledObjects,
  type Hpa,
} from "./cluster.js";
import { drift, flap, kedaPoll, kedaTick, updateKedaErrors } from "./drift.js";

export interface Exporter {
  readonly port: number;
  readonly hpas: readonly Hpa[];
  /** The cluster's config, resolved: its monitoring conventions label the series and the scrape jobs. */
  readonly rc: ResolvedConfig;
  /** When the cluster (and the drift clock) started, ms. */
  readonly start: number;
  /** First request per exporter, ms. */
  readonly firstScrape: Map<ExporterName, number>;
  readonly stats: {
    requests: number;
    ksmBytes: number;
    drifts: number;
    changed: number;
    /** KEDA wakes (from zero) and scale-to-zeros. */
    woke: number;
    slept: number;
  };
  close(): Promise<void>;
}

/** One idle GPU that no pod holds per 50 HPAs. */
const HPAS_PER_FREE_GPU = 50;

/** Starts the exporter of a cluster of `n` HPAs. */
export async function startExporter(n: number): Promise<Exporter> {
  const start = Date.now();
  const hpas = buildCluster(n, start);
  const rc = resolveConfig(parseConfig(configFor(hpas)));
  const rand = prng(7);
  const stats = { requests: 0, ksmBytes: 0, drifts: 0, changed: 0, woke: 0, slept: 0 };
  const strays = strayScaledObjects(n);
  const freeGpus = Math.ceil(n / HPAS_PER_FREE_GPU);
  const firstScrape = new Map<ExporterName, number>();

  // The series that change only with the cluster, rebuilt on the first scrape after a change.
  let version = 0;
  const cache = new Map<ExporterName, { version: number; text: string }>();
  const cached = (name: ExporterName, build: () => string): string => {
    const c = cache.get(name);
    if (c?.version === version) return c.text;
    const text = build();
    cache.set(name, { version, text });
    return text;
  };
  const body = (name: ExporterName, now: number): string => {
    switch (name) {
      case "kube-state-metrics":
        return cached(name, () => {
          const text = kubeStateMetricsText(hpas, now);
          stats.ksmBytes = Buffer.byteLength(text);
          return text;
        });
      case "kubelet":
        return cadvisorText(hpas, now, now);
      case "dcgm-exporter":
        return cached(name, () => dcgmText(rc, hpas, now, freeGpus));
      case "inference-server":
        return cached(name, () => queueText(rc, hpas, now));
      case "keda-operator":
        updateKedaErrors(hpas, strays, start, now);
        return kedaText(rc, hpas, strays);
    }
  };
  body("kube-state-metrics", start);

  const timers = [
    setInterval(() => {
      const now = Date.now();
      stats.changed += drift(hpas, now, rand);
      stats.drifts++;
      const k = kedaTick(hpas, now, stats.drifts);
      stats.woke += k.woke;
      stats.slept += k.slept;
      version++;
    }, DRIFT_SECONDS * 1000),
    setInterval(() => {
      const now = Date.now();
      flap(hpas, now);
      kedaPoll(hpas, now);
      version++;
    }, FLAP_SECONDS * 1000),
  ];

  const byPath = new Map<string, ExporterName>(
    Object.entries(EXPORTER_PATHS).map(([name, path]) => [path, name as ExporterName]),
  );
  const server: Server = createServer((req, res) => {
    stats.requests++;
    const name = byPath.get((req.url ?? "").split("?")[0] ?? "");
    if (!name) {
      res.writeHead(404).end("not found\n");
      return;
    }
    const now = Date.now();
    if (!firstScrape.has(name)) firstScrape.set(name, now);
    res.writeHead(200, { "Content-Type": "text/plain; version=0.0.4; charset=utf-8" });
    res.end(body(name, now));
  });
  const close = async () => {
    for (const t of timers) clearInterval(t);
    server.closeAllConnections();
    if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
  } catch (e) {
    await close();
    throw e;
  }
  return {
    port: (server.address() as AddressInfo).port,
    hpas,
    rc,
    start,
    firstScrape,
    stats,
    close,
  };
}
