import { describe, expect, it } from 'vitest';
import { checkMarkup, escapeHtml } from '../../../src/lib/export/markup.ts';
import { createProvenance } from '../../../src/lib/export/provenance.ts';
import { renderReport, type ReportCell } from '../../../src/lib/export/report.ts';
import type { Notebook } from '../../../src/lib/notebook/types.ts';

const HOSTILE = '<img src=x onerror=alert(1)>';
const SHA = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';

const notebook: Notebook = {
  version: 1,
  id: 'nb-7',
  title: `Churn ${HOSTILE}`,
  cells: [],
  parameters: [{ name: 'months', type: 'number', value: 12 }],
  mapping: {
    version: 1,
    currency: 'GBP',
    timeZone: 'Europe/London',
    tables: [
      {
        source: 'online_retail',
        kind: 'orders',
        columns: { customer_id: 'Customer ID' },
        parse: {},
        include: { cancelled: false, nonPositive: false, duplicates: false },
        attributes: [],
      },
    ],
  },
  createdAt: '2024-01-01T00:00:00.000Z',
  updatedAt: '2024-01-01T00:00:00.000Z',
};

const provenance = createProvenance({
  version: '0.1.0',
  notebook,
  inputs: [{ file: `${HOSTILE}.csv`, size: 1536, sha256: SHA, rows: 250, table: 'online_retail' }],
  now: new Date(Date.UTC(2024, 4, 1, 9, 30)),
});

const SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" class="plot" width="40" height="20" clip-path="url(#c1)"><rect width="10" height="5"></rect></svg>';

const cells: ReportCell[] = [
  {
    id: 'md',
    kind: 'markdown',
    html: '<p>Hello <strong>world</strong>, see <a href="https://example.com/x">the docs</a>.</p>',
  },
  {
    id: 'q1',
    kind: 'sql',
    title: 'Orders <b>by</b> month',
    sql: "SELECT '<script>alert(1)</script>' AS x, 'https://evil.example' AS u",
    table: {
      columns: ['x', `col ${HOSTILE}`],
      types: ['VARCHAR', 'DOUBLE'],
      rows: [
        [HOSTILE, 1.5],
        ['https://evil.example/" onclick="x', null],
        ['<script>alert(2)</script>', -5],
      ],
      rowCount: 250,
      elapsedMs: 42,
    },
  },
  { id: 'c1', kind: 'chart', title: 'Revenue', svg: SVG },
  { id: 'bad', kind: 'sql', sql: 'SELECT nope', error: `Binder Error: ${HOSTILE}` },
];

/** Every start or end tag, with quoted attribute values kept whole. */
function tags(html: string): string[] {
  return html.match(/<[!/]?[a-zA-Z][^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*>/g) ?? [];
}

describe('escapeHtml', () => {
  it('escapes the five markup characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;',
    );
    expect(escapeHtml(HOSTILE)).toBe('&lt;img src=x onerror=alert(1)&gt;');
  });
});

