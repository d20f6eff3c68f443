import { useEffect, useEffectEvent, type RefObject } from 'react';

/** Open things that Esc belongs to: while one is shown, Esc closes it and leaves the answer alone. */
const POPUPS = [
  'dialog[open]',
  '[role="dialog"]',
  '[role="alertdialog"]',
  '[role="menu"]',
  '[role="listbox"]',
  '[role="tooltip"]',
  '[aria-modal="true"]',
  '[aria-haspopup]:not([aria-haspopup="false"])[aria-expanded="true"]',
].join(', ');

/** Fields with an Esc of their own (cancel an edit, close a picker); the composer is not one. */
const OTHER_FIELDS = 'input, textarea, select, [contenteditable]:not([contenteditable="false"])';

function popupOpen(): boolean {
  return [...document.querySelectorAll(POPUPS)].some((element) => element.checkVisibility());
}

/** Whether an Escape press should stop the answer: from the composer or anywhere else on the page. */
function stopsAnswer(event: KeyboardEvent, composer: HTMLElement | null): boolean {
  if (event.key !== 'Escape' || event.defaultPrevented || event.isComposing || event.repeat) return false;
  const target = event.target instanceof Element ? event.target : null;
  if (target && target !== composer && target.closest(OTHER_FIELDS)) return false;
  return !popupOpen();
}

/**
 * While an answer is being written, Esc stops it: with the focus in the composer or anywhere on
 * the page, but not while a menu, dialog or tooltip is open (Esc closes that first) nor from
 * another text field.
 */
export function useEscapeToStop(active: boolean, stop: () => void, composer: RefObject<HTMLElement | null>): void {
  const onKeyDown = useEffectEvent((event: KeyboardEvent) => {
    if (!stopsAnswer(event, composer.current)) return;
    event.preventDefault();
    stop();
  });
  useEffect(() => {
    if (!active) return;
    // Bubbling, so that whatever handles Esc itself (and prevents its default) comes first.
    const listener = (event: KeyboardEvent) => onKeyDown(event);
    document.addEventListener('keydown', listener);
    return () => document.removeEventListener('keydown', listener);
  }, [active]);
}
