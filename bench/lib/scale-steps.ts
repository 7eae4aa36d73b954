/**
 * What AIWorkloadScaledUp/Down (src/rules/scaling-events.ts) should report for one HPA at one
 * evaluation, from the HPA's own history and the moments Prometheus B scraped kube-state-metrics.
 *
 * The facts group records a step when the desired replicas it reads at an evaluation differ from
 * those it read at the previous one (both non-zero): label `replicas` the new count, the alert's
 * value the count before. The alert holds each step recorded within the last minute. A change of
 * the HPA is read at the first facts evaluation after a scrape that saw it is stored: between the
 * start of the scrape that may have seen it and one evaluation interval after the one that surely
 * did. A change that may share a sampling gap with another (or with a failed scrape) may be
 * recorded merged with it (2 -> 3 -> 4 read as 2 -> 4) or lost: its counts are "maybe".
 */
import { SCALE_EVENT_LOOKBACK } from "../../src/catalog/catalog.js";
import { durationSeconds } from "../../src/config/primitives.js";

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

/** The alert's window: one lookback, left open (the rule reads `[59s999ms]`). */
const LOOKBACK_MS = durationSeconds(SCALE_EVENT_LOOKBACK) * 1000 - 1;
/** Beyond a scrape's duration: parsing and committing its samples, and the exporter's event loop. */
const MARGIN_MS = 500;
/** The facts group's evaluation interval in the benchmark (scrape and evaluation every 5 s). */
export const FACTS_EVAL_MS = 5000;

/** When a history change can have been recorded as a step: [earliest, latest] (ms). */
interface Observed {
  readonly from: number;
  readonly to: number;
  readonly before: number;
  readonly after: number;
}

/** The window in which the facts group can first read each change of `history`. */
function observedWindows(
  history: readonly (readonly [number, number])[],
  scrapes: readonly Scrape[],
): Observed[] {
  const out: Observed[] = [];
  for (let i = 1; i < history.length; i++) {
    const [h, after] = history[i] as readonly [number, number];
    const before = (history[i - 1] as readonly [number, number])[1];
    if (after === before) continue;
    const may = scrapes.find((s) => !s.failed && s.at + s.duration + MARGIN_MS >= h);
    const sure = scrapes.find((s) => s.at >= h && !s.failed);
    if (!may || !sure) continue;
    out.push({
      from: Math.max(h, may.at),
      to: sure.at + sure.duration + MARGIN_MS + FACTS_EVAL_MS,
      before,
      after,
    });
  }
  return out;
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
  const up = new Map<number, Verdict>();
  const down = new Map<number, Verdict>();
  const mark = (from: number, to: number, verdict: Verdict) => {
    if (from <= 0 || to <= 0 || from === to) return;
    const m = to > from ? up : down;
    if (m.get(to) !== "yes") m.set(to, verdict);
  };
  const seen = observedWindows(history, scrapes);
  const failed = scrapes.filter((s) => s.failed);
  seen.forEach((c, i) => {
    // Recorded within the alert's window at every evaluation instant allowed, or at some.
    const surely = c.to <= lo && c.from > hi - LOOKBACK_MS;
    const maybe = c.from <= hi && c.to > lo - LOOKBACK_MS;
    if (!maybe) return;
    // Another change, or a failed scrape, within reach: the step may be merged with it or lost.
    const near = (a: Observed) => a.from <= c.to + FACTS_EVAL_MS && a.to >= c.from - FACTS_EVAL_MS;
    const neighbours = seen.filter((o, j) => j !== i && near(o));
    const clean =
      neighbours.length === 0 &&
      !failed.some((s) => s.at <= c.to && s.at + FACTS_EVAL_MS + s.duration >= c.from - FACTS_EVAL_MS);
    mark(c.before, c.after, surely && clean ? "yes" : "maybe");
    // Merged with a neighbour: the count before the earlier, the count after the later.
    for (const o of neighbours) {
      if (o.from <= c.from) mark(o.before, c.after, "maybe");
      else mark(c.before, o.after, "maybe");
    }
  });
  return { up, down };
}
