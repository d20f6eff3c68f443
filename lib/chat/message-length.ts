/** The counter shows once a message holds this share of the limit. */
export const COUNTER_FROM_SHARE = 0.9;

export type MessageLength = {
  /** Characters the message will send: its text trimmed, counted as the server counts them. */
  length: number;
  max: number;
  /** Near the limit (or over it): the composer shows a counter. */
  showCounter: boolean;
  /** Over the limit: the server would refuse it, so the composer does not send it. */
  over: boolean;
  /** Characters over the limit (0 when within it). */
  excess: number;
};

/**
 * Where a draft stands against the longest message the server accepts (`MAESTRO_MAX_MESSAGE_CHARS`).
 * The composer sends the text trimmed and the server counts UTF-16 code units (`string.length`);
 * so does this.
 */
export function measureMessage(text: string, max: number): MessageLength {
  const length = text.trim().length;
  const over = length > max;
  return { length, max, showCounter: length >= max * COUNTER_FROM_SHARE, over, excess: over ? length - max : 0 };
}
