/**
 * The expected text of an alert's annotations. The description of each alert is written in
 * `src/rules/*.ts` as a Go template over facts that the rule looks up when the alert fires (see
 * `src/rules/describe.ts`); here the same template body is expanded with the facts the test's own
 * input series give at that time. Only the template subset the catalog uses is understood; any
 * other construct makes the description underivable (undefined), and the caller then checks the
 * alert through the ALERTS series instead.
 */

/** Go's `%.Ng` for N significant digits (round half to even on exact ties, trailing zeros cut). */
function formatG(v: number, digits: number): string {
  if (v === 0) return "0";
  if (!Number.isFinite(v)) return Number.isNaN(v) ? "NaN" : v > 0 ? "+Inf" : "-Inf";
  const a = Math.abs(v);
  // JavaScript rounds exact ties away from zero, Go to even: decide on the exact decimal digits.
  const [exactMant, exactExp] = a.toExponential(60).split("e") as [string, string];
  const exactDigits = exactMant.replace(".", "");
  let [mant, exp] = a.toExponential(digits - 1).split("e") as [string, string];
  const tie = /^50*$/.test(exactDigits.slice(digits));
  if (tie && Number(exactDigits[digits - 1]) % 2 === 0) {
    const d = exactDigits.slice(0, digits);
    [mant, exp] = [`${d[0]}${d.length > 1 ? `.${d.slice(1)}` : ""}`, exactExp];
  }
  const e = Number(exp);
  const m = mant.replace(".", "");
  const sign = v < 0 ? "-" : "";
  const trim = (s: string) => (s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s);
  if (e < -4 || e >= digits) {
    const body = trim(m.length > 1 ? `${m[0]}.${m.slice(1)}` : m);
    return `${sign}${body}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
  }
  const fixed =
    e >= 0 ? `${m.slice(0, e + 1).padEnd(e + 1, "0")}.${m.slice(e + 1)}` : `0.${"0".repeat(-e - 1)}${m}`;
  return `${sign}${trim(fixed)}`;
}

/** Prometheus' `humanize` template function. */
export function humanize(v: number): string {
  if (v === 0 || !Number.isFinite(v)) return formatG(v, 4);
  let x = v;
  let prefix = "";
  if (Math.abs(x) >= 1) {
    for (const p of ["k", "M", "G", "T", "P", "E", "Z", "Y"]) {
      if (Math.abs(x) < 1000) break;
      prefix = p;
      x /= 1000;
    }
    return `${formatG(x, 4)}${prefix}`;
  }
  for (const p of ["m", "u", "n", "p", "f", "a", "z", "y"]) {
    if (Math.abs(x) >= 1) break;
    prefix = p;
    x *= 1000;
  }
  return `${formatG(x, 4)}${prefix}`;
}

/** Go's `printf "%.0f"`: round half to even. */
export function printf0(v: number): string {
  const floor = Math.floor(v);
  const diff = v - floor;
  const r = diff > 0.5 ? floor + 1 : diff < 0.5 ? floor : floor % 2 === 0 ? floor : floor + 1;
  return String(r === 0 ? 0 : r);
}

/** Whether `humanize` gives the same text for values within float noise of v. */
export function humanizeIsStable(v: number): boolean {
  return humanize(v * (1 + 1e-9)) === humanize(v * (1 - 1e-9));
}

export interface TemplateData {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
  /** Template variables (`$min`, `$metrics`...) and their values. */
  readonly vars: Readonly<Record<string, string>>;
}

class Unsupported extends Error {}

/**
 * Expands the subset of Go's text/template the descriptions use: text, `{{ $labels.x }}`,
 * `{{ $value | printf "%.0f" }}`, `{{ $value | humanize }}`, `{{ $var }}` and
 * `{{ if $var }}...{{ else }}...{{ end }}`. Undefined for anything else.
 */
export function expandTemplate(text: string, data: TemplateData): string | undefined {
  const tokens = text.split(/(\{\{[\s\S]*?\}\})/);
  let pos = 0;
  const value = (name: string): string => {
    if (!(name in data.vars)) throw new Unsupported(name);
    return data.vars[name] as string;
  };
  /** Expands until `{{ else }}` or `{{ end }}` (returned as the stop token) or the end. */
  const block = (): { out: string; stop?: string } => {
    let out = "";
    while (pos < tokens.length) {
      const tok = tokens[pos++] as string;
      if (!tok.startsWith("{{")) {
        out += tok;
        continue;
      }
      const action = tok.slice(2, -2).trim();
      if (action === "else" || action === "end") return { out, stop: action };
      let m: RegExpExecArray | null;
      if ((m = /^if \$([A-Za-z_]\w*)$/.exec(action))) {
        const cond = value(m[1] as string) !== "";
        const then = block();
        let otherwise = "";
        if (then.stop === "else") {
          const e = block();
          if (e.stop !== "end") throw new Unsupported("if without end");
          otherwise = e.out;
        } else if (then.stop !== "end") throw new Unsupported("if without end");
        out += cond ? then.out : otherwise;
      } else if ((m = /^\$labels\.([A-Za-z_]\w*)$/.exec(action))) {
        out += data.labels[m[1] as string] ?? "";
      } else if (/^\$value \| printf "%\.0f"$/.test(action)) {
        out += printf0(data.value);
      } else if (/^\$value \| humanize$/.test(action)) {
        out += humanize(data.value);
      } else if ((m = /^\$([A-Za-z_]\w*)$/.exec(action)) && m[1] !== "labels" && m[1] !== "value") {
        out += value(m[1] as string);
      } else {
        throw new Unsupported(action);
      }
    }
    return { out };
  };
  try {
    const r = block();
    return r.stop === undefined ? r.out : undefined;
  } catch (e) {
    if (e instanceof Unsupported) return undefined;
    throw e;
  }
}
