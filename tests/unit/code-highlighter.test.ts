import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHighlighter } from 'shiki';
import { createJavaScriptRegexEngine } from 'shiki/engine/javascript';
import type { HighlightOptions, HighlightResult } from 'streamdown';
import {
  codeHighlighter,
  createCodeHighlighter,
  type ConnectHighlighter,
  type HighlightJob,
  type HighlightReply,
} from '@/components/chat/markdown/code-highlighter';
import { createShikiTokenizer, languageOf, type ShikiTokenizer } from '@/components/chat/markdown/shiki-highlighter';

const THEMES = codeHighlighter.getThemes();

afterEach(() => vi.restoreAllMocks());

/**
 * A highlighter reached as the page reaches its worker, here in the same thread: the jobs it was
 * sent, and a way to answer them (by default with `tokenize`, once the test says so).
 */
function fakeChannel(tokenize?: ShikiTokenizer) {
  const jobs: HighlightJob[] = [];
  const connections: { receive: (reply: HighlightReply) => void; fail: (error: unknown) => void; closed: boolean }[] = [];
  const connect: ConnectHighlighter = (receive, fail) => {
    const connection = { receive, fail, closed: false };
    connections.push(connection);
    return { send: (job) => jobs.push(job), close: () => (connection.closed = true) };
  };
  const answer = async (job: HighlightJob) => {
    const result = await (tokenize ?? (async () => ({ tokens: [[{ content: job.options.code, color: '#123456' }]] })))(job.options);
    connections.at(-1)?.receive({ key: job.key, result });
  };
  return { jobs, connections, connect, answer };
}

const options = (code: string, isIncomplete = false): HighlightOptions => ({ code, language: 'ts', themes: THEMES, isIncomplete });

describe('createCodeHighlighter', () => {
  it('starts the highlighter with the first block, shows it plain, and colours it when the reply comes', async () => {
    const channel = fakeChannel();
    const plugin = createCodeHighlighter(channel.connect);
    expect(channel.connections).toHaveLength(0); // nothing starts before a code block asks

    const results: HighlightResult[] = [];
    expect(plugin.highlight(options('a'), (result) => results.push(result))).toBeNull();
    expect(plugin.highlight(options('b'), (result) => results.push(result))).toBeNull();
    expect(channel.connections).toHaveLength(1);
    expect(channel.jobs.map((job) => job.options.code)).toEqual(['a', 'b']);
    for (const job of channel.jobs) await channel.answer(job);
    expect(results.map((result) => result.tokens[0]?.[0]?.content)).toEqual(['a', 'b']);

    // A complete block coloured before is answered at once, without a job.
    expect(plugin.highlight(options('a'))?.tokens[0]?.[0]?.color).toBe('#123456');
    expect(channel.jobs).toHaveLength(2);
  });

  it('sends a block asked for twice before its reply once, and answers both', async () => {
    const channel = fakeChannel();
    const plugin = createCodeHighlighter(channel.connect);
    const first = vi.fn();
    const second = vi.fn();
    plugin.highlight(options('same', true), first);
    plugin.highlight(options('same'), second);
    expect(channel.jobs).toHaveLength(1);
    await channel.answer(channel.jobs[0]!);
    expect(first).toHaveBeenCalledOnce();
    expect(second).toHaveBeenCalledOnce();
    expect(plugin.highlight(options('same'))).not.toBeNull(); // one of them was complete: kept
  });

  it('does not keep a block still being written', async () => {
    const channel = fakeChannel();
    const plugin = createCodeHighlighter(channel.connect);
    const callback = vi.fn();
    plugin.highlight(options('let c', true), callback);
    await channel.answer(channel.jobs[0]!);
    expect(callback).toHaveBeenCalledOnce();
    expect(plugin.highlight(options('let c', true))).toBeNull();
    expect(channel.jobs).toHaveLength(2);
  });

  it('leaves a block plain when its highlighting fails, and tries again when it is asked for again', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const channel = fakeChannel();
    const plugin = createCodeHighlighter(channel.connect);
    const callback = vi.fn();
    plugin.highlight(options('x'), callback);
    channel.connections[0]?.receive({ key: channel.jobs[0]!.key, error: 'no such grammar' });
    expect(callback).not.toHaveBeenCalled();
    expect(warn).toHaveBeenCalledOnce();
    plugin.highlight(options('x'), callback);
    expect(channel.jobs).toHaveLength(2);
  });

  it('leaves the blocks waiting plain when the highlighter fails, and starts it again for the next block', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const channel = fakeChannel();
    const plugin = createCodeHighlighter(channel.connect);
    const lost = vi.fn();
    plugin.highlight(options('a'), lost);
    channel.connections[0]?.fail('the worker failed to start');
    expect(channel.connections[0]?.closed).toBe(true);
    expect(warn).toHaveBeenCalledOnce();

    const later = vi.fn();
    plugin.highlight(options('a'), later);
    expect(channel.connections).toHaveLength(2);
    await channel.answer(channel.jobs[1]!);
    expect(later).toHaveBeenCalledOnce();
    expect(lost).not.toHaveBeenCalled();
  });

  it('colours through the real tokenizer, as the worker does', async () => {
    const channel = fakeChannel(createShikiTokenizer(['github-light', 'github-dark']));
    const plugin = createCodeHighlighter(channel.connect);
    const result = new Promise<HighlightResult>((resolve) => plugin.highlight(options('const a = 1;'), resolve));
    await channel.answer(channel.jobs[0]!);
    expect((await result).tokens.flat().length).toBeGreaterThan(3);
  });
});

