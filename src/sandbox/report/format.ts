/** How the report writes scenario times and latencies (the page's script has the same `clock`). */

/** Scenario seconds as `m:ss` (`95` → `1:35`, `3600` → `60:00`); fractions are rounded. */
export function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

/** A latency in scenario seconds as `+31s` (rounded). */
export function latency(seconds: number): string {
  return `+${Math.round(seconds)}s`;
}

/** A window of scenario seconds as `1:00–3:00`. */
export function timeWindow(range: readonly [number, number]): string {
  return `${clock(range[0])}–${clock(range[1])}`;
}
