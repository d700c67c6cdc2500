// The preload exposes the contract and nothing else: no ipcRenderer, no Node.
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import type { ApiEventName, EventListener, ShelfmapClient } from '../../src-shared/contract';
import { isApiMethod } from '../../src-shared/contract';
import { ShelfmapError, type ErrorKind } from '../../src-shared/errors';
import { IPC, type IpcReply } from './ipc-channels';

const client: ShelfmapClient = {
  async call(method, arg) {
    if (!isApiMethod(method)) throw new ShelfmapError('invalid-argument', `Unknown method "${String(method)}".`);
    const reply = (await ipcRenderer.invoke(IPC.call, method, arg)) as IpcReply;
    if (!reply.ok) throw new ShelfmapError(reply.error.kind as ErrorKind, reply.error.message);
    return reply.result as never;
  },
  subscribe(listener: EventListener) {
    const relay = (_event: Electron.IpcRendererEvent, name: ApiEventName, payload: unknown) =>
      listener(name, payload as never);
    ipcRenderer.on(IPC.event, relay);
    return () => {
      ipcRenderer.removeListener(IPC.event, relay);
    };
  },
};

const desktop = {
  /** The OS folder dialog; the chosen folder is granted to this window. */
  pickFolder: (): Promise<string | null> => ipcRenderer.invoke(IPC.pickFolder) as Promise<string | null>,
  /** The real path of a dropped file or folder ("" for anything not on disk), granted to this window. */
  pathForFile(file: File): string {
    const path = webUtils.getPathForFile(file);
    if (path) ipcRenderer.send(IPC.grantDropped, path);
    return path;
  },
  /** Opens a book of the library (by id: no other path can be named) with the system's viewer; what went wrong, or null. */
  openBook: (bookId: number): Promise<string | null> => ipcRenderer.invoke(IPC.openBook, bookId) as Promise<string | null>,
};

contextBridge.exposeInMainWorld('shelfmap', { ...client, desktop });
