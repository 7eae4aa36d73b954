/**
 * `verify`: proves before deploy that every alert is valid, selected, and reaches the right
 * receiver. Each check is one row of the report; a missing promtool or amtool skips only the checks
 * that need it, saying how to install it.
 */
import type { AlertmanagerYaml, MergeProblem } from "../operator-merge/index.js";
import { schemaCheckedObjects, type GeneratedObjects } from "../build.js";
import { promqlSyntaxErrors } from "../promql/syntax.js";
import { standaloneAlertmanagerConfig, type StandaloneOptions } from "../render/alertmanager-yaml.js";
import { schemaViolations } from "../render/schema-check.js";
import { toYaml } from "../render/yaml.js";
import { alertInstances } from "./alert-labels.js";
import { checkCoverage } from "./coverage.js";
import { count, detailFields, statusOf, type Check, type Finding } from "./report.js";
import { checkSelection } from "./selection.js";
import { findTool, INSTALL_HINTS, runTool, toolVersion, type ToolName } from "./tools.js";
import { atLeast, parseVersion, type Version } from "../catalog/alertmanager-versions.js";
import { INTEGRATIONS } from "../operator-merge/crd-integrations.js";
import { buildUnitTests, UnitTestInputError } from "./unit-tests.js";
import { unusedReceivers } from "./unused-receivers.js";

export interface VerifyOptions extends StandaloneOptions {
  /** Tool paths; `null` means "treat as missing" (tests), undefined means "look on PATH". */
  readonly tools?: Partial<Record<ToolName, string | null>>;
}

function tool(name: ToolName, options: VerifyOptions): string | undefined {
  const given = options.tools?.[name];
  return given === null ? undefined : (given ?? findTool(name));
}

const skipped = (id: string, title: string, name: ToolName): Check => ({
  id,
  title,
  status: "skip",
  summary: `skipped: ${name} not found; ${INSTALL_HINTS[name]}`,
  details: [],
});

function schemaCheck(g: GeneratedObjects): Check {
  const objects = schemaCheckedObjects(g);
  const v = schemaViolations(objects);
  return {
    id: "schema",
    title: "Object schemas",
    status: v.length === 0 ? "pass" : "fail",
    summary:
      v.length === 0
        ? `${objects.length} objects valid against the published schemas`
        : `${v.length} of ${objects.length} objects fail their schema`,
    details: v.map((x) => `${x.object}: ${x.message}`),
  };
}

function syntaxCheck(g: GeneratedObjects): Check {
  const details: string[] = [];
  let count = 0;
  for (const group of g.ruleGroups) {
    for (const rule of group.rules) {
      count++;
      const name = "alert" in rule ? rule.alert : rule.record;
      for (const e of promqlSyntaxErrors(rule.expr)) details.push(`${group.name} / ${name}: ${e.message}`);
    }
  }
  return {
    id: "promql-syntax",
    title: "PromQL syntax",
    status: details.length === 0 ? "pass" : "fail",
    summary: details.length === 0 ? `${count} expressions parse` : `${details.length} syntax errors`,
    details,
  };
}

function promtoolCheck(g: GeneratedObjects, bin: string | undefined): Check {
  const title = "promtool check rules";
  if (!bin) return skipped("promtool-check", title, "promtool");
  const r = runTool(bin, ["check", "rules", "rules.yml"], { "rules.yml": toYaml({ groups: g.ruleGroups }) });
  const lint = r.output.split("\n").filter((l) => /lint|duplicate/i.test(l));
  const findings: Finding[] = r.ok
    ? lint.map((text) => ({ level: "problem", text }))
    : [
        { level: "problem", text: "promtool check rules refuses the generated rules (its output follows)" },
        ...r.output.split("\n").map((text): Finding => ({ level: "note", text })),
      ];
  return {
    id: "promtool-check",
    title,
    status: statusOf(findings),
    summary: r.ok ? `${g.ruleGroups.length} groups accepted` : "promtool rejects the rules",
    ...detailFields(findings),
  };
}

