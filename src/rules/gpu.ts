/** GPU utilisation of a workload's pods: saturated at max replicas, or idle above min replicas. */
import { SERIES } from "./context.js";
import type { AlertDefinition } from "./definition.js";

export const gpuSaturated: AlertDefinition = {
  name: "AIWorkloadGpuSaturated",
  condition: (ctx, p) =>
    [
      `# The workload's GPUs are busy at or above the threshold on average...`,
      `${SERIES.gpuUtilization} >= ${p.threshold}`,
      `# ...while it is at its maximum: it cannot scale out.`,
      `and on (${ctx.idList}) (${SERIES.current} >= on (${ctx.idList}) ${SERIES.max})`,
    ].join("\n"),
  description: (_ctx, d, p) =>
    `Mean GPU utilisation of {{ $labels.workload }} has been ${d.valueHuman}% (alert at ${d.threshold}%) for ${p.variant.for} at its maximum replicas: it cannot scale out further.`,
};

export const gpuUnderutilized: AlertDefinition = {
  name: "AIWorkloadGpuUnderutilized",
  condition: (ctx, p) =>
    [
      `# The workload's GPUs are idle at or below the threshold on average...`,
      `${SERIES.gpuUtilization} <= ${p.threshold}`,
      `# ...with more replicas than its minimum: it could have scaled in.`,
      `and on (${ctx.idList}) (${SERIES.current} > on (${ctx.idList}) ${SERIES.min})`,
    ].join("\n"),
  description: (_ctx, d, p) =>
    `Mean GPU utilisation of {{ $labels.workload }} has been ${d.valueHuman}% (alert at or below ${d.threshold}%) for ${p.variant.for} above its minimum replicas: GPUs are paid for but idle.`,
};
