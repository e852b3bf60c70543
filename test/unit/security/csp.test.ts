import { describe, expect, it } from 'vitest';
import {
  contentSecurityPolicy,
  dataOriginsOf,
  needsNewPolicy,
} from '../../../src/lib/security/csp.ts';

/** The policy as a map: directive → its sources. */
function parse(policy: string): Map<string, string[]> {
  return new Map(
    policy.split(';').map((d) => {
      const [name, ...sources] = d.trim().split(/\s+/);
      return [name, sources];
    }),
  );
}

describe('contentSecurityPolicy', () => {
  it("allows only the app's own origin, wasm compilation and inline styles", () => {
    const p = parse(contentSecurityPolicy());
    expect(p.get('default-src')).toEqual(["'self'"]);
    expect(p.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(p.get('connect-src')).toEqual(["'self'"]);
    expect(p.get('worker-src')).toEqual(["'self'"]);
    expect(p.get('object-src')).toEqual(["'none'"]);
    expect(p.get('form-action')).toEqual(["'none'"]);
    // No JavaScript eval and no remote script anywhere.
    expect(contentSecurityPolicy()).not.toMatch(/'unsafe-eval'|https?:/);
  });

  it('adds the origin of a data file the user gave to connect-src only', () => {
    const policy = contentSecurityPolicy({ dataOrigins: ['https://data.example.org'] });
    const p = parse(policy);
    expect(p.get('connect-src')).toEqual(["'self'", 'https://data.example.org']);
    expect(policy.match(/data\.example\.org/g)).toHaveLength(1);
  });

  it('refuses anything but a plain http(s) origin, so a crafted link cannot widen the policy', () => {
    const p = parse(
      contentSecurityPolicy({
        dataOrigins: [
          '*',
          'https:',
          'https://a.example; script-src *',
          "'unsafe-inline'",
          'https://b.example/path',
          'javascript:alert(1)',
        ],
      }),
    );
    expect(p.get('connect-src')).toEqual(["'self'"]);
    expect(p.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
  });
});

describe('dataOriginsOf', () => {
  const page = 'https://app.example/retain/';
  it('reads the origin of a ?data= link to another site', () => {
    expect(
      dataOriginsOf(`${page}?data=${encodeURIComponent('https://data.example.org:8443/o.csv')}`),
    ).toEqual(['https://data.example.org:8443']);
  });
  it('needs nothing for the page’s own origin, relative addresses or no link', () => {
    expect(dataOriginsOf(`${page}?data=samples/x.csv`)).toEqual([]);
    expect(dataOriginsOf(`${page}?data=https://app.example/other.csv`)).toEqual([]);
    expect(dataOriginsOf(page)).toEqual([]);
  });
  it('ignores addresses that are not http(s) or not addresses at all', () => {
    expect(dataOriginsOf(`${page}?data=${encodeURIComponent('ftp://x.example/a.csv')}`)).toEqual(
      [],
    );
    expect(dataOriginsOf(`${page}?data=${encodeURIComponent('http://[bad')}`)).toEqual([]);
  });
});

describe('needsNewPolicy', () => {
  it('is true only for another origin', () => {
    const page = 'http://127.0.0.1:4317/';
    expect(needsNewPolicy('http://127.0.0.1:4317/samples/a.csv', page)).toBe(false);
    expect(needsNewPolicy('samples/a.csv', page)).toBe(false);
    expect(needsNewPolicy('http://127.0.0.1:9999/a.csv', page)).toBe(true);
    expect(needsNewPolicy('https://data.example.org/a.csv', page)).toBe(true);
  });
});
