import { Block, type BlockProps } from 'streamdown';

/*
 * An answer is rendered as two Streamdown containers, its settled blocks and its live tail, laid
 * out as one flow (both are `display: contents`). Streamdown takes the top margin off its
 * container's first child and the bottom margin off its last: that is right at the answer's start
 * and end, but not where the two containers meet. An empty hidden element on each side of the seam
 * takes those rules instead, so the blocks there keep their margins, and they collapse as between
 * any two blocks (a hidden element makes no box).
 */

/** A settled block, then an empty hidden element: no block is the settled container's last child. */
export function SettledBlock(props: BlockProps) {
  return (
    <>
      <Block {...props} />
      <span hidden />
    </>
  );
}

/** A block of the tail after a settled part: the first one comes after an empty hidden element. */
export function TailBlock(props: BlockProps) {
  if (props.index !== 0) return <Block {...props} />;
  return (
    <>
      <span hidden />
      <Block {...props} />
    </>
  );
}
