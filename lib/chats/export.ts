import { getToolName, isToolUIPart } from 'ai';
import type { ChatMessage, ChatMessagePart } from '@/lib/chat/types';
import { ownedChat } from '@/lib/chats/owned';
import { getStore } from '@/lib/store';
import { chatSummary, type ChatSummary } from '@/lib/store/types';

export type ExportFormat = 'md' | 'json';

/** A chat as a file to download. */
export type ChatFile = { body: string; headers: Record<string, string> };

const CONTENT_TYPES: Record<ExportFormat, string> = {
  md: 'text/markdown; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

/** Longest file name (without its extension) a download gets. */
const MAX_FILE_NAME_CHARS = 80;

type ToolPart = Extract<ChatMessagePart, { toolCallId: string }>;

/** `2025-01-31 12:00 UTC`. */
function readableTime(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** A fenced block longer than any run of backticks inside it, so that nothing inside can close it. */
function fenced(content: string, language = ''): string {
  const longest = Math.max(0, ...Array.from(content.matchAll(/`+/g), (match) => match[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${language}\n${content}\n${fence}`;
}

function jsonBlock(value: unknown): string {
  return fenced(JSON.stringify(value, null, 2) ?? 'undefined', 'json');
}

/** One tool call: its name, input and output (or what became of it). */
function toolCallMarkdown(part: ToolPart): string {
  const lines = [`**Tool call: \`${getToolName(part)}\`**`];
  if (part.input !== undefined) lines.push('Input:', jsonBlock(part.input));
  switch (part.state) {
    case 'output-available':
      lines.push('Output:', jsonBlock(part.output));
      break;
    case 'output-error':
      lines.push(`Error: ${part.errorText}`);
      break;
    case 'output-denied':
      lines.push(`Not run: the call was denied${part.approval.reason ? ` (${part.approval.reason})` : ''}.`);
      break;
    case 'approval-requested':
      lines.push('Waiting for approval.');
      break;
    default:
      lines.push('No result.');
  }
  return lines.join('\n\n');
}

function partMarkdown(part: ChatMessagePart): string | null {
  if (part.type === 'text') return part.text.trim() === '' ? null : part.text.trim();
  if (isToolUIPart(part)) return toolCallMarkdown(part);
  return null;
}

/** "Assistant · offline:maestro · stopped": who wrote the message, and how its answer ended when not complete. */
function messageHeading(message: ChatMessage): string {
  const role = message.role === 'user' ? 'User' : message.role === 'assistant' ? 'Assistant' : 'System';
  const { model, outcome } = message.metadata ?? {};
  return [role, model, outcome && outcome !== 'complete' ? outcome : undefined].filter(Boolean).join(' · ');
}

/** The chat as Markdown: the title as the heading, then each message under its role, with its text and tool calls in order. */
export function chatToMarkdown(chat: ChatSummary, messages: ChatMessage[]): string {
  const sections = messages.map((message) => {
    const body = message.parts.map(partMarkdown).filter((part) => part !== null);
    return [`## ${messageHeading(message)}`, ...body].join('\n\n');
  });
  const intro = `# ${chat.title.trim() || 'New chat'}\n\n_Created ${readableTime(chat.createdAt)}, last message ${readableTime(chat.updatedAt)}._`;
  return `${[intro, ...sections].join('\n\n---\n\n')}\n`;
}

/** The chat as JSON: `{ chat, messages }`, as `GET /api/chats/{id}` has them. */
export function chatToJson(chat: ChatSummary, messages: ChatMessage[]): string {
  return `${JSON.stringify({ chat, messages }, null, 2)}\n`;
}

/**
 * `Content-Disposition` for a download named after the chat's title: an ASCII name (letters,
 * digits and dashes) for every client, and the title itself (without characters file systems
 * refuse) in `filename*` for those that read it.
 */
export function attachmentDisposition(title: string, format: ExportFormat): string {
  const ascii =
    title
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .slice(0, MAX_FILE_NAME_CHARS)
      .replace(/^-+|-+$/g, '') || 'chat';
  const readable =
    title
      .replace(/[\u0000-\u001f\u007f/\\:*?"<>|]+/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, MAX_FILE_NAME_CHARS)
      .trim() || 'chat';
  const encoded = encodeURIComponent(`${readable}.${format}`).replace(
    /['()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}.${format}"; filename*=UTF-8''${encoded}`;
}

/** The owner's chat as a file in `format`; 404 for anyone else. */
export async function exportChat(chatId: string, ownerId: string, format: ExportFormat): Promise<ChatFile> {
  const store = await getStore();
  const chat = chatSummary(await ownedChat(store, chatId, ownerId));
  const messages = await store.listMessages(chatId);
  return {
    body: format === 'md' ? chatToMarkdown(chat, messages) : chatToJson(chat, messages),
    headers: {
      'content-type': CONTENT_TYPES[format],
      'content-disposition': attachmentDisposition(chat.title, format),
      'cache-control': 'no-store',
    },
  };
}
