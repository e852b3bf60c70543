import { describe, expect, it } from 'vitest';
import { decodeShareLink, encodeShareLink } from '../../../src/lib/notebook/link.ts';
import { parseNotebook, serialiseNotebook } from '../../../src/lib/notebook/serialise.ts';
import { sampleNotebook } from '../notebook/sample.ts';
import { sampleAudit } from './fixture.ts';

const withAudit = () => ({ ...sampleNotebook(), audit: sampleAudit() });

describe('the audit field of the notebook document', () => {
  it('is saved with the notebook file and read back unchanged', () => {
    const text = serialiseNotebook(withAudit(), { includeMapping: false });
    expect(parseNotebook(text).audit).toEqual(sampleAudit());
  });

  it('is optional: a notebook file written before audits existed still opens', () => {
    const old = JSON.stringify(sampleNotebook());
    expect(old).not.toContain('audit');
    const nb = parseNotebook(old);
    expect(nb.audit).toBeUndefined();
    expect(nb.cells).toHaveLength(sampleNotebook().cells.length);
  });

  it('stays out of share links unless the user opts in', async () => {
    const plain = await decodeShareLink(
      await encodeShareLink(withAudit(), { includeMapping: false }),
    );
    expect(plain.audit).toBeUndefined();
    const opted = await decodeShareLink(
      await encodeShareLink(withAudit(), { includeMapping: false, includeAudit: true }),
    );
    expect(opted.audit).toEqual(sampleAudit());
  });

  it('drops unknown fields of answers and findings', () => {
    const doc = JSON.parse(serialiseNotebook(withAudit(), { includeMapping: false }));
    doc.audit.answers['overall.acquisition_lean'].secret = 'x';
    doc.audit.findings[0].script = '<script>';
    doc.audit.extra = 1;
    const nb = parseNotebook(JSON.stringify(doc));
    expect(nb.audit!.answers['overall.acquisition_lean']).toEqual({ value: 8 });
    expect(nb.audit!.findings[0]).not.toHaveProperty('script');
    expect(nb.audit).not.toHaveProperty('extra');
  });

  it('keeps answers to questions this version does not know, if they are plain values', () => {
    const doc = JSON.parse(serialiseNotebook(withAudit(), { includeMapping: false }));
    doc.audit.answers['future.question'] = { value: 'later' };
    expect(parseNotebook(JSON.stringify(doc)).audit!.answers['future.question']).toEqual({
      value: 'later',
    });
  });

  it('says which answer is wrong', () => {
    const doc = JSON.parse(serialiseNotebook(withAudit(), { includeMapping: false }));
    doc.audit.answers['overall.acquisition_lean'].value = 11;
    expect(() => parseNotebook(JSON.stringify(doc))).toThrow(
      'This notebook cannot be opened. The answer to overall.acquisition_lean: "value" must be a whole number from 1 to 10.',
    );
  });
});
