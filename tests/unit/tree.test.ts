import { describe, expect, it } from 'vitest';
import { newestLeafBelow, pathTo, pathWithSiblings } from '@/lib/chat/tree';
import type { ChatMessage } from '@/lib/chat/types';

const node = (id: string, parentId: string | null, role: ChatMessage['role'] = 'user') => ({
  message: { id, role, parts: [{ type: 'text' as const, text: id }] } satisfies ChatMessage,
  parentId,
});

// u1 → a1 → u2 → a2; u2 edited as u2b → a2b, answered again as a2c; u1 edited as u1b.
const tree = [
  node('u1', null),
  node('a1', 'u1', 'assistant'),
  node('u2', 'a1'),
  node('a2', 'u2', 'assistant'),
  node('u2b', 'a1'),
  node('a2b', 'u2b', 'assistant'),
  node('a2c', 'u2b', 'assistant'),
  node('u1b', null),
];

describe('conversation tree', () => {
  it('pathTo walks from the first message down to the given one', () => {
    expect(pathTo(tree, 'a2b').map((n) => n.message.id)).toEqual(['u1', 'a1', 'u2b', 'a2b']);
    expect(pathTo(tree, 'u1b').map((n) => n.message.id)).toEqual(['u1b']);
    expect(pathTo(tree, 'nope')).toEqual([]);
  });

  it('pathTo stops at a missing parent or a cycle instead of looping', () => {
    expect(pathTo([node('x', 'gone')], 'x').map((n) => n.message.id)).toEqual(['x']);
    expect(pathTo([node('p', 'q'), node('q', 'p')], 'p').map((n) => n.message.id)).toEqual(['q', 'p']);
  });

  it('newestLeafBelow ends a switch at the newest message of the branch', () => {
    expect(newestLeafBelow(tree, 'u2b')).toBe('a2c');
    expect(newestLeafBelow(tree, 'u2')).toBe('a2');
    expect(newestLeafBelow(tree, 'a1')).toBe('a2c');
    expect(newestLeafBelow(tree, 'u1')).toBe('a2c');
    expect(newestLeafBelow(tree, 'a2b')).toBe('a2b');
    expect(newestLeafBelow(tree, 'u1b')).toBe('u1b');
    expect(newestLeafBelow(tree, 'nope')).toBeUndefined();
  });

  it('pathWithSiblings gives each message its parent and its siblings in creation order', () => {
    const path = pathWithSiblings(tree, 'a2c');
    expect(path.map((m) => [m.id, m.parentId, m.siblingIds])).toEqual([
      ['u1', null, ['u1', 'u1b']],
      ['a1', 'u1', ['a1']],
      ['u2b', 'a1', ['u2', 'u2b']],
      ['a2c', 'u2b', ['a2b', 'a2c']],
    ]);
    expect(path[3]?.parts).toEqual([{ type: 'text', text: 'a2c' }]);
    expect(pathWithSiblings(tree, null)).toEqual([]);
  });
});
