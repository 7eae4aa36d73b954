/**
 * The docs a newcomer reads: the generated configuration reference is what the schema says today,
 * every relative link of README.md and docs/*.md reaches a file (and its heading, for an anchor),
 * the README fits on two screens, and every alert of the catalog has a runbook entry and a row in
 * the runbooks' "All alerts" table.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { configReferenceFile, CONFIG_DOCS_PATH } from "../scripts/config-docs-file.js";
import { configReference } from "../scripts/config-docs.js";
import { ALERT_NAMES, CATALOG } from "../src/catalog/catalog.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const read = (path: string): string => readFileSync(join(ROOT, path), "utf8");
const DOCS = [
  "README.md",
  ...readdirSync(join(ROOT, "docs"))
    .filter((f) => f.endsWith(".md"))
    .map((f) => `docs/${f}`),
];

/** Markdown without fenced code blocks and inline code, where `[x](y)` is not a link. */
function prose(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, "").replace(/`[^`\n]*`/g, "``");
}

/** The anchors GitHub gives a file's headings (github-slugger: lower case, punctuation dropped). */
export function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  const withoutFences = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, "");
  for (const m of withoutFences.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const text = (m[1] ?? "")
      .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
      .replace(/<[^>]+>/g, "")
      .toLowerCase();
    const base = text.replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "").replace(/ /g, "-");
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  for (const m of markdown.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) out.add(m[1] ?? "");
  return out;
}

/** `[text](target)` links of a file's prose that point inside the repository. */
function relativeLinks(markdown: string): string[] {
  const links = [...prose(markdown).matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map(
    (m) => m[1] ?? "",
  );
  return links.filter((l) => !/^[a-z][a-z0-9+.-]*:/i.test(l));
}

describe("docs", () => {
  it("docs/configuration.md is the reference generated from today's schema (npm run docs:config)", async () => {
    assert.equal(read(CONFIG_DOCS_PATH), await configReferenceFile(), "run `npm run docs:config` and commit");
  });

  it("the generated reference has a row for every key of the schema, required ones marked", () => {
    const md = configReference({
      type: "object",
      required: ["workloads"],
      properties: {
        workloads: {
          type: "array",
          description: "The workloads.",
          items: {
            type: "object",
            required: ["name"],
            properties: {
              name: { type: "string", maxLength: 63, description: "Its name." },
              alerts: {
                type: "object",
                properties: { X: { type: "object", properties: { for: { type: "string", default: "5m" } } } },
              },
            },
          },
        },
        notifications: {
          type: "object",
          properties: {
            receivers: {
              type: "array",
              items: {
                oneOf: [
                  {
                    type: "object",
                    properties: {
                      name: { type: "string" },
                      type: { const: "slack" },
                      apiUrl: { type: "object", properties: { secret: {}, key: {} } },
                    },
                  },
                  {
                    type: "object",
                    properties: { name: { type: "string" }, type: { const: "email" }, to: {} },
                  },
                ],
              },
            },
          },
        },
      },
    });
    assert.match(
      md,
      /\| `workloads` \| list of objects, see `workloads\[\]` \| \*\*required\*\* \| The workloads\. \|/,
    );
    assert.match(md, /## `workloads\[\]`\n/);
    assert.match(md, /\| `name` \| string \(at most 63 characters\) \| \*\*required\*\* \| Its name\. \|/);
    assert.match(md, /\| `alerts\.X\.for` \| string \| `"5m"` \|/);
    assert.match(md, /## `notifications\.receivers\[\]` with `type: slack`/);
    assert.match(md, /\| `apiUrl` \| Secret reference `\{ secret, key \}` \|/);
    assert.match(md, /Keys every kind has:\n\n\| key .*\n.*\n\| `name` \|/);
  });

  it("every relative link of README.md and docs/*.md reaches a file, and its heading when it names one", () => {
    const broken: string[] = [];
    for (const doc of DOCS) {
      for (const link of relativeLinks(read(doc))) {
        const [path = "", anchor] = link.split("#", 2);
        const target = path === "" ? join(ROOT, doc) : resolve(join(ROOT, dirname(doc)), decodeURI(path));
        if (!existsSync(target)) {
          broken.push(`${doc}: ${link} (no ${relative(ROOT, target)})`);
          continue;
        }
        if (anchor !== undefined && statSync(target).isFile() && target.endsWith(".md")) {
          if (!anchors(readFileSync(target, "utf8")).has(anchor))
            broken.push(`${doc}: ${link} (no heading #${anchor} in ${relative(ROOT, target)})`);
        }
      }
    }
    assert.deepEqual(broken, []);
  });

  it("the link check sees broken links and anchors", () => {
    assert.deepEqual(relativeLinks("[a](docs/x.md#y) `[b](no.md)` [c](https://e.example) [d](#z)"), [
      "docs/x.md#y",
      "#z",
    ]);
    const a = anchors(
      "# Quick start: the two commands\n## `workloads[].autoscaling`\n## A\n## A\n```\n# not\n```",
    );
    assert.deepEqual([...a], ["quick-start-the-two-commands", "workloadsautoscaling", "a", "a-1"]);
  });

  it("the README fits on two screens and links to the docs it sends readers to", () => {
    const readme = read("README.md");
    const lines = readme.split("\n");
    assert.ok(lines.length <= 110, `README.md has ${lines.length} lines`);
    for (const l of lines)
      assert.ok(l.length <= 120, `a README line is ${l.length} characters: ${l.slice(0, 60)}...`);
    assert.match(readme, /npm ci && npm start/);
    assert.match(readme, /npm ci && npm test/);
    for (const doc of [
      "configuration.md",
      "cli.md",
      "how-it-works.md",
      "pulumi.md",
      "operations.md",
      "runbooks.md",
    ])
      assert.ok(readme.includes(`(docs/${doc}`), `README.md links to docs/${doc}`);
    assert.doesNotMatch(
      readme,
      /npm install ai-scaling-alerts(?![@\w-])/,
      "the package is not on the registry",
    );
  });

  it("every alert of the catalog has a runbook entry and its row in the All alerts table", () => {
    const runbooks = read("docs/runbooks.md");
    const headings = anchors(runbooks);
    const table = runbooks.slice(runbooks.indexOf("### All alerts"));
    for (const name of ALERT_NAMES) {
      const spec = CATALOG[name];
      assert.ok(headings.has(name.toLowerCase()), `a runbook entry ## ${name}`);
      const row = new RegExp(
        `^\\| \\[${name}\\]\\(#${name.toLowerCase()}\\) +\\| \`${spec.event}\` +\\| ${spec.severity} +\\| ${spec.for}[ |(]`,
        "m",
      );
      assert.match(
        table,
        row,
        `the All alerts row of ${name}: event ${spec.event}, ${spec.severity}, for ${spec.for}`,
      );
    }
  });
});
