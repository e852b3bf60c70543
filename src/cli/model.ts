import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { NodeEngine } from '../lib/engine/node.ts';
import { IngestError } from '../lib/ingest/errors.ts';
import { loadFile } from '../lib/ingest/load.ts';
import { fromPath, nodeDecoders } from '../lib/ingest/node-input.ts';
import { detectMapping } from '../lib/schema/detect.ts';
import type { Mapping } from '../lib/schema/mapping.ts';
import { validateMapping } from '../lib/schema/validate.ts';
import { applyMapping } from '../lib/schema/views.ts';
import { UsageError } from './args.ts';

export interface Modelled {
  mapping: Mapping;
  tables: { file: string; table: string }[];
  notes: string[];
}

/**
 * Load files and build the canonical views, the way the app does: from a saved
 * mapping file (as downloaded from the app or printed by `retain mapping`) or, without
 * one, from the proposed mapping of each table. A mapping that cannot work is refused.
 */
export async function loadAndMap(
  engine: NodeEngine,
  files: string[],
  mappingFile?: string,
): Promise<Modelled> {
  const tables: { file: string; table: string }[] = [];
  for (const file of files) {
    const result = await loadFile(engine, nodeDecoders, await fromPath(resolve(file)));
    for (const t of result.tables) tables.push({ file, table: t.name });
  }
  const notes: string[] = [];
  let mapping: Mapping;
  if (mappingFile) {
    try {
      mapping = JSON.parse(await readFile(resolve(mappingFile), 'utf8')) as Mapping;
    } catch (error) {
      throw new UsageError(
        `cannot read the mapping file ${mappingFile}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    const missing = mapping.tables
      .map((t) => t.source)
      .filter((s) => !tables.some((t) => t.table === s));
    if (missing.length) {
      throw new UsageError(
        `the mapping refers to table(s) ${missing.join(', ')}, but the files loaded as ${tables.map((t) => t.table).join(', ')}. Load the same files, in the same order, as when the mapping was made.`,
      );
    }
  } else {
    mapping = { version: 1, tables: [], currency: 'GBP', timeZone: 'UTC' };
    for (const { table } of tables) {
      const { proposal } = await detectMapping(engine, table);
      if (proposal) {
        mapping.tables.push(proposal.mapping);
        notes.push(...proposal.notes.map((n) => `${table}: ${n}`));
      } else notes.push(`${table}: not recognised; left out (use --mapping to map it).`);
    }
  }
  const problems = await validateMapping(engine, mapping);
  const fatal = problems.filter((p) => p.fatal);
  if (fatal.length) {
    const first = fatal[0];
    throw new IngestError(
      first.source,
      fatal
        .map(
          (p) =>
            `${p.problem}${p.examples.length ? ` For example ${p.examples.map((e) => `row ${e.row}: "${e.value}"`).join(', ')}.` : ''}`,
        )
        .join(' '),
      'Fix the mapping (choose another column, or a date format) and run again.',
    );
  }
  notes.push(...problems.map((p) => `${p.source}: ${p.problem}`));
  await applyMapping(engine, mapping);
  return { mapping, tables, notes };
}
