/**
 * Which of our alerts should be active (pending or firing) at a given moment, computed from the
 * synthetic cluster's own state and history, independently of the rules. Moments close to a change
 * (a scrape and an evaluation are each up to 5 s late) are "ambiguous" and not judged. The scale
 * steps (one alert per count, label `replicas`) are judged against the moments Prometheus B
 * scraped kube-state-metrics (./scale-steps.ts), taken from B's own `up` series: when, not what.
 */
import { CATALOG, type AlertName } from "../../src/catalog/catalog.js";
import { runningPods } from "../../src/sandbox/cluster/model.js";
import { OVERRIDES, QUEUE_TARGET, type Hpa } from "./cluster.js";
import { changesIn, desiredAt, directionsOf, rangeOf, reversalsIn, scalerErrorsAt } from "./drift.js";
import { stepVerdicts, type Scrape } from "./scale-steps.js";

export interface Expectation {
  readonly alertname: string;
  readonly severity: string;
}

export interface Oracle {
  /** key -> expected alert */
  readonly expected: Map<string, Expectation>;
  /** keys that may or may not be active at this moment */
  readonly ambiguous: Set<string>;
  /** alerts that some workloads should trigger in steady state but cannot yet (short history) */
  readonly notYet: Map<string, { reason: string; count: number }>;
}

export interface ActiveAlert {
  readonly labels: Record<string, string>;
  readonly state: string;
}

/** One alert: name, HPA, and the pod (per-pod alerts) or the count (scale steps) if any. */
export function alertKey(labels: Record<string, string | undefined>): string {
  const base = `${labels.alertname}/${labels.namespace ?? ""}/${labels.horizontalpodautoscaler ?? ""}`;
  if (labels.pod) return `${base}/${labels.pod}`;
  return labels.replicas ? `${base}/replicas=${labels.replicas}` : base;
}

const SLACK = 1000; // ms of clock slack between the bench process and Prometheus
const SCRAPE = 5000; // a sample is up to one scrape interval older than the evaluation
/** A recorded series of the facts group is up to one evaluation interval older than the read. */
const RECORDED = 5000;
/**
 * A series recorded by a slow group (the HPA state, the pod-level signals: `interval: 1m`) is up
 * to a minute older than the read, plus that group's own evaluation time.
 */
const SLOW_RECORDED = 60_000 + 5000;
/** The error-rate window of AIWorkloadScalerErrors (the catalog's default). */
const SCALER_ERROR_WINDOW = 120_000;
/**
 * From a change of desired replicas to its direction being readable by AIWorkloadScalingFlapping:
 * the scrape (5 s and its duration), the settings group's evaluation (5 s), and the recorded
 * sample being stored before the alert's query runs.
 */
const DIRECTION_LAG = 15_000;
/** Changes this soon after the first scrape may precede the settings group's first recording. */
const FIRST_DIRECTION = 3 * SCRAPE + SLACK;

/**
 * Judges a condition over every instant `t` in [from, to] that an evaluation may have read, and
 * with a range's left edge where it is or one scrape later (a change just inside the range may
 * not have been scraped yet): "yes" if it holds everywhere, "no" if nowhere, "maybe" otherwise.
 */
function judge(from: number, to: number, cond: (t: number, edge: number) => boolean): "yes" | "no" | "maybe" {
  let any = false;
  let all = true;
  for (let t = from; ; t = Math.min(to, t + 250)) {
    for (const edge of [0, SCRAPE]) {
      const c = cond(t, edge);
      any ||= c;
      all &&= c;
    }
    if (t >= to) break;
  }
  return all ? "yes" : any ? "maybe" : "no";
}

function severityOf(alert: AlertName, h: Hpa): string {
  if (alert === "AIWorkloadAtMaxReplicas" && h.override) return OVERRIDES.AIWorkloadAtMaxReplicas.severity;
  return CATALOG[alert].severity;
}

/**
 * Expectations for an alert snapshot taken at `q` (ms), with data since `dataStart` (first scrape,
 * ms). `windows` gives, per alert name, the instants [lo, hi] its last evaluation may have used
 * (from /api/v1/rules); without one, an evaluation within the last 5 s is assumed. A group that
 * overruns its interval evaluates late, and this keeps the judgement on the instant it used.
 * `scrapes` are B's kube-state-metrics scrapes (ascending); without them, one every 5 s from
 * `dataStart`, each taking up to 2 s, is assumed.
 */
