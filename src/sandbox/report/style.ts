/** The report's stylesheet: plain, printable, high contrast; verdicts are words, not colours. */
export const STYLE = `
:root { color-scheme: light; --ink: #1d1d1f; --muted: #55595f; --line: #d6d8db; --pass: #0b6b3a; --fail: #b3261e; }
* { box-sizing: border-box; }
body { margin: 0; font-family: "DejaVu Sans", "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: var(--ink); background: #f6f7f8; line-height: 1.45; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 24px 48px; }
header { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 18px 22px; }
h1 { font-size: 1.45rem; margin: 0 0 4px; }
h2 { font-size: 1.15rem; margin: 0 0 2px; }
.description { margin: 0 0 12px; color: var(--muted); }
.verdict { display: inline-block; margin: 0 0 12px; padding: 6px 12px; border-radius: 6px; border: 2px solid; font-size: 1rem; }
.verdict strong { font-size: 1.1rem; letter-spacing: 0.04em; margin-right: 6px; }
.verdict.pass { color: var(--pass); border-color: var(--pass); background: #e8f5ee; }
.verdict.fail { color: var(--fail); border-color: var(--fail); background: #fdecea; }
.facts { display: flex; flex-wrap: wrap; gap: 6px 28px; margin: 0; }
.facts div { display: flex; gap: 6px; }
.facts dt { color: var(--muted); }
.facts dt::after { content: ":"; }
.facts dd { margin: 0; font-weight: 600; }
.key { margin: 14px 0 0; color: var(--muted); font-size: 0.9rem; }
section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 16px 22px; margin-top: 18px; }
.sub { margin: 0 0 8px; color: var(--muted); font-size: 0.92rem; }
.chart-box { position: relative; height: 420px; margin-top: 6px; }
.chart-box.signals { height: 250px; margin-top: 14px; }
table { border-collapse: collapse; width: 100%; font-size: 0.92rem; margin-top: 4px; }
caption { text-align: left; font-weight: 700; font-size: 1.05rem; padding: 0 0 6px; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: #eef0f2; font-weight: 600; }
tbody tr:nth-child(even) { background: #fafbfc; }
tr.failed td { background: #fdecea; }
tr.failed td.result { color: var(--fail); font-weight: 700; }
tr.ok td.result { color: var(--pass); font-weight: 600; }
.none { color: var(--muted); }
.tables { display: grid; gap: 18px; }
`;
