/**
 * Markdown whose blocks depend on text anywhere in it, which Streamdown renders as one block: a `\r`,
 * `/\[\^[\w-]{1,200}\]/` or `/^ {0,3}\[[^\]]+\]:/m`. Checked here reading each character once as the text grows.
 */

const MAX_FOOTNOTE_ID = 200;
const NOT_IN_FOOTNOTE = -2;
const AFTER_OPEN_BRACKET = -1;

/** Where a scan stopped: enough to go on with the characters that follow. */
type ScanState = {
  /** Spaces since the start of the line (0–3), or -1 once a `[` there would not start a label. */
  indent: number;
  /** Where the first `[` that opens a line since the last `]` is, or -1. */
  labelAt: number;
  /** The character before was a `]` that closed a non-empty label: a `:` now makes a definition. */
  labelClosed: boolean;
  /** After `[`: -1; after `[^` and n id characters: n; otherwise -2. */
  footnote: number;
};

const startState = (): ScanState => ({ indent: 0, labelAt: -1, labelClosed: false, footnote: NOT_IN_FOOTNOTE });

const isLineBreak = (char: string) => char === '\n' || char === '\u2028' || char === '\u2029';
const isFootnoteIdChar = (char: string) => /^[\w-]$/.test(char);

/** Reads `text` from `from` on, updating `state`; true as soon as one of the rules matches. */
function scan(text: string, from: number, state: ScanState): boolean {
  for (let index = from; index < text.length; index += 1) {
    const char = text.charAt(index);
    if (char === '\r') return true;
    // Link reference definition: a line's `[`, at least one character, its first `]`, then `:`.
    if (state.labelClosed && char === ':') return true;
    state.labelClosed = false;
    if (char === ']') {
      state.labelClosed = state.labelAt >= 0 && index > state.labelAt + 1;
      state.labelAt = -1;
    } else if (char === '[' && state.indent >= 0 && state.labelAt < 0) {
      state.labelAt = index;
    }
    if (isLineBreak(char)) state.indent = 0;
    else if (char === ' ' && state.indent >= 0 && state.indent < 3) state.indent += 1;
    else state.indent = -1;
    // Footnote: `[^`, 1 to 200 id characters, `]`.
    if (char === '[') state.footnote = AFTER_OPEN_BRACKET;
    else if (char === '^' && state.footnote === AFTER_OPEN_BRACKET) state.footnote = 0;
    else if (char === ']' && state.footnote >= 1) return true;
    else if (state.footnote >= 0 && state.footnote < MAX_FOOTNOTE_ID && isFootnoteIdChar(char)) state.footnote += 1;
    else state.footnote = NOT_IN_FOOTNOTE;
  }
  return false;
}

/**
 * Whether markdown must be split whole (see above), for one growing text: when the text extends
 * the one checked before, only the characters added are read. Once true, it stays true for the
 * text's extensions (the rules match in any text that starts with a matching one).
 */
export function createWholeDocumentCheck(): (markdown: string) => boolean {
  let previous: { input: string; whole: boolean; state: ScanState } | null = null;

  return (markdown) => {
    if (previous?.input === markdown) return previous.whole;
    const resume = previous !== null && markdown.startsWith(previous.input) ? previous : null;
    if (resume?.whole) {
      previous = { ...resume, input: markdown };
      return true;
    }
    const state = resume ? resume.state : startState();
    const whole = scan(markdown, resume ? resume.input.length : 0, state);
    previous = { input: markdown, whole, state };
    return whole;
  };
}
