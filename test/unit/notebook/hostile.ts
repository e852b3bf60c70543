import { sampleAudit } from '../audit/fixture.ts';
import { sampleMapping, sampleNotebook } from './sample.ts';

/** A valid notebook document as a plain JSON object, to be broken by each case. */
function doc(): Record<string, unknown> & { cells: Record<string, unknown>[] } {
  return JSON.parse(JSON.stringify({ ...sampleNotebook(), mapping: sampleMapping() }));
}

function broken(change: (d: ReturnType<typeof doc>) => void): string {
  const d = doc();
  change(d);
  return JSON.stringify(d);
}

/**
 * Malformed and hostile notebook texts, each of which must be refused with a
 * NotebookError: [what is wrong, the text].
 */
export const HOSTILE_TEXTS: [string, string][] = [
  ['empty text', ''],
  ['not JSON', 'hello'],
  ['truncated JSON', JSON.stringify(doc()).slice(0, 200)],
  ['a number', '42'],
  ['null', 'null'],
  ['an array', '[]'],
  ['no version', broken((d) => delete d.version)],
  ['version as text', broken((d) => (d.version = '1'))],
  ['version zero', broken((d) => (d.version = 0))],
  ['a fractional version', broken((d) => (d.version = 1.5))],
  ['a future version', broken((d) => (d.version = 99))],
  ['unknown cell kind', broken((d) => (d.cells[0].kind = 'python'))],
  ['cells not a list', broken((d) => (d.cells = {} as never))],
  ['cell that is a string', broken((d) => (d.cells[0] = 'x' as never))],
  ['sql as a number', broken((d) => (d.cells[1].sql = 1))],
  ['title as an object', broken((d) => (d.title = { a: 1 }))],
  ['collapsed as text', broken((d) => (d.cells[0].collapsed = 'yes'))],
  ['optional name as null', broken((d) => (d.cells[1].name = null))],
  ['chart mark unknown', broken((d) => (d.cells[3].mark = 'pie'))],
  ['analysis params as a list', broken((d) => (d.cells[4].params = []))],
  ['duplicate cell ids', broken((d) => (d.cells[1].id = 'md'))],
  ['cell id with markup', broken((d) => (d.cells[0].id = '<img src=x onerror=alert(1)>'))],
  ['duplicate result names', broken((d) => (d.cells[2].name = 'FIRST_ORDERS'))],
  ['a reserved result name', broken((d) => (d.cells[1].name = 'orders'))],
  ['an internal result name', broken((d) => (d.cells[1].name = '_retain_views'))],
  ['result name with a quote', broken((d) => (d.cells[1].name = 'x"; DROP TABLE orders; --'))],
  ['a string over 200,000 characters', broken((d) => (d.title = 'x'.repeat(200_001)))],
  ['a long key', broken((d) => (d.cells[4].params = { ['k'.repeat(200_001)]: 1 }))],
  [
    '501 cells',
    broken(
      (d) =>
        (d.cells = Array.from({ length: 501 }, (_, i) => ({
          id: `c${i}`,
          kind: 'markdown',
          text: '',
        }))),
    ),
  ],
  ['__proto__ at the top', JSON.stringify(doc()).replace('{', '{"__proto__":{"polluted":true},')],
  [
    '__proto__ deep in params',
    JSON.stringify(doc()).replace('"period"', '"__proto__":{"x":1},"period"'),
  ],
  ['constructor key', broken((d) => (d.cells[4].params = { constructor: { prototype: {} } }))],
  [
    'prototype key in the mapping',
    broken((d) => ((d.mapping as Record<string, unknown>).prototype = 1)),
  ],
  ['deep nesting', JSON.stringify(doc()).replace('"month"', '['.repeat(100) + ']'.repeat(100))],
  ['very deep nesting', '{"version":1,"x":' + '['.repeat(200_000) + ']'.repeat(200_000) + '}'],
  [
    'parameter name with a space',
    broken((d) => ((d.parameters as { name: string }[])[0].name = 'a b')),
  ],
  [
    'parameter name starting with $',
    broken((d) => ((d.parameters as { name: string }[])[0].name = '$x')),
  ],
  [
    'duplicate parameter names',
    broken((d) => ((d.parameters as { name: string }[])[1].name = 'Start')),
  ],
  ['parameter type unknown', broken((d) => ((d.parameters as { type: string }[])[0].type = 'sql'))],
  [
    'date parameter not a date',
    broken((d) => ((d.parameters as { value: string }[])[0].value = '1 Jan')),
  ],
  [
    'number parameter as text',
    broken((d) => ((d.parameters as { value: string }[])[1].value = '10')),
  ],
  [
    'options not text',
    broken((d) => ((d.parameters as { options: unknown }[])[2].options = [1, 2])),
  ],
  ['createdAt not a date', broken((d) => (d.createdAt = 'yesterday'))],
  ['a javascript: data address', broken((d) => (d.dataUrl = 'javascript:alert(1)'))],
  [
    'a data address with a password',
    broken((d) => (d.dataUrl = 'https://me:secret@example.org/x.csv')),
  ],
  ['a file: data address', broken((d) => (d.dataUrl = 'file:///etc/passwd'))],
  [
    'mapping of the wrong version',
    broken((d) => ((d.mapping as Record<string, unknown>).version = 2)),
  ],
  [
    'mapping table of an unknown kind',
    broken((d) => ((d.mapping as { tables: { kind: string }[] }).tables[0].kind = 'users')),
  ],
  [
    'mapping columns not text',
    broken((d) => ((d.mapping as { tables: { columns: unknown }[] }).tables[0].columns = { a: 1 })),
  ],
  [
    'mapping include missing',
    broken((d) => delete (d.mapping as { tables: { include?: unknown }[] }).tables[0].include),
  ],
  ['mapping as a string', broken((d) => (d.mapping = 'yes' as never))],
  ...AUDIT_CASES(),
];

