/**
 * What AIWorkloadScaledUp/Down (src/rules/scaling-events.ts) should report for one HPA at one
 * evaluation, from the HPA's own history and the moments Prometheus B scraped kube-state-metrics:
 * one alert per count (label `replicas`). The rule compares every count the HPA wanted within the
 * lookback (sampled every 15 s on the absolute clock, and now) with the count one lookback ago:
 * higher is a scale-up, lower a scale-down. When that count is 0 or missing, a scale-up compares
 * with the lowest non-zero count sampled in the lookback and no scale-down is looked for.
 *
 * What a query reads at an instant is the value of the last scrape at or before it; that value is
 * uncertain when the HPA changed while the scrape was under way, and the last scrape before the
 * evaluation may not be stored yet when the query runs. The model enumerates every such choice,
 * and every evaluation instant the caller allows, and says per count whether the alert holds in
 * all of them ("yes"), in some ("maybe") or in none (left out).
 */
import { SCALE_EVENT_LOOKBACK, SCALE_STEP_RESOLUTION } from "../../src/catalog/catalog.js";
import { durationSeconds } from "../../src/config/primitives.js";
import { valueAt } from "./drift.js";

/**
 * One scrape of kube-state-metrics by Prometheus B: its timestamp and how long it took (ms), and
 * whether it failed (its series then read as missing until the next scrape: staleness markers).
 */
export interface Scrape {
  readonly at: number;
  readonly duration: number;
  readonly failed?: boolean;
}

/** Active in every possible world, or only in some. */
export type Verdict = "yes" | "maybe";

/** Per count (the `replicas` label), whether the scale-up / scale-down alert of that count is active. */
export interface StepVerdicts {
  readonly up: Map<number, Verdict>;
  readonly down: Map<number, Verdict>;
}

const LOOKBACK_MS = durationSeconds(SCALE_EVENT_LOOKBACK) * 1000;
const STEP_MS = durationSeconds(SCALE_STEP_RESOLUTION) * 1000;
/** Beyond a scrape's duration: parsing and committing its samples, and the exporter's event loop. */
const MARGIN_MS = 500;
/** Evaluation instants are tried this far apart over the window the caller gives. */
const GRID_MS = 250;
/** More uncertain choices than this at one instant would be a broken input: refuse. */
const MAX_CHOICES = 14;

/** Index of the last scrape at or before t, or -1. */
function lastScrape(scrapes: readonly Scrape[], t: number): number {
  let lo = 0;
  let hi = scrapes.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((scrapes[mid] as Scrape).at <= t) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** The values a scrape may have read: the state when it started, and any change while it ran. */
function valuesRead(history: readonly (readonly [number, number])[], s: Scrape): (number | undefined)[] {
  if (s.failed) return [undefined];
  const out = new Set<number | undefined>([valueAt(history, s.at - 1)]);
  for (const [ht, hv] of history) if (ht >= s.at && ht <= s.at + s.duration + MARGIN_MS) out.add(hv);
  return [...out];
}

/** The 15 s steps of the subquery `[1m:15s]` at t: multiples of 15 s on the Unix clock in [t - 1m, t]. */
function subquerySteps(t: number): number[] {
  const out: number[] = [];
  for (let s = Math.ceil((t - LOOKBACK_MS) / STEP_MS) * STEP_MS; s <= t; s += STEP_MS) out.push(s);
  return out;
}

/**
 * The counts the alerts hold at an evaluation at t, given what each instant read (undefined: no
 * sample): `now` the desired replicas at t, `before` one lookback earlier, `steps` at the
 * subquery's steps.
 */
export function stepAlertsFrom(
  now: number | undefined,
  before: number | undefined,
  steps: readonly (number | undefined)[],
): { up: number[]; down: number[] } {
  const positive = (x: number | undefined): x is number => x !== undefined && x > 0;
  const counts = new Set([now, ...steps].filter(positive));
  const sampled = steps.filter(positive);
  const upRef = positive(before) ? before : sampled.length > 0 ? Math.min(...sampled) : undefined;
  const downRef = positive(before) ? before : undefined;
  const sorted = [...counts].sort((a, b) => a - b);
  return {
    up: upRef === undefined ? [] : sorted.filter((v) => v > upRef),
    down: downRef === undefined ? [] : sorted.filter((v) => v < downRef),
  };
}

/**
 * The scale-step alerts of an HPA with this `history` ([time ms, desired]) at an evaluation whose
 * timestamp lies in [lo, hi], as Prometheus B reads it through its `scrapes` (ascending).
 */
export function stepVerdicts(
  history: readonly (readonly [number, number])[],
  scrapes: readonly Scrape[],
  lo: number,
  hi: number,
): StepVerdicts {
  const tally = { up: new Map<number, number>(), down: new Map<number, number>() };
  let worlds = 0;
  for (let t = lo; ; t = Math.min(hi, t + GRID_MS)) {
    const instants = [t, t - LOOKBACK_MS, ...subquerySteps(t)];
    const last = instants.map((s) => lastScrape(scrapes, s));
    // The choices: the value each scrape involved read, and whether the latest ones are stored.
    const read = [...new Set(last.filter((i) => i >= 0))];
    const maybeUnstored = read.filter((i) => {
      const s = scrapes[i] as Scrape;
      return s.at + s.duration + MARGIN_MS > t;
    });
    // An unstored scrape leaves the one before it (scrapes last less than their interval).
    const involved = [...new Set([...read, ...maybeUnstored.map((i) => i - 1).filter((i) => i >= 0)])];
    const options = involved.map((i) => valuesRead(history, scrapes[i] as Scrape));
    const dims = [...options.map((o) => o.length), ...maybeUnstored.map(() => 2)];
    if (dims.filter((d) => d > 1).length > MAX_CHOICES)
      throw new Error(`scale steps: ${dims.length} uncertain reads at one instant`);
    const total = dims.reduce((a, b) => a * b, 1);
    for (let w = 0; w < total; w++) {
      let rest = w;
      const pick = dims.map((d) => {
        const k = rest % d;
        rest = Math.floor(rest / d);
        return k;
      });
      const value = new Map(
        involved.map((i, k) => [i, (options[k] as (number | undefined)[])[pick[k] as number]]),
      );
      const unstored = new Set(maybeUnstored.filter((_, k) => pick[involved.length + k] === 1));
      const seen = (i: number): number | undefined => value.get(unstored.has(i) ? i - 1 : i);
      const [now, before, ...steps] = last.map(seen);
      const active = stepAlertsFrom(now, before, steps);
      for (const v of active.up) tally.up.set(v, (tally.up.get(v) ?? 0) + 1);
      for (const v of active.down) tally.down.set(v, (tally.down.get(v) ?? 0) + 1);
      worlds++;
    }
    if (t >= hi) break;
  }
  const verdicts = (m: Map<number, number>) =>
    new Map([...m].map(([v, n]): [number, Verdict] => [v, n === worlds ? "yes" : "maybe"]));
  return { up: verdicts(tally.up), down: verdicts(tally.down) };
}