/** A line of each common language, with a keyword or a string that its grammar colours apart. */
const SAMPLES: Record<string, string> = {
  ts: 'const answer: number = 42;',
  tsx: 'export const A = () => <div className="a">{1}</div>;',
  js: 'function add(a, b) { return a + b; }',
  python: 'def add(a, b):\n    return a + "b"',
  bash: 'export NAME="maestro" # a comment',
  sh: 'if [ -f x ]; then echo "yes"; fi',
  json: '{ "name": "maestro", "version": 1 }',
  html: '<a href="/x">link</a>',
  css: '.a { color: red; }',
  sql: 'SELECT id FROM chats WHERE id = 1;',
  go: 'func main() { fmt.Println("hi") }',
  rust: 'fn main() { let x: i32 = 1; }',
  java: 'public class A { int x = 1; }',
  c: 'int main(void) { return 0; }',
  cpp: 'std::string s = "a";',
  yaml: 'name: maestro\nversion: 1',
  markdown: '# Title\n\n**bold** and `code`',
  diff: '--- a/x\n+++ b/x\n-old\n+new',
};

describe('createShikiTokenizer (Shiki, JavaScript regex engine)', () => {
  // One for all, as in the page: each language is the first of its grammar, as a page's first block is.
  const tokenize = createShikiTokenizer(['github-light', 'github-dark']);

  it.each(Object.entries(SAMPLES))('colours %s in light and dark', async (language, code) => {
    const result = await tokenize({ code, language, themes: THEMES });
    const tokens = result.tokens.flat();
    expect(tokens.map((token) => token.content).join('')).toBe(code.replaceAll('\n', ''));
    const light = new Set(tokens.map((token) => token.htmlStyle?.color ?? token.color));
    const dark = new Set(tokens.map((token) => token.htmlStyle?.['--shiki-dark']));
    expect(light.size, `light colours of ${language}`).toBeGreaterThan(1);
    expect(dark.size, `dark colours of ${language}`).toBeGreaterThan(1);
    expect(dark.has(undefined)).toBe(false);
    expect(tokens.some((token) => token.htmlStyle?.['--shiki-dark'] !== (token.htmlStyle?.color ?? token.color))).toBe(true);
  });

  it('shows a language it does not know as plain text', async () => {
    const result = await tokenize({ code: 'a b c', language: 'no-such-language', themes: THEMES });
    expect(
      result.tokens
        .flat()
        .map((token) => token.content)
        .join(''),
    ).toBe('a b c');
    expect(new Set(result.tokens.flat().map((token) => token.htmlStyle?.color ?? token.color)).size).toBe(1);
  });

  it('knows languages by any of their names', () => {
    expect(languageOf('TS')).toBe('typescript');
    expect(languageOf(' sh ')).toBe('shellscript');
    expect(languageOf('yml')).toBe('yaml');
    expect(languageOf('md')).toBe('markdown');
    expect(languageOf('c++')).toBe('cpp');
    expect(languageOf('no-such-language')).toBe('text');
    expect(languageOf('constructor')).toBe('text');
  });

  it('colours a block written a few characters at a time as it colours the whole block', async () => {
    const code = [
      'const greeting = `hello ${name}`;',
      '/* a comment',
      '   over two lines */',
      'function add(a: number, b: number): number {',
      '  return a + b; // sum',
      '}',
      '',
    ].join('\n');
    const streaming = createShikiTokenizer(['github-light', 'github-dark']);
    const shiki = await createHighlighter({
      themes: ['github-light', 'github-dark'],
      langs: ['ts'],
      engine: createJavaScriptRegexEngine(),
    });
    try {
      for (let end = 1; end <= code.length; end += 3) {
        const part = code.slice(0, end);
        const written = await streaming({ code: part, language: 'ts', themes: THEMES, isIncomplete: end < code.length });
        const whole = shiki.codeToTokens(part, { lang: 'ts', themes: { light: 'github-light', dark: 'github-dark' } });
        expect(written.tokens, JSON.stringify(part)).toEqual(whole.tokens);
      }
    } finally {
      shiki.dispose();
    }
  });
});
