/**
 * The limits every input stays within: one set, enforced once, when a config is read and
 * validated (`load.ts`, `schema.ts`, `checks/`). Each is chosen so that whatever validation accepts,
 * every later stage accepts too (render, verify, the Prometheus Operator, Prometheus, Alertmanager,
 * Kubernetes, KEDA), and so that reading and checking any input, however hostile, takes bounded time
 * and memory. The README's "Errors and limits" section lists them with the same reasons.
 */

/** 2^31 - 1: Kubernetes and the Prometheus Operator store replicas, periods and counts as int32. */
export const INT32_MAX = 2_147_483_647;

export const LIMITS = {
  /** Bytes of a config file (and of any other YAML file the CLI reads). */
  fileBytes: 1024 * 1024,
  /** Nesting depth of YAML collections, aliases expanded (the deepest config needs 8). */
  depth: 64,
  /** Values (scalars and collections) of one YAML document once its aliases are expanded. */
  values: 200_000,
  /**
   * Longest `for` or `window` of an alert: `verify` replays each alert's timing on promtool at the
   * 30 s evaluation interval, one alert after another, so its time grows with the sum of them
   * (measured in bench/results/hostile-input.md).
   */
  alertDurationSeconds: 6 * 3600,
  /**
   * Distinct settings (for, severity, window) one alert may have across the workloads, its default
   * included: each is a rule of its own, and one more timeline for verify to replay.
   */
  settingsPerAlert: 4,
  /**
   * Longest notification timing (group wait and interval, repeat interval): Alertmanager forgets a
   * notification after its --data.retention (120h by default), so a longer interval repeats at 120h.
   */
  notificationDurationSeconds: 120 * 3600,
  /** Characters of a value quoted in an error message; longer ones end in "...". */
  echoChars: 80,
  /** Characters of one error message. */
  messageChars: 600,
  /** Problems listed for one input; the rest are counted. */
  problems: 20,
  /** Bytes of a file name `render -o` writes (most file systems allow 255). */
  fileNameBytes: 255,
  /** Characters of a Kubernetes label value. */
  labelValueChars: 63,
} as const;

/** `1 MiB`, `200 KiB`: a byte count for messages. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${+(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} bytes`;
}

/** `6h`, `5d`, `90m`: seconds as the shortest Prometheus duration, for messages. */
export function formatSeconds(seconds: number): string {
  for (const [unit, size] of [
    ["d", 86400],
    ["h", 3600],
    ["m", 60],
  ] as const) {
    if (seconds >= size && seconds % size === 0) return `${seconds / size}${unit}`;
  }
  return `${seconds}s`;
}
