import { useEffect } from 'react';

/** Keeps the tab's title on `title` (as the page's metadata writes it), once there is one. */
export function useDocumentTitle(title: string | undefined): void {
  useEffect(() => {
    if (title) document.title = `${title} · Maestro`;
  }, [title]);
}
