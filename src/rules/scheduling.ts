/** Pods of a workload that cannot be scheduled (no GPU node, quota, affinity). */
import { SERIES } from "./context.js";
import type { AlertDefinition } from "./definition.js";
import { labels } from "./promql.js";

/** One alert per unschedulable pod, named after its workload and HPA so it can be grouped by them. */
export const podsUnschedulable: AlertDefinition = {
  name: "AIWorkloadPodsUnschedulable",
  condition: (ctx) => {
    const podId = labels([...ctx.clusterPrefix, "namespace", "pod"]);
    return `(max by (${podId}) (${ctx.ksmSel("kube_pod_status_unschedulable", ctx.nsMatcher)}) == 1)\n* on (${podId}) group_left(horizontalpodautoscaler) ${SERIES.podWorkload}`;
  },
  description: (_ctx, d, p) =>
    `Pod {{ $labels.pod }} of {{ $labels.workload }} (HPA {{ $labels.horizontalpodautoscaler }}) has been unschedulable for ${p.variant.for}, so the workload cannot reach its desired ${d.desired} replicas. Check the pod's FailedScheduling events for the reason (Insufficient nvidia.com/gpu, taints, node affinity) and whether a node autoscaler is adding a node.`,
};
