/**
 * A gossip cluster of real Alertmanagers on 127.0.0.1, as an HA pair (or more) runs in a cluster:
 * every node loads the same `alertmanager.yml`, every Prometheus sends every alert to every node,
 * and the nodes share the notification log so that each group is notified by one of them.
 */
import { setTimeout as sleep } from "node:timers/promises";
import {
  startAlertmanager,
  type AlertmanagerClusterOptions,
  type AlertmanagerOptions,
  type AlertmanagerSandbox,
} from "./alertmanager.js";
import { httpRequest } from "./process.js";

/** The `cluster` part of `GET /api/v2/status`. */
export interface ClusterStatus {
  /** This node's name (a ULID Alertmanager picks at start). */
  readonly name: string;
  readonly status: "ready" | "settling" | "disabled";
  readonly peers: readonly { readonly name: string; readonly address: string }[];
}

/** `GET /api/v2/status` of one node: its cluster name, state and the peers it sees. */
export async function clusterStatus(am: Pick<AlertmanagerSandbox, "url">): Promise<ClusterStatus> {
  const res = await httpRequest("GET", `${am.url}/api/v2/status`);
  if (res.status !== 200) throw new Error(`GET ${am.url}/api/v2/status answered ${res.status}`);
  const body = JSON.parse(res.body) as { cluster?: Partial<ClusterStatus> };
  return {
    name: body.cluster?.name ?? "",
    status: body.cluster?.status ?? "disabled",
    peers: body.cluster?.peers ?? [],
  };
}

export interface AlertmanagerClusterStart {
  /** The alertmanager.yml every node loads. */
  readonly configYaml: string;
  /** How many nodes, >= 1; one node still gossips (alone), as a one-replica HA deployment does. */
  readonly nodes: number;
  /** Timings of the gossip, see {@link AlertmanagerClusterOptions} (the port and peers are chosen here). */
  readonly timing?: Omit<AlertmanagerClusterOptions, "port" | "peers">;
  /** `--log.level` of every node; `debug` logs each flush and notification. */
  readonly logLevel?: AlertmanagerOptions["logLevel"];
}

/**
 * Starts `nodes` Alertmanagers that form one gossip cluster: the first alone, each next one joining
 * the first (memberlist then tells every node about every other). If one fails to start, those
 * already started are stopped and the error is rethrown.
 */
export async function startAlertmanagerCluster(o: AlertmanagerClusterStart): Promise<AlertmanagerSandbox[]> {
  if (!(o.nodes >= 1) || !Number.isInteger(o.nodes))
    throw new Error(`nodes must be an integer >= 1, got ${o.nodes}`);
  const started: AlertmanagerSandbox[] = [];
  try {
    for (let i = 0; i < o.nodes; i++) {
      const first = started[0]?.clusterAddress;
      started.push(
        await startAlertmanager({
          configYaml: o.configYaml,
          ...(o.logLevel ? { logLevel: o.logLevel } : {}),
          cluster: { ...o.timing, peers: first !== undefined ? [first] : [] },
        }),
      );
    }
    return started;
  } catch (err) {
    await Promise.allSettled(started.map((am) => am.stop()));
    throw err;
  }
}

/**
 * Waits until every node of `nodes` is `ready` (its gossip settled) and sees exactly these nodes
 * as its peers; rejects after `timeoutMs` with what each node reported.
 */
export async function waitClusterSettled(
  nodes: readonly AlertmanagerSandbox[],
  timeoutMs = 30_000,
): Promise<ClusterStatus[]> {
  const want = nodes.map((n) => n.clusterAddress).sort();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const seen = await Promise.all(nodes.map((n) => clusterStatus(n).catch((e: Error) => e)));
    const ok = seen.every(
      (s) =>
        !(s instanceof Error) &&
        s.status === "ready" &&
        JSON.stringify(s.peers.map((p) => p.address).sort()) === JSON.stringify(want),
    );
    if (ok) return seen as ClusterStatus[];
    if (Date.now() >= deadline) {
      const what = seen.map((s, i) =>
        s instanceof Error
          ? `${nodes[i]?.url}: ${s.message}`
          : `${nodes[i]?.url}: ${s.status}, peers ${s.peers.map((p) => p.address).join(" ")}`,
      );
      throw new Error(`Alertmanager cluster not settled within ${timeoutMs} ms: ${what.join("; ")}`);
    }
    await sleep(100);
  }
}

/**
 * The nodes in the order they notify: Alertmanager's position of a node is its index among the
 * cluster members sorted by name; position n waits n × peer timeout before it sends what the nodes
 * before it have not logged as sent. Position 0 is the node that delivers while all are up.
 */
export async function notifyingOrder(nodes: readonly AlertmanagerSandbox[]): Promise<AlertmanagerSandbox[]> {
  const named = await Promise.all(nodes.map(async (n) => ({ n, name: (await clusterStatus(n)).name })));
  return named.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map((x) => x.n);
}
