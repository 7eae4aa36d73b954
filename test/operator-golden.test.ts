/**
 * Our merge held against the Prometheus Operator's own test suite (pkg/alertmanager/amcfg_test.go
 * and testdata/*.golden at the release recorded in test/fixtures/operator-golden/README.md): each
 * fixture is one operator test case (AlertmanagerConfig objects in, the operator's golden file out),
 * compared semantically (parsed YAML, key order ignored, after the normalisations below).
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { formatMatcher, mergeAlertmanagerConfigs, parseMatcher } from "../src/operator-merge/index.js";
import type { AlertmanagerYaml } from "../src/operator-merge/index.js";
import { MONTHS, WEEKDAYS } from "../src/config/notifications-schema.js";

const DIR = fileURLToPath(new URL("fixtures/operator-golden/", import.meta.url));
const SECRETS_DIR = "/secrets";

/** One operator test case as a fixture. */
interface Fixture {
  operatorCase: string;
  /** The Alertmanager version the operator's test ran with. */
  amVersion: string;
  /** The version our merge runs with, when it differs (our minimum is 0.25), and why. */
  runAt?: string;
  runAtWhy?: string;
  matcherStrategy?: "OnNamespace" | "OnNamespaceExceptForAlertmanagerNamespace" | "None";
  base?: Partial<AlertmanagerYaml>;
  /** Secret data by `<namespace>/<secret>`, as the operator's fake client holds it. */
  secrets?: Record<string, Record<string, string>>;
  objects: unknown[];
  golden?: string;
  /** For the operator's expectedError cases: the objects the operator refuses. */
  rejected?: string[];
}

const older = (v: string, than: string) => {
  const [a, b] = [v, than].map((x) => x.split(".").map(Number)) as [number[], number[]];
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) < (b[i] ?? 0);
  return false;
};

/** Our `*_file` paths under SECRETS_DIR replaced by the Secret's value, the way the operator inlines it. */
function inlineSecrets(v: unknown, secrets: Fixture["secrets"]): unknown {
  if (Array.isArray(v)) return v.map((x) => inlineSecrets(x, secrets));
  if (typeof v !== "object" || v === null) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    const m = typeof x === "string" ? new RegExp(`^${SECRETS_DIR}/([^/]+)/([^/]+)/([^/]+)$`).exec(x) : null;
    if (k.endsWith("_file") && m) {
      const value = secrets?.[`${m[1]}/${m[2]}`]?.[m[3] as string];
      assert.ok(value !== undefined, `fixture lacks the Secret ${m[1]}/${m[2]} key ${m[3]}`);
      out[k.replace(/_file$/, "")] = value;
    } else out[k] = inlineSecrets(x, secrets);
  }
  return out;
}

const canonMatcher = (s: string) => formatMatcher(parseMatcher(s));
const monthNumber = (s: string) => {
  const i = MONTHS.indexOf(s.toLowerCase());
  return i >= 0 ? `${i + 1}` : s;
};
const weekdayName = (s: string) => (/^\d$/.test(s) ? (WEEKDAYS[Number(s)] as string) : s.toLowerCase());
const ranges = (list: unknown, f: (s: string) => string) =>
  Array.isArray(list) ? list.map((r) => String(r).split(":").map(f).join(":")) : list;

/**
 * What Alertmanager reads the same written differently: matchers in one spelling, `time_intervals`
 * and the deprecated `mute_time_intervals` as one list, months as numbers and weekdays as names,
 * `bearer_token` as `authorization`, and no empty `templates`.
 */
function normalize(config: unknown): unknown {
  const c = structuredClone(config) as Record<string, unknown>;
  if (Array.isArray(c.templates) && c.templates.length === 0) delete c.templates;
  const intervals = [
    ...((c.time_intervals as unknown[]) ?? []),
    ...((c.mute_time_intervals as unknown[]) ?? []),
  ];
  delete c.mute_time_intervals;
  delete c.time_intervals;
  if (intervals.length > 0)
    c.time_intervals = intervals.map((t) => {
      const ti = t as { name: string; time_intervals: Record<string, unknown>[] };
      return {
        name: ti.name,
        time_intervals: ti.time_intervals.map((p) => ({
          ...p,
          ...(p.months ? { months: ranges(p.months, monthNumber) } : {}),
          ...(p.weekdays ? { weekdays: ranges(p.weekdays, weekdayName) } : {}),
          ...(p.days_of_month ? { days_of_month: ranges(p.days_of_month, String) } : {}),
          ...(p.years ? { years: ranges(p.years, String) } : {}),
        })),
      };
    });
  const route = (r: Record<string, unknown>) => {
    if (Array.isArray(r.matchers)) r.matchers = (r.matchers as string[]).map(canonMatcher);
    for (const child of (r.routes as Record<string, unknown>[] | undefined) ?? []) route(child);
  };
  route(c.route as Record<string, unknown>);
  for (const ir of (c.inhibit_rules as Record<string, unknown>[] | undefined) ?? [])
    for (const side of ["source_matchers", "target_matchers"])
      if (Array.isArray(ir[side])) ir[side] = (ir[side] as string[]).map(canonMatcher);
  const http = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(http);
    if (typeof v !== "object" || v === null) return;
    const o = v as Record<string, unknown>;
    if (typeof o.bearer_token === "string") {
      o.authorization = { type: "Bearer", credentials: o.bearer_token };
      delete o.bearer_token;
    }
    Object.values(o).forEach(http);
  };
  http(c.receivers);
  return c;
}

const fixtures = readdirSync(join(DIR, "cases"))
  .filter((f) => f.endsWith(".yaml"))
  .sort()
  .map((f) => ({ file: f, fx: parse(readFileSync(join(DIR, "cases", f), "utf8")) as Fixture }));

describe("the merge agrees with prometheus-operator's golden files", () => {
  it("has the fixtures", () => assert.ok(fixtures.length >= 18, `${fixtures.length} fixtures`));
  for (const { file, fx } of fixtures) {
    it(`${fx.operatorCase} (${file})`, () => {
      const version = fx.runAt ?? (older(fx.amVersion, "0.25.0") ? "0.25.0" : fx.amVersion);
      if (fx.runAt) assert.ok(fx.runAtWhy, "a fixture that runs at another version says why");
      const r = mergeAlertmanagerConfigs(fx.objects, {
        matcherStrategy: fx.matcherStrategy ?? "OnNamespace",
        alertmanagerNamespace: "alertmanager-namespace",
        base: fx.base ?? { route: { receiver: "null" }, receivers: [{ name: "null" }] },
        secretsDir: SECRETS_DIR,
        alertmanagerVersion: version,
      });
      if (fx.rejected) {
        assert.deepEqual(r.rejected, fx.rejected, JSON.stringify(r.problems, null, 1));
        return;
      }
      assert.deepEqual(r.rejected, [], JSON.stringify(r.problems, null, 1));
      const golden = parse(readFileSync(join(DIR, "golden", fx.golden as string), "utf8")) as unknown;
      assert.deepEqual(normalize(inlineSecrets(r.config, fx.secrets)), normalize(golden));
    });
  }
});
