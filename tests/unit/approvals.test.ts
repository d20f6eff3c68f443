import { describe, expect, it } from 'vitest';
import {
  isAwaitingApproval,
  partWithApproval,
  toolNameOf,
  UNANSWERED_REASON,
  withAnswer,
  withUnansweredDenied,
} from '@/lib/chat/approvals';
import type { ChatMessage } from '@/lib/chat/types';

/** An answer with a built-in call and an MCP (dynamic) call waiting, and one call already done. */
const answer: ChatMessage = {
  id: 'a1',
  role: 'assistant',
  parts: [
    { type: 'text', text: 'Let me do that.' },
    {
      type: 'tool-write_file',
      toolCallId: 'c1',
      state: 'approval-requested',
      input: { path: 'a.txt', content: 'A' },
      approval: { id: 'ap1', signature: 'sig1' },
    },
    {
      type: 'dynamic-tool',
      toolName: 'files__delete',
      toolCallId: 'c2',
      state: 'approval-requested',
      input: { path: 'b.txt' },
      approval: { id: 'ap2', signature: 'sig2' },
    },
    {
      type: 'tool-calculator',
      toolCallId: 'c3',
      state: 'output-available',
      input: { expression: '1+1' },
      output: { expression: '1+1', result: '2' },
    },
  ],
};

const states = (message: ChatMessage) =>
  message.parts.flatMap((part) => ('state' in part && 'toolCallId' in part ? [`${part.toolCallId}:${part.state}`] : []));

describe('approvals in a message', () => {
  it('finds a request by its approval id, for built-in and MCP (dynamic) tools alike', () => {
    expect(toolNameOf(partWithApproval(answer, 'ap1')!)).toBe('write_file');
    expect(toolNameOf(partWithApproval(answer, 'ap2')!)).toBe('files__delete');
    expect(partWithApproval(answer, 'nope')).toBeUndefined();
    expect(answer.parts.filter(isAwaitingApproval).map((part) => part.toolCallId)).toEqual(['c1', 'c2']);
  });

  it('an automatic approval never waits', () => {
    const automatic = { ...answer.parts[1]!, approval: { id: 'ap9', isAutomatic: true } } as ChatMessage['parts'][number];
    expect(isAwaitingApproval(automatic)).toBe(false);
  });

  it('answers one request (approval-responded, signature kept), leaving the others waiting', () => {
    const denied = withAnswer(answer, 'ap2', { approved: false, reason: 'keep it' });
    expect(states(denied)).toEqual(['c1:approval-requested', 'c2:approval-responded', 'c3:output-available']);
    expect(partWithApproval(denied, 'ap2')?.approval).toEqual({ id: 'ap2', signature: 'sig2', approved: false, reason: 'keep it' });
    const approved = withAnswer(answer, 'ap1', { approved: true });
    expect(partWithApproval(approved, 'ap1')?.approval).toEqual({ id: 'ap1', signature: 'sig1', approved: true });
    expect(answer.parts[1]).toMatchObject({ state: 'approval-requested' });
  });

  it('a conversation that went on denies every request still waiting; nothing waiting, nothing to save', () => {
    const moved = withUnansweredDenied(answer)!;
    expect(states(moved)).toEqual(['c1:output-denied', 'c2:output-denied', 'c3:output-available']);
    expect(partWithApproval(moved, 'ap2')?.approval).toMatchObject({ approved: false, reason: UNANSWERED_REASON });
    expect(withUnansweredDenied(moved)).toBeNull();
  });
});
