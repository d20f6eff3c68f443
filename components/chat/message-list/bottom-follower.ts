/** Where a scroller is: the three numbers the browser gives for it. */
export type ScrollMetrics = { scrollTop: number; scrollHeight: number; clientHeight: number };

/** Closer than this to the bottom counts as at the bottom: no button, and scrolling down to it follows again. */
export const NEAR_BOTTOM_PX = 70;

/** How far the view is from the bottom of its content, in pixels. */
export function distanceToBottom({ scrollTop, scrollHeight, clientHeight }: ScrollMetrics): number {
  return scrollHeight - clientHeight - scrollTop;
}

/**
 * Whether a log follows its bottom as its content grows, decided from scroll positions only (no
 * DOM here: the hook `useFollowBottom` feeds it). It follows from the start; the user moving up
 * stops it; scrolling back down near the bottom, or asking for the bottom, starts it again.
 */
export type BottomFollower = {
  /** The content or the view changed size: the scrollTop to jump to, or null to stay where it is. */
  resized(metrics: ScrollMetrics): number | null;
  /** The view scrolled, by the user or by a jump from `resized`. */
  scrolled(metrics: ScrollMetrics): void;
  /**
   * The user turned the wheel up. Decided at once: the scroll it starts is smooth, and a jump to
   * the bottom before its first scroll event would cancel it.
   */
  wheeledUp(): void;
  /** A mouse button went down in the view (selecting text, dragging the scrollbar): no jumps until it is up. */
  hold(): void;
  /** A mouse button went up: whether the view was held (then what grew meanwhile is to be followed). */
  release(): boolean;
  /** The user asked for the bottom: follow again. */
  follow(): void;
  /** Whether to offer a way back: not following, and not near the bottom either. */
  away(metrics: ScrollMetrics): boolean;
};

export function createBottomFollower(): BottomFollower {
  let following = true;
  let held = false;
  let lastScrollTop = 0;
  let lastScrollHeight: number | null = null;

  return {
    resized(metrics) {
      const shrank = lastScrollHeight !== null && metrics.scrollHeight < lastScrollHeight;
      lastScrollHeight = metrics.scrollHeight;
      // Content that shrank can bring the bottom to the view: then it is followed again.
      if (!following && shrank && distanceToBottom(metrics) <= NEAR_BOTTOM_PX) following = true;
      if (!following || held || distanceToBottom(metrics) <= 0) return null;
      const bottom = metrics.scrollHeight - metrics.clientHeight;
      lastScrollTop = bottom;
      return bottom;
    },
    scrolled(metrics) {
      const distance = distanceToBottom(metrics);
      // Up and away from the very bottom: the user left. A scrollTop that fell because the content
      // shrank under it stays at the very bottom, and is not taken for the user.
      if (metrics.scrollTop < lastScrollTop && distance > 1) following = false;
      else if (metrics.scrollTop > lastScrollTop && distance <= NEAR_BOTTOM_PX) following = true;
      lastScrollTop = metrics.scrollTop;
    },
    wheeledUp() {
      following = false;
    },
    hold() {
      held = true;
    },
    release() {
      const was = held;
      held = false;
      return was;
    },
    follow() {
      following = true;
    },
    away(metrics) {
      return !following && distanceToBottom(metrics) > NEAR_BOTTOM_PX;
    },
  };
}
