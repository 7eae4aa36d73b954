/**
 * Namespaces given as Outputs that turn out wrong. The failure happens inside an apply, so it
 * surfaces as the children's registrations failing (as `pulumi up` would report it), which leaves
 * Pulumi's runtime unusable: each case runs in a process of its own.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, it } from "node:test";

const PROGRAM = join(import.meta.dirname, "support", "namespace-error-program.ts");

function errorsOf(which: "invalid" | "merging"): string[] {
  const r = spawnSync(process.execPath, ["--import", "tsx", PROGRAM, which], {
    encoding: "utf8",
    timeout: 60_000,
  });
  // The exit status is Pulumi's verdict on the promises the failed registrations left behind (1).
  assert.ok(r.stdout.startsWith("["), `no error list printed; stderr: ${r.stderr}`);
  return JSON.parse(r.stdout) as string[];
}

describe("namespace Outputs", () => {
  it("an invalid value fails the deployment, naming the field", () => {
    const errors = errorsOf("invalid");
    assert.ok(errors.length > 0);
    for (const e of errors)
      assert.match(e, /AiScalingAlerts bad-ns: invalid config[\s\S]*namespace: expected a namespace name/);
  });

  it("two Outputs that name one namespace fail instead of deploying something else", () => {
    const errors = errorsOf("merging");
    assert.ok(errors.length > 0);
    for (const e of errors) assert.match(e, /resolved to ml, ml, which changes the set of generated objects/);
  });
});
