import { describe, expect, it } from 'vitest';
import { navigationTarget, typeAheadTarget } from '@/components/ui/menu-navigation';

describe('menu navigation', () => {
  it('moves with the arrows, wrapping at both ends, and jumps with Home and End', () => {
    expect(navigationTarget('ArrowDown', 0, 3)).toBe(1);
    expect(navigationTarget('ArrowDown', 2, 3)).toBe(0);
    expect(navigationTarget('ArrowUp', 0, 3)).toBe(2);
    expect(navigationTarget('ArrowUp', 2, 3)).toBe(1);
    expect(navigationTarget('Home', 2, 3)).toBe(0);
    expect(navigationTarget('End', 0, 3)).toBe(2);
    // From outside the items (nothing focused yet): down is the first, up the last.
    expect(navigationTarget('ArrowDown', -1, 3)).toBe(0);
    expect(navigationTarget('ArrowUp', -1, 3)).toBe(2);
    expect(navigationTarget('Enter', 0, 3)).toBeNull();
    expect(navigationTarget('ArrowDown', -1, 0)).toBeNull();
  });

  it('types ahead to the next item starting with the character, ignoring case, wrapping', () => {
    const labels = ['Maestro (offline)', 'GPT-5 mini', 'gpt-5', 'Gemini 2.5 Flash'];
    expect(typeAheadTarget(labels, 0, 'g')).toBe(1);
    expect(typeAheadTarget(labels, 1, 'G')).toBe(2);
    expect(typeAheadTarget(labels, 3, 'g')).toBe(1);
    expect(typeAheadTarget(labels, 1, 'm')).toBe(0);
    expect(typeAheadTarget(labels, -1, 'm')).toBe(0);
    expect(typeAheadTarget(labels, 0, 'x')).toBeNull();
  });
});
