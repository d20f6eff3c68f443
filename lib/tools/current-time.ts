import { tool } from 'ai';
import { z } from 'zod';
import { toolInput } from '@/lib/tools/input-schema';

export type CurrentTimeOutput = {
  /** The canonical IANA name, e.g. "Asia/Tokyo". */
  timeZone: string;
  /** Local time in that zone with its UTC offset, e.g. "2026-11-25T21:04:05+09:00". */
  iso: string;
  /** Human readable, e.g. "Wednesday, 25 November 2026, 21:04:05 GMT+9". */
  formatted: string;
};

function formatterFor(timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  try {
    return new Intl.DateTimeFormat('en-GB', { ...options, timeZone });
  } catch {
    throw new Error(`Unknown time zone "${timeZone}". Use an IANA time zone name such as "UTC", "Europe/London" or "Asia/Tokyo".`);
  }
}

function partsOf(formatter: Intl.DateTimeFormat, date: Date): Map<string, string> {
  return new Map(formatter.formatToParts(date).map((part) => [part.type, part.value]));
}

/** The time `now` in `timeZone` (IANA); throws a clear Error for an unknown zone. */
export function currentTime(timeZone = 'UTC', now: Date = new Date()): CurrentTimeOutput {
  const requested = timeZone.trim() || 'UTC';
  if (requested.length > 64) throw new Error('The time zone name is too long.');

  const human = formatterFor(requested, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  });
  const canonical = human.resolvedOptions().timeZone;
  const h = partsOf(human, now);
  const formatted = `${h.get('weekday')}, ${h.get('day')} ${h.get('month')} ${h.get('year')}, ${h.get('hour')}:${h.get('minute')}:${h.get('second')} ${h.get('timeZoneName')}`;

  const numeric = partsOf(
    formatterFor(canonical, {
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'longOffset',
    }),
    now,
  );
  // longOffset is "GMT+09:00", "GMT-05:00", or plain "GMT" for UTC itself.
  const offset = (numeric.get('timeZoneName') ?? 'GMT').replace('GMT', '') || '+00:00';
  const iso = `${numeric.get('year')}-${numeric.get('month')}-${numeric.get('day')}T${numeric.get('hour')}:${numeric.get('minute')}:${numeric.get('second')}${offset}`;

  return { timeZone: canonical, iso, formatted };
}

export const current_time = tool({
  description:
    'Get the current date and time in a time zone. Use it whenever the user asks what time or date ' +
    'it is (anywhere); never guess the time. Pass an IANA time zone name, e.g. "Asia/Tokyo" for Tokyo, ' +
    '"America/New_York" for New York, "Europe/London" for London; the default is "UTC".',
  inputSchema: toolInput(
    z.object({
      timeZone: z.string().max(64).optional().describe('IANA time zone name such as "Europe/Paris" or "UTC". Defaults to "UTC".'),
    }),
  ),
  execute: ({ timeZone }): CurrentTimeOutput => currentTime(timeZone ?? 'UTC'),
});
