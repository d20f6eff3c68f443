import { Block, type BlockProps } from 'streamdown';
import type { ComponentType } from 'react';

/*
 * An answer is rendered as several Streamdown containers (its settled chunks, then its live tail),
 * laid out as one flow (the containers are `display: contents`; a chunk's plain box lets margins
 * collapse through its edges). Streamdown takes the top margin off its
 * container's first child and the bottom margin off its last: that is right at the answer's start
 * and end, but not where two containers meet. An empty hidden element on each side of a seam takes
 * those rules instead, so the blocks there keep their margins, and they collapse as between any two
 * blocks (a hidden element makes no box).
 */

/** A settled block, then an empty hidden element: no block is its container's last child. */
export function SettledBlock(props: BlockProps) {
  return (
    <>
      <Block {...props} />
      <span hidden />
    </>
  );
}

/** The blocks of a container that follows another: the first one comes after an empty hidden element. */
function afterSeam(Inner: ComponentType<BlockProps>): ComponentType<BlockProps> {
  return function AfterSeam(props: BlockProps) {
    if (props.index !== 0) return <Inner {...props} />;
    return (
      <>
        <span hidden />
        <Inner {...props} />
      </>
    );
  };
}

/** A block of a settled chunk after the first one. */
export const LaterSettledBlock = afterSeam(SettledBlock);

/** A block of the tail after settled chunks. */
export const TailBlock = afterSeam(Block);
