'use client';

import { useState } from 'react';
import { ToolIcon } from '@/components/ui/icons';
import { ToolsDialog } from '@/components/tools/tools-dialog';

/** Opens the Tools panel. */
export function ToolsButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        onClick={() => setOpen(true)}
        aria-haspopup="dialog"
        data-testid="tools-button"
        className="flex w-full items-center gap-2 rounded-lg px-3 py-2 text-sm hover:bg-accent"
      >
        <ToolIcon size={16} />
        Tools
      </button>
      <ToolsDialog open={open} onClose={() => setOpen(false)} />
    </>
  );
}
