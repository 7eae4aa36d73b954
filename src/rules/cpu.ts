/** CPU used against CPU requested, over the workload's running pods. */
import { SERIES } from "./context.js";
import type { AlertDefinition } from "./definition.js";

export const highCpuUtilization: AlertDefinition = {
  name: "AIWorkloadHighCpuUtilization",
  condition: (_ctx, p) =>
    [
      `# CPU used in % of CPU requested by the workload's running pods, at or above the threshold.`,
      `${SERIES.cpuUtilization} >= ${p.threshold}`,
    ].join("\n"),
  description: (_ctx, d, p) =>
    `{{ $labels.workload }} has used ${d.valueHuman}% of its requested CPU (alert at ${d.threshold}%) for ${p.variant.for}.`,
};
