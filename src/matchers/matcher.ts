/**
 * Alertmanager label matchers, as Alertmanager 0.25 parses (`pkg/labels/parse.go`, the "classic"
 * parser), prints (`Matcher.String`) and evaluates them: regexes are fully anchored (`^(?:re)$`) and
 * a label that is absent matches as the empty string.
 */
/** Labels of an alert. */
export type LabelSet = Readonly<Record<string, string>>;

/** Where Alertmanager's config holds matchers: `matchers`, and the deprecated `match` / `match_re`. */
export interface MatcherFields {
  readonly matchers?: readonly string[];
  readonly match?: Readonly<Record<string, string>>;
  readonly match_re?: Readonly<Record<string, string>>;
}

/** A matcher operator. */
export type MatchOperator = "=" | "!=" | "=~" | "!~";

/** One parsed matcher. */
export interface Matcher {
  readonly name: string;
  readonly operator: MatchOperator;
  /** The unescaped value (a regex for `=~` and `!~`). */
  readonly value: string;
}

/**
 * Thrown for a matcher Alertmanager would refuse (`kind: "invalid"`), or for a valid Go regex that
 * this module cannot evaluate in JavaScript (`kind: "unsupported"`).
 */
export class MatcherError extends Error {
  override name = "MatcherError";
  constructor(
    message: string,
    readonly kind: "invalid" | "unsupported" = "invalid",
  ) {
    super(message);
  }
}

// Go's \s is [\t\n\f\r ]; '=~' comes before '=' so that '~' is not taken as part of the value.
const MATCHER_RE =
  /^[\t\n\f\r ]*([a-zA-Z_:][a-zA-Z0-9_:]*)[\t\n\f\r ]*(=~|=|!=|!~)[\t\n\f\r ]*([\s\S]*?)[\t\n\f\r ]*$/;

/**
 * Parses one matcher exactly as Alertmanager's classic parser: `name<op>value`, the value optionally
 * in double quotes, with `\"`, `\\` and `\n` unescaped and any other backslash kept literally. An
 * unescaped quote inside the value, a bad label name or an invalid regex throws {@link MatcherError}.
 */
export function parseMatcher(text: string): Matcher {
  const m = MATCHER_RE.exec(text);
  if (!m) throw new MatcherError(`bad matcher format: ${text}`);
  const [, name, operator, raw = ""] = m;
  let rest = raw;
  let expectTrailingQuote = false;
  if (rest.startsWith('"')) {
    rest = rest.slice(1);
    expectTrailingQuote = true;
  }
  let value = "";
  let escaped = false;
  for (let i = 0; i < rest.length; i++) {
    const c = rest[i] as string;
    if (escaped) {
      escaped = false;
      value += c === "n" ? "\n" : c === '"' || c === "\\" ? c : `\\${c}`;
      continue;
    }
    if (c === "\\") {
      if (i < rest.length - 1) escaped = true;
      else value += "\\";
    } else if (c === '"') {
      if (!expectTrailingQuote || i < rest.length - 1)
        throw new MatcherError(`matcher value contains unescaped double quote: ${raw}`);
      expectTrailingQuote = false;
    } else value += c;
  }
  if (expectTrailingQuote) throw new MatcherError(`matcher value contains unescaped double quote: ${raw}`);
  const matcher: Matcher = { name: name as string, operator: operator as MatchOperator, value };
  if (matcher.operator === "=~" || matcher.operator === "!~") anchoredRegex(matcher.value);
  return matcher;
}

/**
 * Parses one configuration string that may hold several matchers (`{a="1", b=~"x|y"}`, braces
 * optional), splitting on commas outside double quotes as Alertmanager's `ParseMatchers` does.
 */
export function parseMatchers(text: string): Matcher[] {
  let s = text.startsWith("{") ? text.slice(1) : text;
  if (s.endsWith("}")) s = s.slice(0, -1);
  const tokens: string[] = [];
  let token = "";
  let insideQuotes = false;
  let escaped = false;
  for (const c of s) {
    if (c === "," && !insideQuotes) {
      tokens.push(token);
      token = "";
      continue;
    }
    if (c === '"') {
      if (!escaped) insideQuotes = !insideQuotes;
      else escaped = false;
    } else if (c === "\\") escaped = !escaped;
    else escaped = false;
    token += c;
  }
  if (token.trim() !== "") tokens.push(token.trim());
  return tokens.map(parseMatcher);
}

/** Prints a matcher as Alertmanager does: `name<op>"value"`, with `\`, newline and `"` escaped. */
export function formatMatcher(m: Matcher): string {
  return `${m.name}${m.operator}"${escapeMatcherValue(m.value)}"`;
}

/** OpenMetrics escaping of a matcher value: backslash, newline and double quote. */
export function escapeMatcherValue(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
}

