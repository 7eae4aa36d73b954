import js from "@eslint/js";
import tseslint from "typescript-eslint";

/**
 * The one-way dependency direction of src/ (see src/README.md): each folder may import only the
 * folders listed for it. A wrong import fails `npm run lint`.
 */
const CORE = ["catalog", "presets", "promql", "matchers", "config"];
const GENERATORS = ["autoscaling", "rules", "alertmanager-config", "dashboard"];
const ALLOWED = {
  catalog: [],
  presets: ["catalog"],
  promql: ["catalog"],
  matchers: [],
  tools: [],
  config: ["catalog", "presets", "promql", "matchers"],
  autoscaling: [...CORE],
  "alertmanager-config": [...CORE],
  dashboard: [...CORE],
  // Alerts link to the dashboard's view of their workload.
  rules: [...CORE, "dashboard"],
  // build.ts and time-scale: generate() and the time scale applied to its output.
  "time-scale": [...CORE, ...GENERATORS, "build"],
  "operator-merge": [...CORE, "alertmanager-config"],
  "monitoring-stack": [...CORE, ...GENERATORS, "build"],
  render: [...CORE, ...GENERATORS, "build", "operator-merge"],
  verify: [...CORE, ...GENERATORS, "build", "time-scale", "operator-merge", "render", "tools"],
  sandbox: [
    ...CORE,
    ...GENERATORS,
    "build",
    "time-scale",
    "operator-merge",
    "render",
    "monitoring-stack",
    "tools",
  ],
  notify: [...CORE, ...GENERATORS, "build", "operator-merge", "render", "verify", "sandbox", "tools"],
  pulumi: [...CORE, ...GENERATORS, "build", "monitoring-stack"],
};
const FOLDERS = [...Object.keys(ALLOWED), "cli", "build", "index"];
const layering = Object.entries(ALLOWED).map(([folder, allowed]) => {
  const forbidden = FOLDERS.filter((f) => f !== folder && !allowed.includes(f));
  return {
    files: [`src/${folder}/**/*.ts`],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: `^(\\.\\./)+(${forbidden.join("|")})(/|\\.js$)`,
              message: `src/${folder} may import only ${allowed.length ? allowed.join(", ") : "nothing outside itself"} (the layers in src/README.md).`,
            },
          ],
        },
      ],
    },
  };
});

export default tseslint.config(
  { ignores: ["dist/", "out/", "node_modules/", "coverage/", "scratch/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      "no-console": "off",
    },
  },
  ...layering,
);
