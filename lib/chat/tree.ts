import type { ChatMessage } from '@/lib/chat/types';

/** A message with its place in the chat's tree, as the API returns the active path. */
export type PathMessage = ChatMessage & {
  /** The message it answers or follows; null for a first message. */
  parentId: string | null;
  /** The ids of the messages with the same parent, in the order they were made, its own among them. */
  siblingIds: string[];
};

/** A message and its parent, the least a tree needs (the store's `MessageNode`). */
type Node = { message: { id: string }; parentId: string | null };

/**
 * The path from the first message down to `id`, first to last; empty when there is no such
 * message. A parent that is missing (never expected) ends the walk rather than looping.
 */
export function pathTo<T extends Node>(nodes: readonly T[], id: string): T[] {
  const byId = new Map(nodes.map((node) => [node.message.id, node]));
  const path: T[] = [];
  const seen = new Set<string>();
  for (let node = byId.get(id); node && !seen.has(node.message.id); node = node.parentId === null ? undefined : byId.get(node.parentId)) {
    seen.add(node.message.id);
    path.push(node);
  }
  return path.reverse();
}

/**
 * The newest message at or below `id`, where a switch to `id` ends. `nodes` are in creation order,
 * and a child is always made after its parent, so the newest message below is a leaf. Undefined
 * when there is no such message.
 */
export function newestLeafBelow(nodes: readonly Node[], id: string): string | undefined {
  if (!nodes.some((node) => node.message.id === id)) return undefined;
  const below = new Set([id]);
  let newest = id;
  for (const node of nodes) {
    if (node.parentId !== null && below.has(node.parentId)) {
      below.add(node.message.id);
      newest = node.message.id;
    }
  }
  return newest;
}

/** The path to `leafId` as the API returns it: each message with its parent and its siblings. */
export function pathWithSiblings(nodes: readonly (Node & { message: ChatMessage })[], leafId: string | null): PathMessage[] {
  if (leafId === null) return [];
  const children = new Map<string | null, string[]>();
  for (const node of nodes) {
    const list = children.get(node.parentId);
    if (list) list.push(node.message.id);
    else children.set(node.parentId, [node.message.id]);
  }
  return pathTo(nodes, leafId).map((node) => ({
    ...node.message,
    parentId: node.parentId,
    siblingIds: children.get(node.parentId) ?? [node.message.id],
  }));
}