/** Whether a matcher accepts a label value ("" for an absent label). */
export function matchesValue(m: Matcher, value: string): boolean {
  switch (m.operator) {
    case "=":
      return value === m.value;
    case "!=":
      return value !== m.value;
    case "=~":
      return anchoredRegex(m.value).test(value);
    case "!~":
      return !anchoredRegex(m.value).test(value);
  }
}

/** Whether every matcher accepts the label set (absent labels count as ""). */
export function matchesAll(matchers: readonly Matcher[], labels: LabelSet): boolean {
  return matchers.every((m) => matchesValue(m, labels[m.name] ?? ""));
}

const POSIX_CLASSES: Readonly<Record<string, string>> = {
  alnum: "0-9A-Za-z",
  alpha: "A-Za-z",
  ascii: "\\x00-\\x7F",
  blank: "\\t ",
  cntrl: "\\x00-\\x1F\\x7F",
  digit: "0-9",
  lower: "a-z",
  space: "\\t\\n\\v\\f\\r ",
  upper: "A-Z",
  word: "0-9A-Za-z_",
  xdigit: "0-9A-Fa-f",
};
const regexCache = new Map<string, RegExp>();

/** Whether `source` has an unescaped backslash followed by one of the characters of the class `chars`. */
function escapes(source: string, chars: string): boolean {
  return new RegExp(`(?<!\\\\)(?:\\\\\\\\)*\\\\[${chars}]`).test(source);
}

/**
 * The JavaScript form of Alertmanager's anchored regex `^(?:re)$` (Go RE2 syntax). Translates what
 * differs and is common (leading flags `(?i)`/`(?s)`, `(?P<name>`, POSIX classes, `\z`); refuses
 * what RE2 refuses (look-around, back-references) and what has no JavaScript equivalent.
 */
export function anchoredRegex(re2: string): RegExp {
  const cached = regexCache.get(re2);
  if (cached) return cached;
  let source = re2;
  let flags = "";
  const lead = /^\(\?([imsU]+)\)/.exec(source);
  if (lead) {
    if (lead[1]?.includes("U"))
      throw new MatcherError(`regex ${JSON.stringify(re2)}: flag U is not supported`, "unsupported");
    flags = [...new Set(lead[1])].join("");
    source = source.slice(lead[0].length);
  }
  if (/\(\?<?[=!]/.test(source) || escapes(source, "1-9"))
    throw new MatcherError(`invalid regex ${JSON.stringify(re2)}: RE2 has no look-around or back-references`);
  if (/\(\?[a-zA-Z-]+[:)]/.test(source) || escapes(source, "QEAC"))
    throw new MatcherError(
      `regex ${JSON.stringify(re2)}: inner flags, \\Q, \\A and \\C are not supported here`,
      "unsupported",
    );
  source = source
    .replace(/\(\?P</g, "(?<")
    .replace(/(?<!\\)((?:\\\\)*)\\z/g, "$1$$")
    .replace(/\[:(\^?)([a-z]+):\]/g, (all, neg: string, cls: string) => {
      const body = POSIX_CLASSES[cls];
      if (body === undefined || neg)
        throw new MatcherError(`regex ${JSON.stringify(re2)}: unsupported ${all}`, "unsupported");
      return body;
    });
  if (/\\[pP]\{/.test(source)) flags += "u";
  let compiled: RegExp;
  try {
    compiled = new RegExp(`^(?:${source})$`, flags);
  } catch (e) {
    throw new MatcherError(`invalid regex ${JSON.stringify(re2)}: ${(e as Error).message}`);
  }
  regexCache.set(re2, compiled);
  return compiled;
}

/**
 * The matchers of one side of a route or inhibit rule: the deprecated equality map (`match`,
 * `source_match`), the deprecated regex map (`match_re`, ...), then the matcher strings (each may
 * hold several), in Alertmanager's order. Throws {@link MatcherError} on one Alertmanager refuses.
 */
export function configMatchers(
  strings: readonly string[] | undefined,
  equal: Readonly<Record<string, string>> | undefined,
  regex: Readonly<Record<string, string>> | undefined,
): Matcher[] {
  return [
    ...Object.entries(equal ?? {}).map(([name, value]): Matcher => ({ name, operator: "=", value })),
    ...Object.entries(regex ?? {}).map(([name, value]): Matcher => {
      anchoredRegex(value);
      return { name, operator: "=~", value };
    }),
    ...(strings ?? []).flatMap(parseMatchers),
  ];
}

const routeCache = new WeakMap<object, Matcher[]>();

/** The matchers of a route (`matchers`, `match`, `match_re`), parsed once per route object. */
export function routeMatchers(route: MatcherFields): Matcher[] {
  let ms = routeCache.get(route);
  if (!ms) {
    ms = configMatchers(route.matchers, route.match, route.match_re);
    routeCache.set(route, ms);
  }
  return ms;
}
