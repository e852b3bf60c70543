import { describe, expect, it } from 'vitest';
import { NotebookError } from '../../../src/lib/notebook/errors.ts';
import { parseNotebook } from '../../../src/lib/notebook/serialise.ts';
import { HOSTILE_TEXTS } from './hostile.ts';

/** Run `read` and return what it threw, failing the test if it returned. */
function refusal(read: () => unknown): unknown {
  try {
    read();
  } catch (error) {
    return error;
  }
  throw new Error('expected the input to be refused');
}

describe('parseNotebook refuses hostile input with a NotebookError', () => {
  it('has a corpus of at least 25 cases', () => {
    expect(HOSTILE_TEXTS.length).toBeGreaterThanOrEqual(25);
  });

  it.each(HOSTILE_TEXTS)('%s', (_what, text) => {
    const error = refusal(() => parseNotebook(text));
    expect(error).toBeInstanceOf(NotebookError);
    expect((error as Error).message).toMatch(/^[A-Z].{10,}\.$/s);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('says which Retain can open a future version', () => {
    expect(() => parseNotebook('{"version": 7}')).toThrow(
      'This notebook was made by a newer Retain (format version 7); update Retain to open it.',
    );
  });

  it('refuses a value that is not text at all', () => {
    expect(refusal(() => parseNotebook(undefined as unknown as string))).toBeInstanceOf(
      NotebookError,
    );
  });
});
