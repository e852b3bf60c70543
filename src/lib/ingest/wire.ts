import { IngestError, type RetryChoice } from './errors.ts';

/**
 * Errors lose their class when they cross a worker boundary, so the ingest worker
 * returns IngestErrors as data and the client throws them again.
 */
export type Wired<T> =
  { ok: T } | { ingestError: { file: string; problem: string; fix: string; retry: RetryChoice[] } };

export async function wire<T>(work: () => Promise<T>): Promise<Wired<T>> {
  try {
    return { ok: await work() };
  } catch (error) {
    if (error instanceof IngestError) {
      return {
        ingestError: {
          file: error.file,
          problem: error.problem,
          fix: error.fix,
          retry: error.retry,
        },
      };
    }
    throw error;
  }
}

export function unwire<T>(result: Wired<T>): T {
  if ('ingestError' in result) {
    const e = result.ingestError;
    throw new IngestError(e.file, e.problem, e.fix, e.retry);
  }
  return result.ok;
}
