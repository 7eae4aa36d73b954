/**
 * What Prometheus's HTTP API answers, as types, and pure parsers from the response text: the
 * `/api/v1` envelope, instant vectors, range vectors (matrices), and Prometheus's own `/metrics`.
 */

/** A series' labels, `__name__` included when the result has one. */
export type SeriesLabels = Record<string, string>;

/** One series of an instant query: its labels and its value (`NaN`, `±Inf` included). */
export interface InstantSample {
  readonly labels: SeriesLabels;
  readonly value: number;
}

/** One series of a range vector: its labels and its samples as `[Unix time in ms, value]`. */
export interface SeriesSamples {
  readonly labels: SeriesLabels;
  readonly values: [number, number][];
}

/** An alert as `GET /api/v1/alerts` lists it (pending or firing). */
export interface PrometheusAlert {
  readonly labels: SeriesLabels;
  readonly annotations: SeriesLabels;
  readonly state: "pending" | "firing";
  /** RFC 3339; since when the alert's expression has been true. */
  readonly activeAt?: string;
  /** The expression's value when the alert was last evaluated, as text. */
  readonly value: string;
}

/** A rule as `GET /api/v1/rules` lists it, recording or alerting. */
export interface RuleStatus {
  readonly name: string;
  readonly query: string;
  readonly type: "recording" | "alerting";
  readonly health: "ok" | "err" | "unknown";
  readonly lastError?: string;
  readonly labels?: SeriesLabels;
  /** Seconds the rule's last evaluation took. */
  readonly evaluationTime: number;
  /** RFC 3339; when its last evaluation started. */
  readonly lastEvaluation: string;
  /** Alerting rules: `for`, in seconds. */
  readonly duration?: number;
  readonly annotations?: SeriesLabels;
  /** Alerting rules: `inactive`, `pending` or `firing`. */
  readonly state?: "inactive" | "pending" | "firing";
  /** Alerting rules: their active alerts. */
  readonly alerts?: PrometheusAlert[];
}

/** A rule group as `GET /api/v1/rules` lists it. */
export interface RuleGroupStatus {
  readonly name: string;
  readonly file: string;
  /** Evaluation interval in seconds. */
  readonly interval: number;
  /** Seconds the group's last iteration took. */
  readonly evaluationTime: number;
  /** RFC 3339; when its last iteration started. */
  readonly lastEvaluation: string;
  readonly rules: RuleStatus[];
}

/** An active target as `GET /api/v1/targets` lists it. */
export interface TargetStatus {
  readonly scrapePool: string;
  readonly scrapeUrl: string;
  readonly labels: SeriesLabels;
  readonly discoveredLabels: SeriesLabels;
  readonly health: "up" | "down" | "unknown";
  readonly lastError: string;
  /** RFC 3339. */
  readonly lastScrape: string;
  readonly lastScrapeDuration: number;
}

/** Figures read from Prometheus's own `/metrics` (rule evaluation cost, CPU, memory, series). */
export interface SelfMetrics {
  /** Sum over rule groups of `prometheus_rule_group_last_duration_seconds`. */
  evalSeconds: number;
  /**
   * Evaluation time per second of wall time: each group's last duration divided by its interval
   * (`prometheus_rule_group_interval_seconds`), summed. Groups evaluated less often cost less.
   */
  evalSecondsPerSecond: number;
  /** How many rule groups report a last duration. */
  groups: number;
  /** `prometheus_rule_evaluation_failures_total`, summed over groups. */
  failures: number;
  /** `prometheus_rule_evaluations_total`, summed over groups. */
  evaluations: number;
  /** `prometheus_rule_group_iterations_missed_total`, summed over groups. */
  missed: number;
  /** `process_cpu_seconds_total`. */
  cpuSeconds: number;
  /** `process_resident_memory_bytes`. */
  rssBytes: number;
  /** `prometheus_tsdb_head_series`. */
  headSeries: number;
  /** When the figures were read (Unix ms). */
  at: number;
}

/** A sample value as the API writes it: a decimal, `NaN`, `+Inf` or `-Inf`. */
function sampleValue(text: string): number {
  if (text === "+Inf") return Infinity;
  if (text === "-Inf") return -Infinity;
  return Number(text);
}

interface Envelope {
  status?: unknown;
  data?: unknown;
  errorType?: unknown;
  error?: unknown;
}

