import { describe, expect, it } from 'vitest';
import { NotebookError } from '../../../src/lib/notebook/errors.ts';
import {
  decodeShareLink,
  encodeShareLink,
  MAX_LINK_CHARS,
} from '../../../src/lib/notebook/link.ts';
import { sampleMapping, sampleNotebook } from './sample.ts';
import { HOSTILE_TEXTS } from './hostile.ts';

async function deflate(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as BlobPart])
    .stream()
    .pipeThrough(new CompressionStream('deflate-raw'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function base64url(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url');
}

/** A link holding `text` as the notebook JSON, built independently of encodeShareLink. */
async function linkOf(text: string): Promise<string> {
  return `#nb=${base64url(await deflate(new TextEncoder().encode(text)))}`;
}

async function refusal(hash: string): Promise<unknown> {
  return decodeShareLink(hash).then(
    () => new Error('expected the link to be refused'),
    (error: unknown) => error,
  );
}

describe('share links', () => {
  it('round-trip a notebook with and without its mapping', async () => {
    const nb = { ...sampleNotebook(), mapping: sampleMapping() };
    const withMapping = await encodeShareLink(nb, { includeMapping: true });
    expect(withMapping).toMatch(/^#nb=[A-Za-z0-9_-]+$/);
    expect(await decodeShareLink(withMapping)).toEqual(nb);
    const { mapping: _, ...rest } = nb;
    expect(await decodeShareLink(await encodeShareLink(nb, { includeMapping: false }))).toEqual(
      rest,
    );
  });

  it('accepts the fragment without # and a whole address', async () => {
    const link = await encodeShareLink(sampleNotebook(), { includeMapping: false });
    expect(await decodeShareLink(link.slice(1))).toEqual(sampleNotebook());
    expect(await decodeShareLink(`https://retain.example/app/${link}`)).toEqual(sampleNotebook());
  });

  it('reads a link compressed by another implementation (raw DEFLATE, base64url)', async () => {
    const text = JSON.stringify(sampleNotebook());
    expect(await decodeShareLink(await linkOf(text))).toEqual(sampleNotebook());
  });

  it('refuses a notebook too large for a link', async () => {
    // Random hex compresses to half at best: 960 KB of it needs over 640,000 base64 characters.
    const cells = Array.from({ length: 8 }, (_, i) => ({
      id: `big${i}`,
      kind: 'markdown' as const,
      text: Buffer.from(crypto.getRandomValues(new Uint8Array(60_000))).toString('hex'),
    }));
    const nb = { ...sampleNotebook(), cells };
    await expect(encodeShareLink(nb, { includeMapping: false })).rejects.toThrow(
      /too large to share/,
    );
  });
});

describe('decodeShareLink refuses damaged and hostile links with a NotebookError', async () => {
  const good = await encodeShareLink(sampleNotebook(), { includeMapping: false });
  // 10 MB of zeros compresses to about 10 KB: a decompression bomb.
  const bomb = await linkOf('"' + ' '.repeat(10 * 1024 * 1024) + '"');
  const cases: [string, string][] = [
    ['an empty link', ''],
    ['no notebook in the fragment', '#section-2'],
    ['nothing after nb=', '#nb='],
    ['characters outside base64url', '#nb=abc+/def'],
    ['a space in the data', '#nb=abc def'],
    ['an impossible base64 length', '#nb=abcde'],
    ['a truncated link', good.slice(0, Math.floor(good.length / 2))],
    ['a link missing its last characters', good.slice(0, -3)],
    ['random base64', `#nb=${base64url(crypto.getRandomValues(new Uint8Array(300)))}`],
    ['random base64 of zeros', `#nb=${'A'.repeat(400)}`],
    ['a link over 500,000 characters', `#nb=${'A'.repeat(MAX_LINK_CHARS)}`],
    ['a decompression bomb', bomb],
    ['compressed text that is not JSON', await linkOf('not json at all')],
    [
      'compressed bytes that are not UTF-8',
      `#nb=${base64url(await deflate(new Uint8Array([0xff, 0xfe, 0x7b])))}`,
    ],
    ['a future version', await linkOf('{"version": 2}')],
    ...(await Promise.all(
      HOSTILE_TEXTS.filter(([, text]) => text.length < 1_000_000).map(
        async ([what, text]): Promise<[string, string]> => [`inside: ${what}`, await linkOf(text)],
      ),
    )),
  ];

  it('has at least 25 cases', () => expect(cases.length).toBeGreaterThanOrEqual(25));

  it.each(cases)('%s', async (_what, hash) => {
    const error = await refusal(hash);
    expect(error).toBeInstanceOf(NotebookError);
    expect((error as Error).message).toMatch(/^[A-Z].{10,}\.$/s);
  });

  it('explains a damaged link', async () => {
    expect(((await refusal(good.slice(0, 40))) as Error).message).toMatch(
      /^This link is damaged: /,
    );
    expect(((await refusal(bomb)) as Error).message).toMatch(/more than 5 MB/);
  });
});
