'use client';

import { useId, useState } from 'react';
import type { ApprovalAnswer } from '@/lib/chat/approvals';

/** An answer to a tool call waiting for approval, as the card gives it. */
export type ApprovalChoice = ApprovalAnswer & { alwaysAllow?: boolean };

const BUTTON =
  'inline-flex items-center rounded-md px-3 py-1.5 text-xs font-medium transition disabled:cursor-not-allowed disabled:opacity-50';

/**
 * The question a tool call waiting for approval asks: Approve, Always allow in this chat, or Deny
 * (with an optional reason the model reads). Answered once: the buttons then wait for the run.
 */
export function ApprovalPanel({
  toolName,
  requestReason,
  onAnswer,
}: {
  toolName: string;
  requestReason?: string;
  onAnswer: (choice: ApprovalChoice) => void;
}) {
  const [reason, setReason] = useState('');
  const [answered, setAnswered] = useState(false);
  const reasonId = useId();
  const answer = (choice: ApprovalChoice) => {
    setAnswered(true);
    onAnswer(choice);
  };
  return (
    <div data-testid="approval-panel" className="space-y-2 border-t px-3 py-2.5">
      <p className="text-xs text-muted-foreground">
        {requestReason ?? `The assistant wants to use ${toolName}. Nothing happens until you answer.`}
      </p>
      <div className="flex flex-wrap items-center gap-2">
        <button
          type="button"
          disabled={answered}
          onClick={() => answer({ approved: true })}
          className={`${BUTTON} bg-primary text-primary-foreground hover:opacity-90`}
        >
          Approve
        </button>
        <button
          type="button"
          disabled={answered}
          onClick={() => answer({ approved: true, alwaysAllow: true })}
          className={`${BUTTON} border hover:bg-accent`}
        >
          Always allow in this chat
        </button>
        <button
          type="button"
          disabled={answered}
          onClick={() => answer({ approved: false, ...(reason.trim() ? { reason: reason.trim() } : {}) })}
          className={`${BUTTON} border border-destructive/40 text-destructive hover:bg-destructive/10`}
        >
          Deny
        </button>
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor={reasonId} className="text-xs text-muted-foreground">
          Reason for denying (optional)
        </label>
        <input
          id={reasonId}
          type="text"
          value={reason}
          maxLength={1000}
          disabled={answered}
          onChange={(event) => setReason(event.target.value)}
          className="w-full rounded-md border bg-background px-2 py-1 text-sm outline-none focus-visible:ring-2 focus-visible:ring-ring"
        />
      </div>
    </div>
  );
}
