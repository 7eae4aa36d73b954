/**
 * Colours and dash patterns of the charts: the Okabe–Ito palette (distinguishable with colour
 * blindness), and every series also differs by dash pattern, so nothing is told by colour alone.
 */

/** Line colours and dashes of the replica series. */
export const SERIES = {
  desired: { color: "#0072B2", dash: [7, 4], width: 2.5 },
  current: { color: "#D55E00", dash: [] as number[], width: 2 },
  available: { color: "#009E73", dash: [2, 3], width: 2.5 },
  gpuUtilization: { color: "#CC79A7", dash: [] as number[], width: 2 },
  queuePerReplica: { color: "#0072B2", dash: [6, 3], width: 2 },
} as const;

/** Neutral ink for limits, steps and labels. */
export const INK = { limit: "#555555", step: "#333333", label: "#222222" } as const;

/** `[r, g, b]` of an alert's severity. */
export function severityRgb(severity: string): [number, number, number] {
  switch (severity) {
    case "critical":
    case "page":
      return [213, 94, 0];
    case "warning":
      return [230, 159, 0];
    default:
      return [86, 180, 233];
  }
}

/** `rgba(...)` of a severity at `alpha`. */
export function severityColor(severity: string, alpha: number): string {
  const [r, g, b] = severityRgb(severity);
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}

/** Fill of a notification mark: firing, resolved, or unexpected. */
export function markColor(status: "firing" | "resolved", expected: boolean): string {
  if (!expected) return "#000000";
  return status === "firing" ? "#D55E00" : "#009E73";
}
