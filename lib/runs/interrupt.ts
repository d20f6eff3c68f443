import { generateId, readUIMessageStream } from 'ai';
import { statusChunk, statusLabel, type StreamChunk } from '@/lib/chat/status';
import type { ChatMessage } from '@/lib/chat/types';
import { getRunLog } from '@/lib/runs/log';
import { getStore } from '@/lib/store';
import type { RunRecord, Store } from '@/lib/store/types';

/**
 * Rebuilds the answer a run had written so far from the chunks in its log. A run that went on with
 * a saved answer (an approval answered) continues that message: its earlier parts are kept.
 */
async function messageFromLog(runId: string, store: Store, chatId: string): Promise<ChatMessage | undefined> {
  const entries = await getRunLog().read(runId, undefined, { waitMs: 0 });
  const chunks = entries.flatMap((entry) => (entry.kind === 'chunk' ? [entry.chunk] : []));
  if (chunks.length === 0) return undefined;
  const start = chunks.find((chunk) => chunk.type === 'start');
  const [continued] = start?.messageId ? await store.findMessages(chatId, [start.messageId]) : [];
  const stream = new ReadableStream<StreamChunk>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
  let message: ChatMessage | undefined;
  for await (const snapshot of readUIMessageStream<ChatMessage>({ stream, message: continued?.message, onError: () => undefined }))
    message = snapshot;
  return message;
}

/**
 * The answer an interrupted run leaves: what its log held, or, when nothing of it reached the log
 * (or the log is gone), an empty answer, so that the chat shows it was interrupted and offers Retry.
 */
async function interruptedAnswer(run: RunRecord, store: Store): Promise<ChatMessage> {
  const partial = (await messageFromLog(run.id, store, run.chatId)) ?? { id: generateId(), role: 'assistant', parts: [] };
  const metadata = { model: run.model, createdAt: Date.parse(run.startedAt), ...partial.metadata, outcome: 'interrupted' as const };
  // A log that holds only statuses (no `start` chunk yet) gives a message without an id.
  return { ...partial, id: partial.id || generateId(), metadata };
}

/** How soon after its run is made a producer holds the lease (a round trip; with a wide margin). */
const LEASE_TAKEN_WITHIN_MS = 1_000;

/**
 * Ends a run whose producer's lease lapsed, saving its answer so far as `interrupted`; safe from any process,
 * any number of times. True when the run is over, false while its producer holds the lease.
 */
export async function interruptIfAbandoned(runId: string): Promise<boolean> {
  const log = getRunLog();
  if (await log.hasLease(runId)) return false;
  const store = await getStore();
  const run = await store.getRun(runId);
  if (!run) return true;
  // A run is made beside its lease (startRun), so a run just made may not hold it yet: look again
  // once it is old enough to have taken it.
  const age = Date.now() - Date.parse(run.startedAt);
  if (run.status === 'running' && age < LEASE_TAKEN_WITHIN_MS) {
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, LEASE_TAKEN_WITHIN_MS - age)));
    if (await log.hasLease(runId)) return false;
  }
  if (!(await store.finishRun(runId, { status: 'interrupted', error: 'The server running this answer stopped.' }))) {
    // Ended already; make sure followers learn of it even if the producer died before saying so.
    await log.end(runId, run.status === 'running' ? 'interrupted' : run.status);
    return true;
  }
  // Below the question it answers (unless the question itself was not saved yet); a run recorded
  // before runs knew it goes after the active path.
  const [question] = run.replyTo === null ? [] : await store.findMessages(run.chatId, [run.replyTo]);
  if (run.replyTo === null || question) {
    await store.saveMessage(run.chatId, await interruptedAnswer(run, store), run.replyTo ?? undefined);
  }
  const elapsedMs = Date.now() - Date.parse(run.startedAt);
  await log.append(runId, [statusChunk({ phase: 'interrupted', label: statusLabel('interrupted'), step: 1, elapsedMs })]);
  await log.end(runId, 'interrupted');
  return true;
}

let recovery: Promise<void> | undefined;

/** Once per process: ends the runs that no producer holds any more (e.g. after a crash). */
export function recoverAbandonedRuns(): Promise<void> {
  recovery ??= (async () => {
    const store = await getStore();
    for (const run of await store.listActiveRuns()) await interruptIfAbandoned(run.id);
  })().catch((error: unknown) => {
    recovery = undefined;
    throw error;
  });
  return recovery;
}
