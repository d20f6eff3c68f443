import { useChat } from '@ai-sdk/react';
import { useEffect, useRef, useState } from 'react';
import type { PathMessage } from '@/lib/chat/tree';
import type { ChatMessage, Outcome, StatusPhase } from '@/lib/chat/types';
import { notifyChatsChanged } from '@/lib/chat/client/chats';
import { describeChatError, isRefusal } from '@/lib/chat/client/errors';
import { fetchChatSnapshot, requestStop, switchBranch, type ActiveRunInfo } from '@/lib/chat/client/runs';
import { createChatTransport } from '@/lib/chat/client/transport';
import { useActiveRunPoll } from '@/components/chat/session/use-active-run-poll';
import type { StatusPacer } from '@/components/chat/session/use-run-status';
import type { ApprovalChoice } from '@/components/chat/message/approval-panel';
import {
  initialSessionState,
  sessionReducer,
  type PendingRequest,
  type SessionEvent,
  type SessionState,
} from '@/components/chat/session/session-reducer';

type SessionOptions = {
  id: string;
  /** The chat's active path as the page was rendered. */
  initialMessages: PathMessage[];
  /** The run that was answering when the page was rendered: the page re-attaches to it. */
  initialActiveRun: { id: string; startedAt: string } | null;
  /** When the chat last changed as of `initialMessages`: a change after it is loaded when the page is idle. */
  initialUpdatedAt: string | null;
  /** Receives every `data-status` of the runs this page follows. */
  pacer: StatusPacer;
  /** A send was refused (or never reached the server): its text, to give back to the composer. */
  onRefused?: (text: string) => void;
};

/** Outcomes a run's last status implies for its answer when the stream carries none. */
const OUTCOME_OF_PHASE: Partial<Record<StatusPhase, Outcome>> = { stopped: 'stopped', interrupted: 'interrupted' };

/** If a stop finds no run yet (it is still starting), one more try after this long. */
const STOP_RETRY_MS = 300;

/** Each message's versions (its siblings' ids, its own among them), by message id. */
export type Versions = ReadonlyMap<string, string[]>;

const versionsOf = (path: readonly PathMessage[]): Versions => new Map(path.map((message) => [message.id, message.siblingIds]));

/** Whether two lists hold the same messages, in the same order (their content aside). */
const sameIds = (a: readonly ChatMessage[], b: readonly ChatMessage[]) =>
  a.length === b.length && a.every((message, index) => message.id === b[index]?.id);

/** What of the session the page shows: only a change of these renders it again. */
const SHOWN_FIELDS = ['attaching', 'refused', 'notice'] as const;
type ShownSession = Pick<SessionState, (typeof SHOWN_FIELDS)[number]>;

const shownChanged = (before: ShownSession, after: ShownSession) => SHOWN_FIELDS.some((field) => before[field] !== after[field]);

/**
 * The session's state, through `sessionReducer`. `latest` is read by the callbacks of `useChat` and of
 * requests in flight, which must see the latest state rather than that of the last render; `shown`
 * changes (and renders) only when what the page shows does, not on every status of a streaming answer.
 */
function useSessionState(initial: () => SessionState) {
  const [first] = useState(initial);
  const latest = useRef(first);
  const [shown, setShown] = useState<ShownSession>(first);
  const dispatch = (event: SessionEvent) => {
    const before = latest.current;
    latest.current = sessionReducer(before, event);
    if (shownChanged(before, latest.current)) setShown(latest.current);
  };
  return { shown, latest, dispatch };
}

/**
 * A chat page as a subscriber of the chat's runs: its own, one active at render (`resume`), and those started
 * elsewhere (seen by polling). Stop asks the server, so it works from any page following the run.
 */
