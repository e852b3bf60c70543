/**
 * The report's only stylesheet, inlined: system fonts, no web fonts or images, so the
 * file renders the same offline. Print keeps tables and figures whole on A4.
 */
export const REPORT_CSS = `
:root { color-scheme: light; --ink: #1d2a30; --muted: #5b6b72; --rule: #d9dcd6; --accent: #1f4e5f; --paper: #fff; --tint: #f7f6f2; --bad: #9b2c2c; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 62rem; padding: 2rem 1.5rem 3rem; background: var(--paper); color: var(--ink);
  font: 15px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
header { border-bottom: 2px solid var(--accent); margin-bottom: 1.5rem; padding-bottom: .75rem; }
header h1 { margin: 0 0 .25rem; font-size: 1.75rem; color: var(--accent); }
header p, .meta, .note { margin: 0; color: var(--muted); font-size: .85rem; }
section.cell { margin: 0 0 2rem; }
section.cell > h2 { font-size: 1.15rem; margin: 0 0 .5rem; }
pre { background: var(--tint); border: 1px solid var(--rule); border-radius: 4px; padding: .6rem .8rem; overflow-x: auto;
  white-space: pre-wrap; word-break: break-word; }
code, pre { font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; font-size: .85rem; font-variant-numeric: tabular-nums; }
th, td { border-bottom: 1px solid var(--rule); padding: .25rem .6rem; text-align: left; vertical-align: top; }
th { background: var(--tint); font-weight: 600; }
td.num { text-align: right; }
td.null { color: var(--muted); }
figure { margin: 0; }
figure svg { max-width: 100%; height: auto; }
.error, .refused { color: var(--bad); border-left: 3px solid var(--bad); padding-left: .6rem; }
footer { margin-top: 3rem; border-top: 1px solid var(--rule); padding-top: 1rem; font-size: .8rem; color: var(--muted); }
footer h2 { font-size: 1rem; color: var(--ink); margin: 0 0 .5rem; }
footer h3 { font-size: .85rem; color: var(--ink); margin: 1rem 0 .25rem; }
footer dl { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; margin: 0; }
footer dd { margin: 0; }
footer .hash { font-family: ui-monospace, Menlo, Consolas, monospace; word-break: break-all; }
@page { size: A4; margin: 18mm 16mm 20mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  .table-wrap { overflow: visible; }
  table, figure, pre, .error, .refused { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; page-break-inside: avoid; }
  h1, h2, h3 { break-after: avoid; page-break-after: avoid; }
  pre { white-space: pre-wrap; }
}
`;
