'use client';

import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { ModelInfo } from '@/lib/models/registry';
import { groupModels } from '@/lib/models/model-groups';
import type { ProviderInfo } from '@/lib/models/providers';
import { navigationTarget, typeAheadTarget } from '@/components/ui/menu-navigation';
import { CheckIcon, ChevronRightIcon } from '@/components/ui/icons';
import { cn } from '@/components/ui/cn';

type ModelPickerProps = {
  models: readonly ModelInfo[];
  /** Every provider, in the order listed, with the variable that turns it on (from the server). */
  providers: readonly ProviderInfo[];
  value: string;
  onChange: (id: string) => void;
  disabled?: boolean;
};

/** Where focus goes once the menu has rendered. */
type FocusRequest = 'checked' | 'last' | 'first-provider' | 'add-toggle';

const ITEM = '[data-menu-item]';
const ITEM_CLASS =
  'flex w-full cursor-pointer items-center gap-2 rounded-md px-2.5 py-1.5 text-left text-sm hover:bg-accent focus:bg-accent focus-visible:outline-offset-[-2px]';
const GROUP_LABEL_CLASS = 'px-2.5 pt-2 pb-1 text-xs font-medium text-muted-foreground';

function menuItems(menu: HTMLElement | null): HTMLElement[] {
  return Array.from(menu?.querySelectorAll<HTMLElement>(ITEM) ?? []);
}

/**
 * Which model answers: a button that opens a menu (WAI-ARIA menu button). Available models come
 * first, by provider; providers that are not configured are folded under "Add a provider", each
 * with the variable that turns it on.
 */