export function expectAt(
  hpas: readonly Hpa[],
  q: number,
  dataStart: number,
  windows: ReadonlyMap<string, readonly [number, number]> = new Map(),
  scrapes: readonly Scrape[] = assumedScrapes(dataStart, q),
): Oracle {
  const expected = new Map<string, Expectation>();
  const ambiguous = new Set<string>();
  const notYet = new Map<string, { reason: string; count: number }>();
  const later = (alert: AlertName, reason: string) =>
    notYet.set(alert, { reason, count: (notYet.get(alert)?.count ?? 0) + 1 });
  const win = (alert: string): readonly [number, number] => windows.get(alert) ?? [q - 5000, q];
  const key = (alert: string, h: Hpa, pod?: string, replicas?: number) =>
    alertKey({
      alertname: alert,
      namespace: h.namespace,
      horizontalpodautoscaler: h.hpa,
      pod,
      replicas: replicas === undefined ? undefined : String(replicas),
    });
  const expect = (alert: AlertName, h: Hpa, pod?: string, replicas?: number) =>
    expected.set(key(alert, h, pod, replicas), { alertname: alert, severity: severityOf(alert, h) });

  for (const h of hpas) {
    // Scaled up / down: one alert per count the HPA wanted within the last minute (./scale-steps.ts).
    if (h.scaleEventsEnabled) {
      for (const alert of ["AIWorkloadScaledUp", "AIWorkloadScaledDown"] as const) {
        const [lo, hi] = win(alert);
        const verdicts = stepVerdicts(h.history, scrapes, lo, hi);
        for (const [v, verdict] of alert === "AIWorkloadScaledUp" ? verdicts.up : verdicts.down) {
          if (verdict === "yes") expect(alert, h, undefined, v);
          else ambiguous.add(key(alert, h, undefined, v));
        }
      }
    }
    if (h.state === "maxed") expect("AIWorkloadAtMaxReplicas", h);
    if (h.state === "inactive") expect("AIWorkloadScalingInactive", h);
    if (h.state === "unable") expect("AIWorkloadUnableToScale", h);
    // Stalled: desired above available for the whole window, since the data starts, or since a
    // stuck cold start woke (before, at zero, it wanted nothing).
    const stalledSince =
      h.state === "stalled" ? dataStart : h.state === "coldStuck" ? lastWake(h, dataStart) : undefined;
    if (stalledSince !== undefined) {
      const w = h.stalledWindowSeconds * 1000;
      const [lo] = win("AIWorkloadScaleUpStalled");
      const age = lo - stalledSince;
      // Available replicas come from the state group (every minute).
      if (age >= w + SLOW_RECORDED + 2 * SCRAPE + SLACK) expect("AIWorkloadScaleUpStalled", h);
      else if (age >= w - 5000) ambiguous.add(key("AIWorkloadScaleUpStalled", h));
      else
        later(
          "AIWorkloadScaleUpStalled",
          `its ${w / 60_000}m window is longer than the ${Math.round((lo - dataStart) / 1000)} s of data (for a stuck cold start, than the time since its wake)`,
        );
    }
    if (h.state === "stalled")
      for (const p of h.pods) if (p.unschedulable) expect("AIWorkloadPodsUnschedulable", h, p.name);
    // Flapping: reversals among the recorded directions of the window. Those surely in it (recorded
    // by every instant the evaluation may have used, and after the first recording) are a run of
    // consecutive directions, and those possibly in it a longer one, so they bound the count.
    const thr = h.flappingThreshold;
    const window = h.flappingWindowSeconds * 1000;
    const [flo, fhi] = win("AIWorkloadScalingFlapping");
    const directions = directionsOf(h);
    const surely = reversalsIn(
      directions,
      Math.max(fhi - window, dataStart + FIRST_DIRECTION),
      flo - DIRECTION_LAG,
    );
    const possibly = reversalsIn(directions, flo - window - DIRECTION_LAG, fhi);
    if (surely >= thr) expect("AIWorkloadScalingFlapping", h);
    else if (possibly >= thr) ambiguous.add(key("AIWorkloadScalingFlapping", h));

    // rate(...[5m]) divides by the whole 5m range: with less history it reads low, in proportion.
    // A pod that became ready later (woken by KEDA) has less history still: cAdvisor's series of
    // a pod start when it runs.
    const running = runningPods(h, q);
    if (running.length > 0) {
      const util = h.cpuUtilization;
      const read = (span: number) => util * Math.min(1, Math.max(0, span) / 300_000);
      const k = key("AIWorkloadHighCpuUtilization", h);
      const [clo, chi] = win("AIWorkloadHighCpuUtilization");
      const since = Math.max(dataStart, ...running.map((p) => Math.max(p.startedWall, p.readyAt)));
      // The CPU utilisation is recorded by the signals group (every minute).
      if (read(clo - since - 25_000 - SLOW_RECORDED) >= h.cpuThreshold)
        expect("AIWorkloadHighCpuUtilization", h);
      else if (read(chi - since + 6000) >= h.cpuThreshold) ambiguous.add(k);
      else if (util >= h.cpuThreshold)
        later("AIWorkloadHighCpuUtilization", `rate(...[5m]) reads low until 5 min of data`);
    }
    if (h.gpu && h.pods.length > 0) {
      const util = h.gpuUtilization;
      if (util >= 90 && h.desired >= h.max) expect("AIWorkloadGpuSaturated", h);
      if (util <= 20 && h.desired > h.min) expect("AIWorkloadGpuUnderutilized", h);
    }
    if (h.queueMetric && running.length > 0) {
      // The running pods share the replicas' waiting requests (the sandbox's queue series).
      const perReplica = (h.queuePerReplica * Math.max(h.current, 1)) / Math.max(1, h.desired);
      if (perReplica >= 2 * QUEUE_TARGET && h.desired >= h.max) expect("AIWorkloadQueueBacklog", h);
    }

    if (h.scaleToZero) {
      // Scaled to zero / woke from zero: the recorded spec replicas now vs 1m before, judged only
      // when stable around both instants (the recorded series lags the raw one by up to 5 s).
      for (const alert of ["AIWorkloadScaledToZero", "AIWorkloadColdStart"] as const) {
        const [lo, hi] = win(alert);
        const lag = RECORDED + SCRAPE + SLACK;
        const stableNow = changesIn(h, lo - lag, hi + SLACK) === 0;
        const stablePast = changesIn(h, lo - 60_000 - lag, hi - 60_000 + SLACK) === 0;
        const now = desiredAt(h, hi);
        const past = desiredAt(h, hi - 60_000);
        const hit = alert === "AIWorkloadScaledToZero" ? past > 0 && now === 0 : past === 0 && now > 0;
        if (lo - dataStart < 60_000 + lag || !stableNow || !stablePast) {
          if (hit || changesIn(h, lo - 60_000 - lag, hi + SLACK) > 0) ambiguous.add(key(alert, h));
        } else if (hit) expect(alert, h);
      }
      // Cold start over budget: wanted replicas for the whole budget, none available during it,
      // and at zero (in the data) shortly before.
      const budget = h.coldStartBudgetSeconds * 1000;
      const [slo, shi] = win("AIWorkloadColdStartSlow");
      // Available replicas come from the state group (every minute).
      // At zero since the facts were first recorded: they join the HPA info of the state group,
      // whose first evaluation comes up to a minute after the rules are loaded (so whether a wake
      // in that minute was seen leaving zero depends on the group's phase).
      const overBudget = (recordedFrom: number) =>
        judge(slo - SLOW_RECORDED - SCRAPE - SLACK, shi + SLACK, (t, edge) => {
          const from = Math.max(dataStart, t - budget + edge);
          return (
            rangeOf(h.history, from, t).min > 0 &&
            rangeOf(h.availableHistory, from, t).max === 0 &&
            rangeOf(h.history, Math.max(recordedFrom, t - budget - 3_600_000), t).min === 0
          );
        });
      const late = overBudget(dataStart + SLOW_RECORDED);
      const early = overBudget(dataStart + SCRAPE);
      const slow = late === "yes" ? "yes" : late === "maybe" || early !== "no" ? "maybe" : "no";
      if (slow === "yes") expect("AIWorkloadColdStartSlow", h);
      else if (slow === "maybe") ambiguous.add(key("AIWorkloadColdStartSlow", h));
      else if (h.state === "coldStuck")
        later(
          "AIWorkloadColdStartSlow",
          `its ${budget / 60_000}m cold-start budget is longer than the time since the wake`,
        );
    }
    const k = h.keda;
    if (k?.failing) {
      // rate(keda_scaler_detail_errors_total[2m]) > 0: the counter rose within the window.
      const [lo, hi] = win("AIWorkloadScalerErrors");
      const failing = judge(lo - SCRAPE - SLACK, hi + SLACK, (t, edge) => {
        const from = Math.max(dataStart, t - SCALER_ERROR_WINDOW + edge);
        return t - from >= SCRAPE && scalerErrorsAt(h, t) > scalerErrorsAt(h, from);
      });
      if (failing === "yes") expect("AIWorkloadScalerErrors", h);
      else if (failing === "maybe") ambiguous.add(key("AIWorkloadScalerErrors", h));
    }
  }
  const hb = hpas[0];
  if (hb) {
    expected.set(alertKey({ alertname: "AIScalingAlertsHeartbeat", namespace: hb.namespace }), {
      alertname: "AIScalingAlertsHeartbeat",
      severity: "none",
    });
  }
  return { expected, ambiguous, notYet };
}

