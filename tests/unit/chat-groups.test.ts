import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupChats, shortChatTime } from '@/lib/chat/chat-groups';

// A zone with daylight saving time: on 2025-03-30 Berlin's day is 23 hours long.
const originalZone = process.env.TZ;
beforeAll(() => {
  process.env.TZ = 'Europe/Berlin';
});
afterAll(() => {
  process.env.TZ = originalZone;
});

const chat = (id: string, updatedAt: string) => ({ id, title: id, createdAt: updatedAt, updatedAt });
const labels = (groups: ReturnType<typeof groupChats>) => groups.map((group) => [group.label, group.chats.map((c) => c.id)]);

describe('groupChats', () => {
  it('puts each chat in its group by local calendar day, keeping their order and leaving out empty groups', () => {
    const now = new Date('2025-06-12T08:00:00+02:00');
    const chats = [
      chat('just-now', '2025-06-12T07:59:00+02:00'),
      chat('midnight', '2025-06-12T00:00:00+02:00'),
      chat('late-yesterday', '2025-06-11T23:59:00+02:00'),
      chat('early-yesterday', '2025-06-11T00:00:00+02:00'),
      chat('two-days', '2025-06-10T23:00:00+02:00'),
      chat('eight-days', '2025-06-04T00:00:00+02:00'),
      chat('nine-days', '2025-06-03T23:59:00+02:00'),
      chat('last-year', '2024-12-31T12:00:00+01:00'),
    ];
    expect(labels(groupChats(chats, now))).toEqual([
      ['Today', ['just-now', 'midnight']],
      ['Yesterday', ['late-yesterday', 'early-yesterday']],
      ['Previous 7 days', ['two-days', 'eight-days']],
      ['Older', ['nine-days', 'last-year']],
    ]);
    expect(labels(groupChats([chats[0]!, chats[7]!], now))).toEqual([
      ['Today', ['just-now']],
      ['Older', ['last-year']],
    ]);
    expect(groupChats([], now)).toEqual([]);
  });

  it('counts calendar days, not 24-hour periods, across a change to summer time', () => {
    // The day after the 23-hour day: 24 hours back from midnight is still the day before yesterday.
    const now = new Date('2025-03-31T00:30:00+02:00');
    const chats = [chat('yesterday-start', '2025-03-30T00:10:00+01:00'), chat('day-before', '2025-03-29T23:30:00+01:00')];
    expect(labels(groupChats(chats, now))).toEqual([
      ['Yesterday', ['yesterday-start']],
      ['Previous 7 days', ['day-before']],
    ]);
  });

  it('puts a chat from the future (a clock ahead of this one) under Today', () => {
    const now = new Date('2025-06-12T08:00:00+02:00');
    expect(labels(groupChats([chat('ahead', '2025-06-12T09:00:00+02:00')], now))).toEqual([['Today', ['ahead']]]);
  });
});

describe('shortChatTime', () => {
  const now = new Date('2025-06-12T08:00:00+02:00');
  it('shows the time for today and yesterday, the weekday within the week, else the date', () => {
    expect(shortChatTime('2025-06-12T07:05:00+02:00', now, 'en-GB')).toBe('07:05');
    expect(shortChatTime('2025-06-11T21:30:00+02:00', now, 'en-US')).toBe('9:30 PM');
    expect(shortChatTime('2025-06-09T10:00:00+02:00', now, 'en-US')).toBe('Mon');
    expect(shortChatTime('2025-05-01T10:00:00+02:00', now, 'en-US')).toBe('May 1');
    expect(shortChatTime('2024-05-01T10:00:00+02:00', now, 'en-US')).toBe('May 1, 2024');
  });
});
