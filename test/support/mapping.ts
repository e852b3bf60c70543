import type { SqlEngine } from '../../src/lib/engine/types.ts';
import { detectMapping } from '../../src/lib/schema/detect.ts';
import type { TableMapping } from '../../src/lib/schema/mapping.ts';
import { applyMapping } from '../../src/lib/schema/views.ts';

/**
 * Map a loaded table with the mapping Retain proposes for it, as a person confirming the
 * proposal would (times in UTC); returns that mapping.
 */
export async function applyDetected(
  engine: SqlEngine,
  table: string,
  currency: string,
): Promise<TableMapping> {
  const { proposal } = await detectMapping(engine, table);
  if (!proposal) throw new Error(`Retain proposed no mapping for ${table}.`);
  await applyMapping(engine, {
    version: 1,
    tables: [proposal.mapping],
    currency,
    timeZone: 'UTC',
  });
  return proposal.mapping;
}
