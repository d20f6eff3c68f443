/**
 * How a tool card shows a value (a call's input or output): a text that a tool read or wrote
 * (a file's content, a page's text, a plain string) as it is, with its line breaks; anything else
 * as indented JSON.
 */

export type ToolValueView = {
  /** `text`: shown as it is; `json`: the value as indented JSON. */
  kind: 'text' | 'json';
  body: string;
  /** Beside a text taken from an object: the object's other fields, e.g. `path: notes.md`, `bytes: 812`. */
  fields: string[];
  /** How many lines `body` has. */
  lines: number;
};

/** The fields that hold an object's text, in the order they are looked for (`read_file`: content; `fetch_url`: text). */
const TEXT_FIELDS = ['content', 'text'] as const;

type Primitive = string | number | boolean | null;

const isPrimitive = (value: unknown): value is Primitive =>
  value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';

/** The lines of a text; a line break at its end does not start another. */
export function countLines(text: string): number {
  if (text === '') return 0;
  return (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n').length;
}

/** A value as indented JSON; `''` for undefined (no value at all). */
export function formatJson(value: unknown): string {
  if (value === undefined) return '';
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value); // a cycle or a BigInt: not from the wire, but never a crash
  }
}

/**
 * One field beside the text: `key: value`; a flag by its name when set (`truncated`), nothing when
 * unset or empty (a page without a title).
 */
function describeField(key: string, value: Primitive): string | null {
  if (value === null || value === false || value === '') return null;
  if (value === true) return key;
  return `${key}: ${String(value)}`;
}

/**
 * The text of an object whose one text field sits among simple fields (`{ path, content, bytes,
 * truncated }`), with those fields described; null when the object has anything else (a list, a
 * nested object), which JSON shows whole.
 */
function textOfObject(value: object): { text: string; fields: string[] } | null {
  const entries = Object.entries(value);
  const field = TEXT_FIELDS.find((name) => entries.some(([key, item]) => key === name && typeof item === 'string'));
  if (field === undefined) return null;
  let text = '';
  const fields: string[] = [];
  for (const [key, item] of entries) {
    if (!isPrimitive(item)) return null;
    if (key === field) text = String(item);
    else {
      const described = describeField(key, item);
      if (described !== null) fields.push(described);
    }
  }
  return { text, fields };
}

function view(kind: ToolValueView['kind'], body: string, fields: string[] = []): ToolValueView {
  return { kind, body, fields, lines: countLines(body) };
}

export function toolValueView(value: unknown): ToolValueView {
  if (typeof value === 'string') return view('text', value);
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const text = textOfObject(value);
    if (text !== null) return view('text', text.text, text.fields);
  }
  return view('json', formatJson(value));
}
