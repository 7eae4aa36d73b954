/**
 * Parsers of option values: a bad value is a usage error (commander prints `error: option ...
 * argument ... is invalid. <why>` and the CLI exits 2), found before any file is read.
 */
import { InvalidArgumentError } from "commander";
import { alertmanagerVersion } from "../config/bounded.js";
import { printable } from "../config/errors.js";

/** `--alertmanager-version`: a version this module writes configurations for. */
export function parseAlertmanagerVersionArg(value: string): string {
  const r = alertmanagerVersion.safeParse(value);
  if (!r.success)
    throw new InvalidArgumentError(printable(r.error.issues[0]?.message ?? "expected a version"));
  return value;
}

/** `--speed`: a number from 1 to 120. */
export function parseSpeedArg(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n < 1 || n > 120)
    throw new InvalidArgumentError("expected a number from 1 to 120");
  return n;
}
