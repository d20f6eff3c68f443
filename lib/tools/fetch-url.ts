import { tool } from 'ai';
import { z } from 'zod';
import { toolInput } from '@/lib/tools/input-schema';
import { getConfig } from '@/lib/config';
import { safeFetch, type SafeFetchOptions } from '@/lib/tools/net/safe-fetch';

export type FetchUrlOutput = {
  /** The final URL, after redirects. */
  url: string;
  status: number;
  /** The page's <title>, or "" when it has none (or is not HTML). */
  title: string;
  /** Readable text: HTML stripped to its words; plain text and JSON as they are. */
  text: string;
  /** Whether the body was cut at the size limit. */
  truncated: boolean;
  contentType: string;
};

export const FETCH_URL_DISABLED_MESSAGE = 'fetch_url is turned off on this server (MAESTRO_FETCH_URL_ENABLED)';

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  ensp: ' ',
  emsp: ' ',
  thinsp: ' ',
  shy: '',
  zwj: '',
  zwnj: '',
  ndash: '–',
  mdash: '—',
  hellip: '…',
  lsquo: '‘',
  rsquo: '’',
  sbquo: '‚',
  ldquo: '“',
  rdquo: '”',
  bdquo: '„',
  laquo: '«',
  raquo: '»',
  bull: '•',
  middot: '·',
  copy: '©',
  reg: '®',
  trade: '™',
  deg: '°',
  times: '×',
  divide: '÷',
  plusmn: '±',
  euro: '€',
  pound: '£',
  yen: '¥',
  cent: '¢',
  sect: '§',
  para: '¶',
  eacute: 'é',
  egrave: 'è',
  agrave: 'à',
  ccedil: 'ç',
  uuml: 'ü',
  ouml: 'ö',
  auml: 'ä',
  szlig: 'ß',
};

/** Decode named (common ones) and numeric character references; unknown names are left as they are. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z][a-z0-9]*);?/gi, (match: string, body: string) => {
    if (body.startsWith('#')) {
      const code = body[1] === 'x' || body[1] === 'X' ? Number.parseInt(body.slice(2), 16) : Number.parseInt(body.slice(1), 10);
      if (!Number.isFinite(code) || code <= 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '\uFFFD';
      return String.fromCodePoint(code);
    }
    const named = NAMED_ENTITIES[body.toLowerCase()] ?? NAMED_ENTITIES[body];
    return named ?? match;
  });
}

/** Elements whose content is never readable text (scripts, styles, navigation chrome, forms, media). */
const DROPPED_ELEMENTS = [
  'head',
  'title',
  'script',
  'style',
  'noscript',
  'template',
  'svg',
  'math',
  'canvas',
  'iframe',
  'object',
  'video',
  'audio',
  'nav',
  'header',
  'footer',
  'aside',
  'form',
  'select',
  'button',
];
const BLOCK_TAGS =
  'address|article|blockquote|br|dd|div|dl|dt|fieldset|figcaption|figure|h[1-6]|hr|main|ol|p|pre|section|table|tbody|thead|tfoot|tr|ul';

