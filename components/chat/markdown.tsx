'use client';

import { memo, useState, type ComponentProps } from 'react';
import { Streamdown, defaultRehypePlugins, type Components, type UrlTransform } from 'streamdown';
import { createBlockParser } from '@/components/chat/incremental-blocks';

const LINK_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);
const IMAGE_PROTOCOLS = new Set(['http:', 'https:']);
/** Resolves relative links for the check only; they stay relative (same origin) in the page. */
const CHECK_BASE = 'https://maestro.invalid/';

/**
 * The protocol a browser would give this URL. The URL parser is the browser's own rule: it drops
 * tabs and newlines and leading control characters (`java\tscript:`), so a regular expression on
 * the raw text would not see the real scheme.
 */
function protocolOf(value: string, base?: string): string | null {
  try {
    return new URL(value, base).protocol;
  } catch {
    return null;
  }
}

/** Links: http, https, mailto, or a relative URL (same origin). Everything else is dropped. */
export function safeLinkUrl(url: string): string | null {
  const value = url.trim();
  if (value === '') return null;
  const protocol = protocolOf(value, CHECK_BASE);
  return protocol !== null && LINK_PROTOCOLS.has(protocol) ? value : null;
}

/**
 * Images are off unless the deployment allows them (MAESTRO_ALLOW_IMAGES): an image in an answer
 * makes the browser call whatever host the model (or a page it read) chose — tracking pixels,
 * exfiltration through the URL. When allowed, only absolute http(s) URLs (no data:, blob:, or
 * relative paths into the app's own routes).
 */
export function safeImageUrl(url: string, allowImages: boolean): string | null {
  if (!allowImages) return null;
  const value = url.trim();
  const protocol = protocolOf(value);
  return protocol !== null && IMAGE_PROTOCOLS.has(protocol) ? value : null;
}

function urlTransformFor(allowImages: boolean): UrlTransform {
  return (url, key) => {
    if (key === 'href') return safeLinkUrl(url);
    if (key === 'src') return safeImageUrl(url, allowImages);
    return null; // cite, poster, action…: not needed in an answer
  };
}

const urlTransforms = { on: urlTransformFor(true), off: urlTransformFor(false) };

/** Streamdown's defaults without `raw`: raw HTML in an answer is never rendered. */
const rehypePlugins = [defaultRehypePlugins.sanitize, defaultRehypePlugins.harden].filter(
  (plugin) => plugin !== undefined,
);

function MarkdownLink({ href, children, node: _node, ...rest }: ComponentProps<'a'> & { node?: unknown }) {
  if (!href) {
    // An unsafe or still-incomplete link: keep its text, drop the link.
    return <span className="font-medium underline decoration-dotted underline-offset-2">{children}</span>;
  }
  return (
    <a
      {...rest}
      href={href}
      target="_blank"
      rel="noopener noreferrer"
      className="font-medium text-primary underline underline-offset-2 hover:opacity-80"
    >
      {children}
    </a>
  );
}

function MarkdownImage({ src, alt, node: _node }: ComponentProps<'img'> & { node?: unknown }) {
  if (typeof src !== 'string' || src === '') {
    return <span className="text-muted-foreground italic">[image{alt ? `: ${alt}` : ''}]</span>;
  }
  return (
    // eslint-disable-next-line @next/next/no-img-element -- arbitrary images from an answer, no sizes known
    <img
      src={src}
      alt={alt ?? ''}
      loading="lazy"
      referrerPolicy="no-referrer"
      className="my-2 max-w-full rounded-md"
    />
  );
}

const components: Components = { a: MarkdownLink, img: MarkdownImage };
const linkSafety = { enabled: false }; // links open in a new tab, without Streamdown's confirm dialog
const controls = {
  code: { copy: true, download: false },
  table: { copy: true, download: false, fullscreen: false },
  mermaid: false,
} as const;

type MarkdownProps = {
  text: string;
  streaming: boolean;
  /** Whether images may load (http(s) only); off by default (config.allowImages). */
  allowImages?: boolean;
};

/** An assistant's text as markdown, safe while it is still arriving (unterminated blocks). */
export const Markdown = memo(function Markdown({ text, streaming, allowImages = false }: MarkdownProps) {
  // One per text: while it grows, only its last blocks are split again on each update.
  const [parseBlocks] = useState(() => createBlockParser());
  return (
    <Streamdown
      className="markdown space-y-3 break-words"
      mode="streaming"
      isAnimating={streaming}
      caret={streaming ? 'block' : undefined}
      skipHtml
      rehypePlugins={rehypePlugins}
      urlTransform={allowImages ? urlTransforms.on : urlTransforms.off}
      components={components}
      linkSafety={linkSafety}
      controls={controls}
      lineNumbers={false}
      parseMarkdownIntoBlocksFn={parseBlocks}
    >
      {text}
    </Streamdown>
  );
});
