/** Pods of a workload that cannot be scheduled (no GPU node, quota, affinity). */
import { SERIES } from "./context.js";
import type { AlertDefinition } from "./definition.js";
import { labels } from "../promql/text.js";

/** One alert per unschedulable pod, named after its workload and HPA so it can be grouped by them. */
export const podsUnschedulable: AlertDefinition = {
  name: "AIWorkloadPodsUnschedulable",
  condition: (ctx) => {
    const podId = labels([...ctx.clusterPrefix, "namespace", "pod"]);
    return [
      `# Each pod of the workload that the scheduler cannot place.`,
      `(max by (${podId}) (${ctx.ksmSel("kube_pod_status_unschedulable", ctx.nsMatcher)}) == 1)`,
      `* on (${podId}) group_left (${labels(["horizontalpodautoscaler", "workload", ...ctx.rc.extraLabelNames])}) ${SERIES.podWorkload}`,
    ].join("\n");
  },
  description: (_ctx, d, p) =>
    `Pod {{ $labels.pod }} of {{ $labels.workload }} has been unschedulable for ${p.variant.for}: the workload cannot reach its desired replicas.`,
};
