import { REPORT_CSS } from '../export/report-style.ts';

/**
 * The audit report's stylesheet: the notebook report's base (system fonts, no web
 * fonts or images) plus a title page, the summary tiles, the fix-plan table and
 * A4 print rules with running headings and page numbers in the page margins.
 */
export function auditCss(runningHead: string): string {
  return `${REPORT_CSS}
body { max-width: 52rem; font-size: 15px; }
h2 { color: var(--accent); font-size: 1.3rem; margin: 2.2rem 0 .6rem; padding-bottom: .25rem; border-bottom: 1px solid var(--rule); }
.section-head h2 { border-bottom: 0; padding-bottom: 0; margin-bottom: 0; }
h3 { font-size: 1rem; margin: 1.2rem 0 .4rem; }
.title-page { border-bottom: 3px solid var(--accent); padding: 1rem 0 1.5rem; margin-bottom: 1rem; }
.title-page .kicker { text-transform: uppercase; letter-spacing: .12em; font-size: .75rem; color: var(--muted); margin: 0; }
.title-page h1 { font-size: 2.1rem; line-height: 1.15; margin: .3rem 0 .4rem; color: var(--accent); }
.title-page .client { font-size: 1.15rem; margin: 0 0 .6rem; }
.title-page .meta { margin: 0; }
.lead { font-size: 1.05rem; }
.tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(9.5rem, 1fr)); gap: .6rem; margin: 1rem 0; padding: 0; list-style: none; }
.tiles li { border: 1px solid var(--rule); border-top: 3px solid var(--accent); border-radius: 4px; padding: .5rem .7rem; background: var(--tint); }
.tiles .value { display: block; font-size: 1.35rem; font-weight: 650; font-variant-numeric: tabular-nums; }
.tiles .label { display: block; font-size: .78rem; color: var(--muted); }
ol.priorities { padding-left: 1.3rem; }
ol.priorities li { margin-bottom: .3rem; }
.section-head { display: flex; justify-content: space-between; align-items: baseline; gap: 1rem; border-bottom: 1px solid var(--rule); padding-bottom: .25rem; margin-bottom: .5rem; break-after: avoid; }
.section-head .progress { font-size: .8rem; color: var(--muted); white-space: nowrap; }
.purpose { color: var(--muted); margin: 0 0 .6rem; font-style: italic; }
dl.answers { margin: 0; }
dl.answers dt { font-weight: 600; margin-top: .7rem; }
dl.answers dd { margin: .1rem 0 0; }
dl.answers .evidence { display: block; font-size: .8rem; color: var(--muted); }
dl.answers .note { display: block; font-size: .85rem; border-left: 3px solid var(--rule); padding-left: .5rem; margin-top: .2rem; color: var(--ink); }
.gap-mark { color: var(--bad); font-weight: 600; }
.open { font-size: .85rem; color: var(--muted); }
table.plan, table.gaps { width: 100%; table-layout: fixed; }
table.gaps col.gap { width: 38%; }
table.plan { font-size: .8rem; }
table.plan col.rank { width: 4%; } table.plan col.f { width: 35%; } table.plan col.n { width: 4%; }
table.plan col.score { width: 6.5%; } table.plan col.hz { width: 13%; } table.plan col.kpi { width: 15.5%; } table.plan col.ho { width: 10%; }
table.plan th.num { text-align: right; }
table.plan th, table.plan td { padding: .3rem .35rem; }
td .sub { display: block; font-size: .78rem; color: var(--muted); margin-top: .15rem; }
table.plan td.score { font-weight: 650; }
.horizon { display: inline-block; padding: 0 .4rem; border-radius: 3px; font-size: .75rem; white-space: nowrap; border: 1px solid var(--rule); }
.horizon.short-term { background: #e6f1ea; border-color: #9cc7ab; }
.horizon.long-term { background: #e8eef4; border-color: #9db3c8; }
.rule { font-size: .8rem; color: var(--muted); }
figure.chart { margin: 1rem 0 1.4rem; }
figure.chart figcaption { font-weight: 600; font-size: .9rem; margin-bottom: .3rem; }
figure.chart p { font-size: .8rem; color: var(--muted); margin: .2rem 0 0; }
footer { break-before: page; page-break-before: always; }
@page { size: A4; margin: 20mm 18mm 22mm;
  @top-left { content: "${cssString(runningHead)}"; font: 8pt system-ui, sans-serif; color: #5b6b72; }
  @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 8pt system-ui, sans-serif; color: #5b6b72; }
}
@page :first { @top-left { content: none; } }
@media print {
  body { font-size: 10pt; line-height: 1.45; }
  h2 { font-size: 14pt; margin-top: 0; }
  section.report-part { break-before: page; page-break-before: always; }
  section.audit-section { margin-top: 1.4rem; }
  .audit-sections { break-before: page; page-break-before: always; }
  .audit-sections > section:first-child { margin-top: 0; }
  section.audit-section h2 { margin-top: 0; }
  table.plan, table.gaps { break-inside: auto; page-break-inside: auto; }
  dl.answers dt, dl.answers dd { break-inside: avoid; }
  dl.answers dt { break-after: avoid; }
  .purpose { break-after: avoid; page-break-after: avoid; }
  .tiles { grid-template-columns: repeat(3, 1fr); }
  .tiles li { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
`;
}

/** Text as the body of a CSS string: quotes, backslashes, line breaks and "<" escaped. */
export function cssString(text: string): string {
  return text.replace(/[\\"<>\n\r\f]/g, (c) => `\\${c.charCodeAt(0).toString(16)} `);
}