/** Hostile audit fields (src/lib/audit/validate.ts): each breaks one part of a valid audit. */
function AUDIT_CASES(): [string, string][] {
  // Each case corrupts an arbitrary field on purpose, so the audit is untyped here.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const audit = (change: (a: Record<string, any>) => void) =>
    broken((d) => {
      const a = JSON.parse(JSON.stringify(sampleAudit()));
      change(a);
      d.audit = a;
    });
  return [
    ['audit as a list', broken((d) => (d.audit = [] as never))],
    ['audit answers as a list', audit((a) => (a.answers = []))],
    ['audit findings missing', audit((a) => delete a.findings)],
    ['answer id without a section', audit((a) => (a.answers.nodot = { value: 1 }))],
    ['answer id with markup', audit((a) => (a.answers['x.<img src=x>'] = { value: 1 }))],
    ['rating of 11', audit((a) => (a.answers['overall.acquisition_lean'].value = 11))],
    ['rating of 2.5', audit((a) => (a.answers['overall.acquisition_lean'].value = 2.5))],
    ['yes/no as text', audit((a) => (a.answers['loyalty.exists'].value = 'no'))],
    ['number as text', audit((a) => (a.answers['overall.repeat_rate'].value = '65'))],
    ['choice not offered', audit((a) => (a.answers['product.purchase_cycle'].value = 'Never'))],
    ['answer value an object', audit((a) => (a.answers['future.q'] = { value: { x: 1 } }))],
    ['answer source unknown', audit((a) => (a.answers['overall.repeat_rate'].source = 'ai'))],
    ['unable as text', audit((a) => (a.answers['data.nps'].unable = 'yes'))],
    [
      'a note over 5,000 characters',
      audit((a) => (a.answers['data.nps'].note = 'x'.repeat(5_001))),
    ],
    [
      '501 answers',
      audit((a) => {
        for (let i = 0; i < 501; i++) a.answers[`extra.q${i}`] = { value: i };
      }),
    ],
    ['finding id with a space', audit((a) => (a.findings[0].id = 'a b'))],
    ['duplicate finding ids', audit((a) => (a.findings[1].id = a.findings[0].id))],
    ['ten departments', audit((a) => (a.findings[0].departments = 10))],
    ['impact of zero', audit((a) => (a.findings[0].impact = 0))],
    ['ease as text', audit((a) => (a.findings[0].ease = '8'))],
    ['finding origin unknown', audit((a) => (a.findings[0].origin = 'robot'))],
    ['KPI value as text', audit((a) => (a.findings[0].kpi.value = 'high'))],
    ['a title over 300 characters', audit((a) => (a.findings[0].title = 't'.repeat(301)))],
    [
      '201 findings',
      audit((a) => {
        a.findings = Array.from({ length: 201 }, (_, i) => ({ ...a.findings[0], id: `f${i}` }));
      }),
    ],
    ['client as a number', audit((a) => (a.client = 7))],
  ];
}
