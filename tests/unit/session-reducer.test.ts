import { APICallError } from 'ai';
import { describe, expect, it } from 'vitest';
import { isRefusal } from '@/lib/chat/client/errors';
import { initialSessionState, sessionReducer, type SessionEvent, type SessionState } from '@/components/chat/session/session-reducer';

const idle = initialSessionState({ listed: true, attaching: false });
const run = (state: SessionState, ...events: SessionEvent[]) => events.reduce(sessionReducer, state);

function refusal(status: number, code: string): APICallError {
  return new APICallError({
    message: 'refused',
    url: '/api/chats/c/messages',
    requestBodyValues: {},
    statusCode: status,
    responseBody: JSON.stringify({ error: { code, message: 'No.' } }),
  });
}

describe('sessionReducer', () => {
  it('a page rendered mid-run is attaching until its reattach answers', () => {
    const rendered = initialSessionState({ listed: true, attaching: true });
    expect(rendered.attaching).toBe(true);
    expect(run(rendered, { type: 'run-attached' }).attaching).toBe(false);
  });

  it('a send clears the last notice and refusal and owns the chat until its run ends', () => {
    const before = { ...idle, notice: 'Too long.', refused: true, lastPhase: 'done' as const };
    const started = run(before, { type: 'request-started', request: { kind: 'send', text: 'hi' } });
    expect(started).toMatchObject({
      ownRequest: true,
      pending: { kind: 'send', text: 'hi' },
      notice: null,
      refused: false,
      lastPhase: null,
    });
    const ended = run(
      started,
      { type: 'status-received', phase: 'thinking' },
      { type: 'status-received', phase: 'done' },
      { type: 'run-ended', isError: false },
    );
    expect(ended).toMatchObject({ ownRequest: false, pending: null, lastPhase: 'done', endedRefused: false });
  });

  it('the first status of a new chat lists it', () => {
    const fresh = initialSessionState({ listed: false, attaching: false });
    expect(run(fresh, { type: 'status-received', phase: 'thinking' }).listed).toBe(true);
  });

  it('a refused send says why until the next request, and its end does not read the chat again', () => {
    const refused = run(
      idle,
      { type: 'request-started', request: { kind: 'send', text: 'hi' } },
      { type: 'request-refused', notice: 'A run is answering.' },
    );
    expect(refused).toMatchObject({ ownRequest: false, pending: null, refused: true, endedRefused: true, notice: 'A run is answering.' });
    const ended = run(refused, { type: 'run-ended', isError: true });
    expect(ended).toMatchObject({ notice: 'A run is answering.', endedRefused: false, refused: true });
    // The run of another tab that the page then follows clears the notice when it is over.
    expect(run(ended, { type: 'run-claimed' }, { type: 'run-attached' }, { type: 'run-ended', isError: false }).notice).toBeNull();
  });

  it('a failed answer is not a refusal', () => {
    const failed = run(
      idle,
      { type: 'request-started', request: { kind: 'retry' } },
      { type: 'status-received', phase: 'thinking' },
      { type: 'stream-failed' },
    );
    expect(failed).toMatchObject({ ownRequest: false, pending: null, refused: false, endedRefused: false, notice: null });
  });

  it('following a run started elsewhere attaches until its stream arrives, it turns out over, or following fails', () => {
    const claimed = run({ ...idle, lastPhase: 'done' }, { type: 'run-claimed' });
    expect(claimed).toMatchObject({ attaching: true, lastPhase: null });
    for (const type of ['run-attached', 'run-gone', 'follow-failed', 'stopped-here'] as const) {
      expect(run(claimed, { type }).attaching).toBe(false);
    }
  });

  it('a stop is asked once at a time', () => {
    const stopping = run(idle, { type: 'stop-requested' });
    expect(stopping.stopping).toBe(true);
    expect(run(stopping, { type: 'stop-settled' }).stopping).toBe(false);
  });

  it('a branch switch clears the notice; a failed one shows why', () => {
    const failed = run(idle, { type: 'branch-switch-failed', notice: 'Message not found.' });
    expect(failed.notice).toBe('Message not found.');
    expect(run(failed, { type: 'branch-switched' }).notice).toBeNull();
  });
});

describe('refusals', () => {
  it('tells a refused request (an error answer of the API, or no connection) from a failed answer', () => {
    expect(isRefusal(refusal(409, 'run_active'))).toBe(true);
    expect(isRefusal(refusal(409, 'approval_answered'))).toBe(true);
    expect(isRefusal(refusal(400, 'message_too_long'))).toBe(true);
    expect(isRefusal(refusal(429, 'rate_limited'))).toBe(true);
    expect(isRefusal(refusal(404, 'chat_not_found'))).toBe(true);
    expect(isRefusal(refusal(502, 'not_ours'))).toBe(true);
    expect(isRefusal(new TypeError('Failed to fetch'))).toBe(true);
    // An error chunk of the answer's own stream: the answer failed.
    expect(isRefusal(new Error('The model failed.'))).toBe(false);
  });
});