describe('renderReport', () => {
  const html = renderReport({ notebook, cells, provenance });

  it('is one complete document with a title and date header', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
    expect(html).toContain(`<title>Churn ${escapeHtml(HOSTILE)}</title>`);
    expect(html).toContain(`<h1>Churn ${escapeHtml(HOSTILE)}</h1>`);
    expect(html).toContain('2024-05-01 09:30 UTC');
  });

  it('escapes every hostile text value so it renders inert', () => {
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<b>by/);
    expect(html).toContain(`<td>${escapeHtml(HOSTILE)}</td>`);
    expect(html).toContain(`<th scope="col">col ${escapeHtml(HOSTILE)}</th>`);
    expect(html).toContain(`Binder Error: ${escapeHtml(HOSTILE)}`);
  });

  it('has no script, handler or URL in any tag: only inside escaped text', () => {
    expect(tags(html).length).toBeGreaterThan(40);
    for (const tag of tags(html)) {
      expect(tag).not.toMatch(/https?:|\/\/|javascript:/i);
      expect(tag).not.toMatch(/\son[a-z]+\s*=/i);
    }
    expect(html).not.toMatch(/<link|<iframe|@import|@font-face|url\((?!#)/i);
    expect(html).toContain('&#39;https://evil.example&#39;');
  });

  it('forbids scripts and fetches by Content-Security-Policy as well', () => {
    expect(html).toContain("default-src 'none'; style-src 'unsafe-inline'; img-src data:");
  });

  it('shows SQL in pre/code and says how many rows are not shown', () => {
    expect(html).toContain(
      '<pre><code>SELECT &#39;&lt;script&gt;alert(1)&lt;/script&gt;&#39; AS x, &#39;https://evil.example&#39; AS u</code></pre>',
    );
    expect(html).toContain('250 rows · 247 more rows not shown · ran in 42 ms');
    expect(html).toContain('<td class="num">-5</td>');
    expect(html).toContain('<td class="null"></td>');
  });

  it('caps the rows shown at maxRows', () => {
    const capped = renderReport({ notebook, cells, provenance }, { maxRows: 1 });
    expect(capped).toContain('250 rows · 249 more rows not shown');
    expect(capped).not.toContain('-5</td>');
  });

  it('inserts checked markup, without namespace URLs or outbound links', () => {
    expect(html).toContain('<p>Hello <strong>world</strong>, see <a>the docs</a>.</p>');
    expect(html).toContain(
      '<figure class="chart"><svg class="plot" width="40" height="20" clip-path="url(#c1)"><rect',
    );
  });

  it('has a print stylesheet for A4 that keeps tables and figures whole', () => {
    const print = html.slice(html.indexOf('@media print'));
    expect(html).toContain('size: A4');
    expect(print).toMatch(/table, figure[^{]*\{[^}]*break-inside: avoid/);
  });

  it('ends with the provenance footer', () => {
    const footer = html.slice(html.indexOf('<footer>'), html.indexOf('</footer>'));
    expect(footer).toContain('Retain 0.1.0');
    expect(footer).toContain('2024-05-01T09:30:00.000Z');
    expect(footer).toContain(`<td>${escapeHtml(HOSTILE)}.csv</td>`);
    expect(footer).toContain('1.5 KiB');
    expect(footer).toContain(SHA);
    expect(footer).toContain('orders ← online_retail (customer_id = Customer ID)');
    expect(footer).toContain('currency GBP, time zone Europe/London');
    expect(footer).toContain('<dt>months</dt><dd>12</dd>');
    expect(footer).toContain(`Churn ${escapeHtml(HOSTILE)} (nb-7)`);
  });
});

describe('hostile svg and html', () => {
  const payloads = [
    '<svg><script>alert(1)</script></svg>',
    '<svg><SCRIPT src=x></SCRIPT></svg>',
    '<svg onload=alert(1)><rect/></svg>',
    '<svg><rect/onmouseover="alert(1)"/></svg>',
    '<p><a href="javascript:alert(1)">x</a></p>',
    '<p><a href="&#106;avascript:alert(1)">x</a></p>',
    '<p><a href="java\tscript:alert(1)">x</a></p>',
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    '<p><img src="https://evil.example/pixel.png"></p>',
    '<svg><image href="//evil.example/x.png"/></svg>',
    '<svg><style>@import "https://evil.example/x.css";</style></svg>',
    '<p style="background:url(https://evil.example/x.png)">x</p>',
    '<iframe srcdoc="x"></iframe>',
    '<svg><foreignObject><div>x</div></foreignObject></svg>',
  ];

  it.each(payloads)('refuses %j', (payload) => {
    expect(checkMarkup(payload).ok).toBe(false);
    const html = renderReport({
      notebook,
      provenance,
      cells: [
        { id: 'a', kind: 'chart', svg: payload },
        { id: 'b', kind: 'markdown', html: payload },
      ],
    });
    expect(html).not.toContain(payload);
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('This chart was left out: it contains');
    expect(html).toContain('This text was left out: it contains');
  });

  it('passes ordinary Plot and markdown output', () => {
    const plot =
      '<svg class="plot-d6a7b5" fill="currentColor" font-family="system-ui, sans-serif" viewBox="0 0 640 400"><style>:where(.plot-d6a7b5) { --plot-background: white; }</style><g aria-label="bar"><rect x="1" y="2" width="3" height="4" fill="#4269d0"></rect></g></svg>';
    expect(checkMarkup(plot)).toEqual({ ok: true, markup: plot });
    const md =
      '<h2 id="x">Notes</h2><p>It&#39;s <a href="#x">here</a> &amp; <code>a &lt; b</code></p>';
    expect(checkMarkup(md)).toEqual({ ok: true, markup: md });
  });
});
