// What the Electron preload exposes on window (contextBridge). In a browser served by
// `shelfmap serve` it is absent and src/bridge.ts builds an HTTP client instead.
import type { ShelfmapClient } from '../../src-shared/contract';

declare global {
  interface ShelfmapDesktopApi {
    /** Opens the OS folder dialog; null when the person cancels. */
    pickFolder(): Promise<string | null>;
    /** The real path of a dropped file or folder (webUtils.getPathForFile). */
    pathForFile(file: File): string;
    /** Opens a book of the library with the system's viewer; what went wrong, or null. */
    openBook?(bookId: number): Promise<string | null>;
  }

  interface Window {
    shelfmap?: ShelfmapClient & { desktop: ShelfmapDesktopApi };
  }
}

export {};
