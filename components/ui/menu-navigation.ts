/**
 * Where focus goes in a menu (WAI-ARIA menu pattern): arrows move and wrap, Home and End jump to
 * the ends, a printed character moves to the next item whose label starts with it.
 */

/** The index a navigation key moves to from `current` among `count` items; null for other keys. */
export function navigationTarget(key: string, current: number, count: number): number | null {
  if (count === 0) return null;
  switch (key) {
    case 'ArrowDown':
      return current < 0 ? 0 : (current + 1) % count;
    case 'ArrowUp':
      return current < 0 ? count - 1 : (current - 1 + count) % count;
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return null;
  }
}

/** The next item after `current` (wrapping) whose label starts with `char`, ignoring case; null when none. */
export function typeAheadTarget(labels: readonly string[], current: number, char: string): number | null {
  const wanted = char.toLocaleLowerCase();
  for (let step = 1; step <= labels.length; step += 1) {
    const index = (current + step + labels.length) % labels.length;
    if (labels[index]?.trimStart().toLocaleLowerCase().startsWith(wanted)) return index;
  }
  return null;
}
