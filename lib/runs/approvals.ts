import { generateId } from 'ai';
import { verifyToolApprovalSignature } from 'ai/internal';
import { isAwaitingApproval, partWithApproval, toolNameOf, withAnswer, type ApprovalAnswer, type ToolCallPart } from '@/lib/chat/approvals';
import { firstStatus, statusChunk } from '@/lib/chat/status';
import { pathTo } from '@/lib/chat/tree';
import type { ChatMessage, Status } from '@/lib/chat/types';
import { toolApprovalSecret } from '@/lib/auth/approval-secret';
import { getConfig } from '@/lib/config';
import { HttpError } from '@/lib/http/errors';
import { listModels, ModelNotFoundError, resolveModel } from '@/lib/models/registry';
import type { LanguageModelV4 } from '@ai-sdk/provider';
import { recoverAbandonedRuns } from '@/lib/runs/interrupt';
import { runAfterResponse } from '@/lib/runs/after-response';
import { getRunLog } from '@/lib/runs/log';
import { ownedChat } from '@/lib/chats/owned';
import { produce, undoStart } from '@/lib/runs/run';
import { getStore } from '@/lib/store';
import { ActiveRunExistsError, type MessageNode, type NewRun, type RunRecord, type Store } from '@/lib/store/types';

export type ApprovalInput = ApprovalAnswer & {
  chatId: string;
  ownerId: string;
  approvalId: string;
  /** Approved, and the tool's later calls in this chat run without asking ("Always allow in this chat"). */
  alwaysAllow?: boolean;
};

/** The request the answer is for: the tool call waiting in the last answer of the active path. */
type Awaited = { answer: ChatMessage; part: ToolCallPart; replyTo: string; path: ChatMessage[] };

const invalidApproval = () =>
  new HttpError(400, 'invalid_approval', 'This chat has no such approval request, or it was not issued by this server.');
const alreadyAnswered = () =>
  new HttpError(409, 'approval_answered', 'This request was already answered (or the conversation went on without it).');

/**
 * The request `approvalId` in the chat as saved: 400 when the chat has none (an id made up, or from
 * another chat); 409 when it no longer waits (answered, or the conversation went on without it).
 */
function findAwaited(nodes: readonly MessageNode[], activeLeafId: string | null, approvalId: string): Awaited {
  const node = nodes.find((candidate) => candidate.message.role === 'assistant' && partWithApproval(candidate.message, approvalId));
  const part = node && partWithApproval(node.message, approvalId);
  if (!node || !part) throw invalidApproval();
  if (!isAwaitingApproval(part) || node.message.id !== activeLeafId || node.parentId === null) throw alreadyAnswered();
  return { answer: node.message, part, replyTo: node.parentId, path: pathTo(nodes, node.message.id).map((entry) => entry.message) };
}

/**
 * Checks the signature this server put on the request, binding tool, call id and exact input, so a forged or
 * altered request is refused before any run starts (the SDK checks again before running the tool).
 */
async function assertSigned(part: ToolCallPart): Promise<void> {
  const signature = part.approval?.signature;
  if (!part.approval || !signature) throw invalidApproval();
  const valid = await verifyToolApprovalSignature({
    secret: toolApprovalSecret(),
    signature,
    approvalId: part.approval.id,
    toolCallId: part.toolCallId,
    toolName: toolNameOf(part),
    input: part.input,
  }).catch(() => false);
  if (!valid) throw invalidApproval();
}

/** The model that answered goes on with the answer; if it is no longer offered, the default. */
function continuingModel(answer: ChatMessage): { modelId: string; model: LanguageModelV4 } {
  const used = answer.metadata?.model;
  if (used) {
    try {
      return { modelId: used, model: resolveModel(used).model };
    } catch (error) {
      if (!(error instanceof ModelNotFoundError)) throw error;
    }
  }
  const fallback = listModels().default;
  return { modelId: fallback, model: resolveModel(fallback).model };
}

/** Makes the run record, its lease and its first status; 409 while another run is active. */
async function openRun(store: Store, chatId: string, planned: NewRun, initialStatus: Status): Promise<RunRecord> {
  const config = getConfig();
  const log = getRunLog();
  const runId = planned.id;
  let run: RunRecord;
  try {
    run = await store.createRun({ ...planned, chatId });
  } catch (error) {
    if (ActiveRunExistsError.is(error))
      throw new HttpError(409, 'run_active', 'This chat is still answering. Wait for the answer or stop it, then answer again.');
    throw error;
  }
  try {
    await Promise.all([log.renewLease(runId, config.runLeaseMs), log.append(runId, [statusChunk(initialStatus)])]);
  } catch (error) {
    await undoStart(store, runId, run);
    throw error;
  }
  return run;
}

/**
 * Answers a waiting approval and continues the answer as a new run on the same branch. The first answer wins:
 * it holds the chat's one run while it re-checks that the request still waits; later ones get 409.
 */
export async function answerApproval(input: ApprovalInput): Promise<RunRecord> {
  await recoverAbandonedRuns();
  const store = await getStore();
  const chat = await ownedChat(store, input.chatId, input.ownerId);
  const first = findAwaited(await store.listMessageTree(input.chatId), chat.activeLeafId, input.approvalId);
  await assertSigned(first.part);
  const { modelId, model } = continuingModel(first.answer);

  const runId = generateId();
  const initialStatus = firstStatus();
  const run = await openRun(store, input.chatId, { id: runId, model: modelId, replyTo: first.replyTo }, initialStatus);
  let awaited: Awaited;
  try {
    // Read again now that this run holds the chat: an answer that won the race has saved its message.
    const [current, nodes] = await Promise.all([store.getChat(input.chatId), store.listMessageTree(input.chatId)]);
    awaited = findAwaited(nodes, current?.activeLeafId ?? null, input.approvalId);
    await assertSigned(awaited.part);
    if (input.approved && input.alwaysAllow) await store.allowToolInChat(input.chatId, toolNameOf(awaited.part));
  } catch (error) {
    await undoStart(store, runId, run);
    throw error;
  }
  const answered = withAnswer(awaited.answer, input.approvalId, { approved: input.approved, reason: input.reason });
  runAfterResponse(
    produce(run, {
      store,
      open: async () => [...awaited.path.slice(0, -1), answered],
      replyTo: awaited.replyTo,
      model,
      modelId,
      initialStatus,
    }),
  );
  return run;
}
