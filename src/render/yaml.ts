/** YAML output that every Kubernetes and Prometheus reader takes the same way. */
import { stringify } from "yaml";

/**
 * Serialises to YAML 1.1 style, so that strings such as `no`, `on` or `yes` are quoted and no YAML
 * 1.1 reader (kubectl's YAML-to-JSON, Prometheus' loader) turns them into booleans. Lines are never
 * folded, so long PromQL stays as written.
 */
export function toYaml(value: unknown): string {
  return stringify(value, { version: "1.1", lineWidth: 0, minContentWidth: 0, aliasDuplicateObjects: false });
}

/** A multi-document YAML stream. */
export function toYamlStream(values: readonly unknown[]): string {
  return values.map((v) => `---\n${toYaml(v)}`).join("");
}
