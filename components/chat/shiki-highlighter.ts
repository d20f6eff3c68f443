import { createHighlighterCore, type GrammarState, type HighlighterCore, type ThemedToken } from 'shiki/core';
import { createJavaScriptRegexEngine } from 'shiki/engine/javascript';
import { bundledLanguages, bundledLanguagesInfo, type BundledLanguage } from 'shiki/langs';
import { bundledThemes, type BundledTheme } from 'shiki/themes';
import type { CodeHighlighterPlugin, HighlightOptions, HighlightResult, ThemeInput } from 'streamdown';

/*
 * Code highlighting with Shiki, as a Streamdown plugin: one highlighter for the page, every
 * language's grammar and every theme loaded the first time a block needs it (each one a chunk of
 * its own), matched with Shiki's JavaScript regex engine (no WebAssembly, nothing to evaluate).
 */

/**
 * How long one line may take to tokenize before the rest of it is left plain. Shiki's default,
 * half a second, is cut short by the first use of a grammar, which compiles its patterns (a second
 * on a slow phone): that line would stay partly plain. This still stops a runaway pattern.
 */
const LINE_TIME_LIMIT_MS = 5_000;
/** Longer lines (a minified file) are left plain: their cost, not their colours, would show. */
const LINE_MAX_LENGTH = 10_000;

/** Highlighted blocks kept, so a block that renders again (it settled, the page re-rendered) is coloured at once. */
const RESULTS_MAX = 300;
const RESULTS_MAX_CHARS = 1_000_000;
/** Blocks being written kept at once, with the state of their grammar after their complete lines. */
const PREFIXES_MAX = 4;

type Prefix = { key: string; text: string; rows: ThemedToken[][]; state: GrammarState | undefined };

/** Every name of every language (`ts`, `typescript`) → the language. */
const names = new Map<string, BundledLanguage>(
  bundledLanguagesInfo.flatMap((info) => [info.id, ...(info.aliases ?? [])].map((name) => [name, info.id as BundledLanguage] as const)),
);

/** The language a fence's name stands for (`TS` → `typescript`), or `text` for one Shiki does not know. */
export function languageOf(name: string): BundledLanguage | 'text' {
  return names.get(name.trim().toLowerCase()) ?? 'text';
}

function themeName(theme: ThemeInput): BundledTheme | null {
  return typeof theme === 'string' && Object.hasOwn(bundledThemes, theme) ? (theme as BundledTheme) : null;
}

function shift(rows: ThemedToken[][], by: number): ThemedToken[][] {
  if (by === 0) return rows;
  return rows.map((row) => row.map((token) => ({ ...token, offset: token.offset + by })));
}

export function createShikiHighlighter(themes: [BundledTheme, BundledTheme]): CodeHighlighterPlugin {
  const highlighter: Promise<HighlighterCore> = createHighlighterCore({
    themes: [],
    langs: [],
    engine: createJavaScriptRegexEngine({ forgiving: true }),
  });
  const loading = new Map<string, Promise<void>>();
  const results = new Map<string, HighlightResult>();
  let resultChars = 0;
  let prefixes: Prefix[] = [];

  /** Loads a grammar or a theme once; a failed load is tried again next time. */
  function once(name: string, load: (shiki: HighlighterCore) => Promise<void>): Promise<void> {
    let pending = loading.get(name);
    if (!pending) {
      pending = highlighter.then(load);
      pending.catch(() => loading.delete(name));
      loading.set(name, pending);
    }
    return pending;
  }

  function remember(key: string, result: HighlightResult): void {
    results.delete(key);
    results.set(key, result);
    resultChars += key.length;
    for (const [oldest] of results) {
      if (results.size <= RESULTS_MAX && resultChars <= RESULTS_MAX_CHARS) break;
      results.delete(oldest);
      resultChars -= oldest.length;
    }
  }

  /**
   * Tokenizes a block, going on from where the grammar stood after the complete lines it had when
   * last seen: while a block streams, only its new lines are tokenized.
   */
  function tokenize(shiki: HighlighterCore, code: string, lang: string, colours: [BundledTheme, BundledTheme]): HighlightResult {
    const options = {
      lang,
      themes: { light: colours[0], dark: colours[1] },
      tokenizeTimeLimit: LINE_TIME_LIMIT_MS,
      tokenizeMaxLineLength: LINE_MAX_LENGTH,
    };
    const key = `${lang}:${colours.join(':')}`;
    const known = prefixes.find((prefix) => prefix.key === key && code.startsWith(prefix.text));
    let { text, rows, state } = known ?? { text: '', rows: [] as ThemedToken[][], state: undefined };
    const lineEnd = code.lastIndexOf('\n') + 1;
    if (lineEnd > text.length) {
      const lines = shiki.codeToTokens(code.slice(text.length, lineEnd), { ...options, grammarState: state });
      rows = rows.concat(shift(lines.tokens.slice(0, -1), text.length)); // the last row is the empty one after the final line break
      text = code.slice(0, lineEnd);
      state = lines.grammarState;
    }
    if (text !== '') prefixes = [{ key, text, rows, state }, ...prefixes.filter((prefix) => prefix !== known)].slice(0, PREFIXES_MAX);
    const last = shiki.codeToTokens(code.slice(lineEnd), { ...options, grammarState: state });
    return { ...last, tokens: rows.concat(shift(last.tokens, lineEnd)) };
  }

  return {
    name: 'shiki',
    type: 'code-highlighter',
    getThemes: () => themes,
    getSupportedLanguages: () => [...names.keys()],
    supportsLanguage: (language) => languageOf(language) !== 'text',
    highlight({ code, language, themes: requested, isIncomplete = false }: HighlightOptions, callback?: (result: HighlightResult) => void) {
      const lang = languageOf(language);
      const colours: [BundledTheme, BundledTheme] = [themeName(requested[0]) ?? themes[0], themeName(requested[1]) ?? themes[1]];
      const key = `${lang}:${colours.join(':')}\n${code}`;
      const known = results.get(key);
      if (known) return known;
      Promise.all([
        lang === 'text' ? undefined : once(lang, (shiki) => shiki.loadLanguage(bundledLanguages[lang])),
        ...colours.map((theme) => once(theme, (shiki) => shiki.loadTheme(bundledThemes[theme]))),
      ])
        .then(async () => {
          const result = tokenize(await highlighter, code, lang, colours);
          // A block still being written changes with the next update: not worth keeping whole.
          if (!isIncomplete) remember(key, result);
          callback?.(result);
        })
        .catch((error: unknown) => console.warn('[maestro] a code block could not be highlighted:', error));
      return null;
    },
  };
}
