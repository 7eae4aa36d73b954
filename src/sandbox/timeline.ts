/**
 * What a sandbox run records: the scenario's steps, the simulated cluster's series, each alert's
 * pending/firing span and each notification the receivers got. `sandbox --report DIR` writes it as
 * `timeline.json` and draws it in `timeline.html`.
 *
 * All times are **scenario seconds** since the scenario started: what a user would see at speed 1
 * (a run at `--speed 30` that lasted 4 s of wall time covers 120 scenario seconds).
 */

/** `[scenario seconds, value]` samples of one series, in time order. */
export type Samples = [number, number][];

/** One workload of the config as the simulated cluster showed it. */
export interface TimelineWorkload {
  readonly namespace: string;
  /** The scale target's name (the `workload` label of the alerts). */
  readonly name: string;
  readonly hpa: string;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly series: {
    readonly desired: Samples;
    readonly current: Samples;
    readonly available: Samples;
    /** Mean GPU utilisation, %, for GPU workloads. */
    readonly gpuUtilization?: Samples;
    /** Requests waiting per replica, for queue-serving workloads. */
    readonly queuePerReplica?: Samples;
  };
  /** The autoscaler's targets, drawn as horizontal lines. */
  readonly targets: {
    readonly gpuUtilization?: number;
    readonly queuePerReplica?: number;
  };
}

/** A scenario step: what the simulated cluster did at `t`. */
export interface TimelineStep {
  readonly t: number;
  readonly workload?: string;
  /** One line, e.g. "llm-chat: traffic spike, queue 40/replica". */
  readonly label: string;
}

/** One alert (an ALERTS series of the real Prometheus) and when it was pending, firing, gone. */
export interface TimelineAlert {
  readonly alertname: string;
  readonly workload?: string;
  readonly namespace?: string;
  readonly severity: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly pendingAt?: number;
  readonly firingAt?: number;
  /** When the alert stopped being firing (absent: still firing at the end). */
  readonly endedAt?: number;
}

/** One webhook call the recorder received (one Alertmanager notification to one receiver). */
export interface TimelineNotification {
  readonly t: number;
  /** The receiver's name in the config (e.g. `team-slack`). */
  readonly receiver: string;
  readonly status: "firing" | "resolved";
  readonly alerts: readonly {
    readonly alertname: string;
    readonly workload?: string;
    readonly status: "firing" | "resolved";
    readonly labels: Readonly<Record<string, string>>;
  }[];
  /**
   * Scenario seconds from the step that caused it to its delivery, when that step is known (the
   * expectation it matched).
   */
  readonly latencySeconds?: number;
  /** Whether an expectation of the scenario accounts for it (false: an unexpected notification). */
  readonly expected: boolean;
}

/** One notification the scenario declared, and whether and when it arrived. */
export interface TimelineExpectation {
  readonly alertname: string;
  readonly workload?: string;
  readonly receiver: string;
  readonly status: "firing" | "resolved";
  /** The window it must arrive in, scenario seconds. */
  readonly window: readonly [number, number];
  readonly receivedAt?: number;
  /** May arrive but need not (its `ok` is true either way). */
  readonly optional?: boolean;
  readonly ok: boolean;
}

/** The whole record of one sandbox run. */
export interface SandboxTimeline {
  readonly scenario: {
    readonly name: string;
    readonly description: string;
    /** The time-scale factor of the run (1: real intervals). */
    readonly speed: number;
  };
  /** The config's `name`. */
  readonly config: string;
  /** Wall-clock start of the run, ISO 8601. */
  readonly startedAt: string;
  /** Length of the scenario, scenario seconds. */
  readonly durationSeconds: number;
  readonly workloads: readonly TimelineWorkload[];
  readonly steps: readonly TimelineStep[];
  readonly alerts: readonly TimelineAlert[];
  readonly notifications: readonly TimelineNotification[];
  readonly expectations: readonly TimelineExpectation[];
  /**
   * Webhook calls the recorder answered 503 while a `receiver-down` fault was in force (attempts
   * Alertmanager retries later, not deliveries), in scenario seconds.
   */
  readonly failedAttempts?: readonly { readonly t: number; readonly receiver: string }[];
  /**
   * Alerts that fired although they must not: one of the scenario's `neverFires` for its workload,
   * or any alert of the HPA that is not in the config.
   */
  readonly forbiddenAlerts?: readonly TimelineAlert[];
  /** True when every expectation was met and no unexpected notification arrived. */
  readonly passed: boolean;
}
