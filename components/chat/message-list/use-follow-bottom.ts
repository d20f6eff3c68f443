'use client';

import { useCallback, useLayoutEffect, useRef, useState, type RefObject } from 'react';
import { createBottomFollower, type ScrollMetrics } from '@/components/chat/message-list/bottom-follower';

function metricsOf(element: HTMLElement): ScrollMetrics {
  return { scrollTop: element.scrollTop, scrollHeight: element.scrollHeight, clientHeight: element.clientHeight };
}

export type FollowBottom = {
  /** The scrolling element. */
  scrollRef: RefObject<HTMLDivElement | null>;
  /** The content inside it, whose growth is followed. */
  contentRef: RefObject<HTMLDivElement | null>;
  /** The user left the bottom: offer `scrollToBottom`. */
  away: boolean;
  scrollToBottom: () => void;
};

/**
 * Keeps a scroller at the bottom as its content grows, unless the user scrolled up. It acts only on a size change
 * (ResizeObserver), jumping before paint, so no animation loop runs while an answer streams.
 */
export function useFollowBottom(): FollowBottom {
  const scrollRef = useRef<HTMLDivElement>(null);
  const contentRef = useRef<HTMLDivElement>(null);
  const [follower] = useState(createBottomFollower);
  const [away, setAway] = useState(false);

  // A layout effect: a conversation loaded with the page is at its bottom from its first paint.
  useLayoutEffect(() => {
    const scroller = scrollRef.current;
    const content = contentRef.current;
    if (!scroller || !content) return;
    // One read of the scroller per event: its sizes are up to date in a ResizeObserver callback
    // and a scroll event, so reading them forces no extra layout.
    const stick = () => {
      const metrics = metricsOf(scroller);
      const top = follower.resized(metrics);
      if (top !== null) scroller.scrollTo({ top, behavior: 'instant' });
      setAway(follower.away(metrics)); // following, after a jump: not away
    };
    const onScroll = () => {
      const metrics = metricsOf(scroller);
      follower.scrolled(metrics);
      setAway(follower.away(metrics));
    };
    const onWheel = (event: WheelEvent) => {
      if (event.deltaY < 0 && scroller.scrollTop > 0) follower.wheeledUp();
    };
    const onPress = () => follower.hold();
    const onRelease = () => {
      if (follower.release()) stick(); // what grew while held
    };
    const observer = new ResizeObserver(stick);
    observer.observe(content);
    observer.observe(scroller);
    scroller.addEventListener('scroll', onScroll, { passive: true });
    scroller.addEventListener('wheel', onWheel, { passive: true });
    scroller.addEventListener('pointerdown', onPress, { passive: true });
    window.addEventListener('pointerup', onRelease);
    window.addEventListener('pointercancel', onRelease);
    return () => {
      observer.disconnect();
      scroller.removeEventListener('scroll', onScroll);
      scroller.removeEventListener('wheel', onWheel);
      scroller.removeEventListener('pointerdown', onPress);
      window.removeEventListener('pointerup', onRelease);
      window.removeEventListener('pointercancel', onRelease);
    };
  }, [follower]);

  const scrollToBottom = useCallback(() => {
    const scroller = scrollRef.current;
    if (!scroller) return;
    follower.follow();
    setAway(false);
    scroller.scrollTo({ top: scroller.scrollHeight, behavior: 'smooth' });
  }, [follower]);

  return { scrollRef, contentRef, away, scrollToBottom };
}
