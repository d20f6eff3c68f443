import { generateId } from 'ai';
import { firstStatus, statusChunk, statusLabel } from '@/lib/chat/status';
import { withUnansweredDenied } from '@/lib/chat/approvals';
import { pathTo } from '@/lib/chat/tree';
import type { ChatMessage, Outcome, Status } from '@/lib/chat/types';
import { getConfig } from '@/lib/config';
import { assertOwner, ownedChat } from '@/lib/chats/owned';
import { titleFrom } from '@/lib/chats/title';
import { HttpError } from '@/lib/http/errors';
import { listModels, ModelNotFoundError, resolveModel } from '@/lib/models/registry';
import { recoverAbandonedRuns } from '@/lib/runs/interrupt';
import { runAfterResponse } from '@/lib/runs/after-response';
import { getRunLog } from '@/lib/runs/log';
import { LogWriter } from '@/lib/runs/log-writer';
import { streamAnswer, type AnswerEnd } from '@/lib/runs/answer-stream';
import { yieldToIO, shareUsedUp, yieldIfShareUsedUp, narrowShareWhileStarting } from '@/lib/runs/event-loop-share';
import { getStore } from '@/lib/store';
import { retryWhileUnavailable } from '@/lib/store/retry';
import type { MessageNode, RunRecord, Store } from '@/lib/store/types';

export type NewUserMessage = { id?: string; text: string };

/**
 * Where the run's question goes: a new message below `parentId` (null: a first message, beside
 * any other), or `again` for a user message the chat has, answered anew beside its earlier answers.
 */
type Branch = { parentId: string | null } | 'again';

export function resolveOrReject(modelId: string) {
  try {
    return resolveModel(modelId);
  } catch (error) {
    if (error instanceof ModelNotFoundError) throw new HttpError(400, error.code, error.message);
    throw error;
  }
}

/**
 * Saves the user's message (below `parentId`, else at the active path's end) and starts a run that outlives
 * the request. An existing user message id is answered again; nothing is deleted, a new branch becomes active.
 */
export async function startRun(input: {
  chatId: string;
  ownerId: string;
  message: NewUserMessage;
  /** The message the new one follows; null for a first message; omitted: the active path's last. */
  parentId?: string | null;
  modelId: string | undefined;
}): Promise<RunRecord> {
  const config = getConfig();
  const modelId = input.modelId ?? listModels(config).default;
  const { model } = resolveOrReject(modelId);
  await recoverAbandonedRuns();
  const store = await getStore();
  const log = getRunLog();

  // What the first status waits for happens in one step, as each round trip waits on a busy event loop
  // (narrowShareWhileStarting). Other processes give a run this young time to take its lease (interruptIfAbandoned);
  // the producer reads the history once the run exists, so it holds the answer of a run that just ended.
  const runId = generateId();
  const initialStatus = firstStatus();
  const message: ChatMessage = { id: input.message.id ?? generateId(), role: 'user', parts: [{ type: 'text', text: input.message.text }] };
  const named = [...(input.message.id === undefined ? [] : [message.id]), ...(input.parentId ? [input.parentId] : [])];
  const opening = store.ensureChatWithRun({
    chatId: input.chatId,
    ownerId: input.ownerId,
    title: titleFrom(input.message.text),
    run: { id: runId, model: modelId, replyTo: message.id },
  });
  let run: RunRecord;
  let branch: Branch;
  try {
    const [{ chat, run: created }, , , known] = await narrowShareWhileStarting(
      Promise.all([
        opening,
        log.renewLease(runId, config.runLeaseMs),
        log.append(runId, [statusChunk(initialStatus)]),
        named.length === 0 ? [] : store.findMessages(input.chatId, named),
      ]),
    );
    assertOwner(chat, input.ownerId);
    if (!created) throw new HttpError(409, 'run_active', 'This chat is still answering. Wait for the answer or stop it, then send again.');
    run = created;
    branch = branchOf(message.id, input.parentId, chat.activeLeafId, known);
  } catch (error) {
    await undoStart(
      store,
      runId,
      await opening.then(
        (started) => started.run,
        () => null,
      ),
    );
    throw error;
  }
  runAfterResponse(
    produce(run, {
      store,
      open: () => openBranch(store, input.chatId, message, branch),
      replyTo: message.id,
      model,
      modelId,
      initialStatus,
    }),
  );
  return run;
}

/** A catch handler for a cleanup step: its failure must not replace the error being handled, but is logged. */
const logFailure = (what: string) => (error: unknown) => console.error(`[maestro] ${what}:`, error);

/** A run that did not start: its record (if made), its log and its lease are undone. */
export async function undoStart(store: Store, runId: string, made: RunRecord | null): Promise<void> {
  if (made)
    await store
      .finishRun(made.id, { status: 'error', error: 'The run could not start.' })
      .catch(logFailure(`could not end run ${made.id} that did not start`));
  await getRunLog()
    .end(runId, 'error')
    .catch(logFailure(`could not end the log of run ${runId} that did not start`));
}

/** Where the question goes, from the messages the request named (`known`); 400 for a name that does not fit. */
function branchOf(
  messageId: string,
  parentId: string | null | undefined,
  activeLeafId: string | null,
  known: readonly MessageNode[],
): Branch {
  const asked = known.find((node) => node.message.id === messageId);
  if (asked) {
    if (asked.message.role !== 'user') {
      throw new HttpError(400, 'invalid_message_id', 'That message id belongs to an answer, not to a user message.');
    }
    if (parentId !== undefined && parentId !== asked.parentId) {
      throw new HttpError(
        400,
        'invalid_parent',
        'A message answered again keeps its place: its parentId cannot change. Send a new message to start a branch.',
      );
    }
    return 'again';
  }
  if (parentId === undefined) return { parentId: activeLeafId };
  if (parentId !== null && !known.some((node) => node.message.id === parentId)) {
    throw new HttpError(400, 'parent_not_found', 'The chat has no message with that parentId.');
  }
  return { parentId };
}

