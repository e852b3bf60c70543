import { expect, it } from 'vitest';
import { WasmEngine } from '../../src/lib/engine/wasm.ts';
import { toRows } from '../../src/lib/engine/rows.ts';

it('SQL can read the app’s own files but no other origin (DuckDB’s worker is guarded)', async () => {
  const engine = await WasmEngine.create();
  try {
    const own = new URL('/package.json', location.href);
    const [row] = toRows(
      await engine.query(`SELECT length(content)::DOUBLE AS n FROM read_text('${own.href}')`),
    );
    expect(Number(row.n)).toBeGreaterThan(100);
    // The same server under another name is another origin.
    const other = new URL(own);
    other.hostname = own.hostname === '127.0.0.1' ? 'localhost' : '127.0.0.1';
    await expect(engine.query(`SELECT * FROM read_text('${other.href}')`)).rejects.toThrow(
      /Retain lets queries read only its own files/,
    );
    await expect(engine.query(`SELECT * FROM read_csv('${other.origin}/x.csv')`)).rejects.toThrow(
      /not http:\/\/(localhost|127\.0\.0\.1)/,
    );
    // The engine is still fine afterwards.
    expect(toRows(await engine.query('SELECT 42::DOUBLE AS x'))).toEqual([{ x: 42 }]);
  } finally {
    await engine.close();
  }
});
