/** Variants of a config that sandbox runs and benchmarks use. */
import type { Config } from "../config/schema.js";

/**
 * The config with no receiver muted by a time interval, so that a run checks the scale-event
 * feed whatever the hour (the bundled example mutes it at night).
 */
export function withoutMuteIntervals(c: Config): Config {
  const n = c.notifications;
  if (!n) return c;
  return {
    ...c,
    notifications: {
      ...n,
      receivers: n.receivers.map((r) => ({ ...r, muteTimeIntervals: undefined })) as typeof n.receivers,
    },
  };
}
