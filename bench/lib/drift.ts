/**
 * How the synthetic cluster (./cluster.ts) changes while the benchmark runs, on the exporter's
 * timers: the drift of the normal HPAs, the flapping ones, KEDA's wakes, scale-ups, returns to zero
 * and cold starts, and KEDA's error counters; plus the replica histories the oracle reads. Every
 * change goes through the sandbox's fields (desired, current and spec replicas together, the scale
 * target's available replicas, the pods and their readiness), so the series follow.
 */
import type { SimPod, SimScaledObject } from "../../src/sandbox/cluster/model.js";
import {
  COLD_START_MS,
  COLD_STUCK_WAKE_TICK,
  cyclePosition,
  DRIFT_FRACTION,
  KEDA_POLLING_MS,
  type Hpa,
} from "./cluster.js";

function setAvailable(h: Hpa, value: number, now: number): void {
  if (value === h.statusAvailable) return;
  h.statusAvailable = value;
  h.availableHistory.push([now, value]);
}

/** The HPA wants `value` replicas and sets its scale target's replicas to it. */
function setReplicas(h: Hpa, value: number, now: number): void {
  h.desired = h.current = h.specReplicas = value;
  h.history.push([now, value]);
}

function setDesired(h: Hpa, value: number, now: number): void {
  if (value === h.desired) return;
  setReplicas(h, value, now);
  setAvailable(h, h.state === "stalled" ? value - 2 : value, now);
}

/** Every DRIFT_SECONDS: about 5% of the normal HPAs move their desired replicas by 1 or 2. */
export function drift(hpas: readonly Hpa[], now: number, rand: () => number): number {
  const pool = hpas.filter((h) => h.state === "normal");
  const count = Math.max(1, Math.round(hpas.length * DRIFT_FRACTION));
  let changed = 0;
  for (let k = 0; k < count && pool.length > 0; k++) {
    const h = pool.splice(Math.floor(rand() * pool.length), 1)[0] as Hpa;
    const step = (rand() < 0.5 ? -1 : 1) * (rand() < 0.7 ? 1 : 2);
    let next = Math.min(h.max - 1, Math.max(h.min, h.desired + step));
    if (next === h.desired) next = h.desired === h.min ? h.min + 1 : h.desired - 1;
    setDesired(h, next, now);
    changed++;
  }
  return changed;
}

/** Every FLAP_SECONDS: flapping HPAs toggle between 4 and 5 replicas. */
export function flap(hpas: readonly Hpa[], now: number): void {
  for (const h of hpas) if (h.state === "flapping") setDesired(h, h.desired === 4 ? 5 : 4, now);
}

/**
 * KEDA (or the HPA it drives) sets the workload's replicas; pods follow (two at most), those of a
 * wake not ready until the model has loaded ({@link kedaPoll}), the others ready at once.
 */
function setKedaReplicas(h: Hpa, value: number, now: number): void {
  const k = h.keda;
  if (!k || value === h.desired) return;
  const waking = h.desired === 0;
  setReplicas(h, value, now);
  if (value === 0) {
    h.pods = [];
    k.readyAt = undefined;
    setAvailable(h, 0, now);
    return;
  }
  if (waking) {
    k.generation++;
    k.readyAt = h.state === "coldStuck" ? Infinity : now + COLD_START_MS;
  }
  const coldStarting = k.readyAt !== undefined;
  const pods: SimPod[] = h.pods.slice(0, Math.min(2, value));
  for (let j = pods.length; j < Math.min(2, value); j++) {
    const name = h.kind === "Deployment" ? `${h.replicaSet}-g${k.generation}p${j}` : `${h.target}-${j}`;
    pods.push({
      name,
      readyAt: coldStarting ? Infinity : now,
      unschedulable: false,
      node: `node-${(h.index * 2 + j + k.generation) % 50}`,
      startedWall: now,
      cpuBase: 0,
    });
  }
  h.pods = pods;
  // A cold start: nothing is available until the first replica has loaded its model.
  setAvailable(h, coldStarting ? 0 : value, now);
}

/**
 * At every drift tick (the tick-th since the cluster started): KEDA wakes, scales up and puts
 * back to zero the cycling workloads, and wakes the stuck ones at COLD_STUCK_WAKE_TICK.
 */
