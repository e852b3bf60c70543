/**
 * A Sankey diagram laid out with d3-sankey (Bostock's port of Kelly's algorithm:
 * nodes in columns by depth, vertical positions relaxed iteratively to shorten
 * links), as plain numbers and SVG path strings, so the view only draws and the
 * layout is tested in Node. Sinks (nodes without outgoing links, e.g. the Churned /
 * Retained outcomes) are justified to the right-most column.
 */
import { sankey, sankeyJustify, sankeyLinkHorizontal } from 'd3-sankey';

export interface SankeyInput {
  nodes: readonly { id: string; name: string }[];
  links: readonly { source: string; target: string; value: number }[];
}

export interface SankeyOptions {
  width: number;
  height: number;
  nodeWidth?: number;
  nodePadding?: number;
}

export interface LaidNode {
  id: string;
  name: string;
  /** Column after justification (sinks in the last one), 0 on the left. */
  depth: number;
  value: number;
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

export interface LaidLink {
  source: string;
  target: string;
  value: number;
  /** Stroke width: the link's share of its nodes' height. */
  width: number;
  /** SVG path for a horizontal link, drawn with stroke-width = width. */
  path: string;
}

export interface SankeyLayout {
  width: number;
  height: number;
  nodes: LaidNode[];
  links: LaidLink[];
}

type N = { id: string; name: string };
type L = { source: string; target: string; value: number };

/** Lay out nodes and links (links refer to node ids; zero-value links are dropped). */
export function layoutSankey(input: SankeyInput, options: SankeyOptions): SankeyLayout {
  const { width, height, nodeWidth = 14, nodePadding = 14 } = options;
  const links = input.links.filter((l) => l.value > 0);
  if (!links.length) return { width, height, nodes: [], links: [] };
  const used = new Set(links.flatMap((l) => [l.source, l.target]));
  const generator = sankey<N, L>()
    .nodeId((n) => n.id)
    .nodeAlign(sankeyJustify)
    .nodeWidth(nodeWidth)
    .nodePadding(nodePadding)
    // Keep the input order within a column, so the diagram reads like the table.
    .nodeSort(null)
    .extent([
      [1, 1],
      [width - 1, height - 1],
    ]);
  const graph = generator({
    nodes: input.nodes.filter((n) => used.has(n.id)).map((n) => ({ ...n })),
    links: links.map((l) => ({ ...l })),
  });
  const path = sankeyLinkHorizontal<N, L>();
  const idOf = (n: unknown) => (n as N).id;
  return {
    width,
    height,
    nodes: graph.nodes.map((n) => ({
      id: n.id,
      name: n.name,
      // d3-sankey sets `layer` (the aligned column) but its types only declare `depth`.
      depth: (n as { layer?: number }).layer ?? n.depth ?? 0,
      value: n.value ?? 0,
      x0: n.x0 ?? 0,
      x1: n.x1 ?? 0,
      y0: n.y0 ?? 0,
      y1: n.y1 ?? 0,
    })),
    links: graph.links.map((l) => ({
      source: idOf(l.source),
      target: idOf(l.target),
      value: l.value,
      width: l.width ?? 0,
      path: path(l) ?? '',
    })),
  };
}
