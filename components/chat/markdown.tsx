'use client';

import { memo, type ComponentProps } from 'react';
import { Streamdown, defaultRehypePlugins, type Components, type UrlTransform } from 'streamdown';

const SCHEME = /^([a-z][a-z0-9+.-]*):/i;
const LINK_SCHEMES = new Set(['http', 'https', 'mailto']);

/** Links: http, https, mailto, or a relative URL (same origin). Everything else is dropped. */
export function safeLinkUrl(url: string): string | null {
  const value = url.trim();
  const scheme = SCHEME.exec(value)?.[1]?.toLowerCase();
  if (scheme === undefined) return value === '' ? null : value;
  return LINK_SCHEMES.has(scheme) ? value : null;
}

/**
 * Images: only same-origin paths ("/…", not "//host/…"), which are http(s) by construction. Remote
 * images would let any answer make the browser call a third party (tracking pixels, exfiltration
 * through the URL), and data:/blob: images are not needed for an agent's answers.
 */
export function safeImageUrl(url: string): string | null {
  const value = url.trim();
  return value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\') ? value : null;
}

const urlTransform: UrlTransform = (url, key) => {
  if (key === 'href') return safeLinkUrl(url);
  if (key === 'src') return safeImageUrl(url);
  return null; // cite, poster, action…: not needed in an answer
};

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
  // eslint-disable-next-line @next/next/no-img-element -- arbitrary same-origin images from an answer, no sizes known
  return <img src={src} alt={alt ?? ''} loading="lazy" className="my-2 max-w-full rounded-md" />;
}

const components: Components = { a: MarkdownLink, img: MarkdownImage };
const linkSafety = { enabled: false }; // links open in a new tab, without Streamdown's confirm dialog
const controls = {
  code: { copy: true, download: false },
  table: { copy: true, download: false, fullscreen: false },
  mermaid: false,
} as const;

type MarkdownProps = { text: string; streaming: boolean };

/** An assistant's text as markdown, safe while it is still arriving (unterminated blocks). */
export const Markdown = memo(function Markdown({ text, streaming }: MarkdownProps) {
  return (
    <Streamdown
      className="markdown space-y-3 break-words"
      mode="streaming"
      isAnimating={streaming}
      caret={streaming ? 'block' : undefined}
      skipHtml
      rehypePlugins={rehypePlugins}
      urlTransform={urlTransform}
      components={components}
      linkSafety={linkSafety}
      controls={controls}
      lineNumbers={false}
    >
      {text}
    </Streamdown>
  );
});
