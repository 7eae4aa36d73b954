/** Alertmanager versions, for the fields that only some versions accept. */

/** A parsed `major.minor.patch`. */
export type Version = readonly [number, number, number];

/** The oldest Alertmanager this module writes configurations for (Debian 12's, which the tests run). */
export const MIN_ALERTMANAGER_VERSION = "0.25.0";

/** Parses `0.25.0` / `v0.26` / `0.27.1-rc.0`; throws on anything else. */
export function parseVersion(text: string): Version {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?(?:[-+].*)?$/.exec(text.trim());
  if (!m) throw new Error(`invalid Alertmanager version ${JSON.stringify(text)}: expected e.g. 0.25.0`);
  return [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
}

/** Whether `v` is at least `min` (`"0.26.0"`). */
export function atLeast(v: Version, min: string): boolean {
  const w = parseVersion(min);
  for (let i = 0; i < 3; i++) if (v[i] !== w[i]) return (v[i] as number) > (w[i] as number);
  return true;
}