/** When the HPA last went from zero to some replicas (not before `dataStart`); undefined if at zero. */
function lastWake(h: Hpa, dataStart: number): number | undefined {
  const last = h.history.at(-1);
  if (!last || last[1] === 0) return undefined;
  let woke = 0;
  h.history.forEach(([t, v], k) => {
    if (v > 0 && k > 0 && (h.history[k - 1] as [number, number])[1] === 0) woke = t;
  });
  return Math.max(dataStart, woke);
}

/** Scrapes every 5 s from `from` up to `to`, each taking up to 2 s (when B's are not known). */
function assumedScrapes(from: number, to: number): Scrape[] {
  const out: Scrape[] = [];
  for (let t = from; t <= to; t += SCRAPE) out.push({ at: t, duration: 2000 });
  return out;
}

export interface AlertCheck {
  readonly alertname: string;
  readonly expected: number;
  readonly firing: number;
  readonly pending: number;
  readonly missing: string[];
  readonly unexpected: string[];
  readonly wrongSeverity: string[];
  readonly duplicates: string[];
  readonly ambiguous: number;
  readonly notYet?: { reason: string; count: number };
}

/** Compares the active alerts of Prometheus B with the oracle, per alert name. */
export function checkAlerts(active: readonly ActiveAlert[], oracle: Oracle): AlertCheck[] {
  const names = new Set<string>([
    ...[...oracle.expected.values()].map((e) => e.alertname),
    ...active.map((a) => a.labels.alertname ?? "?"),
    ...oracle.notYet.keys(),
  ]);
  const byKey = new Map<string, ActiveAlert[]>();
  for (const a of active) {
    const k = alertKey(a.labels);
    byKey.set(k, [...(byKey.get(k) ?? []), a]);
  }
  const out: AlertCheck[] = [];
  for (const name of [...names].sort()) {
    const mine = active.filter((a) => a.labels.alertname === name);
    const exp = [...oracle.expected.entries()].filter(([, e]) => e.alertname === name);
    const missing = exp.filter(([k]) => !byKey.has(k)).map(([k]) => k);
    const unexpected = [
      ...new Set(
        mine
          .map((a) => alertKey(a.labels))
          .filter((k) => !oracle.expected.has(k) && !oracle.ambiguous.has(k)),
      ),
    ];
    const wrongSeverity = exp.flatMap(([k, e]) =>
      (byKey.get(k) ?? [])
        .filter((a) => a.labels.severity !== e.severity)
        .map((a) => `${k} severity=${a.labels.severity} (expected ${e.severity})`),
    );
    const duplicates = [...byKey.entries()]
      .filter(([k, as]) => as.length > 1 && k.startsWith(`${name}/`))
      .map(([k, as]) => `${k} x${as.length}`);
    out.push({
      alertname: name,
      expected: exp.length,
      firing: mine.filter((a) => a.state === "firing").length,
      pending: mine.filter((a) => a.state === "pending").length,
      missing,
      unexpected,
      wrongSeverity,
      duplicates,
      ambiguous: [...oracle.ambiguous].filter((k) => k.startsWith(`${name}/`)).length,
      notYet: oracle.notYet.get(name),
    });
  }
  return out;
}

