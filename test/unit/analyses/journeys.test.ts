import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { layoutSankey } from '../../../src/lib/charts/sankey.ts';
import { NodeEngine } from '../../../src/lib/engine/node.ts';
import { fromPath, nodeDecoders } from '../../../src/lib/ingest/node-input.ts';
import { journeysSuite } from '../../shared/journeys-suite.ts';

const fixtures = join(import.meta.dirname, '../../fixtures');

journeysSuite({
  engine: () => NodeEngine.create(),
  decoders: () => nodeDecoders,
  open: (fixture) => fromPath(join(fixtures, fixture)),
});

describe('Sankey layout (d3-sankey, justified)', () => {
  // Extent [1, 1]–[99, 99]: 98 × 98 px. Two columns, node width 10, padding 10, so
  // column x = 1 + depth × (98 − 10) = 1 and 89. Both columns carry 8 customers with one
  // gap: ky = (98 − 10) ÷ 8 = 11 px per customer, and each column fills the height exactly,
  // so the positions are forced: a 0–44 px tall (4 × 11), b 44, X 33 (3 × 11), Y 55 (5 × 11).
  const layout = layoutSankey(
    {
      nodes: [
        { id: 'a', name: 'a' },
        { id: 'b', name: 'b' },
        { id: 'X', name: 'X' },
        { id: 'Y', name: 'Y' },
        { id: 'unused', name: 'unused' },
      ],
      links: [
        { source: 'a', target: 'X', value: 3 },
        { source: 'a', target: 'Y', value: 1 },
        { source: 'b', target: 'Y', value: 4 },
        { source: 'b', target: 'X', value: 0 },
      ],
    },
    { width: 100, height: 100, nodeWidth: 10, nodePadding: 10 },
  );
  const node = (id: string) => layout.nodes.find((n) => n.id === id)!;
  const round = (x: number) => Math.round(x * 1000) / 1000;

  it('places nodes by column and sizes them by customers', () => {
    expect(layout.nodes.map((n) => n.id)).toEqual(['a', 'b', 'X', 'Y']);
    expect([node('a').x0, node('a').x1, node('X').x0, node('X').x1]).toEqual([1, 11, 89, 99]);
    expect(['a', 'b', 'X', 'Y'].map((id) => [round(node(id).y0), round(node(id).y1)])).toEqual([
      [1, 45],
      [55, 99],
      [1, 34],
      [44, 99],
    ]);
  });

  it('draws links as wide as their customers, and drops empty ones', () => {
    expect(layout.links.map((l) => [l.source, l.target, round(l.width)])).toEqual([
      ['a', 'X', 33],
      ['a', 'Y', 11],
      ['b', 'Y', 44],
    ]);
    // a → X leaves a's top half-width down (1 + 33 ÷ 2 = 17.5) and meets X at the same height
    // (X is 1–34); the curve's control points sit halfway across, at x = (11 + 89) ÷ 2 = 50.
    const path = layout.links[0].path.replace(/\d+\.\d+/g, (x) => String(round(Number(x))));
    expect(path).toBe('M11,17.5C50,17.5,50,17.5,89,17.5');
  });

  it('justifies an early sink (an outcome after few steps) to the last column', () => {
    const l = layoutSankey(
      {
        nodes: ['p', 'q', 'Churned', 'Retained'].map((id) => ({ id, name: id })),
        links: [
          { source: 'p', target: 'q', value: 2 },
          { source: 'q', target: 'Retained', value: 2 },
          { source: 'p', target: 'Churned', value: 1 },
        ],
      },
      { width: 300, height: 100 },
    );
    const at = (id: string) => l.nodes.find((n) => n.id === id)!;
    expect([at('p').depth, at('q').depth, at('Churned').depth, at('Retained').depth]).toEqual([
      0, 1, 2, 2,
    ]);
    expect(at('Churned').x0).toBe(at('Retained').x0);
  });
});
