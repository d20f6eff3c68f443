import { Block, type BlockProps } from 'streamdown';
import type { ComponentType } from 'react';

/*
 * An answer is several Streamdown containers laid out as one flow, and Streamdown strips the first child's top
 * and last child's bottom margin: an empty hidden element at each seam takes those rules, so blocks there keep theirs.
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
