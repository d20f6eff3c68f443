import { Fragment } from 'react';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `text` with every occurrence of the query's words marked (ignoring case). */
export function HighlightedText({ text, query }: { text: string; query: string }) {
  const words = query.split(/\s+/).filter((word) => word !== '');
  if (words.length === 0) return text;
  // Longest first, so that a word inside another does not split its mark.
  const pattern = new RegExp(
    `(${words
      .sort((a, b) => b.length - a.length)
      .map(escapeRegExp)
      .join('|')})`,
    'giu',
  );
  // split() with one capturing group: the matches are at the odd indexes.
  return text.split(pattern).map((piece, index) =>
    index % 2 === 1 ? (
      <mark key={index} className="rounded-sm bg-yellow-200 px-px text-inherit dark:bg-yellow-400/30">
        {piece}
      </mark>
    ) : (
      <Fragment key={index}>{piece}</Fragment>
    ),
  );
}
