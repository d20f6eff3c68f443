import type { CodeHighlighterPlugin, HighlightOptions, HighlightResult, ThemeInput } from 'streamdown';

/** Streamdown colours each token with the light theme, and with the dark one under `prefers-color-scheme: dark`. */
const THEMES: [ThemeInput, ThemeInput] = ['github-light', 'github-dark'];

/** Highlighted blocks kept, so a block that renders again (it settled, the page re-rendered) is coloured at once. */
const RESULTS_MAX = 300;
const RESULTS_MAX_CHARS = 1_000_000;

/** A block to colour, named by `key` (its language, themes and code); the reply carries the same key. */
export type HighlightJob = { key: string; options: HighlightOptions };
export type HighlightReply = { key: string; result: HighlightResult } | { key: string; error: string };

/** The way to the highlighter: a worker in the page, the same thread in tests. */
export type HighlightChannel = { send(job: HighlightJob): void; close(): void };
export type ConnectHighlighter = (receive: (reply: HighlightReply) => void, fail: (error: unknown) => void) => HighlightChannel;

type Waiting = { complete: boolean; callbacks: ((result: HighlightResult) => void)[] };

const themeKey = (theme: ThemeInput) => (typeof theme === 'string' ? theme : (theme.name ?? 'custom'));
const keyOf = ({ code, language, themes }: HighlightOptions) => `${language}\n${themeKey(themes[0])}\n${themeKey(themes[1])}\n${code}`;

/**
 * Streamdown's code highlighter, with Shiki in a worker (highlight-worker.ts), off the first load and the main
 * thread, so an answer keeps streaming while a grammar loads; a block shows plain until its colours arrive.
 */
export function createCodeHighlighter(connect: ConnectHighlighter): CodeHighlighterPlugin {
  const results = new Map<string, HighlightResult>();
  let resultChars = 0;
  const waiting = new Map<string, Waiting>();
  let channel: HighlightChannel | null = null;

  function remember(key: string, result: HighlightResult): void {
    results.set(key, result);
    resultChars += key.length;
    for (const [oldest] of results) {
      if (results.size <= RESULTS_MAX && resultChars <= RESULTS_MAX_CHARS) break;
      results.delete(oldest);
      resultChars -= oldest.length;
    }
  }

  function receive(reply: HighlightReply): void {
    const job = waiting.get(reply.key);
    if (!job) return;
    waiting.delete(reply.key);
    if ('error' in reply) {
      console.warn('[maestro] a code block could not be highlighted:', reply.error);
      return;
    }
    // A block still being written changes with the next update: not worth keeping.
    if (job.complete) remember(reply.key, reply.result);
    for (const callback of job.callbacks) callback(reply.result);
  }

  function fail(error: unknown): void {
    // The blocks waiting stay plain; the next block starts the highlighter again.
    console.warn('[maestro] code highlighting is unavailable:', error);
    channel?.close();
    channel = null;
    waiting.clear();
  }

  return {
    name: 'shiki',
    type: 'code-highlighter',
    getThemes: () => THEMES,
    // Every language Shiki has, loaded when a block needs it; others show as plain text.
    getSupportedLanguages: () => [],
    supportsLanguage: () => true,
    highlight(options: HighlightOptions, callback?: (result: HighlightResult) => void): HighlightResult | null {
      const key = keyOf(options);
      const known = results.get(key);
      if (known) {
        results.delete(key); // most recently used last
        results.set(key, known);
        return known;
      }
      const complete = options.isIncomplete !== true;
      const job = waiting.get(key);
      if (job) {
        job.complete ||= complete;
        if (callback) job.callbacks.push(callback);
        return null;
      }
      waiting.set(key, { complete, callbacks: callback ? [callback] : [] });
      channel ??= connect(receive, fail);
      channel.send({ key, options });
      return null;
    },
  };
}

/** The highlighter in a worker of its own, started with the first code block. */
function connectWorker(receive: (reply: HighlightReply) => void, fail: (error: unknown) => void): HighlightChannel {
  const worker = new Worker(new URL('./highlight-worker.ts', import.meta.url), { type: 'module', name: 'code-highlighter' });
  worker.onmessage = (event: MessageEvent<HighlightReply>) => receive(event.data);
  worker.onerror = (event) => fail(event.message || 'the worker failed to start');
  return { send: (job) => worker.postMessage(job), close: () => worker.terminate() };
}

export const codeHighlighter = createCodeHighlighter(connectWorker);
