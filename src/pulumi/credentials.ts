/**
 * Credential values given to the component: found in the receivers, replaced by Secret references
 * before the pure core sees the config, and collected for the Secret the component creates.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { ConfigProblem } from "../config/errors.js";
import { formatPath } from "../config/errors.js";
import { receiverSchema } from "../config/schema.js";

/**
 * The credential fields of each receiver type: the fields whose schema is a Secret reference
 * (`{ secret, key }`), read from the config schema so that a new receiver type is covered as is.
 */
export const CREDENTIAL_FIELDS: ReadonlyMap<string, readonly string[]> = new Map(
  receiverSchema.options.map((option) => {
    const shape = (option as z.ZodObject).shape;
    const fields = Object.entries(shape).flatMap(([field, schema]) => {
      let s = schema as z.ZodType;
      if (s instanceof z.ZodOptional) s = s.unwrap() as z.ZodType;
      const isRef = s instanceof z.ZodObject && Object.keys(s.shape).sort().join() === "key,secret";
      return isRef ? [field] : [];
    });
    return [String((shape.type as z.ZodLiteral).value), fields];
  }),
);

/** The outcome of {@link extractCredentials}. */
export interface ExtractedCredentials {
  /** The receivers with every `{ value }` replaced by `{ secret: secretName, key }`. */
  readonly receivers: unknown[];
  /** Key in the Secret -> credential value. Empty when every credential is a Secret reference. */
  readonly values: ReadonlyMap<string, pulumi.Input<string>>;
  /** Credentials given in a form the component does not accept (inline strings, bare Outputs). */
  readonly problems: readonly ConfigProblem[];
}

const PLACEHOLDER_REF = { secret: "rejected-credential", key: "rejected" };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null;
}

/**
 * Replaces `{ value }` credentials by references to the Secret `secretName`, under the key
 * `<receiver name>.<field>`. Inline strings and bare Outputs or Promises are reported as problems
 * (and replaced by a placeholder so that validation goes on and reports everything else).
 */
export function extractCredentials(receivers: readonly unknown[], secretName: string): ExtractedCredentials {
  const values = new Map<string, pulumi.Input<string>>();
  const problems: ConfigProblem[] = [];
  const out = receivers.map((receiver, i) => {
    if (!isRecord(receiver)) return receiver;
    const copy: Record<string, unknown> = { ...receiver };
    for (const field of CREDENTIAL_FIELDS.get(String(receiver.type)) ?? []) {
      const v = copy[field];
      if (v === undefined) continue;
      const path = formatPath(["notifications", "receivers", i, field]);
      if (typeof v === "string" || pulumi.Output.isInstance(v) || v instanceof Promise) {
        const what =
          typeof v === "string" ? "inline credentials are not allowed" : "a bare Output or Promise";
        problems.push({
          path,
          message: `${what}: give a Secret reference { secret: <name>, key: <key> } or a value { value: <pulumi.Input<string>> } (the component then creates the Secret)`,
        });
        copy[field] = { ...PLACEHOLDER_REF };
      } else if (isRecord(v) && "value" in v && !("secret" in v)) {
        const key = `${String(receiver.name)}.${field}`;
        values.set(key, v.value as pulumi.Input<string>);
        copy[field] = { secret: secretName, key };
      }
    }
    return copy;
  });
  return { receivers: out, values, problems };
}
