/** Inference queue backlog: requests waiting per replica well above target, at max replicas. */
import { KSM, SERIES } from "./context.js";
import type { AlertDefinition } from "./definition.js";

export const queueBacklog: AlertDefinition = {
  name: "AIWorkloadQueueBacklog",
  condition: (ctx, p) =>
    [
      `${SERIES.queuePerReplica}`,
      `>= on (namespace, horizontalpodautoscaler) group_left()`,
      `(${SERIES.queueTarget} * on (namespace, horizontalpodautoscaler) ${p.threshold})`,
      `and on (${ctx.idList}) (${ctx.perHpa(KSM.current)} >= on (${ctx.idList}) ${ctx.perHpa(KSM.max)})`,
    ].join("\n"),
  description: (_ctx, d, p) =>
    `{{ $labels.workload }} has had ${d.valueHuman} requests waiting per replica for ${p.variant.for} (target ${d.queueTarget}, alert at ${d.threshold}x) while at its maximum of ${d.max} replicas: latency is growing and it cannot scale out. Raise maxReplicas or add GPU capacity.`,
};
