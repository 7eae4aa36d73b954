/** CPU used against CPU requested, over the workload's running pods. */
import { SERIES } from "./context.js";
import type { AlertDefinition } from "./definition.js";

export const highCpuUtilization: AlertDefinition = {
  name: "AIWorkloadHighCpuUtilization",
  condition: (_ctx, p) =>
    `${SERIES.cpuUtilization}\n>= on (namespace, horizontalpodautoscaler) group_left()\n${p.threshold}`,
  description: (_ctx, d, p) =>
    `{{ $labels.workload }} has used ${d.valueHuman}% of its requested CPU (alert at ${d.threshold}%) for ${p.variant.for} (${d.minMax}, now ${d.current}).`,
};
