/**
 * Range windows that select the same samples on Prometheus 2 (ranges include their start) and
 * Prometheus 3 (ranges leave their start out).
 */
import { durationSeconds as durationSecondsOf } from "../config/primitives.js";

/**
 * A range one millisecond shorter than `d` (`1m` -> `59s999ms`): a window that holds the same
 * samples whether the range includes its start (Prometheus 2) or not (Prometheus 3, left-open), so
 * an alert whose window ends on an evaluation resolves at the same evaluation on both.
 */
export function leftOpen(d: string): string {
  const units: readonly [string, number][] = [
    ["h", 3_600_000],
    ["m", 60_000],
    ["s", 1_000],
    ["ms", 1],
  ];
  let ms = Math.round(durationSecondsOf(d) * 1000) - 1;
  if (ms <= 0) throw new Error(`range too short: ${d}`);
  let out = "";
  for (const [unit, size] of units) {
    const n = Math.floor(ms / size);
    if (n > 0) out += `${n}${unit}`;
    ms -= n * size;
  }
  return out;
}

/**
 * A range one millisecond longer than `d` (`10m` -> `10m1ms`): a window that holds the sample
 * exactly `d` ago on Prometheus 3 (whose ranges leave out their start) as on Prometheus 2 (whose
 * ranges include it), so an alert whose window starts on a sample fires at the same evaluation on
 * both.
 */
export function closedRange(d: string): string {
  return `${d}1ms`.replace(/^(\d+)ms1ms$/, (_, n: string) => `${Number(n) + 1}ms`);
}
