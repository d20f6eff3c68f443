import { describe, expect, it } from 'vitest';
import { NEAR_BOTTOM_PX, createBottomFollower, type ScrollMetrics } from '@/components/chat/message-list/bottom-follower';

const VIEW = 600;
const at = (scrollTop: number, scrollHeight: number): ScrollMetrics => ({ scrollTop, scrollHeight, clientHeight: VIEW });

describe('createBottomFollower', () => {
  it('follows growing content to its bottom from the start', () => {
    const follower = createBottomFollower();
    expect(follower.resized(at(0, 400))).toBeNull(); // shorter than the view: nothing to scroll
    expect(follower.resized(at(0, 1_000))).toBe(400);
    follower.scrolled(at(400, 1_000)); // the jump's own scroll event
    expect(follower.resized(at(400, 1_300))).toBe(700);
    expect(follower.away(at(700, 1_300))).toBe(false);
  });

  it('stops when the user scrolls up, keeps the view where they put it, and offers the way back', () => {
    const follower = createBottomFollower();
    follower.resized(at(0, 2_000));
    follower.scrolled(at(1_400, 2_000));
    follower.scrolled(at(900, 2_000)); // up by 500
    expect(follower.resized(at(900, 2_400))).toBeNull();
    expect(follower.away(at(900, 2_400))).toBe(true);
    follower.follow(); // the button
    expect(follower.away(at(900, 2_400))).toBe(false);
    expect(follower.resized(at(900, 2_600))).toBe(2_000);
  });

  it('stops at once on a wheel up, before the smooth scroll moves the view', () => {
    const follower = createBottomFollower();
    follower.resized(at(0, 2_000));
    follower.scrolled(at(1_400, 2_000));
    follower.wheeledUp();
    expect(follower.resized(at(1_400, 2_100))).toBeNull();
  });

  it('follows again when the user scrolls back down near the bottom', () => {
    const follower = createBottomFollower();
    follower.resized(at(0, 2_000));
    follower.scrolled(at(1_400, 2_000));
    follower.scrolled(at(800, 2_000));
    follower.scrolled(at(2_000 - VIEW - NEAR_BOTTOM_PX + 10, 2_000));
    expect(follower.resized(at(1_340, 2_200))).toBe(1_600);
  });

  it('does not take a scrollTop lowered by shrinking content for the user scrolling up', () => {
    const follower = createBottomFollower();
    follower.resized(at(0, 2_000));
    follower.scrolled(at(1_400, 2_000));
    follower.resized(at(1_300, 1_900)); // the browser clamped scrollTop to the new bottom
    follower.scrolled(at(1_300, 1_900));
    expect(follower.resized(at(1_300, 2_100))).toBe(1_500);
  });

  it('makes no jump while a mouse button is held in the view, and catches up on release', () => {
    const follower = createBottomFollower();
    follower.resized(at(0, 2_000));
    follower.scrolled(at(1_400, 2_000));
    expect(follower.release()).toBe(false); // a button released elsewhere: nothing to catch up
    follower.hold();
    expect(follower.resized(at(1_400, 2_200))).toBeNull();
    expect(follower.release()).toBe(true);
    expect(follower.resized(at(1_400, 2_200))).toBe(1_600);
  });
});
