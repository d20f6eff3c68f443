'use client';

import { useEffect, useId, useLayoutEffect, useRef, useState, type PointerEvent } from 'react';
import { getToolName, isToolUIPart } from 'ai';
import { answerStats, formatRate, hasAnswerStats, type AnswerStats, type ToolCallRef } from '@/lib/chat/answer-stats';
import type { ChatMessage } from '@/lib/chat/types';
import { formatDuration } from '@/components/chat/message/tool-card';
import { InfoIcon } from '@/components/ui/icons';

/** Pointer travel time from the button to the tooltip (and back) before it closes. */
const CLOSE_DELAY_MS = 150;
/** Space kept between the tooltip and the button, and the edges of the window. */
const GAP_PX = 6;
const EDGE_PX = 8;

function toolCallsOf(message: ChatMessage): ToolCallRef[] {
  return message.parts.flatMap((part) => (isToolUIPart(part) ? [{ callId: part.toolCallId, name: getToolName(part) }] : []));
}

/** The stats as label/value rows, the ones the answer recorded. */
function rows(stats: AnswerStats): Array<[string, string]> {
  const list: Array<[string, string | undefined]> = [
    ['Time to first token', stats.ttftMs === undefined ? undefined : formatDuration(stats.ttftMs)],
    ['Speed', stats.tokensPerSecond === undefined ? undefined : formatRate(stats.tokensPerSecond)],
    ['Input tokens', stats.inputTokens?.toLocaleString('en-US')],
    ['Output tokens', stats.outputTokens?.toLocaleString('en-US')],
  ];
  return list.filter((row): row is [string, string] => row[1] !== undefined);
}

/** Where the tooltip goes: above the button (below when there is no room), inside the window. */
function placeTooltip(trigger: DOMRect, tooltip: DOMRect): { top: number; left: number } {
  const centered = trigger.left + trigger.width / 2 - tooltip.width / 2;
  const left = Math.max(EDGE_PX, Math.min(centered, window.innerWidth - EDGE_PX - tooltip.width));
  const above = trigger.top - GAP_PX - tooltip.height;
  return { top: above >= EDGE_PX ? above : trigger.bottom + GAP_PX, left };
}

/**
 * An answer's figures, behind a small button in its footer: time to first token, tokens per
 * second, input and output tokens, and each tool call's time. A tooltip shown on hover and on
 * focus (a tap on touch screens); Esc closes it.
 */
export function AnswerDetails({ message }: { message: ChatMessage }) {
  const stats = answerStats(message.metadata ?? {}, toolCallsOf(message));
  const [hovered, setHovered] = useState(false);
  const [focused, setFocused] = useState(false);
  const [pinned, setPinned] = useState(false);
  const [dismissed, setDismissed] = useState(false);
  const [position, setPosition] = useState<{ top: number; left: number } | null>(null);
  const triggerRef = useRef<HTMLButtonElement>(null);
  const tooltipRef = useRef<HTMLDivElement>(null);
  const closeTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const tooltipId = useId();
  const open = (hovered || focused || pinned) && !dismissed;

  // Placed where the button is, and kept there while the conversation scrolls or the window resizes.
  useLayoutEffect(() => {
    if (!open) return;
    const place = () => {
      const trigger = triggerRef.current;
      const tooltip = tooltipRef.current;
      if (trigger && tooltip) setPosition(placeTooltip(trigger.getBoundingClientRect(), tooltip.getBoundingClientRect()));
    };
    place();
    window.addEventListener('scroll', place, true);
    window.addEventListener('resize', place);
    return () => {
      window.removeEventListener('scroll', place, true);
      window.removeEventListener('resize', place);
      setPosition(null);
    };
  }, [open]);

  // Esc closes it wherever the focus is (a hovered tooltip too), before Esc can stop an answer.
  useEffect(() => {
    if (!open) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      event.preventDefault();
      setDismissed(true);
      setPinned(false);
    };
    document.addEventListener('keydown', onKeyDown, true);
    return () => document.removeEventListener('keydown', onKeyDown, true);
  }, [open]);

  useEffect(() => () => clearTimeout(closeTimer.current), []);

  if (!hasAnswerStats(stats)) return null;

  const enter = (event: PointerEvent) => {
    if (event.pointerType !== 'mouse') return;
    clearTimeout(closeTimer.current);
    if (!hovered) setDismissed(false);
    setHovered(true);
  };
  const leave = (event: PointerEvent) => {
    if (event.pointerType !== 'mouse') return;
    clearTimeout(closeTimer.current);
    closeTimer.current = setTimeout(() => setHovered(false), CLOSE_DELAY_MS);
  };

  return (
    <>
      <button
        ref={triggerRef}
        type="button"
        aria-label="Answer details"
        aria-describedby={tooltipId}
        onPointerEnter={enter}
        onPointerLeave={leave}
        onFocus={() => {
          setFocused(true);
          setDismissed(false);
        }}
        onBlur={() => {
          setFocused(false);
          setPinned(false);
        }}
        onClick={() => {
          // A tap (touch screens have no hover) keeps it open until the focus goes elsewhere.
          setPinned(true);
          setDismissed(false);
        }}
        className="inline-flex items-center rounded-md p-1 text-muted-foreground transition hover:bg-accent hover:text-foreground"
      >
        <InfoIcon size={13} />
      </button>
      <div
        ref={tooltipRef}
        id={tooltipId}
        role="tooltip"
        hidden={!open}
        onPointerEnter={enter}
        onPointerLeave={leave}
        style={position ? { top: position.top, left: position.left } : { top: 0, left: 0, visibility: 'hidden' }}
        className="fixed z-50 w-max max-w-[calc(100vw-1rem)] rounded-lg border bg-card px-3 py-2.5 text-xs text-card-foreground shadow-lg"
      >
        <DetailList items={rows(stats)} />
        {stats.tools.length > 0 && (
          <>
            <p className="mt-2 border-t pt-2 font-medium text-muted-foreground">Tool time</p>
            <DetailList items={stats.tools.map((tool) => [tool.name, formatDuration(tool.durationMs)])} mono />
          </>
        )}
      </div>
    </>
  );
}

/** Label and value pairs, two columns. */
function DetailList({ items, mono = false }: { items: Array<[string, string]>; mono?: boolean }) {
  return (
    <dl className="mt-1 grid grid-cols-[auto_auto] gap-x-6 gap-y-1 first:mt-0">
      {items.map(([label, value], index) => (
        <div key={index} className="contents">
          <dt className={mono ? 'font-mono text-muted-foreground' : 'text-muted-foreground'}>{label}</dt>
          <dd className="text-right font-medium tabular-nums">{value}</dd>
        </div>
      ))}
    </dl>
  );
}
