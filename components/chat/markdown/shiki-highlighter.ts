import { createHighlighterCore, type GrammarState, type HighlighterCore, type ThemedToken } from 'shiki/core';
import { createJavaScriptRegexEngine } from 'shiki/engine/javascript';
import { bundledLanguages, bundledLanguagesInfo, type BundledLanguage } from 'shiki/langs';
import { bundledThemes, type BundledTheme } from 'shiki/themes';
import type { HighlightOptions, HighlightResult, ThemeInput } from 'streamdown';

/*
 * Shiki with grammars and themes loaded on first need and its JavaScript regex engine (no WebAssembly), run in a
 * worker (highlight-worker.ts) because compiling a grammar's patterns must not stop an answer from streaming.
 */

/**
 * How long one line may take to tokenize before the rest of it is left plain. Shiki's default,
 * half a second, is cut short by the first use of a grammar, which compiles its patterns: that
 * line would stay partly plain. This still stops a runaway pattern.
 */
const LINE_TIME_LIMIT_MS = 5_000;
/** Longer lines (a minified file) are left plain: their cost, not their colours, would show. */
const LINE_MAX_LENGTH = 10_000;
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

function themeOf(theme: ThemeInput | undefined, fallback: BundledTheme): BundledTheme {
  return typeof theme === 'string' && Object.hasOwn(bundledThemes, theme) ? (theme as BundledTheme) : fallback;
}

function shift(rows: ThemedToken[][], by: number): ThemedToken[][] {
  if (by === 0) return rows;
  return rows.map((row) => row.map((token) => ({ ...token, offset: token.offset + by })));
}

export type ShikiTokenizer = (options: HighlightOptions) => Promise<HighlightResult>;

/** Colours code; `fallback` stands in for a requested theme that Shiki does not have. */
export function createShikiTokenizer(fallback: [BundledTheme, BundledTheme]): ShikiTokenizer {
  const highlighter: Promise<HighlighterCore> = createHighlighterCore({
    themes: [],
    langs: [],
    engine: createJavaScriptRegexEngine({ forgiving: true }),
  });
  const loading = new Map<string, Promise<void>>();
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

  /**
   * Tokenizes a block, going on from where the grammar stood after the complete lines it had when
   * last seen: while a block streams, only its new lines are tokenized.
   */
  function tokenize(shiki: HighlighterCore, code: string, lang: string, themes: [BundledTheme, BundledTheme]): HighlightResult {
    const options = {
      lang,
      themes: { light: themes[0], dark: themes[1] },
      tokenizeTimeLimit: LINE_TIME_LIMIT_MS,
      tokenizeMaxLineLength: LINE_MAX_LENGTH,
    };
    const key = `${lang}:${themes.join(':')}`;
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
    // Only what Streamdown draws: a grammar state does not cross to the page.
    return { tokens: rows.concat(shift(last.tokens, lineEnd)), fg: last.fg, bg: last.bg, rootStyle: last.rootStyle };
  }

  return async ({ code, language, themes: requested }) => {
    const lang = languageOf(language);
    const themes: [BundledTheme, BundledTheme] = [themeOf(requested[0], fallback[0]), themeOf(requested[1], fallback[1])];
    await Promise.all([
      lang === 'text' ? undefined : once(lang, (shiki) => shiki.loadLanguage(bundledLanguages[lang])),
      ...themes.map((theme) => once(theme, (shiki) => shiki.loadTheme(bundledThemes[theme]))),
    ]);
    return tokenize(await highlighter, code, lang, themes);
  };
}
