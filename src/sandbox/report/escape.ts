/**
 * Escaping for the two contexts the report writes into: HTML text/attributes, and inline
 * `<script>` elements (JSON data and the charting library's source).
 */

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** `text` safe as HTML text content or as a double- or single-quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/**
 * `value` as JSON that is safe inside a `<script>` element: `<`, `>` and `&` become `\u003c`,
 * `\u003e`, `\u0026` (so neither `</script>` nor `<!--` can appear), and U+2028/U+2029 are escaped
 * (line terminators in older JavaScript). `JSON.parse` of the element's text gives `value` back.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/**
 * A library's JavaScript source made safe to inline in a `<script>` element: its trailing
 * `sourceMappingURL` comment is dropped (the page must not ask for a `.map` file), and a
 * `</script` or `<!--` in it (only possible inside a string or regular expression literal, where
 * `<\/` and `<\!` mean the same) is escaped.
 */
export function inlineScriptSource(source: string): string {
  return source
    .replace(/\n?\/\/# sourceMappingURL=\S*\s*$/, "\n")
    .replace(/<\/(script)/gi, "<\\/$1")
    .replace(/<!--/g, "<\\!--");
}
