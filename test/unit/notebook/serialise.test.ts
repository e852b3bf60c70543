import { describe, expect, it } from 'vitest';
import { NotebookError } from '../../../src/lib/notebook/errors.ts';
import { migrate, parseNotebook, serialiseNotebook } from '../../../src/lib/notebook/serialise.ts';
import { sampleMapping, sampleNotebook } from './sample.ts';

describe('serialise and parse', () => {
  it('round-trips a notebook with its mapping and data address', () => {
    const nb = {
      ...sampleNotebook(),
      mapping: sampleMapping(),
      dataUrl: 'https://example.org/orders.csv',
    };
    const text = serialiseNotebook(nb, { includeMapping: true });
    expect(parseNotebook(text)).toEqual(nb);
    expect(parseNotebook(serialiseNotebook(nb, { includeMapping: true, indent: 2 }))).toEqual(nb);
  });

  it('leaves the mapping out unless asked', () => {
    const { mapping: _, ...rest } = { ...sampleNotebook(), mapping: sampleMapping() };
    const text = serialiseNotebook(
      { ...rest, mapping: sampleMapping() },
      { includeMapping: false },
    );
    expect(text).not.toContain('raw_orders');
    expect(parseNotebook(text)).toEqual(rest);
  });

  it('drops unknown fields at every level', () => {
    const doc = JSON.parse(serialiseNotebook(sampleNotebook(), { includeMapping: false }));
    doc.extra = 1;
    doc.cells[0].html = '<script>';
    doc.parameters[0].secret = 'x';
    const nb = parseNotebook(JSON.stringify(doc));
    expect(nb).toEqual(sampleNotebook());
    expect(nb).not.toHaveProperty('extra');
    expect(nb.cells[0]).not.toHaveProperty('html');
  });

  it('keeps a version 1 document written by hand readable', () => {
    const v1 = `{
      "version": 1, "id": "legacy", "title": "Old", "createdAt": "2024-01-01T00:00:00Z",
      "updatedAt": "2024-01-02T00:00:00+01:00",
      "cells": [{ "id": "c1", "kind": "sql", "sql": "SELECT $x", "name": "r" },
                { "id": "c2", "kind": "chart", "source": "r", "mark": "dot", "x": "a" }],
      "parameters": [{ "name": "x", "type": "number", "value": 3 }]
    }`;
    expect(parseNotebook(v1)).toEqual({
      version: 1,
      id: 'legacy',
      title: 'Old',
      createdAt: '2024-01-01T00:00:00Z',
      updatedAt: '2024-01-02T00:00:00+01:00',
      cells: [
        { id: 'c1', kind: 'sql', sql: 'SELECT $x', name: 'r' },
        { id: 'c2', kind: 'chart', source: 'r', mark: 'dot', x: 'a' },
      ],
      parameters: [{ name: 'x', type: 'number', value: 3 }],
    });
  });

  it('migrate passes a current document through and refuses newer ones', () => {
    const raw = { version: 1, anything: true };
    expect(migrate(raw)).toBe(raw);
    expect(() => migrate({ version: 2 })).toThrow(/made by a newer Retain/);
    expect(() => migrate({})).toThrow(NotebookError);
  });
});
