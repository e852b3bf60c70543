import { describe, expect, it } from 'vitest';
import type { AuditEvidence, Proposal } from '../../../src/lib/audit/proposals.ts';
import { PROPOSER_IDS } from '../../../src/lib/audit/questionnaire.ts';
import {
  auditGaps,
  renderAuditReport,
  type AuditReportInput,
} from '../../../src/lib/audit/report.ts';
import { createProvenance } from '../../../src/lib/export/provenance.ts';
import { sampleAudit } from './fixture.ts';

/** Evidence as proposals.ts would give it for orders without feedback, written by hand. */
function evidence(): AuditEvidence {
  const proposals = Object.fromEntries(
    PROPOSER_IDS.map((id): [string, Proposal] => [
      id,
      {
        proposer: id,
        status: 'missing',
        evidence: 'Not loaded.',
        figures: {},
        missing: 'Something',
      },
    ]),
  ) as AuditEvidence['proposals'];
  proposals.nps = {
    proposer: 'nps',
    status: 'missing',
    evidence: 'No feedback is loaded.',
    figures: {},
    missing: 'A feedback table with a 0–10 score',
  };
  return {
    proposals,
    metrics: {
      customers: 4338,
      repeatRate: 65.6,
      oneTimeShare: 34.4,
      month1Retention: 23.7,
      nps: null,
      returnsRatio: 2.2,
      atRisk: { customers: 665, revenueShare: 11.9 },
    },
    series: { retention: [], segments: [] },
  };
}

function input(): AuditReportInput {
  return {
    title: 'Retention audit 2026',
    audit: sampleAudit(),
    evidence: evidence(),
    gaps: [
      {
        id: 'nps',
        analysis: 'Net Promoter Score',
        missing: 'A feedback table with customer ID, date and a 0–10 score',
        severity: 'warning',
        because: 'NPS is computed from survey answers.',
      },
    ],
    charts: [
      {
        title: 'A bar',
        svg: '<svg viewBox="0 0 10 10" width="10" height="10"><rect width="5" height="10"></rect></svg>',
        caption: 'A fixed chart.',
      },
    ],
    provenance: createProvenance({
      version: '0.0.0-test',
      inputs: [
        { file: 'orders.csv', size: 2048, sha256: 'ab'.repeat(32), rows: 10, table: 'orders' },
      ],
      notebook: null,
      mapping: null,
      now: new Date('2026-12-01T10:00:00Z'),
    }),
  };
}

describe('the audit report', () => {
  it('renders the same HTML as the reviewed snapshot', async () => {
    await expect(renderAuditReport(input())).toMatchFileSnapshot('__snapshots__/report.html.snap');
  });

  it('is standalone: no script, no address outside the file, a CSP forbidding both', () => {
    const html = renderAuditReport(input());
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain(
      `content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`,
    );
    expect(html.match(/https?:\/\/[^\s"'<>)]+/g) ?? []).toEqual([]);
  });

  it('ranks the fix plan by M.I.C.E. (scores worked out by hand)', () => {
    const html = renderAuditReport(input());
    // welcome: M 9 + 8 + 8 + 8 = 33, short-term; faq: M 8 + 4 + 7 + 6 = 25, later (impact 4);
    // loyalty: M 6 + 9 + 5 + 3 = 23, long-term (impact 9, ease 3).
    const order = ['No welcome series', 'Answer delivery questions', 'Launch a trade loyalty'].map(
      (t) => html.indexOf(t, html.indexOf('<h2>Fix plan</h2>')),
    );
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(html).toMatch(/<td class="num score">33<\/td><td><span class="horizon short-term">/);
    expect(html).toMatch(/<td class="num score">23<\/td><td><span class="horizon long-term">/);
  });

  it('puts only short- and long-term fixes under "Fix first", never a "later" finding', () => {
    const html = renderAuditReport(input());
    const fixFirst = html.slice(html.indexOf('<h3>Fix first</h3>'), html.indexOf('</ol>'));
    // The faq finding scores 25 (above the loyalty programme's 23) but is "later" (impact 4).
    expect(fixFirst).toContain('No welcome series');
    expect(fixFirst).toContain('Launch a trade loyalty');
    expect(fixFirst).not.toContain('Answer delivery questions');
  });

  it('says the data has no orders, not that none was loaded, when only customers were', () => {
    const customersOnly = input();
    const none = { customers: null, repeatRate: null, oneTimeShare: null, month1Retention: null };
    customersOnly.evidence = {
      ...evidence(),
      metrics: { ...none, nps: null, returnsRatio: null, atRisk: null },
    };
    const html = renderAuditReport(customersOnly);
    expect(html).toContain('The data loaded has no orders');
    expect(html).not.toContain('No data was loaded');
    expect(renderAuditReport({ ...input(), evidence: null })).toContain('No data was loaded');
  });

  it('lists each question marked unable to answer with what would close it', () => {
    const gaps = auditGaps(sampleAudit(), evidence());
    expect(gaps.map((g) => g.question.id)).toEqual(['data.nps', 'success.tickets_per_customer']);
    expect(gaps[0].closes).toBe('A feedback table with a 0–10 score: No feedback is loaded.');
  });

  it('escapes every text and refuses chart markup with a script', () => {
    const i = input();
    i.audit.client = '<img src=x onerror=alert(1)>';
    i.audit.answers['closing.goals'] = { value: '</style><script>alert(1)</script>' };
    i.charts = [{ title: 'Bad', svg: '<svg><script>alert(1)</script></svg>' }];
    const html = renderAuditReport(i);
    expect(html).not.toMatch(/<script|<img/i);
    expect(html).toContain('This chart was left out');
    expect(html).toContain('&lt;/style&gt;&lt;script&gt;');
  });
});
