/**
 * The page's own script (plain browser JavaScript, ES2017, inlined after the charting library).
 * It reads the JSON data element, draws each chart with Chart.js, and publishes on
 * `window.__timeline` a {@link PageSummary} read back from Chart.js's live objects: what was
 * really drawn, for tests and for anyone poking at the page.
 *
 * It is kept as a string, not as a compiled function, so that no build tool can inject helpers
 * into it.
 */

/** One dataset of a drawn chart. */
export interface DrawnDataset {
  readonly label: string;
  /** Elements Chart.js created for it (one per sample). */
  readonly points: number;
  readonly visible: boolean;
  /** The y scale it is drawn against. */
  readonly yAxisID: string;
  /** Pixel position of its last point. */
  readonly last: { x: number; y: number } | null;
}

/** One annotation of a drawn chart, from chartjs-plugin-annotation's elements. */
export interface DrawnAnnotation {
  readonly id: string;
  readonly type: string;
  /**
   * `band` (`band-*`), `mark` (`mark-*`), `step` (`step-*`), `line` (limits, targets), or `label`
   * (`*-label`: the text of the mark or step of the same id, which carries it as its `label`).
   */
  readonly kind: "band" | "mark" | "step" | "line" | "label";
  readonly label: string | null;
  readonly display: boolean;
  /** Pixel geometry of the element on the canvas. */
  readonly x: number;
  readonly x2: number;
  readonly y: number;
  readonly y2: number;
}

/** What `window.__timeline` holds once the page has drawn. */
export interface PageSummary {
  readonly ready: true;
  readonly scenario: string;
  readonly passed: boolean;
  readonly charts: readonly {
    readonly testId: string;
    readonly canvasId: string;
    readonly workload: string;
    readonly kind: "replicas" | "signals";
    readonly chartArea: { left: number; right: number; top: number; bottom: number };
    readonly datasets: readonly DrawnDataset[];
    readonly annotations: readonly DrawnAnnotation[];
  }[];
}

/** The script; it expects `window.Chart` and `window["chartjs-plugin-annotation"]`. */
export const CLIENT_SCRIPT = String.raw`
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var Chart = window.Chart;
  var annotation = window["chartjs-plugin-annotation"];
  Chart.register(annotation);
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.color = "#222";
  var AXIS_PX = 64;

  function clock(seconds) {
    var s = Math.max(0, Math.round(seconds));
    var ss = String(s % 60);
    return Math.floor(s / 60) + ":" + (ss.length < 2 ? "0" + ss : ss);
  }

  function text(content) {
    if (content === null || content === undefined) return null;
    return Array.isArray(content) ? content.join(" ") : String(content);
  }

  function kindOf(id) {
    var prefix = id.split("-")[0];
    if (/-label$/.test(id)) return "label";
    return prefix === "band" || prefix === "mark" || prefix === "step" ? prefix : "line";
  }

  function summarize(spec, chart) {
    var elements = annotation.getAnnotations(chart).filter(function (e) { return e && e.options; });
    var labels = {};
    elements.forEach(function (e) {
      if (e.options.type === "label") labels[e.options.id] = text(e.options.content);
    });
    return {
      testId: spec.testId,
      canvasId: spec.canvasId,
      workload: spec.workload,
      kind: spec.kind,
      chartArea: { left: chart.chartArea.left, right: chart.chartArea.right, top: chart.chartArea.top, bottom: chart.chartArea.bottom },
      datasets: chart.data.datasets.map(function (d, i) {
        var meta = chart.getDatasetMeta(i);
        var last = meta.data[meta.data.length - 1];
        return {
          label: d.label,
          points: meta.data.length,
          visible: chart.isDatasetVisible(i),
          yAxisID: meta.yAxisID,
          last: last ? { x: last.x, y: last.y } : null,
        };
      }),
      annotations: elements.map(function (e) {
        var o = e.options;
        var kind = kindOf(o.id);
        var label = o.type === "label" ? text(o.content)
          : labels[o.id + "-label"] !== undefined ? labels[o.id + "-label"]
          : o.label && o.label.display ? text(o.label.content) : null;
        return { id: o.id, type: o.type, kind: kind, label: label, display: o.display !== false, x: e.x, x2: e.x2, y: e.y, y2: e.y2 };
      }),
    };
  }

  var drawn = data.charts.map(function (spec) {
    var config = spec.config;
    config.options.scales.x.ticks.callback = function (value) { return clock(value); };
    // Fixed-width y axes (and room for one on the right) so that every chart's time axis lines up.
    var scales = config.options.scales;
    var right = false;
    Object.keys(scales).forEach(function (id) {
      if (id === "x") return;
      if (scales[id].position === "right") right = true;
      scales[id].afterFit = function (scale) { scale.width = AXIS_PX; };
    });
    if (spec.yTicksUpTo !== undefined) {
      scales.y.ticks.callback = function (value) { return value > spec.yTicksUpTo ? "" : value; };
    }
    config.options.layout = { padding: { right: right ? 8 : AXIS_PX + 8 } };
    config.options.plugins.tooltip = {
      callbacks: {
        title: function (items) { return items.length ? "t = " + clock(items[0].parsed.x) : ""; },
      },
    };
    return { spec: spec, chart: new Chart(document.getElementById(spec.canvasId), config) };
  });

  // Read on access, so that the geometry is the current one after a resize.
  window.__timeline = Object.defineProperty(
    { ready: true, scenario: data.timeline.scenario.name, passed: data.timeline.passed },
    "charts",
    { enumerable: true, get: function () { return drawn.map(function (d) { return summarize(d.spec, d.chart); }); } }
  );
  document.documentElement.setAttribute("data-ready", "true");
})();
`;