export function useChatSession({ id, initialMessages, initialActiveRun, initialUpdatedAt, pacer, onRefused }: SessionOptions) {
  const {
    shown: session,
    latest,
    dispatch,
  } = useSessionState(() => initialSessionState({ listed: initialMessages.length > 0, attaching: initialActiveRun !== null }));
  // The read of the chat as saved that is on its way: a newer one (or leaving the page) cancels it.
  const snapshotRead = useRef<AbortController | null>(null);
  const [versions, setVersions] = useState(() => versionsOf(initialMessages));

  // It also keeps the runs this page followed: a run is never attached to twice (unless its connection broke).
  const [transport] = useState(() =>
    createChatTransport({
      onReconnected: (found) => {
        dispatch({ type: 'run-attached' });
        // Nothing to follow (the run ended before we got there): show the saved answer.
        if (!found) reloadSnapshot(true);
      },
      // The watchdog found the stream silent and re-attached; if the run had ended meanwhile, the
      // stream closed short of its last frames: show the answer as saved.
      onWatchdogReattach: (found) => {
        if (!found) reloadSnapshot(true);
      },
    }),
  );

  const chat = useChat<ChatMessage>({
    id,
    messages: initialMessages,
    transport,
    // At most 10 renders a second while an answer streams: it still reads as live text, and each
    // render (markdown of the tail, layout, paint) is paid half as often as at 20.
    throttle: 100,
    resume: initialActiveRun !== null,
    onData: (part) => {
      if (part.type !== 'data-status') return;
      const wasListed = latest.current.listed;
      dispatch({ type: 'status-received', phase: part.data.phase });
      pacer.push(part.data);
      // The server has created the chat: show it in the list right away.
      if (!wasListed) notifyChatsChanged();
    },
    onError: (error) => {
      const request = latest.current.pending;
      if (!request || !isRefusal(error)) {
        dispatch({ type: 'stream-failed' });
        return;
      }
      // Refused before a run started (another tab's run is going, too long, no connection…):
      // nothing was kept. Say why, take the bubble away and give the text back.
      dispatch({ type: 'request-refused', notice: describeChatError(error) });
      // An approval's card was answered on this page only (or another page answered it), or an edit cut
      // the conversation short on this page only: show the chat as saved.
      if (request.kind === 'approval' || request.kind === 'edit') reloadSnapshot(true);
      if (request.kind === 'send') setMessages((shown) => (shown.at(-1)?.role === 'user' ? shown.slice(0, -1) : shown));
      if (request.kind === 'send' || request.kind === 'edit') onRefused?.(request.text);
    },
    onFinish: ({ message, isDisconnect, isError }) => {
      const { endedRefused, lastPhase } = latest.current;
      dispatch({ type: 'run-ended', isError });
      // A lost connection is not the end of the run: let the poll attach to it again.
      transport.releaseRun(isDisconnect);
      // The answer is saved by now: learn the versions of the new messages.
      if (!isDisconnect && !endedRefused) reloadSnapshot(false);
      // A stopped run ends without metadata; mark its answer the way the server saved it.
      const outcome = lastPhase ? OUTCOME_OF_PHASE[lastPhase] : undefined;
      if (outcome && message.role === 'assistant') markOutcome(message.id, outcome);
      notifyChatsChanged();
    },
  });
  const { messages, status, error, setMessages, sendMessage, regenerate, resumeStream, clearError, stop, addToolApprovalResponse } = chat;

  function markOutcome(messageId: string, outcome: Outcome) {
    setMessages((current) =>
      current.map((message) =>
        message.id === messageId && message.role === 'assistant' && !message.metadata?.outcome
          ? { ...message, metadata: { ...message.metadata, outcome } }
          : message,
      ),
    );
  }

  /** Shows a path the server sent, with its versions. */
  function showPath(path: PathMessage[]) {
    setMessages(path);
    setVersions(versionsOf(path));
  }

  /**
   * Reads the chat as saved: after a resume found nothing to follow (`whole`: show it as saved), or
   * after an answer of this page (its messages are as streamed: only the versions are new, and the
   * path, if it is not the one shown).
   */
  function reloadSnapshot(whole: boolean) {
    snapshotRead.current?.abort();
    const controller = new AbortController();
    snapshotRead.current = controller;
    fetchChatSnapshot(id, controller.signal).then(
      (snapshot) => {
        // A send made meanwhile owns the list now.
        if (latest.current.ownRequest) return;
        setMessages((shown) => (!whole && sameIds(shown, snapshot.messages) ? shown : snapshot.messages));
        setVersions(versionsOf(snapshot.messages));
        if (whole) notifyChatsChanged();
      },
      () => undefined,
    );
  }

  useEffect(() => () => snapshotRead.current?.abort(), []);

  const running = status === 'submitted' || status === 'streaming';
  const busy = running || session.attaching;

  /** Loads the chat as saved (e.g. an answer written elsewhere between two polls). */
  function resync() {
    if (!latest.current.ownRequest) reloadSnapshot(true);
  }

  /** Follows a run started elsewhere: load the question it answers, then its stream from the start. */
  function follow(run: ActiveRunInfo) {
    if (latest.current.ownRequest || !transport.claimRun(run.id)) return;
    dispatch({ type: 'run-claimed' });
    pacer.reset();
    void (async () => {
      try {
        const snapshot = await fetchChatSnapshot(id);
        showPath(snapshot.messages);
        if (!snapshot.activeRun) {
          // It ended meanwhile: the saved messages already hold its answer.
          dispatch({ type: 'run-gone' });
          notifyChatsChanged();
          return;
        }
        await resumeStream();
      } catch {
        transport.unclaimRun(run.id);
        dispatch({ type: 'follow-failed' });
      }
    })();
  }

  useActiveRunPoll(id, initialUpdatedAt, (status === 'ready' || status === 'error') && !session.attaching, follow, resync);

  /** Whether `request` may start now; if so, the page is made ready for it. */
  function beginRequest(request: PendingRequest): boolean {
    if (busy) return false;
    pacer.reset();
    if (error) clearError();
    dispatch({ type: 'request-started', request });
    return true;
  }

  function send(text: string, model: string) {
    if (!beginRequest({ kind: 'send', text })) return;
    void sendMessage({ text }, { body: { model } });
  }

  /** Answers again: the question of the answer `messageId`, or (none given) the last question. */
  function retry(model: string, messageId?: string) {
    if (!beginRequest({ kind: 'retry' })) return;
    void regenerate({ messageId, body: { model } });
  }

  /** Sends `text` as a new version of the user message `messageId`: a branch beside it, below the same parent. */
  function edit(messageId: string, text: string, model: string) {
    const index = messages.findIndex((message) => message.id === messageId);
    if (index === -1 || !beginRequest({ kind: 'edit', text })) return;
    const parentId = messages[index - 1]?.id ?? null;
    setMessages(messages.slice(0, index));
    void sendMessage({ text }, { body: { model, parentId } });
  }

  /**
   * Answers a tool call waiting for approval: the card shows the answer at once, and the server goes
   * on with the same answer (POST …/approvals); its stream continues the message.
   */
  async function answerApproval(approvalId: string, choice: ApprovalChoice) {
    if (!beginRequest({ kind: 'approval' })) return;
    await addToolApprovalResponse({ id: approvalId, approved: choice.approved, reason: choice.reason });
    await sendMessage(undefined, { body: { alwaysAllow: choice.alwaysAllow === true } });
  }

  /** Shows the branch through `messageId` and keeps that choice on the server. */
  async function switchTo(messageId: string) {
    if (busy) return;
    try {
      showPath(await switchBranch(id, messageId));
      dispatch({ type: 'branch-switched' });
      notifyChatsChanged();
    } catch (failure) {
      dispatch({ type: 'branch-switch-failed', notice: failure instanceof Error ? failure.message : 'Could not switch versions.' });
    }
  }

  /** Stops following locally: only when the server could not be asked to stop. */
  async function stopHere() {
    const streamingId = status === 'streaming' ? messages.at(-1)?.id : undefined;
    await stop();
    dispatch({ type: 'stopped-here' });
    if (streamingId !== undefined) markOutcome(streamingId, 'stopped');
  }

  /**
   * Asks the server to stop the run, for every page that follows it. The stream is not cut here:
   * it ends by itself with the `stopped` status, and the partial answer stays.
   */
  async function stopRun() {
    if (latest.current.stopping) return;
    dispatch({ type: 'stop-requested' });
    try {
      let result = await requestStop(id);
      if (!result.stopped) {
        // A run that is still starting is not registered yet: ask once more.
        await new Promise((resolve) => setTimeout(resolve, STOP_RETRY_MS));
        result = await requestStop(id);
      }
      if (!result.stopped && latest.current.ownRequest) await stopHere();
    } catch {
      await stopHere();
    } finally {
      dispatch({ type: 'stop-settled' });
    }
  }

  return {
    messages,
    versions,
    status,
    error,
    refused: session.refused,
    busy,
    notice: session.notice,
    send,
    retry,
    edit,
    switchTo,
    answerApproval,
    stop: stopRun,
  };
}