/** Alerts a set of workloads must never raise, at any moment of the run (pending included). */
export interface NeverCheck {
  readonly alertname: string;
  readonly why: string;
  readonly hpas: readonly Hpa[];
}

/**
 * What the KEDA workloads must never raise while they go to zero and back: the HPA failure alerts
 * (at zero on purpose the HPA is disabled and below its min), scale steps to or from zero, a slow
 * cold start where the replica was available after 10 s, and scaler errors where none fail.
 */
export function neverChecks(hpas: readonly Hpa[]): NeverCheck[] {
  const keda = hpas.filter((h) => h.keda);
  const cycling = keda.filter((h) => h.state === "kedaCycle");
  return [
    ...(
      [
        "AIWorkloadScalingInactive",
        "AIWorkloadAtMaxReplicas",
        "AIWorkloadUnableToScale",
        "AIWorkloadScaleUpStalled",
      ] as const
    ).map((alertname) => ({
      alertname,
      why: "KEDA workloads at zero on purpose, waking or running",
      // A stuck cold start is a stalled scale-up once its 10m window has passed.
      hpas: alertname === "AIWorkloadScaleUpStalled" ? keda.filter((h) => h.state !== "coldStuck") : keda,
    })),
    {
      alertname: "AIWorkloadScaledDown",
      why: "KEDA workloads, which only go down to zero",
      hpas: keda,
    },
    {
      alertname: "AIWorkloadScaledUp",
      why: "KEDA workloads that only wake from zero (not the cycling ones, which also scale 1 -> 2)",
      hpas: keda.filter((h) => h.state !== "kedaCycle"),
    },
    {
      alertname: "AIWorkloadColdStartSlow",
      why: "cycling KEDA workloads, available 10 s after each wake",
      hpas: cycling,
    },
    {
      alertname: "AIWorkloadScalerErrors",
      why: "KEDA workloads whose scalers do not fail",
      hpas: keda.filter((h) => !h.keda?.failing),
    },
  ];
}
