/**
 * The shape of a KEDA v2 ScaledObject (keda.sh/v1alpha1, as of KEDA 2.20), for checking generated
 * objects. KEDA publishes its CRD but no schema package; this one is written from the CRD's field
 * list and is stricter than the CRD: unknown fields are errors (the API server would prune them
 * silently), trigger metadata values must be strings, and the replica bounds must be consistent.
 */
import { z } from "zod";

const int = (min: number) => z.number().int().min(min);
const policy = z.strictObject({
  type: z.enum(["Pods", "Percent"]),
  value: int(1),
  periodSeconds: int(1).max(1800),
});
const rules = z.strictObject({
  stabilizationWindowSeconds: int(0).max(3600).optional(),
  selectPolicy: z.enum(["Max", "Min", "Disabled"]).optional(),
  policies: z.array(policy).optional(),
});

export const scaledObjectSchema = z
  .strictObject({
    apiVersion: z.literal("keda.sh/v1alpha1"),
    kind: z.literal("ScaledObject"),
    metadata: z.strictObject({
      name: z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/),
      namespace: z.string().min(1),
      labels: z.record(z.string(), z.string()).optional(),
      annotations: z.record(z.string(), z.string()).optional(),
    }),
    spec: z.strictObject({
      scaleTargetRef: z.strictObject({
        apiVersion: z.string().optional(),
        kind: z.string().optional(),
        name: z.string().min(1),
        envSourceContainerName: z.string().optional(),
      }),
      pollingInterval: int(1).optional(),
      cooldownPeriod: int(0).optional(),
      initialCooldownPeriod: int(0).optional(),
      idleReplicaCount: int(0).optional(),
      minReplicaCount: int(0).optional(),
      maxReplicaCount: int(1).optional(),
      fallback: z.strictObject({ failureThreshold: int(1), replicas: int(1) }).optional(),
      advanced: z
        .strictObject({
          restoreToOriginalReplicaCount: z.boolean().optional(),
          horizontalPodAutoscalerConfig: z
            .strictObject({
              name: z.string().optional(),
              behavior: z.strictObject({ scaleUp: rules.optional(), scaleDown: rules.optional() }).optional(),
            })
            .optional(),
        })
        .optional(),
      triggers: z
        .array(
          z.strictObject({
            type: z.string().min(1),
            name: z.string().optional(),
            metricType: z.enum(["AverageValue", "Value", "Utilization"]).optional(),
            useCachedMetrics: z.boolean().optional(),
            metadata: z.record(z.string(), z.string()),
            authenticationRef: z.strictObject({ name: z.string(), kind: z.string().optional() }).optional(),
          }),
        )
        .min(1),
    }),
  })
  .refine((o) => (o.spec.maxReplicaCount ?? 100) >= (o.spec.minReplicaCount ?? 0), {
    error: "spec.maxReplicaCount must be >= spec.minReplicaCount",
  });

/** Problems with a ScaledObject, as `path: message` lines (empty when valid). */
export function scaledObjectProblems(o: unknown): string[] {
  const r = scaledObjectSchema.safeParse(o);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
}