export function ModelPicker({ models, providers, value, onChange, disabled }: ModelPickerProps) {
  const [open, setOpen] = useState(false);
  const [addOpen, setAddOpen] = useState(false);
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const focusRequest = useRef<FocusRequest | null>(null);
  const id = useId();
  const { available, addable } = groupModels(models, providers);
  const current = models.find((model) => model.id === value);

  // Focus moves into the menu (or within it) once the items it names are rendered.
  useEffect(() => {
    const request = focusRequest.current;
    focusRequest.current = null;
    if (!open || request === null) return;
    const all = menuItems(menuRef.current);
    const target =
      request === 'checked'
        ? (all.find((item) => item.getAttribute('aria-checked') === 'true') ?? all[0])
        : request === 'last'
          ? all.at(-1)
          : request === 'first-provider'
            ? all.find((item) => item.dataset.provider !== undefined)
            : all.find((item) => item.dataset.addToggle !== undefined);
    target?.focus();
  }, [open, addOpen]);

  // A press anywhere outside closes the menu (focus stays where the press put it).
  useEffect(() => {
    if (!open) return;
    const onPointerDown = (event: PointerEvent) => {
      if (rootRef.current?.contains(event.target as Node)) return;
      setOpen(false);
      setAddOpen(false);
    };
    document.addEventListener('pointerdown', onPointerDown);
    return () => document.removeEventListener('pointerdown', onPointerDown);
  }, [open]);

  function show(focus: FocusRequest) {
    focusRequest.current = focus;
    setAddOpen(false);
    setOpen(true);
  }

  function close(returnFocus: boolean) {
    setOpen(false);
    setAddOpen(false);
    if (returnFocus) buttonRef.current?.focus();
  }

  function pick(modelId: string) {
    if (modelId !== value) onChange(modelId);
    close(true);
  }

  function toggleProviders(expand = !addOpen, focus: FocusRequest = 'add-toggle') {
    focusRequest.current = focus;
    setAddOpen(expand);
  }

  function onButtonKeyDown(event: KeyboardEvent<HTMLButtonElement>) {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    event.preventDefault();
    show(event.key === 'ArrowUp' ? 'last' : 'checked');
  }

  function onMenuKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const all = menuItems(menuRef.current);
    const focused = event.target instanceof HTMLElement ? event.target.closest<HTMLElement>(ITEM) : null;
    const index = focused ? all.indexOf(focused) : -1;
    const move = navigationTarget(event.key, index, all.length);
    if (move !== null) {
      event.preventDefault();
      all[move]?.focus();
      return;
    }
    switch (event.key) {
      case 'Escape':
        event.preventDefault();
        close(true);
        return;
      case 'Tab':
        // Tab leaves the menu as if from the button: on to the next control, or back to the one before.
        buttonRef.current?.focus();
        close(false);
        return;
      case 'Enter':
      case ' ':
        event.preventDefault();
        focused?.click();
        return;
      case 'ArrowRight':
        if (focused?.dataset.addToggle !== undefined) {
          event.preventDefault();
          toggleProviders(true, 'first-provider');
        }
        return;
      case 'ArrowLeft':
        if (focused?.dataset.addToggle !== undefined || focused?.dataset.provider !== undefined) {
          event.preventDefault();
          toggleProviders(false);
        }
        return;
    }
    if (event.key.length === 1 && !event.ctrlKey && !event.metaKey && !event.altKey) {
      const match = typeAheadTarget(
        all.map((item) => item.dataset.label ?? ''),
        index,
        event.key,
      );
      if (match !== null) all[match]?.focus();
    }
  }

  const menuId = `${id}-menu`;
  const addGroupId = `${id}-add`;
  return (
    <div ref={rootRef} className="relative max-w-full">
      <button
        ref={buttonRef}
        type="button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        disabled={disabled}
        data-testid="model-picker"
        data-value={value}
        onClick={() => (open ? close(false) : show('checked'))}
        onKeyDown={onButtonKeyDown}
        className="flex max-w-full cursor-pointer items-center gap-1 rounded-lg py-1.5 pr-1.5 pl-2 text-sm text-foreground transition hover:bg-accent disabled:cursor-not-allowed disabled:opacity-60 aria-expanded:bg-accent"
      >
        <span className="sr-only">Model: </span>
        <span className="truncate">{current?.label ?? value}</span>
        <ChevronRightIcon
          size={14}
          className={cn('shrink-0 text-muted-foreground transition-transform', open ? '-rotate-90' : 'rotate-90')}
        />
      </button>
      {open && (
        <div
          ref={menuRef}
          id={menuId}
          role="menu"
          aria-label="Models"
          onKeyDown={onMenuKeyDown}
          className="absolute bottom-full left-0 z-40 mb-2 max-h-[min(28rem,70dvh)] w-80 max-w-[calc(100vw-2rem)] overflow-y-auto rounded-xl border bg-card p-1 text-card-foreground shadow-lg"
        >
          {available.map(({ provider, models: choices }) => (
            <div key={provider.id} role="group" aria-labelledby={`${id}-${provider.id}`}>
              <div id={`${id}-${provider.id}`} role="presentation" className={GROUP_LABEL_CLASS}>
                {provider.label}
              </div>
              {choices.map((model) => (
                <div
                  key={model.id}
                  role="menuitemradio"
                  aria-checked={model.id === value}
                  tabIndex={-1}
                  data-menu-item=""
                  data-label={model.label}
                  onClick={() => pick(model.id)}
                  className={ITEM_CLASS}
                >
                  <span className="min-w-0 flex-1 truncate">{model.label}</span>
                  <CheckIcon size={14} className={cn('shrink-0', model.id !== value && 'invisible')} />
                </div>
              ))}
            </div>
          ))}
          {addable.length > 0 && (
            <>
              <div role="separator" className="-mx-1 my-1 border-t" />
              <div
                role="menuitem"
                aria-expanded={addOpen}
                aria-controls={addOpen ? addGroupId : undefined}
                tabIndex={-1}
                data-menu-item=""
                data-add-toggle=""
                data-label="Add a provider"
                onClick={() => toggleProviders()}
                className={cn(ITEM_CLASS, 'text-muted-foreground hover:text-foreground focus:text-foreground')}
              >
                <span className="flex-1">Add a provider</span>
                <ChevronRightIcon size={14} className={cn('shrink-0 transition-transform', addOpen && 'rotate-90')} />
              </div>
              {addOpen && (
                <div id={addGroupId} role="group" aria-labelledby={`${addGroupId}-label`}>
                  <div id={`${addGroupId}-label`} role="presentation" className={cn(GROUP_LABEL_CLASS, 'font-normal')}>
                    Set a variable on the server and restart it:
                  </div>
                  {addable.map((provider) => (
                    <div
                      key={provider.id}
                      role="menuitem"
                      aria-disabled="true"
                      tabIndex={-1}
                      data-menu-item=""
                      data-provider={provider.id}
                      data-label={provider.label}
                      className={cn(ITEM_CLASS, 'cursor-default flex-col items-start gap-0.5')}
                    >
                      <span>{provider.label}</span>
                      <span className="sr-only"> — </span>
                      <code className="font-mono text-xs break-all text-muted-foreground">set {provider.env}</code>
                    </div>
                  ))}
                </div>
              )}
            </>
          )}
        </div>
      )}
    </div>
  );
}
