/** Inference queue backlog: requests waiting per replica well above target, at max replicas. */
import { SERIES } from "./context.js";
import type { AlertDefinition } from "./definition.js";

export const queueBacklog: AlertDefinition = {
  name: "AIWorkloadQueueBacklog",
  condition: (ctx, p) =>
    [
      `# Requests waiting per replica at or above threshold x the workload's target...`,
      `${SERIES.queuePerReplica}`,
      `>= on (${ctx.idList}) group_left () (${SERIES.queueTarget} * ${p.threshold})`,
      `# ...while it is at its maximum: latency grows and it cannot scale out.`,
      `and on (${ctx.idList}) (${SERIES.current} >= on (${ctx.idList}) ${SERIES.max})`,
    ].join("\n"),
  description: (_ctx, d, p) =>
    `{{ $labels.workload }} has had ${d.valueHuman} requests waiting per replica (target ${d.queueTarget}, alert at ${d.threshold}x) for ${p.variant.for} at its maximum replicas: latency grows and it cannot scale out.`,
};
