'use client';

import {
  createContext,
  useContext,
  useEffect,
  useId,
  useRef,
  useState,
  type AnchorHTMLAttributes,
  type KeyboardEvent,
  type ReactNode,
} from 'react';
import { cn } from '@/components/ui/cn';

/**
 * A menu button whose actions (role `menu`) open in the top layer (Popover API), so no scroller clips them.
 * Arrows, Home and End move; Escape, Tab, an outside click, scroll or resize close it, focus back on the button.
 */

const GAP_PX = 4;
const MARGIN_PX = 8;

const CloseMenu = createContext<() => void>(() => undefined);

type MenuProps = {
  /** The button's accessible name, e.g. "Chat options". */
  label: string;
  /** What the button shows (an icon). */
  trigger: ReactNode;
  buttonClassName?: string;
  children: ReactNode;
};

function items(menu: HTMLElement): HTMLElement[] {
  return Array.from(menu.querySelectorAll<HTMLElement>('[role="menuitem"]'));
}

/** Puts the open menu below the button, right edges aligned, or above it when there is no room below. */
function place(menu: HTMLElement, button: HTMLElement): void {
  const anchor = button.getBoundingClientRect();
  const { offsetWidth: width, offsetHeight: height } = menu;
  const below = anchor.bottom + GAP_PX + height <= window.innerHeight - MARGIN_PX;
  menu.style.top = `${below ? anchor.bottom + GAP_PX : Math.max(MARGIN_PX, anchor.top - GAP_PX - height)}px`;
  menu.style.left = `${Math.max(MARGIN_PX, Math.min(anchor.right - width, window.innerWidth - width - MARGIN_PX))}px`;
}

export function Menu({ label, trigger, buttonClassName, children }: MenuProps) {
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  // A click on the button while the menu is open closes it (light dismiss): it must not reopen it.
  const openAtPointerDown = useRef(false);
  const menuId = useId();
  const [expanded, setExpanded] = useState(false);

  const isOpen = () => menuRef.current?.matches(':popover-open') ?? false;
  const close = () => {
    if (isOpen()) menuRef.current?.hidePopover();
  };

  function open() {
    const menu = menuRef.current;
    const button = buttonRef.current;
    if (!menu || !button) return;
    menu.showPopover();
    place(menu, button);
    items(menu)[0]?.focus();
  }

  // An open menu stays where it was put: anything that moves the button closes it.
  useEffect(() => {
    const menu = menuRef.current;
    if (!expanded || !menu) return;
    const closeOnMove = () => {
      if (menu.matches(':popover-open')) menu.hidePopover();
    };
    window.addEventListener('scroll', closeOnMove, true);
    window.addEventListener('resize', closeOnMove);
    return () => {
      window.removeEventListener('scroll', closeOnMove, true);
      window.removeEventListener('resize', closeOnMove);
    };
  }, [expanded]);

  function onToggle(event: { newState: string }) {
    setExpanded(event.newState === 'open');
    // Closed with focus inside (Escape, an item that did not move focus): back to the button.
    if (event.newState === 'closed' && (document.activeElement === document.body || menuRef.current?.contains(document.activeElement))) {
      buttonRef.current?.focus();
    }
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const menu = menuRef.current;
    if (!menu) return;
    const list = items(menu);
    const at = list.indexOf(document.activeElement as HTMLElement);
    const target = {
      ArrowDown: list[(at + 1) % list.length],
      ArrowUp: list[(at - 1 + list.length) % list.length],
      Home: list[0],
      End: list.at(-1),
    }[event.key];
    if (target) {
      event.preventDefault();
      target.focus();
    } else if (event.key === 'Tab') {
      event.preventDefault();
      close();
    }
  }

  return (
    <>
      <button
        ref={buttonRef}
        type="button"
        aria-label={label}
        title={label}
        aria-haspopup="menu"
        aria-expanded={expanded}
        aria-controls={menuId}
        onPointerDown={() => {
          openAtPointerDown.current = isOpen();
        }}
        onClick={() => {
          if (openAtPointerDown.current) openAtPointerDown.current = false;
          else if (!isOpen()) open();
        }}
        className={buttonClassName}
      >
        {trigger}
      </button>
      <div
        ref={menuRef}
        id={menuId}
        role="menu"
        aria-label={label}
        popover="auto"
        onToggle={onToggle}
        onKeyDown={onKeyDown}
        className="m-0 min-w-44 rounded-lg border bg-background p-1 text-sm text-foreground shadow-lg [inset:auto]"
      >
        <CloseMenu value={close}>{children}</CloseMenu>
      </div>
    </>
  );
}

const ITEM_CLASS =
  'flex w-full items-center gap-2.5 rounded-md px-2.5 py-1.5 text-left outline-none hover:bg-accent focus-visible:bg-accent focus-visible:outline-none';

type MenuItemProps = { icon: ReactNode; children: ReactNode; onSelect: () => void; destructive?: boolean };

/** An action of the menu; the menu closes first. */
export function MenuItem({ icon, children, onSelect, destructive = false }: MenuItemProps) {
  const close = useContext(CloseMenu);
  return (
    <button
      type="button"
      role="menuitem"
      tabIndex={-1}
      onClick={() => {
        close();
        onSelect();
      }}
      className={cn(ITEM_CLASS, destructive && 'text-destructive')}
    >
      {icon}
      {children}
    </button>
  );
}

type MenuLinkProps = { icon: ReactNode; children: ReactNode } & Pick<AnchorHTMLAttributes<HTMLAnchorElement>, 'href' | 'download'>;

/** A link of the menu (a download, say); the menu closes as it is followed. */
export function MenuLink({ icon, children, ...link }: MenuLinkProps) {
  const close = useContext(CloseMenu);
  return (
    <a {...link} role="menuitem" tabIndex={-1} onClick={close} className={ITEM_CLASS}>
      {icon}
      {children}
    </a>
  );
}