/**
 * The `data` of an `/api/v1` answer. Throws with Prometheus's `errorType: error` (e.g.
 * `bad_data: invalid parameter "query": 1:5: parse error: ...`) when it is not a success, and with
 * the status and body when the body is not the API's JSON. `what` names the request in messages.
 */
export function apiData(what: string, httpStatus: number, body: string): unknown {
  let parsed: Envelope;
  try {
    parsed = JSON.parse(body) as Envelope;
  } catch {
    throw new Error(`${what} answered ${httpStatus}: ${body.slice(0, 500).trim()}`);
  }
  if (parsed.status !== "success") {
    const kind = typeof parsed.errorType === "string" ? `${parsed.errorType}: ` : "";
    const error = typeof parsed.error === "string" ? parsed.error : body.slice(0, 500).trim();
    throw new Error(`${what} answered ${httpStatus}: ${kind}${error}`);
  }
  return parsed.data;
}

interface QueryData {
  resultType: string;
  result: unknown;
}

function queryData(what: string, data: unknown): QueryData {
  const d = data as Partial<QueryData> | undefined;
  if (typeof d?.resultType !== "string") throw new Error(`${what}: no resultType in the answer`);
  return d as QueryData;
}

/**
 * The series of an instant query's `data`: a vector as is, a scalar as one series without
 * labels. Throws for a range vector (use the raw-samples reader) or a string.
 */
export function vectorOf(what: string, data: unknown): InstantSample[] {
  const d = queryData(what, data);
  if (d.resultType === "vector") {
    return (d.result as { metric: SeriesLabels; value: [number, string] }[]).map((s) => ({
      labels: s.metric,
      value: sampleValue(s.value[1]),
    }));
  }
  if (d.resultType === "scalar") {
    return [{ labels: {}, value: sampleValue((d.result as [number, string])[1]) }];
  }
  throw new Error(`${what}: expected an instant vector or a scalar, got a ${d.resultType}`);
}

/** The series of a range vector (`matrix`) `data`, sample times in Unix ms. Throws for other types. */
export function matrixOf(what: string, data: unknown): SeriesSamples[] {
  const d = queryData(what, data);
  if (d.resultType !== "matrix") throw new Error(`${what}: expected a range vector, got a ${d.resultType}`);
  return (d.result as { metric: SeriesLabels; values: [number, string][] }[]).map((s) => ({
    labels: s.metric,
    values: s.values.map(([t, v]) => [Math.round(t * 1000), sampleValue(v)] as [number, number]),
  }));
}

/** Parses Prometheus's own `/metrics` text into {@link SelfMetrics}, stamped with `at`. */
export function parseSelfMetrics(text: string, at: number = Date.now()): SelfMetrics {
  const m: SelfMetrics = {
    evalSeconds: 0,
    evalSecondsPerSecond: 0,
    groups: 0,
    failures: 0,
    evaluations: 0,
    missed: 0,
    cpuSeconds: 0,
    rssBytes: 0,
    headSeries: 0,
    at,
  };
  const durations = new Map<string, number>();
  const intervals = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (line.startsWith("#") || line === "") continue;
    const space = line.lastIndexOf(" ");
    const value = sampleValue(line.slice(space + 1));
    const [name, groupLabels = ""] = line.slice(0, space).split("{");
    switch (name) {
      case "prometheus_rule_group_last_duration_seconds":
        m.evalSeconds += value;
        m.groups++;
        durations.set(groupLabels, value);
        break;
      case "prometheus_rule_group_interval_seconds":
        intervals.set(groupLabels, value);
        break;
      case "prometheus_rule_evaluation_failures_total":
        m.failures += value;
        break;
      case "prometheus_rule_evaluations_total":
        m.evaluations += value;
        break;
      case "prometheus_rule_group_iterations_missed_total":
        m.missed += value;
        break;
      case "process_cpu_seconds_total":
        m.cpuSeconds = value;
        break;
      case "process_resident_memory_bytes":
        m.rssBytes = value;
        break;
      case "prometheus_tsdb_head_series":
        m.headSeries = value;
        break;
    }
  }
  for (const [group, seconds] of durations) {
    const interval = intervals.get(group);
    if (interval !== undefined && interval > 0) m.evalSecondsPerSecond += seconds / interval;
  }
  return m;
}
