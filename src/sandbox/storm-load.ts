/**
 * Whether Prometheus, the simulated exporters and Alertmanager keep up during a storm: scrape
 * durations and health per job, rule group evaluation time against the interval, missed
 * iterations, dropped or failed notifications. Read from the real processes' APIs and `/metrics`.
 */
import type { PrometheusSandbox } from "./prometheus.js";
import { httpRequest } from "./process.js";

/**
 * The sum of a metric's samples in Prometheus text format, over the series whose labels contain
 * every `name="value"` of `having` (e.g. `integration="webhook"`).
 */
export function metricSum(text: string, metric: string, having: readonly string[] = []): number {
  let sum = 0;
  for (const line of text.split("\n")) {
    if (line.startsWith("#") || !line.startsWith(metric)) continue;
    const rest = line.slice(metric.length);
    if (rest[0] !== "{" && rest[0] !== " ") continue;
    if (!having.every((h) => rest.includes(h))) continue;
    sum += Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return sum;
}

/** `GET <url>/metrics` as text. */
export async function selfMetricsText(url: string): Promise<string> {
  const res = await httpRequest("GET", `${url}/metrics`, { timeoutMs: 30_000 });
  if (res.status !== 200) throw new Error(`GET ${url}/metrics answered ${res.status}`);
  return res.body;
}

/** One scrape job's health over a window. */
export interface ScrapeHealth {
  readonly job: string;
  /** The longest scrape (seconds) and the lowest `up` in the window. */
  readonly maxDurationSeconds: number;
  readonly minUp: number;
  /** Samples of the last scrape. */
  readonly samples: number;
}

/** Per job: the longest scrape, the lowest `up` over the last `windowSeconds`, and the last sample count. */
export async function scrapeHealth(prom: PrometheusSandbox, windowSeconds: number): Promise<ScrapeHealth[]> {
  const w = `${Math.max(1, Math.round(windowSeconds))}s`;
  const [dur, up, samples] = await Promise.all([
    prom.query(`max by (job) (max_over_time(scrape_duration_seconds[${w}]))`),
    prom.query(`min by (job) (min_over_time(up[${w}]))`),
    prom.query("sum by (job) (scrape_samples_scraped)"),
  ]);
  const of = (list: typeof dur, job: string): number => list.find((s) => s.labels.job === job)?.value ?? NaN;
  return dur
    .map((s) => s.labels.job ?? "")
    .sort()
    .map((job) => ({
      job,
      maxDurationSeconds: of(dur, job),
      minUp: of(up, job),
      samples: of(samples, job),
    }));
}

/** Rule evaluation as Prometheus reports it now. */
export interface RuleLoad {
  /** The slowest rule group's last evaluation (seconds) and its name. */
  readonly slowestGroupSeconds: number;
  readonly slowestGroup: string;
  /** `prometheus_rule_group_iterations_missed_total`, summed over the groups. */
  readonly missedIterations: number;
  /** `prometheus_rule_evaluation_failures_total`, summed. */
  readonly failures: number;
  /** `prometheus_notifications_dropped_total`: alerts Prometheus failed to hand to an Alertmanager. */
  readonly droppedNotifications: number;
  readonly headSeries: number;
}

/** Reads {@link RuleLoad} from the rules API and `/metrics`. */
export async function ruleLoad(prom: PrometheusSandbox): Promise<RuleLoad> {
  const [groups, text] = await Promise.all([prom.rules(), selfMetricsText(prom.url)]);
  const slowest = groups.reduce((a, b) => (b.evaluationTime > a.evaluationTime ? b : a));
  return {
    slowestGroupSeconds: slowest.evaluationTime,
    slowestGroup: slowest.name,
    missedIterations: metricSum(text, "prometheus_rule_group_iterations_missed_total"),
    failures: metricSum(text, "prometheus_rule_evaluation_failures_total"),
    droppedNotifications: metricSum(text, "prometheus_notifications_dropped_total"),
    headSeries: metricSum(text, "prometheus_tsdb_head_series"),
  };
}
