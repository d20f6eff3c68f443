import type { ChatSummary } from '@/lib/store/types';

/**
 * The sidebar's grouping of chats by when they were last active, in the viewer's own time zone:
 * Today, Yesterday, Previous 7 days (the seven days before yesterday), Older.
 */

export type ChatGroup = { label: 'Today' | 'Yesterday' | 'Previous 7 days' | 'Older'; chats: ChatSummary[] };

/** Local midnight `daysBack` days before `now`'s day (DST-safe: built from the calendar date). */
function startOfDay(now: Date, daysBack: number): number {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate() - daysBack).getTime();
}

/** The chats (newest first) in their groups, in that order; empty groups left out. */
export function groupChats(chats: readonly ChatSummary[], now: Date): ChatGroup[] {
  const bounds: Array<[ChatGroup['label'], number]> = [
    ['Today', startOfDay(now, 0)],
    ['Yesterday', startOfDay(now, 1)],
    ['Previous 7 days', startOfDay(now, 8)],
    ['Older', -Infinity],
  ];
  const groups = bounds.map(([label]): ChatGroup => ({ label, chats: [] }));
  for (const chat of chats) {
    const at = Date.parse(chat.updatedAt);
    const index = bounds.findIndex(([, start]) => at >= start);
    groups[index === -1 ? bounds.length - 1 : index]!.chats.push(chat);
  }
  return groups.filter((group) => group.chats.length > 0);
}

/**
 * The short time shown beside a chat's title, in the viewer's locale: the time of day for today and
 * yesterday, the weekday within the last week, else the date (with the year when it is not this one).
 */
export function shortChatTime(iso: string, now: Date, locale?: string): string {
  const at = new Date(iso);
  const time = at.getTime();
  if (time >= startOfDay(now, 1)) return at.toLocaleTimeString(locale, { timeStyle: 'short' });
  if (time >= startOfDay(now, 8)) return at.toLocaleDateString(locale, { weekday: 'short' });
  const sameYear = at.getFullYear() === now.getFullYear();
  return at.toLocaleDateString(locale, { day: 'numeric', month: 'short', ...(sameYear ? {} : { year: 'numeric' }) });
}

/** The full date and time, for a tooltip. */
export function fullChatTime(iso: string, locale?: string): string {
  return new Date(iso).toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' });
}