function collapseWhitespace(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.replace(/[\s\u00a0]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * Remove every `<name ...>...</name>` element. Linear time on hostile input: once a closing tag is missing
 * after some point it is missing after every later point too, so it is searched for at most once more.
 * An element left open drops the rest of the document when `dropRestIfOpen` (a cut-off script or style).
 */
function dropElement(html: string, name: string, dropRestIfOpen: boolean): string {
  const open = new RegExp(`<${name}\\b[^<>]*>`, 'gi');
  const close = new RegExp(`<\\/${name}\\s*>`, 'gi');
  let out = '';
  let last = 0;
  let closeMissing = false;
  for (let match = open.exec(html); match; match = open.exec(html)) {
    out += `${html.slice(last, match.index)} `;
    let end = -1;
    if (!closeMissing) {
      close.lastIndex = open.lastIndex;
      if (close.exec(html)) end = close.lastIndex;
      else closeMissing = true;
    }
    if (end === -1) {
      if (dropRestIfOpen) return out;
      last = open.lastIndex;
      continue;
    }
    last = end;
    open.lastIndex = end;
  }
  return out + html.slice(last);
}

/** The text of the first `<title>`, or "". */
function titleOf(html: string): string {
  const open = /<title\b[^<>]*>/gi;
  if (!open.exec(html)) return '';
  const close = /<\/title\s*>/gi;
  close.lastIndex = open.lastIndex;
  const end = close.exec(html);
  const raw = html.slice(open.lastIndex, Math.min(end ? end.index : Infinity, open.lastIndex + 1_000));
  return collapseWhitespace(decodeEntities(raw.replace(/<[^<>]*>/g, ' '))).replace(/\n+/g, ' ');
}

/**
 * The <title> of an HTML document and its readable text (no markup, scripts, styles or navigation). Regex
 * based, and every pattern is linear (no `[^>]*` scan that can restart at each of many `<`).
 */
export function htmlToText(html: string): { title: string; text: string } {
  let body = html.replace(/<!--[\s\S]*?(-->|$)/g, ' ');
  const title = titleOf(body);
  for (const name of DROPPED_ELEMENTS) body = dropElement(body, name, name === 'script' || name === 'style');
  body = body
    .replace(/<li\b[^<>]*>/gi, '\n- ')
    .replace(/<(td|th)\b[^<>]*>/gi, ' | ')
    .replace(new RegExp(`</?(${BLOCK_TAGS})\\b[^<>]*>`, 'gi'), '\n')
    .replace(/<\/?[a-z!?][^<>]*>/gi, ' ')
    // A tag cut off at the end of a truncated page.
    .replace(/<[a-z!?/][^<>]*$/i, ' ');
  return { title, text: collapseWhitespace(decodeEntities(body)) };
}

function mediaTypeOf(contentType: string | undefined): { type: string; charset: string | undefined } {
  const [type = '', ...params] = (contentType ?? '').split(';');
  const charset = /^\s*charset\s*=\s*"?([^";\s]+)/i.exec(params.find((param) => /^\s*charset\s*=/i.test(param)) ?? '')?.[1];
  return { type: type.trim().toLowerCase(), charset };
}

function decodeBody(body: Buffer, charset: string | undefined): string {
  try {
    return new TextDecoder(charset ?? 'utf-8').decode(body);
  } catch {
    return new TextDecoder('utf-8').decode(body);
  }
}

const HTML_TYPES = new Set(['text/html', 'application/xhtml+xml']);
const isJson = (type: string) => type === 'application/json' || type.endsWith('+json');
const isPlainText = (type: string) => type.startsWith('text/') || isJson(type);

/** Fetch `url` through the SSRF-safe fetcher and make it readable. Exposed for tests (policy injectable). */
export async function fetchReadable(url: string, options: SafeFetchOptions): Promise<FetchUrlOutput> {
  const response = await safeFetch(url, options);
  const { type, charset } = mediaTypeOf(response.contentType);
  const base = { url: response.url, status: response.status, truncated: response.truncated };
  if (HTML_TYPES.has(type)) {
    const { title, text } = htmlToText(decodeBody(response.body, charset));
    return { ...base, title, text, contentType: type };
  }
  if (isPlainText(type) || (type === '' && !response.body.includes(0))) {
    const text = decodeBody(response.body, charset).replace(/\r\n?/g, '\n').trim();
    return { ...base, title: '', text, contentType: type || 'text/plain' };
  }
  throw new Error(`${response.url} returned ${type} (HTTP ${response.status}); only HTML, plain text and JSON can be read.`);
}

export const fetch_url = tool({
  description:
    'Fetch a public web page (http or https URL) and return its title and readable text (HTML is stripped ' +
    'to its words; plain text and JSON are returned as they are). Use it when the user gives a link or asks ' +
    'about the content of a specific web page. Addresses inside private networks, localhost and cloud ' +
    'metadata services are refused; long pages are cut at a size limit ("truncated": true).',
  inputSchema: toolInput(
    z.object({
      url: z.string().min(1).max(2048).describe('The absolute http(s) URL to fetch, e.g. "https://example.com/page".'),
    }),
  ),
  execute: async ({ url }, { abortSignal }): Promise<FetchUrlOutput> => {
    const { fetchUrl } = getConfig();
    if (!fetchUrl.enabled) throw new Error(FETCH_URL_DISABLED_MESSAGE);
    // The strict default address policy: no isAllowedAddress/resolve override here, ever.
    return fetchReadable(url, { maxBytes: fetchUrl.maxBytes, timeoutMs: fetchUrl.timeoutMs, signal: abortSignal });
  },
});