function unitTestsCheck(g: GeneratedObjects, bin: string | undefined): Check {
  const title = "Alert unit tests (promtool)";
  if (!bin) return skipped("unit-tests", title, "promtool");
  let tests: ReturnType<typeof buildUnitTests>;
  try {
    tests = buildUnitTests(g.resolved);
  } catch (e) {
    if (!(e instanceof UnitTestInputError)) throw e;
    return {
      id: "unit-tests",
      title,
      status: "warn",
      summary: "no test input can be generated for this config's selectors",
      details: [e.message],
    };
  }
  const r = runTool(bin, ["test", "rules", "tests.yml"], {
    "rules.yml": toYaml({ groups: g.ruleGroups }),
    "tests.yml": toYaml(tests),
  });
  const n = tests.tests.length;
  return {
    id: "unit-tests",
    title,
    status: r.ok ? "pass" : "fail",
    summary: r.ok
      ? `${n} scenarios for this config's workloads and overrides pass`
      : "alerts do not behave as configured",
    ...detailFields(
      r.ok
        ? []
        : [
            {
              level: "problem",
              text: "promtool test rules: some alerts do not behave as configured (its output follows)",
            },
            ...r.output
              .split("\n")
              .slice(0, 60)
              .map((text): Finding => ({ level: "note", text })),
          ],
    ),
  };
}

const problemLine = (p: MergeProblem) => `${p.object} ${p.path} [${p.code}]: ${p.message}`;

function mergeCheck(problems: readonly MergeProblem[], rejected: readonly string[]): Check {
  const errors = problems.filter((p) => p.severity === "error");
  const warnings = problems.filter((p) => p.severity === "warning");
  return {
    id: "operator-merge",
    title: "Operator merge",
    status: errors.length > 0 ? "fail" : warnings.length > 0 ? "warn" : "pass",
    summary:
      errors.length > 0
        ? `${count(errors.length, "problem")}, ${count(warnings.length, "warning")}${rejected.length > 0 ? `; the operator would reject ${rejected.join(", ")}` : ""}`
        : warnings.length > 0
          ? `merged with ${count(warnings.length, "warning")}`
          : "every AlertmanagerConfig merges as the Prometheus Operator does it",
    ...detailFields([
      ...errors.map((p): Finding => ({ level: "problem", text: problemLine(p) })),
      ...warnings.map((p): Finding => ({ level: "warning", text: problemLine(p) })),
    ]),
  };
}

/**
 * amtool check-config on the merged file. An amtool older than the targeted Alertmanager cannot
 * check the file `render` writes for that version: it checks a merge made for its own version
 * (integrations it lacks, such as msteams before 0.26 and msteamsv2 before 0.28, left out), and the row is a WARN saying that the file written for
 * the targeted version was not checked, never a PASS.
 */
function amtoolCheck(
  g: GeneratedObjects,
  options: VerifyOptions,
  target: AlertmanagerYaml,
  bin: string | undefined,
): Check {
  const title = "amtool check-config";
  if (!bin) return skipped("amtool-check", title, "amtool");
  const version = toolVersion(bin);
  const wanted = options.alertmanagerVersion ?? g.resolved.monitoring.operator.alertmanagerVersion;
  if (version && !atLeast(parseVersion(version), wanted)) {
    const v = parseVersion(version);
    const stripped = new Set<string>();
    const strip = (o: unknown) => withoutNewer(o, v, stripped);
    const merged = standaloneAlertmanagerConfig(
      { ...g, alertmanagerConfigs: g.alertmanagerConfigs.map(strip) as typeof g.alertmanagerConfigs },
      { ...options, extraObjects: (options.extraObjects ?? []).map(strip), alertmanagerVersion: version },
    );
    const without = [...stripped].sort().join(", ");
    const r = runTool(bin, ["check-config", "alertmanager.yml"], {
      "alertmanager.yml": toYaml(merged.config),
    });
    return {
      id: "amtool-check",
      title,
      status: r.ok ? "warn" : "fail",
      summary: r.ok
        ? `not checked for ${wanted}: amtool ${version} is older, so the file written for ${wanted} was not checked (a merge for ${version}${without ? ` without its ${without}` : ""} loads)`
        : `amtool ${version} rejects even a merge made for its own version (the file written for ${wanted} was not checked)`,
      ...detailFields(
        r.ok
          ? [
              {
                level: "warning",
                text: `the alertmanager.yml render writes for Alertmanager ${wanted} was not checked: amtool ${version} is older`,
              },
              {
                level: "note",
                text: `install amtool ${wanted} or later and run verify again, or verify with --alertmanager-version ${version} for an Alertmanager ${version}`,
              },
            ]
          : amtoolOutput(r.output, `amtool ${version} rejects a merge made for its own version`),
      ),
    };
  }
  const r = runTool(bin, ["check-config", "alertmanager.yml"], { "alertmanager.yml": toYaml(target) });
  return {
    id: "amtool-check",
    title,
    status: r.ok ? "pass" : "fail",
    summary: r.ok ? "the merged alertmanager.yml loads" : "amtool rejects the merged alertmanager.yml",
    ...detailFields(
      r.ok ? [] : amtoolOutput(r.output, "amtool check-config rejects the merged alertmanager.yml"),
    ),
  };
}

