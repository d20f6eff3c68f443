import type { LanguageModelV4ToolResultPart } from '@ai-sdk/provider';
import { z } from 'zod';

/**
 * Short answers written from tool results. Each tool's output is checked against the shape the
 * tool returns; anything unexpected is shown as JSON rather than guessed at.
 */

const calculatorOutput = z.object({ expression: z.string(), result: z.string() });
const currentTimeOutput = z.object({ timeZone: z.string(), iso: z.string(), formatted: z.string() });
const entry = z.object({ name: z.string(), path: z.string(), type: z.enum(['file', 'dir']), size: z.number().optional() });
const listFilesOutput = z.object({ state: z.literal('done'), path: z.string(), entries: z.array(entry), truncated: z.boolean() });
const readFileOutput = z.object({ path: z.string(), content: z.string(), bytes: z.number(), truncated: z.boolean() });
const writeFileOutput = z.object({ path: z.string(), bytes: z.number(), created: z.boolean() });

const MAX_LISTED = 60;
const MAX_QUOTED_LINES = 40;
const MAX_QUOTED_CHARS = 4000;

/** "1.2 KB", "512 bytes". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** A code span that survives backticks inside the text. */
function code(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((match) => match[0].length));
  const ticks = '`'.repeat(longest + 1);
  return longest > 0 ? `${ticks} ${text} ${ticks}` : `${ticks}${text}${ticks}`;
}

const LANGUAGES: Record<string, string> = {
  md: 'markdown',
  markdown: 'markdown',
  csv: 'csv',
  json: 'json',
  ts: 'ts',
  tsx: 'tsx',
  js: 'js',
  py: 'python',
  sh: 'bash',
  yml: 'yaml',
  yaml: 'yaml',
  toml: 'toml',
  html: 'html',
  css: 'css',
  sql: 'sql',
  txt: 'text',
};

