/**
 * The input of one promtool test entry: series defined as functions of time, sampled every
 * `interval` seconds from 0s, plus the few PromQL functions the expectations need (the value of a
 * series at an instant, changes(), rate()), computed the way Prometheus 2.x computes them so that
 * expected values are exact.
 */

/** A sample value, or undefined for "no sample" (`_` in promtool's notation). */
export type Value = number | undefined;

/** The evaluation interval of every generated test (as in the hand-written suites). */
export const EVAL_INTERVAL = 30;

/** Prometheus' lookback for instant selectors (a series is stale 5m after its last sample). */
const LOOKBACK = 300;

export interface Series {
  /** `metric{label="value",...}` as promtool reads it. */
  readonly text: string;
  readonly valueAt: (t: number) => Value;
}

export interface InputSeries {
  readonly series: string;
  readonly values: string;
}

/** Escapes a label value for a PromQL string literal. */
export function quoteLabelValue(v: string): string {
  return JSON.stringify(v);
}

/** `metric{a="1",b="2"}` */
export function seriesText(metric: string, labels: Readonly<Record<string, string>>): string {
  const body = Object.entries(labels)
    .map(([k, v]) => `${k}=${quoteLabelValue(v)}`)
    .join(",");
  return `${metric}{${body}}`;
}

/** A number as promtool's series notation reads it back exactly (shortest round-trip form). */
export function numberText(v: number): string {
  if (!Number.isFinite(v)) throw new Error(`cannot write ${v} as a sample`);
  return String(v);
}

/** Seconds as a Prometheus duration: 0s, 30s, 4m30s, 1h2m. */
export function durationText(seconds: number): string {
  if (seconds === 0) return "0s";
  let s = Math.round(seconds);
  const parts: string[] = [];
  for (const [unit, size] of [
    ["h", 3600],
    ["m", 60],
    ["s", 1],
  ] as const) {
    const n = Math.floor(s / size);
    if (n > 0) parts.push(`${n}${unit}`);
    s -= n * size;
  }
  return parts.join("");
}

/** The smallest evaluation time (a multiple of the evaluation interval) at or after t. */
export function evalAtOrAfter(t: number): number {
  return Math.ceil(t / EVAL_INTERVAL - 1e-9) * EVAL_INTERVAL;
}

export class Timeline {
  readonly series: Series[] = [];

  /** @param interval seconds between samples; must divide the evaluation interval. */
  constructor(readonly interval: number) {
    if (EVAL_INTERVAL % interval !== 0) throw new Error(`interval ${interval}s does not divide 30s`);
  }

  add(metric: string, labels: Readonly<Record<string, string>>, valueAt: (t: number) => Value): Series {
    const s: Series = { text: seriesText(metric, labels), valueAt };
    if (this.series.some((x) => x.text === s.text)) throw new Error(`series given twice: ${s.text}`);
    this.series.push(s);
    return s;
  }

  /** Sample times in [from, to] (both included, as range selectors in Prometheus 2.x). */
  private sampleTimes(from: number, to: number): number[] {
    const out: number[] = [];
    const first = Math.max(0, Math.ceil(from / this.interval - 1e-9));
    for (let i = first; i * this.interval <= to + 1e-9; i++) out.push(i * this.interval);
    return out;
  }

  /** Samples of a series in [from, to]. */
  samples(s: Series, from: number, to: number): { t: number; v: number }[] {
    return this.sampleTimes(from, to).flatMap((t) => {
      const v = s.valueAt(t);
      return v === undefined ? [] : [{ t, v }];
    });
  }

  /** The value an instant selector returns at t (the latest sample within the lookback). */
  at(s: Series | undefined, t: number): Value {
    if (!s || t < 0) return undefined;
    const samples = this.samples(s, t - LOOKBACK, t);
    return samples.at(-1)?.v;
  }

  /** `changes(s[range])` at t. */
  changes(s: Series, t: number, range: number): number {
    const xs = this.samples(s, t - range, t);
    let n = 0;
    for (let i = 1; i < xs.length; i++) if (xs[i]?.v !== xs[i - 1]?.v) n++;
    return n;
  }

  /** `min_over_time(s[range])` at t. */
  minOverTime(s: Series, t: number, range: number): Value {
    const xs = this.samples(s, t - range, t);
    return xs.length === 0 ? undefined : Math.min(...xs.map((x) => x.v));
  }

  /**
   * `rate(s[range])` at t, as Prometheus 2.x computes it (extrapolatedRate in promql/functions.go):
   * counter resets, extrapolation to the range boundaries, and the limit at the counter's zero.
   */
  rate(s: Series, t: number, range: number): Value {
    const xs = this.samples(s, t - range, t);
    if (xs.length < 2) return undefined;
    const first = xs[0] as { t: number; v: number };
    const last = xs[xs.length - 1] as { t: number; v: number };
    const rangeStart = t - range;
    const rangeEnd = t;
    let result = last.v - first.v;
    let lastValue = 0;
    for (const x of xs) {
      if (x.v < lastValue) result += lastValue;
      lastValue = x.v;
    }
    let durationToStart = first.t - rangeStart;
    const durationToEnd = rangeEnd - last.t;
    const sampledInterval = last.t - first.t;
    const averageDurationBetweenSamples = sampledInterval / (xs.length - 1);
    if (result > 0 && first.v >= 0) {
      const durationToZero = sampledInterval * (first.v / result);
      if (durationToZero < durationToStart) durationToStart = durationToZero;
    }
    const extrapolationThreshold = averageDurationBetweenSamples * 1.1;
    let extrapolateToInterval = sampledInterval;
    extrapolateToInterval +=
      durationToStart < extrapolationThreshold ? durationToStart : averageDurationBetweenSamples / 2;
    extrapolateToInterval +=
      durationToEnd < extrapolationThreshold ? durationToEnd : averageDurationBetweenSamples / 2;
    result = result * (extrapolateToInterval / sampledInterval);
    return result / range;
  }

  /** The input series up to and including `end` seconds, in promtool's expanding notation. */
  render(end: number): InputSeries[] {
    const n = Math.floor(end / this.interval + 1e-9) + 1;
    return this.series.map((s) => {
      const values = Array.from({ length: n }, (_, i) => s.valueAt(i * this.interval));
      return { series: s.text, values: compress(values) };
    });
  }
}

/** `1 1 1 2 2` -> `1x2 2x1`; missing samples as `_`. */
function compress(values: readonly Value[]): string {
  const out: string[] = [];
  let i = 0;
  while (i < values.length) {
    const v = values[i];
    let j = i + 1;
    while (j < values.length && values[j] === v) j++;
    const run = j - i;
    if (v === undefined) out.push(...Array.from({ length: run }, () => "_"));
    else out.push(run === 1 ? numberText(v) : `${numberText(v)}x${run - 1}`);
    i = j;
  }
  return out.join(" ");
}
