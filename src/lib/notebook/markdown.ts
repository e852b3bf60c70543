import DOMPurify, { type Config, type DOMPurify as Purifier } from 'dompurify';
import { Marked } from 'marked';

/**
 * Markdown cells → safe HTML. A notebook arrives as a shared link, so its text is
 * untrusted: marked (GFM) turns it into HTML, raw HTML included, and DOMPurify then
 * keeps only an allow-list of text elements. Everything else goes: scripts, styles,
 * frames, forms, SVG and MathML (mutation-XSS territory), event handlers, `style`.
 *
 * Images are dropped entirely. Opening a notebook must not make the tab talk to any
 * other origin (the data never leaves the browser, and a fetch would at least tell
 * a third party who opened the notebook, when, and from where). Every remote image
 * is such a request, and `data:` images are refused too, so no `<img>` survives.
 * For the same reason links only navigate when clicked: `http(s):` and `mailto:`
 * only, each opened in a new tab with `rel="noopener noreferrer"`.
 */

/** Elements a markdown cell may produce. Anything else is removed (its text is kept). */
const ALLOWED_TAGS = [
  ...['p', 'br', 'hr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'pre', 'code'],
  ...['em', 'strong', 'del', 's', 'kbd', 'sub', 'sup', 'a', 'ul', 'ol', 'li'],
  ...['table', 'thead', 'tbody', 'tr', 'th', 'td', 'details', 'summary'],
];

/** `class` is further limited to `language-…` on `<code>` by a hook below. */
const ALLOWED_ATTR = ['href', 'title', 'align', 'start', 'open', 'class'];

const CONFIG: Config = {
  ALLOWED_TAGS,
  ALLOWED_ATTR,
  // Tested on the value with whitespace removed and entities decoded, so
  // `jav&#x09;ascript:` is caught. Relative URLs fail it too, on purpose.
  ALLOWED_URI_REGEXP: /^(?:https?|mailto):/i,
  // DOMPurify tests every attribute not listed here against that regexp.
  ADD_URI_SAFE_ATTR: ['align', 'start'],
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
  ALLOW_UNKNOWN_PROTOCOLS: false,
};

const marked = new Marked({ gfm: true, breaks: false });
marked.use({
  renderer: {
    // GFM task lists render as <input>, which is refused; show the state as text.
    checkbox: ({ checked }) => (checked ? '☑ ' : '☐ '),
  },
});

let purifier: Purifier | undefined;
/** Purifiers bound to a window given by the caller (jsdom in Node), one per window. */
const purifiers = new WeakMap<object, Purifier>();

/** A window DOMPurify can work in: the browser's, or jsdom's `new JSDOM('').window` in Node. */
export type MarkdownWindow = Parameters<typeof DOMPurify>[0];

/** A private DOMPurify instance, so our hooks never leak into other users of the library. */
function getPurifier(win?: MarkdownWindow): Purifier {
  if (win) {
    const known = purifiers.get(win);
    if (known) return known;
    const p = configure(DOMPurify(win));
    if (!p.isSupported) throw new Error('renderMarkdown: the window given cannot sanitise HTML.');
    purifiers.set(win, p);
    return p;
  }
  if (purifier) return purifier;
  if (typeof window === 'undefined' || !DOMPurify.isSupported) {
    throw new Error('renderMarkdown needs a browser DOM to sanitise HTML.');
  }
  purifier = configure(DOMPurify(window));
  return purifier;
}

function configure(p: Purifier): Purifier {
  p.addHook('uponSanitizeAttribute', (node, data) => {
    if (data.attrName === 'class') {
      data.keepAttr = node.nodeName === 'CODE' && /^language-[\w+#-]+$/.test(data.attrValue);
    }
  });
  p.addHook('afterSanitizeAttributes', (node) => {
    if (node.nodeName === 'A') {
      node.setAttribute('target', '_blank');
      node.setAttribute('rel', 'noopener noreferrer');
    }
  });
  return p;
}

/** Render a markdown cell's text to sanitised HTML, ready for `innerHTML` / `{@html}`. */
export function renderMarkdown(text: string): string {
  return renderMarkdownIn(undefined, text);
}

/**
 * {@link renderMarkdown} in a given window: outside a browser (the CLI) pass jsdom's
 * `new JSDOM('').window`, and the same allow-list and hooks apply. Undefined: the page's.
 */
export function renderMarkdownIn(win: MarkdownWindow | undefined, text: string): string {
  const html = marked.parse(text, { async: false });
  return getPurifier(win).sanitize(html, CONFIG);
}