/**
 * Puts the run's question at the end of the active path (a new message below its parent, or a
 * question asked again) and returns the conversation the model sees: the path down to it.
 */
async function openBranch(store: Store, chatId: string, message: ChatMessage, branch: Branch): Promise<ChatMessage[]> {
  const [nodes] = await Promise.all([
    store.listMessageTree(chatId),
    branch === 'again' ? store.setActiveLeaf(chatId, message.id) : store.saveMessage(chatId, message, branch.parentId),
  ]);
  if (branch === 'again') return pathTo(nodes, message.id).map((node) => node.message);
  const above = branch.parentId === null ? [] : pathTo(nodes, branch.parentId).map((node) => node.message);
  return [...(await denyUnanswered(store, chatId, above)), message];
}

/**
 * A new message below an answer whose tool calls still wait for approval leaves them unanswered:
 * they are saved as denied (the card stops waiting) and the model reads them so.
 */
async function denyUnanswered(store: Store, chatId: string, path: ChatMessage[]): Promise<ChatMessage[]> {
  const last = path.at(-1);
  const denied = last ? withUnansweredDenied(last) : null;
  if (!denied) return path;
  await store.saveMessage(chatId, denied);
  return [...path.slice(0, -1), denied];
}

/** What the producer needs to answer: where the question goes, the model, the store. */
export type AnswerPlan = {
  store: Store;
  /** Puts the question (or the answered approval) in place and returns what the model sees. */
  open: () => Promise<ChatMessage[]>;
  /** The user message answered. */
  replyTo: string;
  model: ReturnType<typeof resolveModel>['model'];
  modelId: string;
  initialStatus: Status;
};

/** The producer: streams the answer, writes every chunk to the run log, and ends the run. */
export async function produce(run: RunRecord, answer: AnswerPlan): Promise<void> {
  const config = getConfig();
  const log = getRunLog();
  const abort = new AbortController();
  const stopWatch = log.watchStop(run.id, () => abort.abort(new DOMException('Stopped by the user.', 'AbortError')));
  const lease = setInterval(
    () => {
      log.renewLease(run.id, config.runLeaseMs).catch(logFailure(`lease renewal failed for run ${run.id}`));
    },
    Math.max(250, Math.floor(config.runLeaseMs / 3)),
  );
  lease.unref();

  let end: AnswerEnd = { outcome: 'error', error: 'The run failed.' };
  const writer = new LogWriter(log, run.id, () => abort.abort(new Error('The run log is unavailable.')));
  try {
    // The response that started the run goes out first, with the first status.
    await yieldToIO();
    // The message is saved here, after the first status went out; if that fails, the run ends
    // with an error on its stream.
    const [, history, allowedTools] = await Promise.all([stopWatch, answer.open(), answer.store.listAllowedTools(run.chatId)]);
    // Resumed by the store's reply, among other I/O: setting up the answer waits for the producers' share.
    await yieldIfShareUsedUp();
    const { stream, ended } = await streamAnswer({
      chatId: run.chatId,
      history,
      replyTo: answer.replyTo,
      modelId: answer.modelId,
      model: answer.model,
      store: answer.store,
      maxSteps: config.maxSteps,
      timeoutMs: config.runTimeoutMs,
      chunkTimeoutMs: config.chunkTimeoutMs,
      toolTimeoutMs: config.toolTimeoutMs,
      modelRetries: config.modelRetries,
      coalesceMs: config.streamCoalesceMs,
      maxOutputTokens: config.maxOutputTokens,
      fetchUrlEnabled: config.fetchUrl.enabled,
      approvalOverrides: config.toolApproval,
      allowedTools: new Set(allowedTools),
      signal: abort.signal,
      initialStatus: answer.initialStatus,
    });
    for await (const chunk of stream) {
      writer.write(chunk);
      // Per chunk: no await at all while the share lasts.
      if (shareUsedUp()) await yieldToIO();
    }
    await writer.flush();
    end = await ended;
  } catch (error) {
    console.error(`[maestro] run ${run.id} failed:`, error);
    const elapsedMs = Date.now() - Date.parse(run.startedAt);
    await log
      .append(run.id, [
        { type: 'error', errorText: 'The answer failed on the server.' },
        statusChunk({ phase: 'error', label: statusLabel('error'), step: 1, elapsedMs }),
      ])
      .catch(logFailure(`could not log the failure of run ${run.id}`));
  } finally {
    clearInterval(lease);
    // A watch that failed has already failed the run (it is awaited with the answer's start).
    (await stopWatch.catch(() => undefined))?.();
    await finish(run, end.outcome, end.error, answer.store);
  }
}

async function finish(run: RunRecord, outcome: Outcome, error: string | null, store: Store): Promise<void> {
  const log = getRunLog();
  try {
    await retryWhileUnavailable(() => store.finishRun(run.id, { status: outcome, error }));
  } catch (failure) {
    console.error(`[maestro] could not record the end of run ${run.id}:`, failure);
  }
  // Ending the log releases the lease too.
  await log.end(run.id, outcome).catch(logFailure(`could not end the log of run ${run.id}`));
}

/** Asks the chat's active run to stop, wherever its producer runs. */
export async function stopRun(chatId: string, ownerId: string): Promise<{ stopped: boolean; runId?: string }> {
  const store = await getStore();
  await ownedChat(store, chatId, ownerId);
  const run = await store.getActiveRun(chatId);
  if (!run) return { stopped: false };
  await getRunLog().requestStop(run.id);
  return { stopped: true, runId: run.id };
}
