import type { CodeHighlighterPlugin, HighlightOptions, HighlightResult, ThemeInput } from 'streamdown';

/** Streamdown colours each token with the light theme, and with the dark one under `prefers-color-scheme: dark`. */
const LIGHT_THEME = 'github-light';
const DARK_THEME = 'github-dark';
const THEMES: [ThemeInput, ThemeInput] = [LIGHT_THEME, DARK_THEME];

type Loader = () => Promise<CodeHighlighterPlugin>;

/**
 * A code highlighter (see shiki-highlighter.ts) loaded on first use from a chunk of its own:
 * neither Shiki nor a grammar is part of the page's first load, and a code block shows as plain
 * text until its highlighting arrives.
 */
export function createLazyCodeHighlighter(load: Loader): CodeHighlighterPlugin {
  let loaded: CodeHighlighterPlugin | null = null;
  let loading: Promise<CodeHighlighterPlugin> | null = null;

  const plugin = (): Promise<CodeHighlighterPlugin> => {
    loading ??= load().then(
      (ready) => (loaded = ready),
      (error: unknown) => {
        // The code stays plain; the next block tries again.
        loading = null;
        throw error;
      },
    );
    return loading;
  };

  return {
    name: 'shiki',
    type: 'code-highlighter',
    getThemes: () => THEMES,
    getSupportedLanguages: () => loaded?.getSupportedLanguages() ?? [],
    supportsLanguage: (language) => loaded?.supportsLanguage(language) ?? false,
    highlight(options: HighlightOptions, callback?: (result: HighlightResult) => void): HighlightResult | null {
      if (loaded) return loaded.highlight(options, callback);
      plugin().then(
        (ready) => {
          const result = ready.highlight(options, callback);
          if (result) callback?.(result);
        },
        (error: unknown) => console.warn('[maestro] code highlighting is unavailable:', error),
      );
      return null;
    },
  };
}

export const codeHighlighter = createLazyCodeHighlighter(() =>
  import('@/components/chat/shiki-highlighter').then(({ createShikiHighlighter }) => createShikiHighlighter([LIGHT_THEME, DARK_THEME])),
);
