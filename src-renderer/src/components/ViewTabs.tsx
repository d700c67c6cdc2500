// The tabs over the middle of the window (the map, the library), as ARIA tabs: one tab stop,
// the arrow keys (and Home/End) move to the next tab and show it at once.
import { useRef, type KeyboardEvent } from 'react';

export interface ViewTab<T extends string> {
  id: T;
  label: string;
}

interface ViewTabsProps<T extends string> {
  tabs: readonly ViewTab<T>[];
  selected: T;
  onSelect(id: T): void;
  /** The id of each tab's panel is `${idPrefix}-panel-${tab.id}`, its tab's `${idPrefix}-tab-${tab.id}`. */
  idPrefix: string;
  label: string;
}

export function tabId(prefix: string, id: string): string {
  return `${prefix}-tab-${id}`;
}

export function panelId(prefix: string, id: string): string {
  return `${prefix}-panel-${id}`;
}

export function ViewTabs<T extends string>({ tabs, selected, onSelect, idPrefix, label }: ViewTabsProps<T>) {
  const refs = useRef(new Map<T, HTMLButtonElement>());

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const index = tabs.findIndex((t) => t.id === selected);
    let next = -1;
    if (event.key === 'ArrowRight' || event.key === 'ArrowDown') next = (index + 1) % tabs.length;
    else if (event.key === 'ArrowLeft' || event.key === 'ArrowUp') next = (index - 1 + tabs.length) % tabs.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = tabs.length - 1;
    if (next < 0) return;
    event.preventDefault();
    onSelect(tabs[next].id);
    refs.current.get(tabs[next].id)?.focus();
  }

  return (
    <div className="view-tabs" role="tablist" aria-label={label} onKeyDown={onKeyDown}>
      {tabs.map((tab) => (
        <button
          key={tab.id}
          ref={(element) => {
            if (element) refs.current.set(tab.id, element);
            else refs.current.delete(tab.id);
          }}
          type="button"
          role="tab"
          id={tabId(idPrefix, tab.id)}
          aria-selected={tab.id === selected}
          aria-controls={panelId(idPrefix, tab.id)}
          tabIndex={tab.id === selected ? 0 : -1}
          className="view-tab"
          data-testid={`tab-${tab.id}`}
          onClick={() => onSelect(tab.id)}
        >
          {tab.label}
        </button>
      ))}
    </div>
  );
}
