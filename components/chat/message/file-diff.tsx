'use client';

import { useMemo } from 'react';
import { lineDiff } from '@/lib/chat/line-diff';
import type { FilePreview } from '@/lib/tools/write-preview';
import { cn } from '@/components/ui/cn';

const MARK = { same: ' ', added: '+', removed: '−' } as const;
const MARK_LABEL = { same: '', added: 'added: ', removed: 'removed: ' } as const;

/** What a `write_file` call would do to its file: the new content of a new file, or the diff from what is there. */
export function FileDiff({ path, preview, content }: { path: string; preview: FilePreview | undefined; content: string }) {
  const lines = useMemo(() => lineDiff(preview?.previous ?? '', content), [preview?.previous, content]);
  const created = preview?.previous === null || preview === undefined;
  const changed = lines.filter((line) => line.kind !== 'same').length;
  return (
    <div data-testid="file-diff" className="border-t">
      <p className="px-3 py-1.5 text-xs text-muted-foreground">
        {preview?.error ? (
          <span className="text-destructive">{preview.error}</span>
        ) : created ? (
          <>
            New file <span className="font-mono text-foreground">{path}</span>
          </>
        ) : (
          <>
            Replaces <span className="font-mono text-foreground">{path}</span>: {changed} {changed === 1 ? 'line' : 'lines'} changed
            {preview?.truncated ? ' (compared with its beginning only)' : ''}
          </>
        )}
      </p>
      {/* Focusable: a long diff scrolls, and must scroll with the keyboard too. */}
      <pre
        tabIndex={0}
        aria-label={created ? 'Content of the new file' : 'Changes to the file'}
        className="max-h-72 overflow-auto bg-muted/40 py-2 font-mono text-xs whitespace-pre-wrap break-words"
      >
        {lines.map((line, index) => (
          <div
            key={index}
            data-kind={line.kind}
            className={cn(
              'px-3',
              !created && line.kind === 'added' && 'bg-success/15',
              !created && line.kind === 'removed' && 'bg-destructive/15',
            )}
          >
            {!created && (
              <span aria-hidden="true" className="mr-2 select-none text-muted-foreground">
                {MARK[line.kind]}
              </span>
            )}
            {!created && line.kind !== 'same' && <span className="sr-only">{MARK_LABEL[line.kind]}</span>}
            {line.text === '' ? '\u00a0' : line.text}
          </div>
        ))}
      </pre>
    </div>
  );
}
