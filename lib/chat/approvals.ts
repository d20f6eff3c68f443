import { getToolName, isToolUIPart, type DynamicToolUIPart, type ToolUIPart } from 'ai';
import type { ChatMessage, ChatMessagePart, ChatTools } from '@/lib/chat/types';

/** A tool call as a message part: a built-in tool's (`tool-<name>`) or an MCP tool's (`dynamic-tool`). */
export type ToolCallPart = ToolUIPart<ChatTools> | DynamicToolUIPart;

/** A tool call waiting for the user: the part in state `approval-requested`. */
export type ApprovalRequestPart = Extract<ToolCallPart, { state: 'approval-requested' }>;

/** What the user answered to one approval request. */
export type ApprovalAnswer = { approved: boolean; reason?: string };

/** Why a request nobody answered counts as denied: the conversation went on without it. */
export const UNANSWERED_REASON = 'Not answered: the conversation went on without it.';

/** Whether a part is a tool call waiting for the user (an automatic approval never waits). */
export function isAwaitingApproval(part: ChatMessagePart): part is ApprovalRequestPart {
  return isToolUIPart(part) && part.state === 'approval-requested' && part.approval.isAutomatic !== true;
}

/** The tool call part that carries this approval id, in any state; undefined when the message has none. */
export function partWithApproval(message: ChatMessage, approvalId: string): ToolCallPart | undefined {
  return message.parts.find((part): part is ToolCallPart => isToolUIPart(part) && part.approval?.id === approvalId);
}

/** The tool name of a tool call part (`write_file`, `<server>__<tool>`). */
export const toolNameOf = (part: ToolCallPart): string => getToolName(part);

/**
 * The message with the request `approvalId` answered (state `approval-responded`): given to the
 * model, the SDK runs the approved call (after checking its signature) or reports the denial.
 */
export function withAnswer(message: ChatMessage, approvalId: string, answer: ApprovalAnswer): ChatMessage {
  return {
    ...message,
    parts: message.parts.map((part) => {
      if (!isAwaitingApproval(part) || part.approval.id !== approvalId) return part;
      const approval = { ...part.approval, approved: answer.approved, ...(answer.reason ? { reason: answer.reason } : {}) };
      return { ...part, state: 'approval-responded', approval } as ChatMessagePart;
    }),
  };
}

/**
 * The message with every request still waiting turned into a denial (`output-denied`): a new
 * message was sent instead of an answer. Null when nothing was waiting.
 */
export function withUnansweredDenied(message: ChatMessage): ChatMessage | null {
  if (!message.parts.some(isAwaitingApproval)) return null;
  return {
    ...message,
    parts: message.parts.map((part) => {
      if (!isAwaitingApproval(part)) return part;
      const approval = { ...part.approval, approved: false, reason: UNANSWERED_REASON };
      return { ...part, state: 'output-denied', approval } as ChatMessagePart;
    }),
  };
}
