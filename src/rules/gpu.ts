/** GPU utilisation of a workload's pods: saturated at max replicas, or idle above min replicas. */
import type { RuleContext } from "./context.js";
import { KSM, SERIES } from "./context.js";
import type { AlertDefinition } from "./definition.js";

const atMax = (ctx: RuleContext) =>
  `and on (${ctx.idList}) (${ctx.perHpa(KSM.current)} >= on (${ctx.idList}) ${ctx.perHpa(KSM.max)})`;

export const gpuSaturated: AlertDefinition = {
  name: "AIWorkloadGpuSaturated",
  condition: (ctx, p) =>
    `(${SERIES.gpuUtilization} >= on (namespace, horizontalpodautoscaler) group_left() ${p.threshold})\n${atMax(ctx)}`,
  description: (_ctx, d, p) =>
    `Mean GPU utilisation of {{ $labels.workload }} has been ${d.valueHuman}% (alert at ${d.threshold}%) for ${p.variant.for} while at its maximum of ${d.max} replicas: it cannot scale out further. Raise maxReplicas or add GPU capacity.`,
};

export const gpuUnderutilized: AlertDefinition = {
  name: "AIWorkloadGpuUnderutilized",
  condition: (ctx, p) =>
    `(${SERIES.gpuUtilization} <= on (namespace, horizontalpodautoscaler) group_left() ${p.threshold})\nand on (${ctx.idList}) (${ctx.perHpa(KSM.current)} > on (${ctx.idList}) ${ctx.perHpa(KSM.min)})`,
  description: (_ctx, d, p) =>
    `Mean GPU utilisation of {{ $labels.workload }} has been ${d.valueHuman}% (alert at or below ${d.threshold}%) for ${p.variant.for} with ${d.current} replicas, above its minimum of ${d.min}: GPUs are paid for but idle. Check the scale-down behaviour and the HPA target.`,
};
