/**
 * The report's KPI charts as Observable Plot specifications over the audit's series.
 * Drawing needs a DOM `document`: the browser's in the app, jsdom's in Node; the
 * caller passes it to {@link drawReportCharts}.
 */
import * as Plot from '@observablehq/plot';
import type { PlotOptions } from '@observablehq/plot';
import type { ReportChart } from './report.ts';
import type { AuditSeries } from './proposals.ts';

const INK = '#1d2a30';
const ACCENT = '#1f4e5f';

/** Month-k retention of the average monthly cohort, k = 1…12. */
export function retentionChart(series: AuditSeries['retention']): PlotOptions {
  return {
    width: 640,
    height: 240,
    marginLeft: 48,
    marginTop: 26,
    marginRight: 24,
    marginBottom: 36,
    style: { fontSize: '11px', color: INK, background: 'white' },
    x: { label: 'Months since first purchase', ticks: 12, tickFormat: 'd' },
    y: {
      label: 'Customers active (%)',
      tickFormat: (d: number) => `${Math.round(d * 100)}`,
      grid: true,
      domain: [0, Math.max(0.4, ...series.map((s) => s.retention))],
    },
    marks: [
      Plot.ruleY([0]),
      Plot.line(series, { x: 'period', y: 'retention', stroke: ACCENT, strokeWidth: 2.5 }),
      Plot.dot(series, { x: 'period', y: 'retention', fill: ACCENT, r: 3 }),
      Plot.text(series, {
        x: 'period',
        y: 'retention',
        text: (d: { retention: number }) => `${Math.round(d.retention * 100)}`,
        dy: -10,
        fill: INK,
        fontSize: 10,
      }),
    ],
  };
}

/** Customers per RFM segment, largest first. */
export function segmentsChart(series: AuditSeries['segments']): PlotOptions {
  return {
    width: 640,
    height: Math.max(160, 26 * series.length + 40),
    marginLeft: 130,
    marginRight: 60,
    style: { fontSize: '11px', color: INK, background: 'white' },
    x: { label: 'Customers', grid: true },
    y: { label: null, domain: series.map((s) => s.segment) },
    marks: [
      Plot.barX(series, {
        x: 'customers',
        y: 'segment',
        fill: (d: { segment: string }) =>
          d.segment === 'At risk' || d.segment === "Can't lose them" ? '#9b2c2c' : ACCENT,
      }),
      Plot.text(series, {
        x: 'customers',
        y: 'segment',
        text: (d: { customers: number }) => d.customers.toLocaleString('en'),
        dx: 4,
        textAnchor: 'start',
        fill: INK,
        fontSize: 10,
      }),
      Plot.ruleX([0]),
    ],
  };
}

/** The charts the series support, drawn to SVG markup with `document`. */
export function drawReportCharts(series: AuditSeries, document: Document): ReportChart[] {
  const out: ReportChart[] = [];
  const svg = (options: PlotOptions) => {
    const node = Plot.plot({ ...options, document }) as unknown as Element;
    return node.outerHTML;
  };
  if (series.retention.length > 0) {
    out.push({
      title: 'Retention of the average monthly cohort',
      svg: svg(retentionChart(series.retention)),
      caption:
        'Share of a month’s new customers who order again k months later, size-weighted over the cohorts observed that long (later months rest on fewer, older cohorts); partial months left out.',
    });
  }
  if (series.segments.length > 0) {
    out.push({
      title: 'Customers by RFM segment',
      svg: svg(segmentsChart(series.segments)),
      caption:
        'Recency, frequency and monetary scores 1–5 by quintile; the segments to win back are in red.',
    });
  }
  return out;
}
