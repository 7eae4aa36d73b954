/**
 * CPU usage for AIWorkloadHighCpuUtilization. The usage counter runs from 0s at a constant rate;
 * rate() over 5m divides by the whole 5m whatever the samples cover. At 4m30s the window starts
 * 30s before the first sample, close enough (< 1.1 intervals) for rate() to extrapolate to it:
 * the true rate. At 4m the gap is 60s and rate() extrapolates by half an interval only, 255s of
 * 300s: 85% of the truth. A usage within [threshold, threshold / 0.85) therefore makes the
 * condition start exactly at 4m30s (as test/promtool/cpu.test.yml establishes).
 */
import { humanizeIsStable } from "./template.js";

/** When a usage that runs from 0s first reads fully (seconds). */
export const CPU_START = 270;

/** Percentage points above or below the threshold. */
const MARGIN = 0.01;

/** A usage (% of the request) just above the threshold, printed the same whatever float noise. */
export function cpuPercentAbove(threshold: number): number {
  for (let k = 0; k < 10; k++) {
    const v = threshold + MARGIN * (1 + k / 10);
    if (humanizeIsStable(v)) return v;
  }
  return threshold + MARGIN;
}

/** A usage just below the threshold. */
export function cpuPercentBelow(threshold: number): number {
  return Math.max(threshold - MARGIN, threshold / 2);
}
