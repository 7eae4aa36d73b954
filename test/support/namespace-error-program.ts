/**
 * A Pulumi program (run under mocks, in a process of its own) whose namespace Outputs resolve to
 * something wrong; prints, as JSON, the errors Pulumi raised for it. Used by
 * pulumi-namespace-errors.test.ts: a failure inside an apply surfaces as rejected registrations,
 * which only a process of its own can collect (the test runner claims unhandled rejections).
 */
import { startMocks } from "./pulumi-mocks.js";

const errors: string[] = [];
process.on("unhandledRejection", (e) => void errors.push(e instanceof Error ? e.message : String(e)));

const { pulumi } = await startMocks("namespace-errors");
const { AiScalingAlerts } = await import("../../src/pulumi/index.js");
const cpu = { minReplicas: 1, maxReplicas: 3, metrics: [{ type: "cpu" as const, targetUtilization: 70 }] };

const component =
  process.argv[2] === "invalid"
    ? new AiScalingAlerts("bad-ns", {
        namespace: pulumi.output("Not_Valid"),
        workloads: [{ name: "chat", autoscaling: cpu }],
      })
    : new AiScalingAlerts("merging", {
        workloads: [
          { name: "chat", namespace: pulumi.output("ml"), autoscaling: cpu },
          { name: "embed", namespace: pulumi.output("ml"), autoscaling: cpu },
        ],
        notifications: { receivers: [{ name: "hook", type: "webhook", url: { secret: "s", key: "k" } }] },
      });
try {
  await (component.alertsByWorkload as unknown as { promise(): Promise<unknown> }).promise();
} catch (e) {
  errors.push((e as Error).message);
}
await new Promise((r) => setTimeout(r, 200));
process.stdout.write(JSON.stringify(errors), () => process.exit(0));
