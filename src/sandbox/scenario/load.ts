/**
 * Reading scenarios: a library name (`gpu-spike`) or a YAML file, validated with every problem
 * reported at once with its field path.
 */
import { existsSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigError, formatPath, zodProblems, type ConfigProblem } from "../../config/errors.js";
import { durationSeconds } from "../../config/primitives.js";
import { decodeText, readBounded } from "../../config/text-input.js";
import { parseYaml } from "../../config/yaml-input.js";
import { scenarioSchema, type Scenario } from "./schema.js";

/** The folder of the scenario library shipped with the package (`scenarios/` at its root). */
export const LIBRARY_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "scenarios");

/** The library's scenario names, sorted. */
export function libraryScenarios(): string[] {
  return readdirSync(LIBRARY_DIR)
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => f.slice(0, -".yaml".length))
    .sort();
}

/** Validates a parsed scenario; throws {@link ConfigError} with every problem. */
export function parseScenario(input: unknown, source: string): Scenario {
  const result = scenarioSchema.safeParse(input);
  if (!result.success) throw new ConfigError(zodProblems(result.error.issues), source);
  const s = result.data;
  const problems: ConfigProblem[] = [];
  const length = durationSeconds(s.duration);
  s.steps.forEach((step, i) => {
    if (durationSeconds(step.at) > length)
      problems.push({
        path: formatPath(["steps", i, "at"]),
        message: `is after the end of the scenario (${s.duration})`,
      });
  });
  s.expect.forEach((e, i) => {
    if (durationSeconds(e.at) > length)
      problems.push({
        path: formatPath(["expect", i, "at"]),
        message: `is after the end of the scenario (${s.duration})`,
      });
  });
  if (s.steps[0] && durationSeconds(s.steps[0].at) !== 0)
    problems.push({ path: "steps[0].at", message: "the first step must be at 0s (the initial state)" });
  if (problems.length > 0) throw new ConfigError(problems, source);
  return s;
}

/** Loads `nameOrFile`: a library scenario's name, or a path to a YAML file. */
export function loadScenario(nameOrFile: string): Scenario {
  const library = join(LIBRARY_DIR, `${nameOrFile}.yaml`);
  const path = /^[a-z0-9-]+$/.test(nameOrFile) && existsSync(library) ? library : nameOrFile;
  if (!existsSync(path)) {
    throw new ConfigError(
      [
        {
          path: "",
          message: `no such scenario file or library scenario (library: ${libraryScenarios().join(", ")})`,
        },
      ],
      nameOrFile,
    );
  }
  // Read within the config's limits (size, UTF-8, nesting, aliases), like a config file.
  const [data] = parseYaml(decodeText(readBounded(path), path), { source: path });
  return parseScenario(data ?? {}, path);
}
