'use client';

import { useEffect, useRef } from 'react';
import { CloseButton } from '@/components/ui/close-button';
import { Spinner } from '@/components/ui/spinner';
import { ToolGroup } from '@/components/tools/tool-group';
import { useToolCatalog } from '@/components/tools/use-tool-catalog';

type ToolsDialogProps = { open: boolean; onClose: () => void };

/**
 * The Tools panel: the built-in tools and each MCP server with its status and tools, each with its
 * policy. A modal `<dialog>`: focus moves in and stays there, Escape closes it, focus goes back.
 */
export function ToolsDialog({ open, onClose }: ToolsDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const { catalog, error, loading, reload } = useToolCatalog(open);

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) element.showModal();
    if (!open && element.open) element.close();
  }, [open]);

  const builtin = catalog?.tools.filter((tool) => tool.source === 'builtin') ?? [];
  return (
    <dialog
      ref={dialog}
      aria-labelledby="tools-dialog-title"
      data-testid="tools-dialog"
      onClose={onClose}
      onClick={(event) => {
        if (event.target === event.currentTarget) onClose();
      }}
      className="m-auto max-h-[85dvh] w-[min(40rem,calc(100vw-1.5rem))] rounded-xl border bg-background p-0 text-foreground shadow-xl backdrop:bg-black/40"
    >
      <div className="flex items-center gap-2 border-b px-4 py-3">
        <h2 id="tools-dialog-title" className="text-base font-semibold">
          Tools
        </h2>
        {loading && (
          <span className="flex items-center gap-1.5 text-xs text-muted-foreground" role="status">
            <Spinner className="size-3" /> Loading…
          </span>
        )}
        <button type="button" onClick={reload} className="ml-auto rounded-md px-2 py-1 text-xs hover:bg-accent">
          Refresh
        </button>
        <CloseButton label="Close tools" onClick={onClose} />
      </div>
      <div className="flex flex-col gap-3 overflow-y-auto p-4">
        {error && (
          <p role="alert" className="text-sm text-destructive">
            {error}
          </p>
        )}
        {catalog && (
          <>
            <ToolGroup title="Built-in" tools={builtin} />
            {catalog.servers.length === 0 ? (
              <p className="text-xs text-muted-foreground">No MCP servers are configured (mcp.json or MAESTRO_MCP_CONFIG).</p>
            ) : (
              catalog.servers.map((server) => (
                <ToolGroup
                  key={server.name}
                  title={server.name}
                  server={server}
                  tools={catalog.tools.filter((tool) => tool.source === `mcp:${server.name}`)}
                />
              ))
            )}
          </>
        )}
      </div>
    </dialog>
  );
}
