import { libraryCountText } from '../format';

export function Header({ bookCount, importing }: { bookCount: number | null; importing: boolean }) {
  return (
    <header className="app-header">
      <div className="brand">
        <svg className="brand-mark" viewBox="0 0 32 32" aria-hidden="true">
          <rect x="3" y="6" width="5" height="20" rx="1.5" fill="#4e79a7" />
          <rect x="10" y="3" width="5" height="23" rx="1.5" fill="#f28e2b" />
          <rect x="17" y="8" width="5" height="18" rx="1.5" fill="#59a14f" />
          <rect x="23.5" y="5" width="5" height="21" rx="1.5" fill="#b07aa1" transform="rotate(8 26 15.5)" />
          <rect x="2" y="27" width="28" height="2" rx="1" fill="#1d232b" />
        </svg>
        <h1>Shelfmap</h1>
      </div>
      <p className="book-count" data-testid="book-count" data-count={bookCount ?? ''}>
        {libraryCountText(bookCount, importing)}
      </p>
    </header>
  );
}
