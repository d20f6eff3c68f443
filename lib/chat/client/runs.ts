import type { PathMessage } from '@/lib/chat/tree';
import { requestFailure } from '@/lib/chat/client/errors';
import { chatPath } from '@/lib/wire';

/** A run in progress, as `GET /api/chats/{id}/run` reports it. */
export type ActiveRunInfo = { id: string; model?: string; startedAt: string };

/** A chat as `GET /api/chats/{id}` returns it: its active path; the active run's answer is not among `messages` yet. */
export type ChatSnapshot = { messages: PathMessage[]; activeRun: ActiveRunInfo | null };

/** The chat's active run, or null, and when the chat last changed (`GET /api/chats/{id}/run`): cheap enough to poll. */
export async function fetchActiveRun(
  chatId: string,
  signal?: AbortSignal,
): Promise<{ run: ActiveRunInfo | null; updatedAt: string | null }> {
  const response = await fetch(`${chatPath(chatId)}/run`, { signal, cache: 'no-store' });
  if (!response.ok) throw await requestFailure(response, 'Checking for a running answer');
  const body = (await response.json()) as { run?: ActiveRunInfo | null; updatedAt?: string | null };
  return { run: body.run ?? null, updatedAt: body.updatedAt ?? null };
}

/** The chat's saved messages and its active run (`GET /api/chats/{id}`). */
export async function fetchChatSnapshot(chatId: string, signal?: AbortSignal): Promise<ChatSnapshot> {
  const response = await fetch(chatPath(chatId), { signal, cache: 'no-store' });
  if (!response.ok) throw await requestFailure(response, 'Loading the chat');
  const body = (await response.json()) as { messages?: PathMessage[]; activeRun?: ActiveRunInfo | null };
  return { messages: body.messages ?? [], activeRun: body.activeRun ?? null };
}

/** Shows the branch through `messageId` (`POST /api/chats/{id}/active`); the chat's new active path. */
export async function switchBranch(chatId: string, messageId: string): Promise<PathMessage[]> {
  const response = await fetch(`${chatPath(chatId)}/active`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ messageId }),
  });
  if (!response.ok) throw await requestFailure(response, 'Switching versions');
  return ((await response.json()) as { messages: PathMessage[] }).messages;
}

/**
 * Asks the server to stop the chat's active run, whoever started it (`POST /api/chats/{id}/stop`).
 * The run then ends on its own stream, with a `stopped` status; its partial answer is saved.
 */
export async function requestStop(chatId: string): Promise<{ stopped: boolean; runId?: string }> {
  const response = await fetch(`${chatPath(chatId)}/stop`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  if (!response.ok) throw await requestFailure(response, 'Stopping the answer');
  const body = (await response.json()) as { stopped?: boolean; runId?: string };
  return { stopped: body.stopped === true, runId: body.runId };
}
