import { describe, expect, it } from 'vitest';
import { embeddableReport } from '../../../src/lib/export/report-parts.ts';

describe('embeddableReport', () => {
  const html = `<!doctype html><html><head><style>
:root { --ink: #111; }
body { margin: 0 auto; }
@page { size: A4; @top-left { content: "Head"; } }
@page :first { @top-left { content: none; } }
footer { color: red; }
@media print {
  body { font-size: 10pt; }
  tbody td { color: blue; }
}
</style></head>
<body>
<h1>Title</h1><table><tbody><tr><td>1</td></tr></tbody></table>
</body></html>`;

  it('aims :root and body rules at the shadow host and the wrapper, and drops @page', () => {
    const { css, body } = embeddableReport(html);
    expect(css).toContain(':host { --ink: #111; }');
    expect(css).toContain('.report-body { margin: 0 auto; }');
    expect(css).toContain('  .report-body { font-size: 10pt; }');
    // "tbody" is not the body selector.
    expect(css).toContain('tbody td { color: blue; }');
    expect(css).not.toContain('@page');
    expect(css).not.toContain('top-left');
    expect(css).toContain('footer { color: red; }');
    expect(body).toBe('<h1>Title</h1><table><tbody><tr><td>1</td></tr></tbody></table>');
  });

  it('gives nothing for a document without a body', () => {
    expect(embeddableReport('<p>x</p>')).toEqual({ css: '', body: '' });
  });
});
