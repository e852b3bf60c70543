import { expect, it } from 'vitest';
import { WasmEngine } from '../../src/lib/engine/wasm.ts';
import { EngineCrashedError, isCancelled } from '../../src/lib/engine/types.ts';

it('a killed engine rejects the running and the queued queries at once, and reports the crash once', async () => {
  const crashes: Error[] = [];
  const engine = await WasmEngine.create({ onCrash: (e) => crashes.push(e) });
  const running = engine.query('SELECT sum(hash(range)) FROM range(20000000000)');
  const queued = engine.query('SELECT 1');
  await new Promise((r) => setTimeout(r, 300));
  engine.kill();
  await expect(running).rejects.toBeInstanceOf(EngineCrashedError);
  await expect(queued).rejects.toBeInstanceOf(EngineCrashedError);
  await expect(engine.query('SELECT 2')).rejects.toThrow(/The data engine stopped/);
  expect(engine.crashed).toBe(true);
  expect(crashes).toHaveLength(1);
  // A crash is not a cancellation: the user must be told.
  expect(isCancelled(crashes[0])).toBe(false);
  await engine.close();
});