/** A problem line, then amtool's output as notes. */
function amtoolOutput(output: string, problem: string): Finding[] {
  return [
    { level: "problem", text: `${problem} (its output follows)` },
    ...output.split("\n").map((text): Finding => ({ level: "note", text })),
  ];
}

/**
 * The object without the integrations Alertmanager `v` lacks (msteams below 0.26, msteamsv2 below
 * 0.28...), whose CRD keys are added to `stripped`: the merge would reject the whole object.
 */
function withoutNewer(o: unknown, v: Version, stripped: Set<string>): unknown {
  const copy = structuredClone(o) as { spec?: { receivers?: Record<string, unknown>[] } };
  for (const r of copy.spec?.receivers ?? [])
    for (const key of Object.keys(r)) {
      const since = INTEGRATIONS[key]?.since;
      if (since && !atLeast(v, since)) {
        delete r[key];
        stripped.add(key);
      }
    }
  return copy;
}

function selectionCheck(g: GeneratedObjects): Check {
  const results = checkSelection(g);
  const bad = results.filter((r) => !r.selected);
  return {
    id: "selection",
    title: "Selection by Prometheus/Alertmanager",
    status: bad.length === 0 ? "pass" : "fail",
    summary:
      bad.length === 0
        ? `the PrometheusRule and ${g.alertmanagerConfigs.length} AlertmanagerConfig(s) are selected`
        : `${bad.length} object(s) would be ignored`,
    ...detailFields(
      results.map((r) => ({
        level: r.selected ? "note" : "problem",
        text: `${r.object}: ${r.selected ? "selected" : "NOT selected"}: ${r.reason}`,
      })),
    ),
  };
}

function coverageCheck(g: GeneratedObjects, config: AlertmanagerYaml): Check {
  const coverage = checkCoverage(config, alertInstances(g.resolved));
  const { routings } = coverage;
  // A receiver nothing routes to loses no alert: a warning that names it, not a failure.
  const unused = unusedReceivers(g, routings).map((u) => ({
    level: "warning" as const,
    code: "unused-receiver",
    message: u.message,
  }));
  const all = [
    ...coverage.findings.map((f) => ({
      level: f.status === "fail" ? ("problem" as const) : ("warning" as const),
      code: f.code,
      message: f.message,
    })),
    ...unused,
  ];
  const findings: Finding[] = [
    ...all.filter((f) => f.level === "problem"),
    ...all.filter((f) => f.level === "warning"),
  ].map((f) => ({ level: f.level, text: `[${f.code}] ${f.message}` }));
  const problems = findings.filter((f) => f.level === "problem").length;
  const delivered = routings.filter((r) => r.delivered.length > 0).length;
  return {
    id: "route-coverage",
    title: "Route coverage",
    status: statusOf(findings),
    summary: `${delivered} of ${routings.length} alert x workload combinations reach a receiver; ${count(problems, "problem")}, ${count(findings.length - problems, "warning")}`,
    ...detailFields(findings),
  };
}

/** Runs every check for one generated config. */
export function verify(g: GeneratedObjects, options: VerifyOptions = {}): Check[] {
  const promtool = tool("promtool", options);
  const amtool = tool("amtool", options);
  const checks: Check[] = [schemaCheck(g), syntaxCheck(g), promtoolCheck(g, promtool)];
  if (g.alertmanagerConfigs.length > 0 || (options.extraObjects ?? []).length > 0) {
    const merged = standaloneAlertmanagerConfig(g, options);
    checks.push(mergeCheck(merged.problems, merged.rejected));
    checks.push(amtoolCheck(g, options, merged.config, amtool));
    checks.push(selectionCheck(g));
    checks.push(coverageCheck(g, merged.config));
  } else {
    checks.push(selectionCheck(g), {
      id: "route-coverage",
      title: "Route coverage",
      status: "warn",
      summary:
        "no notifications configured: alerts fire but are routed by whatever the Alertmanager already has",
      details: [],
    });
  }
  checks.push(unitTestsCheck(g, promtool));
  return checks;
}
