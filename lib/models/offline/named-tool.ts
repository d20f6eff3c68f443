/**
 * A message that names an available tool and gives its input as JSON: `Use everything__echo with
 * {"message":"hi"}`. The offline model calls that tool with that object, so any tool (built-in or
 * from an MCP server) can be driven without a provider.
 */

export type NamedToolCall = { toolName: string; input: Record<string, unknown> };

const NAME_CHAR = /[A-Za-z0-9_-]/;

/** The JSON object that starts at `start` (a `{`), or undefined when the braces never balance. */
function objectAt(text: string, start: number): string | undefined {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i += 1) {
    const char = text[i];
    if (inString) {
      if (char === '\\') i += 1;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '{') depth += 1;
    else if (char === '}') {
      depth -= 1;
      if (depth === 0) return text.slice(start, i + 1);
    }
  }
  return undefined;
}

/** Where `name` occurs in `text` as a whole name (not inside a longer one), or -1. */
function wholeNameAt(text: string, name: string): number {
  for (let at = text.indexOf(name); at !== -1; at = text.indexOf(name, at + 1)) {
    const before = text[at - 1];
    const after = text[at + name.length];
    if ((before === undefined || !NAME_CHAR.test(before)) && (after === undefined || !NAME_CHAR.test(after))) return at;
  }
  return -1;
}

/** The tool the message names first (of `available`) with the JSON object that follows it, or null. */
export function namedToolCall(message: string, available: ReadonlySet<string>): NamedToolCall | null {
  const named = [...available]
    .map((name) => ({ name, at: wholeNameAt(message, name) }))
    .filter(({ at }) => at !== -1)
    .sort((a, b) => a.at - b.at || b.name.length - a.name.length)[0];
  if (!named) return null;
  const brace = message.indexOf('{', named.at + named.name.length);
  if (brace === -1) return null;
  const json = objectAt(message, brace);
  if (json === undefined) return null;
  try {
    const input: unknown = JSON.parse(json);
    if (typeof input !== 'object' || input === null || Array.isArray(input)) return null;
    return { toolName: named.name, input: input as Record<string, unknown> };
  } catch {
    return null;
  }
}
