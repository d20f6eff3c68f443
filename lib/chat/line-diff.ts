/** One line of a diff: kept, added or removed. */
export type DiffLine = { kind: 'same' | 'added' | 'removed'; text: string };

/** Above this many line pairs the diff is not worked out: everything old is removed, everything new added. */
const MAX_CELLS = 2_000_000;

const linesOf = (text: string): string[] => (text === '' ? [] : text.replace(/\r\n/g, '\n').replace(/\n$/, '').split('\n'));

/**
 * The line diff from `before` to `after` (a longest common subsequence), in order: what the card
 * shows before a file is overwritten. Pure, and bounded: a huge file gets the plain "all of it
 * changed" diff rather than a long wait.
 */
export function lineDiff(before: string, after: string): DiffLine[] {
  const a = linesOf(before);
  const b = linesOf(after);
  if (a.length * b.length > MAX_CELLS) {
    return [...a.map((text) => ({ kind: 'removed' as const, text })), ...b.map((text) => ({ kind: 'added' as const, text }))];
  }
  // common[i][j]: the longest common subsequence of a[i..] and b[j..], one row of width b.length + 1 per line of a.
  const width = b.length + 1;
  const common = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      common[i * width + j] =
        a[i] === b[j] ? common[(i + 1) * width + j + 1]! + 1 : Math.max(common[(i + 1) * width + j]!, common[i * width + j + 1]!);
    }
  }
  const diff: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      diff.push({ kind: 'same', text: a[i]! });
      i += 1;
      j += 1;
    } else if (common[(i + 1) * width + j]! >= common[i * width + j + 1]!) {
      diff.push({ kind: 'removed', text: a[i++]! });
    } else {
      diff.push({ kind: 'added', text: b[j++]! });
    }
  }
  while (i < a.length) diff.push({ kind: 'removed', text: a[i++]! });
  while (j < b.length) diff.push({ kind: 'added', text: b[j++]! });
  return diff;
}
