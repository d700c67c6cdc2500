// The map's legend for whatever colours it: one entry per category (swatch, name, books) that
// shows or hides its books, a double-click (or its "Only" button) shows that one alone; more
// can be shown again one by one. Escape (on the map) or "Show all" brings every one back.
import { plural } from '../format';
import type { MapColouring } from '../map/colouring';

interface MapLegendProps {
  colouring: MapColouring;
  hidden: ReadonlySet<string>;
  onToggle(key: string): void;
  onIsolate(key: string): void;
  onShowAll(): void;
}

const TITLES = { cluster: 'Clusters', author: 'Authors', language: 'Languages', labels: 'Labels', placed: 'Books' } as const;

export function MapLegend({ colouring, hidden, onToggle, onIsolate, onShowAll }: MapLegendProps) {
  return (
    <section className="map-legend" aria-labelledby="map-legend-title" data-testid="map-legend">
      <div className="card-heading">
        <h3 id="map-legend-title">{TITLES[colouring.by]}</h3>
        {hidden.size > 0 && (
          <button type="button" className="link-button" onClick={onShowAll} data-testid="legend-show-all">
            Show all
          </button>
        )}
      </div>
      <p className="hint legend-hint">Click to show or hide; double-click, or Only, to show one alone.</p>
      <ul className="legend-list">
        {colouring.categories.map((category) => {
          const shown = !hidden.has(category.key);
          return (
            <li key={category.key} className="legend-row">
              <button
                type="button"
                className="legend-item"
                data-testid="legend-item"
                data-key={category.key}
                aria-pressed={shown}
                title={shown ? `Hide ${category.name}` : `Show ${category.name}`}
                onClick={() => onToggle(category.key)}
                onDoubleClick={() => onIsolate(category.key)}
              >
                <span className="swatch" style={{ backgroundColor: shown ? category.colour : 'transparent', borderColor: category.colour }} aria-hidden="true" />
                <span className="legend-name">{category.name}</span>
                <span className="legend-count" aria-label={plural(category.count, 'book')}>
                  {category.count}
                </span>
              </button>
              <button type="button" className="legend-only" data-testid="legend-only" aria-label={`Show only ${category.name}`} onClick={() => onIsolate(category.key)}>
                Only
              </button>
            </li>
          );
        })}
      </ul>
      {colouring.note && (
        <p className="hint" data-testid="legend-note">
          {colouring.note}
        </p>
      )}
    </section>
  );
}
