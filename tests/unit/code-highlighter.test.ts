import { describe, expect, it } from 'vitest';
import type { CodeHighlighterPlugin, HighlightOptions, HighlightResult } from 'streamdown';
import { codeHighlighter, createLazyCodeHighlighter } from '@/components/chat/code-highlighter';
import { createShikiHighlighter, languageOf } from '@/components/chat/shiki-highlighter';
import { createHighlighter } from 'shiki';
import { createJavaScriptRegexEngine } from 'shiki/engine/javascript';

const THEMES = codeHighlighter.getThemes();

/** Highlights through a plugin's asynchronous path: the callback, or the answer it gives at once. */
function highlight(plugin: CodeHighlighterPlugin, code: string, language: string): Promise<HighlightResult> {
  return new Promise((resolve) => {
    const now = plugin.highlight({ code, language, themes: THEMES }, resolve);
    if (now) resolve(now);
  });
}

/** A stand-in for `@streamdown/code`: answers later the first time, at once for code it has seen. */
function fakePlugin(calls: HighlightOptions[]): CodeHighlighterPlugin {
  const seen = new Set<string>();
  const result = (code: string): HighlightResult => ({ tokens: [[{ content: code, color: '#123456' }]] });
  return {
    name: 'shiki',
    type: 'code-highlighter',
    getThemes: () => THEMES,
    getSupportedLanguages: () => ['ts'],
    supportsLanguage: (language) => language === 'ts',
    highlight(options, callback) {
      calls.push(options);
      if (seen.has(options.code)) return result(options.code);
      seen.add(options.code);
      queueMicrotask(() => callback?.(result(options.code)));
      return null;
    },
  };
}

describe('createLazyCodeHighlighter', () => {
  it('loads the plugin on the first block only, answers it later, and then delegates', async () => {
    let loads = 0;
    const calls: HighlightOptions[] = [];
    const lazy = createLazyCodeHighlighter(async () => {
      loads += 1;
      return fakePlugin(calls);
    });
    expect(loads).toBe(0); // nothing loads before a code block asks
    expect(lazy.supportsLanguage('ts')).toBe(false);

    const results: HighlightResult[] = [];
    const first = lazy.highlight({ code: 'a', language: 'ts', themes: THEMES }, (result) => results.push(result));
    const second = lazy.highlight({ code: 'b', language: 'ts', themes: THEMES }, (result) => results.push(result));
    expect(first).toBeNull(); // plain code first
    expect(second).toBeNull();
    await expect.poll(() => results.length).toBe(2);
    expect(results.map((result) => result.tokens[0]?.[0]?.content)).toEqual(['a', 'b']);
    expect(loads).toBe(1);

    // Loaded: a block it has highlighted before is answered at once.
    expect(lazy.highlight({ code: 'a', language: 'ts', themes: THEMES })?.tokens[0]?.[0]?.color).toBe('#123456');
    expect(lazy.supportsLanguage('ts')).toBe(true);
    expect(lazy.getSupportedLanguages()).toEqual(['ts']);
    expect(calls.map((call) => call.code)).toEqual(['a', 'b', 'a']);
  });

  it('gives an answer the plugin has at once to the callback when it has just loaded', async () => {
    const plugin = fakePlugin([]);
    plugin.highlight({ code: 'seen', language: 'ts', themes: THEMES }); // now cached in the plugin
    const lazy = createLazyCodeHighlighter(async () => plugin);
    const result = await new Promise<HighlightResult>((resolve) => {
      expect(lazy.highlight({ code: 'seen', language: 'ts', themes: THEMES }, resolve)).toBeNull();
    });
    expect(result.tokens[0]?.[0]?.content).toBe('seen');
  });

  it('leaves code plain when loading fails, and tries again for the next block', async () => {
    let loads = 0;
    const lazy = createLazyCodeHighlighter(async () => {
      loads += 1;
      if (loads === 1) throw new Error('chunk failed to load');
      return fakePlugin([]);
    });
    const warn = console.warn;
    const warnings: unknown[][] = [];
    console.warn = (...args: unknown[]) => warnings.push(args);
    try {
      let called = false;
      expect(lazy.highlight({ code: 'a', language: 'ts', themes: THEMES }, () => (called = true))).toBeNull();
      await expect.poll(() => warnings.length).toBe(1);
      expect(called).toBe(false);
      const result = await highlight(lazy, 'b', 'ts');
      expect(result.tokens[0]?.[0]?.content).toBe('b');
      expect(loads).toBe(2);
    } finally {
      console.warn = warn;
    }
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

describe('codeHighlighter (Shiki, JavaScript regex engine)', () => {
  it.each(Object.entries(SAMPLES))('colours %s in light and dark', async (language, code) => {
    const result = await highlight(codeHighlighter, code, language);
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
    const result = await highlight(codeHighlighter, 'a b c', 'no-such-language');
    expect(result.tokens.flat().map((token) => token.content).join('')).toBe('a b c');
    expect(new Set(result.tokens.flat().map((token) => token.htmlStyle?.color ?? token.color)).size).toBe(1);
  });
});

describe('createShikiHighlighter', () => {
  it('knows languages by any of their names, and others as plain text', () => {
    expect(languageOf('TS')).toBe('typescript');
    expect(languageOf(' sh ')).toBe('shellscript');
    expect(languageOf('yml')).toBe('yaml');
    expect(languageOf('md')).toBe('markdown');
    expect(languageOf('c++')).toBe('cpp');
    expect(languageOf('no-such-language')).toBe('text');
    expect(languageOf('constructor')).toBe('text');
    expect(codeHighlighter.supportsLanguage('py')).toBe(true);
  });

  it('colours a block written line by line as it colours the whole block', async () => {
    const code = [
      'const greeting = `hello ${name}`;',
      '/* a comment',
      '   over two lines */',
      'function add(a: number, b: number): number {',
      '  return a + b; // sum',
      '}',
      '',
    ].join('\n');
    const streaming = createShikiHighlighter(['github-light', 'github-dark']);
    const highlightPart = (part: string, isIncomplete: boolean) =>
      new Promise<HighlightResult>((resolve) => {
        const now = streaming.highlight({ code: part, language: 'ts', themes: THEMES, isIncomplete }, resolve);
        if (now) resolve(now);
      });
    const shiki = await createHighlighter({ themes: ['github-light', 'github-dark'], langs: ['ts'], engine: createJavaScriptRegexEngine() });
    for (let end = 1; end <= code.length; end += 3) {
      const part = code.slice(0, end);
      const written = await highlightPart(part, end < code.length);
      const whole = shiki.codeToTokens(part, { lang: 'ts', themes: { light: 'github-light', dark: 'github-dark' } });
      expect(written.tokens, JSON.stringify(part)).toEqual(whole.tokens);
    }
    shiki.dispose();
  });

  it('answers a complete block it has coloured at once, and a block being written only later', async () => {
    const plugin = createShikiHighlighter(['github-light', 'github-dark']);
    const options = { code: 'let a = 1;', language: 'js', themes: THEMES };
    await highlight(plugin, options.code, options.language);
    expect(plugin.highlight(options)?.tokens.flat().map((token) => token.content).join('')).toBe('let a = 1;');
    await highlight(plugin, 'let b = 2;', 'js');
    await new Promise<HighlightResult>((resolve) => plugin.highlight({ ...options, code: 'let c', isIncomplete: true }, resolve));
    expect(plugin.highlight({ ...options, code: 'let c', isIncomplete: true })).toBeNull();
  });
});
