/**
 * The synthetic exporter: one HTTP server on 127.0.0.1 (ephemeral port) serving the cluster's
 * series on five paths, one per scrape job, and applying the drift (and KEDA's moves) on timers.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  buildCluster,
  cadvisorText,
  dcgmText,
  drift,
  DRIFT_SECONDS,
  flap,
  FLAP_SECONDS,
  kedaPoll,
  kedaText,
  kedaTick,
  ksmText,
  prng,
  strayScaledObjects,
  vllmText,
  type Hpa,
} from "./cluster.js";

export interface Exporter {
  readonly port: number;
  readonly hpas: readonly Hpa[];
  /** When the cluster (and the drift clock) started, ms. */
  readonly start: number;
  /** First request per path, ms. */
  readonly firstScrape: Map<string, number>;
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

export const PATHS = {
  ksm: "/metrics/ksm",
  cadvisor: "/metrics/cadvisor",
  dcgm: "/metrics/dcgm",
  vllm: "/metrics/vllm",
  keda: "/metrics/keda",
} as const;

export async function startExporter(n: number): Promise<Exporter> {
  const start = Date.now();
  const hpas = buildCluster(n, start);
  const rand = prng(7);
  const stats = { requests: 0, ksmBytes: 0, drifts: 0, changed: 0, woke: 0, slept: 0 };
  const strays = strayScaledObjects(n);
  const firstScrape = new Map<string, number>();
  let ksm = "";
  let dirty = true;
  const ksmBody = () => {
    if (dirty) {
      ksm = ksmText(hpas);
      stats.ksmBytes = Buffer.byteLength(ksm);
      dirty = false;
    }
    return ksm;
  };
  ksmBody();
  const dcgm = dcgmText(hpas);
  let vllm = vllmText(hpas);

  const timers = [
    setInterval(() => {
      const now = Date.now();
      stats.changed += drift(hpas, now, rand);
      stats.drifts++;
      const k = kedaTick(hpas, now, stats.drifts);
      stats.woke += k.woke;
      stats.slept += k.slept;
      dirty = true;
      vllm = vllmText(hpas);
    }, DRIFT_SECONDS * 1000),
    setInterval(() => {
      const now = Date.now();
      flap(hpas, now);
      kedaPoll(hpas, now);
      dirty = true;
      vllm = vllmText(hpas);
    }, FLAP_SECONDS * 1000),
  ];

  const server: Server = createServer((req, res) => {
    stats.requests++;
    const path = (req.url ?? "").split("?")[0] ?? "";
    if (!firstScrape.has(path)) firstScrape.set(path, Date.now());
    let body: string | undefined;
    if (path === PATHS.ksm) body = ksmBody();
    else if (path === PATHS.cadvisor) body = cadvisorText(hpas, Date.now());
    else if (path === PATHS.keda) body = kedaText(hpas, strays, start, Date.now());
    else if (path === PATHS.dcgm) body = dcgm;
    else if (path === PATHS.vllm) body = vllm;
    if (body === undefined) {
      res.writeHead(404).end("not found\n");
      return;
    }
    res.writeHead(200, { "Content-Type": "text/plain; version=0.0.4; charset=utf-8" });
    res.end(body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    hpas,
    start,
    firstScrape,
    stats,
    close: async () => {
      for (const t of timers) clearInterval(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
