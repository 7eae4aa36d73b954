/**
 * Faults in the alert path, each a library scenario (`scenarios/fault-*.yaml`) plus what must be
 * observed in its timeline beyond the scenario's own expectations: nothing lost, nothing sent
 * twice, no false resolution, the dead man's switch going quiet. The fault tests assert these and
 * `npm run reliability` writes them as the table of docs/reliability.md.
 */
import type { SandboxTimeline } from "./timeline.js";

/** What a fault case observed, in a sentence, and whether it is what was expected. */
export interface FaultObservation {
  readonly observed: string;
  readonly ok: boolean;
}

export interface FaultCase {
  /** The library scenario. */
  readonly scenario: string;
  /** The config it runs with. */
  readonly config: string;
  readonly fault: string;
  readonly expected: string;
  /**
   * Time-scale factor to run it at (default 30). Prometheus discovers its Alertmanagers through a
   * discovery manager throttled to one update per 5 s of wall-clock time, which no flag scales: a
   * restarted Prometheus cannot send for ~5 s, i.e. 2.5 scenario minutes at speed 30, longer than
   * a user's Prometheus ever waits. Restart cases run slower so that the wait stays realistic.
   */
  readonly speed?: number;
  observe(t: SandboxTimeline): FaultObservation;
}

const m = (s: number | undefined): string =>
  s === undefined
    ? "never"
    : `${Math.floor(Math.round(s) / 60)}:${String(Math.round(s) % 60).padStart(2, "0")}`;

/** Firing deliveries per receiver and alert label set (a duplicate shows as a count above 1). */
function firingDeliveries(t: SandboxTimeline, alertname: string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const n of t.notifications) {
    for (const a of n.alerts) {
      if (a.alertname !== alertname || a.status !== "firing") continue;
      const key = `${n.receiver} ${JSON.stringify(a.labels)}`;
      out.set(key, [...(out.get(key) ?? []), n.t]);
    }
  }
  return out;
}

const missing = (t: SandboxTimeline): string[] =>
  t.expectations.filter((e) => !e.ok).map((e) => `${e.alertname} to ${e.receiver}`);

function deliveredOnceAfter(t: SandboxTimeline, alertname: string, after: number): FaultObservation {
  const deliveries = firingDeliveries(t, alertname);
  const times = [...deliveries.values()].flat();
  const duplicates = [...deliveries.values()].filter((ts) => ts.length > 1).length;
  const early = times.filter((x) => x < after).length;
  const failed = t.failedAttempts?.length ?? 0;
  const lost = missing(t);
  return {
    observed:
      `${failed} delivery attempts failed while the receivers were down; ${alertname} delivered to ` +
      `${deliveries.size} receivers at ${m(Math.min(...times))}-${m(Math.max(...times))}` +
      `${duplicates > 0 ? `, ${duplicates} twice` : ", each once"}` +
      `${lost.length > 0 ? `; MISSING: ${lost.join(", ")}` : ""}`,
    ok: t.passed && failed > 0 && early === 0 && duplicates === 0 && deliveries.size > 0,
  };
}

/** The blind spot is named instead of silence: the alert reached its receivers. */
function blindSpot(t: SandboxTimeline, alertname: string): FaultObservation {
  const deliveries = firingDeliveries(t, alertname);
  const receivers = [...new Set([...deliveries.keys()].map((k) => k.split(" ")[0]))];
  const first = Math.min(...[...deliveries.values()].flat());
  const lost = missing(t);
  return {
    observed:
      `${alertname} delivered at ${m(first)} to ${receivers.join(", ") || "nobody"}` +
      `${lost.length > 0 ? `; MISSING: ${lost.join(", ")}` : ""}`,
    ok: t.passed && receivers.length > 0,
  };
}

