/**
 * The charting library the page inlines: Chart.js's UMD build and chartjs-plugin-annotation's,
 * read from node_modules when a report is made (the page then needs no network).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/** The minified scripts of the charting library, in load order. */
export interface ChartAssets {
  readonly chartJs: string;
  readonly annotationPlugin: string;
}

let cached: ChartAssets | undefined;

/**
 * The file next to a package's CommonJS entry point: neither package exports its browser build
 * in `exports`, but both ship it in the same `dist/` folder as their entry point.
 */
function sibling(pkg: string, file: string): string {
  const require = createRequire(import.meta.url);
  try {
    return join(dirname(require.resolve(pkg)), file);
  } catch (e) {
    throw new Error(
      `the report needs the npm package ${pkg} (a dependency of ai-scaling-alerts): ${(e as Error).message}`,
      { cause: e },
    );
  }
}

/** Reads (once per process) the browser builds of Chart.js and its annotation plugin. */
export function chartAssets(): ChartAssets {
  cached ??= {
    chartJs: readFileSync(sibling("chart.js", "chart.umd.min.js"), "utf8"),
    annotationPlugin: readFileSync(
      sibling("chartjs-plugin-annotation", "chartjs-plugin-annotation.min.js"),
      "utf8",
    ),
  };
  return cached;
}
