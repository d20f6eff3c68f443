'use client';

import { memo, useState, type ComponentProps, type ComponentType } from 'react';
import { Block, Streamdown, defaultRehypePlugins, type BlockProps, type Components, type UrlTransform } from 'streamdown';
import { codeHighlighter } from '@/components/chat/markdown/code-highlighter';
import { createBlockParser, createSettledSplitter } from '@/components/chat/markdown/incremental-blocks';
import { LaterSettledBlock, SettledBlock, TailBlock } from '@/components/chat/markdown/container-seams';
import { createChunker } from '@/components/chat/markdown/render-chunks';

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
 * Images only with MAESTRO_ALLOW_IMAGES, as one makes the browser call a host the model chose (tracking,
 * exfiltration through the URL); then only absolute http(s) URLs, never data:, blob: or the app's own routes.
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
const rehypePlugins = [defaultRehypePlugins.sanitize, defaultRehypePlugins.harden].filter((plugin) => plugin !== undefined);

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
    <img src={src} alt={alt ?? ''} loading="lazy" referrerPolicy="no-referrer" className="my-2 max-w-full rounded-md" />
  );
}

const components: Components = { a: MarkdownLink, img: MarkdownImage };
const linkSafety = { enabled: false }; // links open in a new tab, without Streamdown's confirm dialog
const controls = {
  code: { copy: true, download: false },
  table: { copy: true, download: false, fullscreen: false },
  mermaid: false,
} as const;
/** Syntax highlighting for code blocks, loaded on first use: a block shows plain code until it arrives. */
const plugins = { code: codeHighlighter };

/** Every part of an answer lays its blocks out in the answer's flow (see container-seams.tsx). */
const PART_CLASS = 'markdown contents space-y-3 break-words';
/**
 * Settled code blocks and tables, the costly ones to paint, get `content-visibility: auto` (not every block, as
 * each is checked per frame); `auto` keeps the last size so the scroll height does not jump, 3rem is a first guess.
 */
const SETTLED_CLASS = `${PART_CLASS} [&>[data-streamdown=code-block],&>[data-streamdown=table-wrapper]]:[content-visibility:auto] [&>[data-streamdown=code-block],&>[data-streamdown=table-wrapper]]:[contain-intrinsic-size:auto_3rem]`;

type MarkdownPartProps = {
  text: string;
  streaming: boolean;
  allowImages: boolean;
  className: string;
  blockComponent: ComponentType<BlockProps>;
};

/** One Streamdown with the answer's options: safe links and images, no raw HTML, copy controls, highlighted code. */
const MarkdownPart = memo(function MarkdownPart({ text, streaming, allowImages, className, blockComponent }: MarkdownPartProps) {
  // One per part: while its text grows, only its last blocks are split again on each update.
  const [parseBlocks] = useState(() => createBlockParser());
  return (
    <Streamdown
      className={className}
      mode="streaming"
      isAnimating={streaming}
      caret={streaming ? 'block' : undefined}
      skipHtml
      rehypePlugins={rehypePlugins}
      urlTransform={allowImages ? urlTransforms.on : urlTransforms.off}
      components={components}
      linkSafety={linkSafety}
      controls={controls}
      plugins={plugins}
      lineNumbers={false}
      parseMarkdownIntoBlocksFn={parseBlocks}
      BlockComponent={blockComponent}
    >
      {text}
    </Streamdown>
  );
});

/**
 * A settled chunk (`createChunker`) in a plain block box of its own, so layout reuses an unchanged chunk whole
 * while edge margins still collapse as in one flow.
 */
const SettledChunk = memo(function SettledChunk({ text, first, allowImages }: { text: string; first: boolean; allowImages: boolean }) {
  return (
    <div>
      <MarkdownPart
        text={text}
        streaming={false}
        allowImages={allowImages}
        className={SETTLED_CLASS}
        blockComponent={first ? SettledBlock : LaterSettledBlock}
      />
    </div>
  );
});

type MarkdownProps = {
  text: string;
  streaming: boolean;
  /** Whether images may load (http(s) only); off by default (config.allowImages). */
  allowImages?: boolean;
};

/**
 * An assistant's text as markdown, safe while still arriving. Settled chunks and the live tail render apart,
 * so an update costs the same late in a long answer as early.
 */
export const Markdown = memo(function Markdown({ text, streaming, allowImages = false }: MarkdownProps) {
  // One of each per text: the cut is found again only in the blocks after the last settled one,
  // and only the last chunk of the settled text grows.
  const [split] = useState(() => createSettledSplitter());
  const [chunk] = useState(() => createChunker());
  const { settled, tail } = split(text);
  const chunks = chunk(settled);
  return (
    <>
      {chunks.map((piece, index) => (
        // By position: a chunk only ever grows at the end, and earlier ones never change.
        <SettledChunk key={index} text={piece} first={index === 0} allowImages={allowImages} />
      ))}
      <MarkdownPart
        text={tail}
        streaming={streaming}
        allowImages={allowImages}
        className={PART_CLASS}
        blockComponent={chunks.length === 0 ? Block : TailBlock}
      />
    </>
  );
});