export function kedaTick(hpas: readonly Hpa[], now: number, tick: number): { woke: number; slept: number } {
  let woke = 0;
  let slept = 0;
  for (const h of hpas) {
    const before = h.desired;
    if (h.state === "kedaCycle") {
      const pos = cyclePosition(h.keda?.phase ?? 0, tick);
      if (pos === 0) setKedaReplicas(h, 1, now);
      else if (pos === 1) setKedaReplicas(h, 2, now);
      else if (pos === 3) setKedaReplicas(h, 0, now);
    } else if (h.state === "coldStuck" && tick === COLD_STUCK_WAKE_TICK) {
      setKedaReplicas(h, 1, now);
    }
    if (before === 0 && h.desired > 0) woke++;
    if (before > 0 && h.desired === 0) slept++;
  }
  return { woke, slept };
}

/** Every FLAP_SECONDS: cold-starting replicas whose model has loaded become ready and available. */
export function kedaPoll(hpas: readonly Hpa[], now: number): void {
  for (const h of hpas) {
    const k = h.keda;
    if (k?.readyAt === undefined || now < k.readyAt) continue;
    k.readyAt = undefined;
    for (const p of h.pods) p.readyAt = Math.min(p.readyAt, now);
    setAvailable(h, h.desired, now);
  }
}

/** KEDA's error counter of a workload's first trigger at time t: one per polling interval once failing. */
export function scalerErrorsAt(h: Hpa, t: number): number {
  const k = h.keda;
  if (!k?.failing || t < k.errorsFrom) return 0;
  return Math.floor((t - k.errorsFrom) / KEDA_POLLING_MS) + 1;
}

/**
 * Sets KEDA's error counters as they are at `now`: the failing workloads' ({@link scalerErrorsAt}) and
 * the stray ScaledObjects', which fail at every polling interval since the cluster's `start`.
 */
export function updateKedaErrors(
  hpas: readonly Hpa[],
  strays: readonly SimScaledObject[],
  start: number,
  now: number,
): void {
  for (const h of hpas) if (h.keda?.failing) h.scalerErrorCount = scalerErrorsAt(h, now);
  for (const s of strays) s.scalerErrorCount = Math.floor((now - start) / KEDA_POLLING_MS);
}

// ---------------------------------------------------------------------------------------------
// Histories

/** The value of a [time, value] history at time t (ms). */
export function valueAt(history: readonly (readonly [number, number])[], t: number): number {
  let v = (history[0] as readonly [number, number])[1];
  for (const [ht, hv] of history) {
    if (ht <= t) v = hv;
    else break;
  }
  return v;
}

/** The lowest and highest value of a [time, value] history over [from, to]. */
export function rangeOf(
  history: readonly (readonly [number, number])[],
  from: number,
  to: number,
): { min: number; max: number } {
  let min = valueAt(history, from);
  let max = min;
  for (const [ht, hv] of history) {
    if (ht > from && ht <= to) {
      min = Math.min(min, hv);
      max = Math.max(max, hv);
    }
  }
  return { min, max };
}

/** Desired replicas at time t (ms), from the history. */
export function desiredAt(h: Hpa, t: number): number {
  return valueAt(h.history, t);
}

/** Number of changes of desired replicas in (from, to]. */
export function changesIn(h: Hpa, from: number, to: number): number {
  let c = 0;
  for (let k = 1; k < h.history.length; k++) {
    const t = (h.history[k] as [number, number])[0];
    if (t > from && t <= to) c++;
  }
  return c;
}

/**
 * The direction (1 up, -1 down) of each change of desired replicas between two non-zero counts,
 * at the time of the change: what `workload_hpa:scale_direction:sgn` records (going to zero
 * and waking are not steps).
 */
export function directionsOf(h: Hpa): [number, number][] {
  const out: [number, number][] = [];
  for (let k = 1; k < h.history.length; k++) {
    const [t, now] = h.history[k] as [number, number];
    const before = (h.history[k - 1] as [number, number])[1];
    if (now > 0 && before > 0 && now !== before) out.push([t, Math.sign(now - before)]);
  }
  return out;
}

/** Reversals among the directions whose time is in [from, to]: consecutive ones that differ. */
export function reversalsIn(
  directions: readonly (readonly [number, number])[],
  from: number,
  to: number,
): number {
  let count = 0;
  let prev: number | undefined;
  for (const [t, d] of directions) {
    if (t < from || t > to) continue;
    if (prev !== undefined && d !== prev) count++;
    prev = d;
  }
  return count;
}
