// The IPC channel names, shared by the main process and the preload. The renderer never sees
// them: it gets a typed ShelfmapClient from the preload.
export const IPC = {
  call: 'shelfmap:call',
  event: 'shelfmap:event',
  pickFolder: 'shelfmap:pick-folder',
  grantDropped: 'shelfmap:grant-dropped',
  openBook: 'shelfmap:open-book',
} as const;

/** What main returns for a call: errors travel as data (invoke would mangle a thrown one). */
export type IpcReply = { ok: true; result: unknown } | { ok: false; error: { kind: string; message: string } };