/** The faults, in the order of docs/reliability.md. */
export const FAULT_CASES: readonly FaultCase[] = [
  {
    scenario: "fault-receiver-down",
    config: "examples/llm-serving.yaml",
    fault: "every receiver answers 503 from 0:30 to 8:30 while AIWorkloadScalingInactive fires (~6:30)",
    expected: "delivered after the receivers recover (8:30), once per receiver; nothing lost",
    observe: (t) => deliveredOnceAfter(t, "AIWorkloadScalingInactive", 510),
  },
  {
    scenario: "fault-alertmanager-restart",
    config: "examples/llm-serving.yaml",
    fault:
      "Alertmanager restarts (8:00) while the firing AIWorkloadScalingInactive waits for its receivers (down until 9:00)",
    expected:
      "Prometheus re-sends the firing alert to the restarted Alertmanager; delivered after 9:00, once per receiver",
    observe: (t) => deliveredOnceAfter(t, "AIWorkloadScalingInactive", 540),
  },
  {
    scenario: "fault-prometheus-restart",
    config: "examples/llm-serving.yaml",
    fault:
      "Prometheus restarts (SIGTERM, 8:00) and crashes (SIGKILL, 12:00) while AIWorkloadScalingInactive fires",
    speed: 10,
    expected:
      "no resolved notification, no second firing notification; the alert is firing again after each restart",
    observe: (t) => {
      const deliveries = firingDeliveries(t, "AIWorkloadScalingInactive");
      const duplicates = [...deliveries.values()].filter((ts) => ts.length > 1).length;
      const resolved = t.notifications.flatMap((n) =>
        n.alerts.filter((a) => a.alertname === "AIWorkloadScalingInactive" && a.status === "resolved"),
      ).length;
      const stillFiring = t.alerts.some(
        (a) =>
          a.alertname === "AIWorkloadScalingInactive" && a.firingAt !== undefined && a.endedAt === undefined,
      );
      return {
        observed:
          `${deliveries.size} receivers notified ${duplicates > 0 ? `(${duplicates} twice)` : "once each"}; ` +
          `${resolved} resolved notifications; ${stillFiring ? "firing at the end" : "NOT firing at the end"}`,
        ok: t.passed && duplicates === 0 && resolved === 0 && stillFiring && deliveries.size > 0,
      };
    },
  },
  {
    scenario: "fault-kube-state-metrics-down",
    config: "examples/llm-serving.yaml",
    fault: "kube-state-metrics is gone from 1:00 to 10:00: every scaling alert is blind",
    expected:
      "AIScalingAlertsMetricsAbsent (critical) reaches the pagers after its 5 minutes, and resolves after kube-state-metrics is back",
    observe: (t) => blindSpot(t, "AIScalingAlertsMetricsAbsent"),
  },
  {
    scenario: "fault-hpa-deleted",
    config: "examples/llm-serving.yaml",
    fault: "the workload's HPA is deleted at 1:00 (or misnamed in the config), its Deployment keeps running",
    expected:
      "AIWorkloadHpaMissing (warning) reaches the team's channels after its 5 minutes; AIScalingAlertsMetricsAbsent stays silent",
    observe: (t) => blindSpot(t, "AIWorkloadHpaMissing"),
  },
  {
    scenario: "fault-prometheus-stopped",
    config: "examples/llm-serving.yaml",
    fault: "Prometheus stops for good at 3:00",
    expected:
      "the heartbeat pings the dead man's switch every minute until Alertmanager lets the last heartbeat expire (4 resend delays), then never again",
    observe: (t) => {
      const pings = t.notifications
        .filter((n) =>
          n.alerts.some((a) => a.alertname === "AIScalingAlertsHeartbeat" && a.status === "firing"),
        )
        .map((n) => n.t)
        .filter((x) => x >= 0);
      const before = pings.filter((x) => x < 180).length;
      const last = Math.max(...pings);
      return {
        observed: `${before} pings before the stop, the last ping at ${m(last)}, none in the ${m(t.durationSeconds - last)} after it`,
        ok: before >= 2 && last <= 180 + 4 * 60 + 90 && t.durationSeconds - last >= 120,
      };
    },
  },
];
