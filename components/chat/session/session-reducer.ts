import type { StatusPhase } from '@/lib/chat/types';

/**
 * A request of this page that its run has not answered yet: it may still be refused. A refused
 * send gives its text back; a refused approval was already shown as answered, so the chat is read
 * again as saved.
 */
export type PendingRequest = { kind: 'send' | 'edit'; text: string } | { kind: 'retry' } | { kind: 'approval' };

/** What a chat page knows about the runs it follows, beside the messages `useChat` keeps. */
export type SessionState = {
  /** A send, retry or approval of this page is on its way: the poll must not attach to the run it starts. */
  ownRequest: boolean;
  pending: PendingRequest | null;
  /** The last request was refused: its error is not an answer's failure. */
  refused: boolean;
  /** The request that just ended was refused: nothing changed on the server, so nothing to read again. */
  endedRefused: boolean;
  /** Between "a run is active" and its stream arriving: the composer must not send into a 409. */
  attaching: boolean;
  /** A stop request is on its way: a second click waits for it. */
  stopping: boolean;
  /** Why the last request was not sent, or why a version could not be shown. */
  notice: string | null;
  /** The last status of the followed run: a run that stopped ends without saying so in its answer. */
  lastPhase: StatusPhase | null;
  /** The chat is in the chat list (it has messages, or its first run reported a status). */
  listed: boolean;
};

export type SessionEvent =
  /** A send, retry, edit or approval of this page started. */
  | { type: 'request-started'; request: PendingRequest }
  /** The followed run reported a status: the request was answered, and the server has the chat. */
  | { type: 'status-received'; phase: StatusPhase }
  /** The server refused the pending request before a run started: nothing of it was kept. */
  | { type: 'request-refused'; notice: string }
  /** The request or the followed stream failed in a way that is shown as the answer's error. */
  | { type: 'stream-failed' }
  /** The followed stream ended (`isError`: with an error). */
  | { type: 'run-ended'; isError: boolean }
  /** A run started elsewhere is being followed: its stream is on its way. */
  | { type: 'run-claimed' }
  /** A reattach answered (with the run's stream, or with nothing to follow). */
  | { type: 'run-attached' }
  /** A run started elsewhere had ended by the time the page went to follow it. */
  | { type: 'run-gone' }
  /** Following a run started elsewhere failed: the poll may find it again. */
  | { type: 'follow-failed' }
  /** The user asked the server to stop the run. */
  | { type: 'stop-requested' }
  | { type: 'stop-settled' }
  /** Following stopped on this page only (the server could not be asked). */
  | { type: 'stopped-here' }
  | { type: 'branch-switched' }
  | { type: 'branch-switch-failed'; notice: string };

export function initialSessionState({ listed, attaching }: { listed: boolean; attaching: boolean }): SessionState {
  return {
    ownRequest: false,
    pending: null,
    refused: false,
    endedRefused: false,
    attaching,
    stopping: false,
    notice: null,
    lastPhase: null,
    listed,
  };
}

export function sessionReducer(state: SessionState, event: SessionEvent): SessionState {
  switch (event.type) {
    case 'request-started':
      return { ...state, ownRequest: true, pending: event.request, notice: null, refused: false, lastPhase: null };
    case 'status-received':
      return { ...state, pending: null, lastPhase: event.phase, listed: true };
    case 'request-refused':
      return { ...state, ownRequest: false, attaching: false, pending: null, refused: true, endedRefused: true, notice: event.notice };
    case 'stream-failed':
      return { ...state, ownRequest: false, attaching: false, pending: null };
    case 'run-ended':
      // A refused send said "wait for the answer": once a followed answer is over, that is done.
      return { ...state, ownRequest: false, pending: null, endedRefused: false, notice: event.isError ? state.notice : null };
    case 'run-claimed':
      return { ...state, attaching: true, lastPhase: null };
    case 'run-attached':
    case 'run-gone':
    case 'follow-failed':
    case 'stopped-here':
      return state.attaching ? { ...state, attaching: false } : state;
    case 'stop-requested':
      return { ...state, stopping: true };
    case 'stop-settled':
      return { ...state, stopping: false };
    case 'branch-switched':
      return { ...state, notice: null };
    case 'branch-switch-failed':
      return { ...state, notice: event.notice };
    default: {
      const unknownEvent: never = event;
      return unknownEvent;
    }
  }
}
