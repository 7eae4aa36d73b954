/**
 * Reading an input file as text, within bounds: at most `LIMITS.fileBytes` bytes are ever read
 * (so `/dev/zero` or a 50 MB file costs no more than a small one), the bytes must be UTF-8 (the first
 * bad byte is reported with its line and column, never replaced), and the text must not hold the
 * control characters YAML forbids (a binary file). Every failure is a {@link ConfigError}.
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { isUtf8 } from "node:buffer";
import { ConfigError, type ConfigProblem } from "./errors.js";
import { formatBytes, LIMITS } from "./limits.js";

const ERRNO_MESSAGES: Readonly<Record<string, string>> = {
  ENOENT: "file not found",
  EACCES: "permission denied",
  EPERM: "permission denied",
  EISDIR: "is a directory, not a file",
  ENOTDIR: "a part of the path is not a directory",
  ENAMETOOLONG: "the path is too long",
  ELOOP: "too many symbolic links in the path",
};

function fail(source: string, what: string, message: string): never {
  throw new ConfigError([{ path: what || "(file)", message }], source);
}

/**
 * Reads at most `limit` bytes of `file` (and one more, to tell that it is longer). `what` names the
 * input in problems (e.g. `--base-config`; empty for the config itself).
 */
export function readBounded(file: string, what = "", limit: number = LIMITS.fileBytes): Buffer {
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? "";
    fail(file, what, ERRNO_MESSAGES[code] ?? `cannot read it (${code || (e as Error).message})`);
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) fail(file, what, ERRNO_MESSAGES.EISDIR as string);
    if (stat.isFile() && stat.size > limit) {
      fail(file, what, `is ${stat.size} bytes, more than the ${formatBytes(limit)} an input may have`);
    }
    const buffer = Buffer.alloc(limit + 1);
    let length = 0;
    while (length < buffer.length) {
      let n: number;
      try {
        n = readSync(fd, buffer, length, buffer.length - length, null);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code ?? "";
        fail(file, what, ERRNO_MESSAGES[code] ?? `cannot read it (${code || (e as Error).message})`);
      }
      if (n === 0) break;
      length += n;
    }
    if (length > limit) fail(file, what, `is larger than the ${formatBytes(limit)} an input may have`);
    return buffer.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}

/** Line and column (1-based, columns in characters) of byte `offset` of a UTF-8 buffer valid before it. */
function bytePosition(bytes: Buffer, offset: number): { line: number; col: number } {
  const lineStart = bytes.lastIndexOf(0x0a, offset - 1) + 1;
  let line = 1;
  for (let i = bytes.indexOf(0x0a); i !== -1 && i < offset; i = bytes.indexOf(0x0a, i + 1)) line++;
  const col = [...bytes.subarray(lineStart, offset).toString("utf8")].length + 1;
  return { line, col };
}

/** Offset of the first byte that is not part of a well-formed UTF-8 sequence (RFC 3629), or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    let max = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) [need, min] = [1, 0x80];
    else if (b === 0xe0) [need, min] = [2, 0xa0];
    else if (b === 0xed) [need, min, max] = [2, 0x80, 0x9f];
    else if (b >= 0xe1 && b <= 0xef) [need, min] = [2, 0x80];
    else if (b === 0xf0) [need, min] = [3, 0x90];
    else if (b === 0xf4) [need, min, max] = [3, 0x80, 0x8f];
    else if (b >= 0xf1 && b <= 0xf3) [need, min] = [3, 0x80];
    else return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || c < (k === 1 ? min : 0x80) || c > (k === 1 ? max : 0xbf)) return i;
    }
    i += need + 1;
  }
  return -1;
}

/** Characters YAML 1.2 does not allow in a stream (outside the printable set): controls but tab, LF, CR, NEL. */
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u0084\u0086-\u009f\ufffe\uffff]/;

/** `U+0000` */
const codePoint = (c: string) => `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`;

/** Line and column (1-based) of character index `index` of `text`. */
export function textPosition(text: string, index: number): { line: number; col: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < index; i = text.indexOf("\n", i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, col: [...text.slice(start, index)].length + 1 };
}

/**
 * Decodes input bytes as UTF-8 text (a leading byte-order mark is dropped). Refuses, with the line
 * and column of the first offending byte or character: UTF-16 and UTF-32 (by their byte-order mark),
 * bytes that are not UTF-8, and control characters YAML forbids.
 */
export function decodeText(bytes: Buffer, source: string, what = ""): string {
  const at = (p: { line: number; col: number }, message: string): ConfigProblem => ({
    path: `${what ? `${what}: ` : ""}line ${p.line}, column ${p.col}`,
    message,
  });
  if (
    (bytes[0] === 0xff && bytes[1] === 0xfe) ||
    (bytes[0] === 0xfe && bytes[1] === 0xff) ||
    (bytes[0] === 0 && bytes[1] === 0 && bytes[2] === 0xfe && bytes[3] === 0xff)
  ) {
    throw new ConfigError(
      [
        at(
          { line: 1, col: 1 },
          "the file is UTF-16 or UTF-32 (it starts with a byte-order mark): save it as UTF-8",
        ),
      ],
      source,
    );
  }
  if (!isUtf8(bytes)) {
    const offset = firstInvalidUtf8(bytes);
    const byte = (bytes[offset] ?? 0).toString(16).toUpperCase().padStart(2, "0");
    throw new ConfigError(
      [at(bytePosition(bytes, offset), `byte 0x${byte} is not UTF-8: save the file as UTF-8`)],
      source,
    );
  }
  let text = bytes.toString("utf8");
  if (text.startsWith("\ufeff")) text = text.slice(1);
  const bad = FORBIDDEN.exec(text);
  if (bad) {
    throw new ConfigError(
      [
        at(
          textPosition(text, bad.index),
          `control character ${codePoint(bad[0])} is not allowed in YAML${bad[0] === "\u0000" ? " (is this a binary file?)" : ""}`,
        ),
      ],
      source,
    );
  }
  return text;
}
