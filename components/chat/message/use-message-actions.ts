import { useLayoutEffect, useMemo, useRef } from 'react';
import type { MessageActions } from '@/components/chat/message/message';

/**
 * The message actions as one object that never changes, calling the latest handlers: the messages
 * (memoized) do not all render again whenever the page does.
 */
export function useMessageActions(handlers: MessageActions): MessageActions {
  const latest = useRef(handlers);
  useLayoutEffect(() => {
    latest.current = handlers;
  });
  return useMemo(
    () => ({
      edit: (messageId, text) => latest.current.edit(messageId, text),
      regenerate: (messageId) => latest.current.regenerate(messageId),
      switchTo: (messageId) => latest.current.switchTo(messageId),
      answerApproval: (approvalId, choice) => latest.current.answerApproval(approvalId, choice),
    }),
    [],
  );
}
