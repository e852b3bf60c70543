import { describe, expect, it } from 'vitest';
import { sampleCurrency, SAMPLES } from '../../src/lib/samples.ts';

describe('the bundled samples', () => {
  it('bring the currency of their amounts (SOURCE.md: CDNOW dollar_value, Telco US charges, a UK shop)', () => {
    // Tables are named after the file, as the loader names them.
    expect(sampleCurrency('cdnow_master')).toBe('USD');
    expect(sampleCurrency('telco_churn')).toBe('USD');
    expect(sampleCurrency('online_retail')).toBe('GBP');
  });

  it('say nothing of a table that is not a sample', () => {
    expect(sampleCurrency('orders')).toBeUndefined();
    expect(sampleCurrency('cdnow')).toBeUndefined();
  });

  it('each name a three-letter ISO 4217 code', () => {
    for (const s of SAMPLES) expect(s.currency).toMatch(/^[A-Z]{3}$/);
  });
});