function fenced(content: string, language: string): string {
  const longest = Math.max(0, ...[...content.matchAll(/^\s*(`{3,}|~{3,})/gm)].map((match) => (match[1] ?? '').length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  const body = content.endsWith('\n') ? content : `${content}\n`;
  return `${fence}${language}\n${body}${fence}`;
}

function answerCalculator(value: unknown): string | null {
  const parsed = calculatorOutput.safeParse(value);
  if (!parsed.success) return null;
  const { expression, result } = parsed.data;
  return `${code(expression)} = **${result}**.\n\nI worked this out with the calculator tool, so the figure is computed rather than estimated.`;
}

function answerCurrentTime(value: unknown): string | null {
  const parsed = currentTimeOutput.safeParse(value);
  if (!parsed.success) return null;
  const { timeZone, iso, formatted } = parsed.data;
  return `In **${timeZone}** it is currently **${formatted}** (${code(iso)}).`;
}

function answerListFiles(value: unknown): string | null {
  const parsed = listFilesOutput.safeParse(value);
  if (!parsed.success) return null;
  const { path, entries, truncated } = parsed.data;
  const where = path === '.' ? 'The workspace' : `The folder ${code(path)}`;
  if (entries.length === 0) return `${where} is empty.`;

  const files = entries.filter((item) => item.type === 'file');
  const folders = entries.filter((item) => item.type === 'dir');
  const baseDepth = path === '.' ? 0 : path.split('/').length;
  const lines = entries.slice(0, MAX_LISTED).map((item) => {
    const depth = item.path.split('/').length - 1 - baseDepth;
    const indent = '  '.repeat(Math.max(0, depth));
    return item.type === 'dir' ? `${indent}- ${code(`${item.name}/`)}` : `${indent}- ${code(item.name)} (${formatBytes(item.size ?? 0)})`;
  });
  const totalBytes = files.reduce((sum, item) => sum + (item.size ?? 0), 0);
  const counts =
    folders.length > 0 ? `${plural(files.length, 'file')} and ${plural(folders.length, 'folder')}` : plural(files.length, 'file');
  const summary = `${where} contains ${counts} (${formatBytes(totalBytes)} in total):`;
  const notes: string[] = [];
  if (entries.length > MAX_LISTED) notes.push(`…and ${entries.length - MAX_LISTED} more.`);
  if (truncated) notes.push('The listing was cut short at its depth or size limit; ask about a sub-folder to see more.');
  const first = files[0];
  const hint = first ? `Ask me to read one of them, for example “Read ${first.path}”.` : '';
  return [summary, lines.join('\n'), ...notes, hint].filter((part) => part !== '').join('\n\n');
}

function describeCsv(content: string): string | null {
  const rows = content.split(/\r?\n/).filter((line) => line.trim() !== '');
  const header = rows[0];
  if (!header || rows.length < 2) return null;
  const columns = header.split(',').map((column) => column.trim());
  return `It is a table of ${plural(rows.length - 1, 'row')} with the columns ${columns.map(code).join(', ')}.`;
}

function describeMarkdown(content: string): string | null {
  const title = content.match(/^#\s+(.+)$/m)?.[1]?.trim();
  const headings = [...content.matchAll(/^##\s+(.+)$/gm)].map((match) => (match[1] ?? '').trim()).slice(0, 6);
  if (!title && headings.length === 0) return null;
  const parts: string[] = [];
  if (title) parts.push(`Its title is “${title}”`);
  if (headings.length > 0) parts.push(`${title ? 'and its' : 'Its'} sections are ${headings.map((h) => `“${h}”`).join(', ')}`);
  return `${parts.join(' ')}.`;
}

function answerReadFile(value: unknown): string | null {
  const parsed = readFileOutput.safeParse(value);
  if (!parsed.success) return null;
  const { path, content, bytes, truncated } = parsed.data;
  const extension = path.includes('.') ? (path.split('.').at(-1) ?? '').toLowerCase() : '';
  const lineCount = content === '' ? 0 : content.split('\n').length - (content.endsWith('\n') ? 1 : 0);
  if (content.trim() === '') return `${code(path)} is empty.`;

  const intro = `Here is ${code(path)} (${formatBytes(bytes)}, ${plural(lineCount, 'line')}${truncated ? ', only the beginning was read' : ''}).`;
  const description = extension === 'csv' ? describeCsv(content) : extension === 'md' ? describeMarkdown(content) : null;

  let quoted = content.split('\n').slice(0, MAX_QUOTED_LINES).join('\n');
  if (quoted.length > MAX_QUOTED_CHARS) quoted = quoted.slice(0, MAX_QUOTED_CHARS);
  const shortened = quoted.length < content.trimEnd().length;
  const block = fenced(quoted, LANGUAGES[extension] ?? 'text');
  const tail = shortened ? 'That is the first part of the file; ask if you want a specific section.' : '';
  return [description ? `${intro} ${description}` : intro, block, tail].filter((part) => part !== '').join('\n\n');
}

function answerWriteFile(value: unknown): string | null {
  const parsed = writeFileOutput.safeParse(value);
  if (!parsed.success) return null;
  const { path, bytes, created } = parsed.data;
  return `${created ? 'I created' : 'I replaced the content of'} ${code(path)} in the workspace (${formatBytes(bytes)}). Ask me to read it to check.`;
}

/** What the model says when a call was denied: plainly, that the tool did not run, and why. */
function answerDenied(name: string, reason: string | undefined): string {
  const why = reason ? `the call was denied, with the reason: “${reason}”` : 'the call was denied (no reason was given)';
  return `I did not run the ${name} tool: ${why}. Nothing was done, so I have no result to report.`;
}

function stringify(value: unknown): string {
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}

const ANSWERERS: Record<string, (value: unknown) => string | null> = {
  calculator: answerCalculator,
  current_time: answerCurrentTime,
  list_files: answerListFiles,
  read_file: answerReadFile,
  write_file: answerWriteFile,
};

/** The answer to one tool result. */
export function answerToolResult(part: LanguageModelV4ToolResultPart): string {
  const name = code(part.toolName);
  const { output } = part;
  switch (output.type) {
    case 'error-text':
    case 'error-json': {
      const reason = (typeof output.value === 'string' ? output.value : stringify(output.value)).replace(/^[A-Za-z]*Error:\s*/, '');
      return `The ${name} tool failed: ${reason}\n\nI could not complete that request. Check the input and try again.`;
    }
    case 'execution-denied':
      return answerDenied(name, output.reason);
    case 'json':
    case 'text': {
      const answer = ANSWERERS[part.toolName]?.(output.value);
      if (answer) return answer;
      return `The ${name} tool returned:\n\n${fenced(typeof output.value === 'string' ? output.value : stringify(output.value), 'json')}`;
    }
    case 'content': {
      const text = output.value.flatMap((item) => (item.type === 'text' ? [item.text] : [])).join('\n');
      return `The ${name} tool returned:\n\n${fenced(text, 'text')}`;
    }
  }
}

/** The answer to all the tool results that end the prompt. */
export function answerToolResults(parts: LanguageModelV4ToolResultPart[]): string {
  return parts.map(answerToolResult).join('\n\n');
}
