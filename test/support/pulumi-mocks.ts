/**
 * Running Pulumi programs under `pulumi.runtime.setMocks` (no CLI, no engine, no cluster): every
 * registered resource is recorded with its type, name, parent and inputs as the engine would get
 * them (secrets still wrapped). Pulumi's runtime state is global: one program per process (the test
 * runner gives each test file its own process).
 */
import assert from "node:assert/strict";
import { register } from "node:module";
import type * as PulumiModule from "@pulumi/pulumi";

/** A resource as registered with the (mock) engine. */
export interface RecordedResource {
  readonly type: string;
  readonly name: string;
  /** Inputs as serialised for the engine: secret values are `{ <sig>: <secret sig>, value }`. */
  readonly inputs: Record<string, unknown>;
  readonly custom: boolean;
  /** Full URN of the parent, when the program gave one. */
  readonly parent?: string;
  /** URNs of the resources it was declared to depend on (`dependsOn`, and those its inputs came from). */
  readonly dependencies: readonly string[];
}

/** The loaded Pulumi SDK and what the program registered so far. */
export interface MockedPulumi {
  readonly pulumi: typeof PulumiModule;
  readonly resources: RecordedResource[];
  /** Waits until every registration the program started has reached the mocks. */
  settle(): Promise<void>;
}

/**
 * Sets the stack config (as the language host does, through `PULUMI_CONFIG` and
 * `PULUMI_CONFIG_SECRET_KEYS`, read once when the SDK's state is first created), loads the SDK and
 * installs the mocks. Call before importing the program; keys are given without the project prefix.
 */
export async function startMocks(
  project: string,
  config: Record<string, string> = {},
  secretKeys: readonly string[] = [],
): Promise<MockedPulumi> {
  process.env.PULUMI_CONFIG = JSON.stringify(
    Object.fromEntries(Object.entries(config).map(([k, v]) => [`${project}:${k}`, v])),
  );
  process.env.PULUMI_CONFIG_SECRET_KEYS = JSON.stringify(secretKeys.map((k) => `${project}:${k}`));
  register("./example-aliases.mjs", import.meta.url);
  const pulumi = await import("@pulumi/pulumi");
  const resources: RecordedResource[] = [];
  const parents = new Map<string, string>();
  const dependencies = new Map<string, string[]>();
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        resources.push({
          type: args.type,
          name: args.name,
          inputs: args.inputs as Record<string, unknown>,
          custom: args.custom ?? false,
          parent: parents.get(`${args.type}::${args.name}`),
          dependencies: dependencies.get(`${args.type}::${args.name}`) ?? [],
        });
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: (args) => args.inputs,
    },
    project,
    "test",
    false,
  );
  // The mock API passes neither parent nor dependencies; read them from the registration request.
  const monitor = pulumi.runtime.getMonitor() as unknown as {
    registerResource(
      req: { getType(): string; getName(): string; getParent(): string; getDependenciesList(): string[] },
      cb: unknown,
    ): unknown;
  };
  const original = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, cb) => {
    const key = `${req.getType()}::${req.getName()}`;
    if (req.getParent()) parents.set(key, req.getParent());
    dependencies.set(key, req.getDependenciesList());
    return original(req, cb);
  };
  const settle = async () => {
    const runtime = pulumi.runtime as unknown as { waitForRPCs(): Promise<void> };
    await runtime.waitForRPCs();
  };
  return { pulumi, resources, settle };
}

/** The value of an Output (or plain value), as the program would see it. */
export function resolveOutput<T>(pulumi: typeof PulumiModule, o: PulumiModule.Input<T>): Promise<T> {
  return new Promise((resolve) => pulumi.output(o).apply((v) => resolve(v as T)));
}

/** Type token of the resource a URN names (the last `$`-separated part of its type). */
export function typeOfUrn(urn: string): string {
  const qualified = urn.split("::")[2] ?? "";
  return qualified.split("$").pop() ?? "";
}

/** `v` with every secret-wrapped value replaced by `"[secret]"`: what the engine stores in plain text. */
export function plainParts(pulumi: typeof PulumiModule, v: unknown): unknown {
  if (pulumi.runtime.isRpcSecret(v)) return "[secret]";
  if (Array.isArray(v)) return v.map((x) => plainParts(pulumi, x));
  if (typeof v === "object" && v !== null) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plainParts(pulumi, x)]));
  }
  return v;
}

/**
 * URL of an example program's entry point. A computed specifier, so that the test type check does
 * not follow it (the examples import `ai-scaling-alerts/pulumi`; tsconfig.examples.json checks them).
 */
export function exampleUrl(name: string): string {
  return new URL(`../../examples/${name}/index.ts`, import.meta.url).href;
}

/* eslint-disable @typescript-eslint/no-explicit-any -- registered inputs are untyped JSON */
/** The recorded resources of one type. */
export function resourcesOfType(
  m: MockedPulumi,
  type: string,
): (RecordedResource & { inputs: Record<string, any> })[] {
  return m.resources.filter((r) => r.type === type);
}

/** The one recorded resource of a type; fails the test when there are none or several. */
export function oneOfType(m: MockedPulumi, type: string): RecordedResource & { inputs: Record<string, any> } {
  const found = resourcesOfType(m, type);
  assert.equal(found.length, 1, `${type}: ${found.map((r) => r.name).join(", ")}`);
  return found[0]!;
}
/* eslint-enable @typescript-eslint/no-explicit-any */

/** Fails when any credential value appears in a plain (not secret-wrapped) input of any resource. */
export function assertNoPlainCredential(m: MockedPulumi, values: readonly string[]): void {
  for (const r of m.resources) {
    const plain = JSON.stringify(plainParts(m.pulumi, r.inputs));
    for (const value of values) assert.ok(!plain.includes(value), `${r.type} ${r.name} holds a credential`);
  }
}
