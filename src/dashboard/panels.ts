/**
 * The dashboard's panels, built with the typed builders of `@grafana/grafana-foundation-sdk`:
 * one function per kind of panel, fed with the queries of `queries.ts`.
 */
import type * as cog from "@grafana/grafana-foundation-sdk/cog";
import * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import * as common from "@grafana/grafana-foundation-sdk/common";
import * as prometheus from "@grafana/grafana-foundation-sdk/prometheus";
import * as statetimeline from "@grafana/grafana-foundation-sdk/statetimeline";
import * as table from "@grafana/grafana-foundation-sdk/table";
import * as timeseries from "@grafana/grafana-foundation-sdk/timeseries";
import { DASHBOARD_VARS } from "./link.js";

/** The data source every query uses: the dashboard's Prometheus variable. */
export const DATASOURCE: common.DataSourceRef = { type: "prometheus", uid: `$${DASHBOARD_VARS.datasource}` };

/** One query of a panel: its PromQL and the name it shows in the legend. */
export interface PanelQuery {
  readonly expr: string;
  readonly legend: string;
  /** Draw it as a limit (dashed line, no fill) rather than a measured series. */
  readonly limit?: "min" | "max" | "target";
}

const LIMIT_COLOURS = { min: "orange", max: "red", target: "purple" } as const;

function target(q: PanelQuery, i: number, instant = false): prometheus.DataqueryBuilder {
  const b = new prometheus.DataqueryBuilder()
    .datasource(DATASOURCE)
    .refId(String.fromCharCode(65 + i))
    .expr(q.expr)
    .legendFormat(q.legend);
  return instant ? b.instant().format(prometheus.PromQueryFormat.Table) : b.range();
}

/** Overrides that draw the limit queries as dashed lines without fill. */
function limitOverrides(queries: readonly PanelQuery[]) {
  return queries.flatMap((q, i) =>
    q.limit
      ? [
          {
            matcher: { id: "byFrameRefID", options: String.fromCharCode(65 + i) },
            properties: [
              { id: "custom.lineStyle", value: { fill: "dash", dash: [10, 10] } },
              { id: "custom.fillOpacity", value: 0 },
              { id: "color", value: { mode: "fixed", fixedColor: LIMIT_COLOURS[q.limit] } },
            ],
          },
        ]
      : [],
  );
}

/** Static lines on a panel (e.g. an alert's default threshold), drawn dashed. */
export interface StaticLine {
  readonly value: number;
  readonly color: string;
}

/** A time series panel; `limit` queries are dashed lines (min/max, targets). */
export function timeSeriesPanel(options: {
  readonly title: string;
  readonly description: string;
  readonly queries: readonly PanelQuery[];
  readonly unit?: string;
  readonly lines?: readonly StaticLine[];
  readonly width?: number;
  readonly min?: number;
}): timeseries.PanelBuilder {
  const b = new timeseries.PanelBuilder()
    .title(options.title)
    .description(options.description)
    .datasource(DATASOURCE)
    .targets(options.queries.map((q, i) => target(q, i)))
    .height(8)
    .span(options.width ?? 12)
    .unit(options.unit ?? "short")
    .lineWidth(2)
    .fillOpacity(10)
    .showPoints(common.VisibilityMode.Never)
    .legend(
      new common.VizLegendOptionsBuilder()
        .displayMode(common.LegendDisplayMode.List)
        .placement(common.LegendPlacement.Bottom)
        .showLegend(true),
    )
    .tooltip(new common.VizTooltipOptionsBuilder().mode(common.TooltipDisplayMode.Multi))
    .overrides(limitOverrides(options.queries));
  if (options.min !== undefined) b.min(options.min);
  if (options.lines && options.lines.length > 0) {
    b.thresholds(
      new dashboard.ThresholdsConfigBuilder()
        .mode(dashboard.ThresholdsMode.Absolute)
        .steps([
          { value: null, color: "transparent" },
          ...[...options.lines]
            .sort((a, z) => a.value - z.value)
            .map((l) => ({ value: l.value, color: l.color })),
        ]),
    ).thresholdsStyle(
      new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed),
    );
  }
  return b;
}

/** A state timeline: one lane per series, values mapped to text and colours. */
export function stateTimelinePanel(options: {
  readonly title: string;
  readonly description: string;
  readonly queries: readonly PanelQuery[];
  readonly mappings: readonly { readonly value: string; readonly text: string; readonly color: string }[];
  readonly width?: number;
}): statetimeline.PanelBuilder {
  return new statetimeline.PanelBuilder()
    .title(options.title)
    .description(options.description)
    .datasource(DATASOURCE)
    .targets(options.queries.map((q, i) => target(q, i)))
    .height(7)
    .span(options.width ?? 12)
    .showValue(common.VisibilityMode.Never)
    .mergeValues(true)
    .mappings([
      {
        type: dashboard.MappingType.ValueToText,
        options: Object.fromEntries(
          options.mappings.map((m, i) => [m.value, { text: m.text, color: m.color, index: i }]),
        ),
      },
    ]);
}

/** A table of an instant query. */
export function tablePanel(options: {
  readonly title: string;
  readonly description: string;
  readonly query: PanelQuery;
  readonly hide: readonly string[];
}): table.PanelBuilder {
  return new table.PanelBuilder()
    .title(options.title)
    .description(options.description)
    .datasource(DATASOURCE)
    .targets([target(options.query, 0, true)])
    .height(8)
    .span(24)
    .noValue("Nothing of the catalog is firing")
    .withTransformation({
      id: "organize",
      options: { excludeByName: Object.fromEntries(options.hide.map((h) => [h, true])) },
    });
}

/** A collapsible row heading. */
export function row(title: string): dashboard.RowBuilder {
  return new dashboard.RowBuilder(title);
}

/** An annotation from a Prometheus query: one region per series while it is 1. */
export function alertAnnotation(options: {
  readonly name: string;
  readonly expr: string;
  readonly color: string;
  readonly title: string;
  readonly text: string;
}): dashboard.AnnotationQueryBuilder {
  return new dashboard.AnnotationQueryBuilder()
    .name(options.name)
    .datasource(DATASOURCE)
    .enable(true)
    .iconColor(options.color)
    .expr(options.expr)
    .step("30s")
    .titleFormat(options.title)
    .textFormat(options.text)
    .tagKeys("alertname,event,severity");
}

export type { cog };
