/**
 * A problem with a notebook that a person can act on: a damaged link, a file
 * from a newer Retain, a name already in use. The message is a full sentence
 * meant to be shown as it is.
 */
export class NotebookError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NotebookError';
  }
}
