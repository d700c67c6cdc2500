// The desktop door: a thin Electron shell. The engine runs in a worker thread; this process
// only opens the window and relays the contract between the renderer and the engine.
import { app, BrowserWindow, dialog, ipcMain, session, shell } from 'electron';
import type { IpcMainInvokeEvent, WebContents } from 'electron';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isApiMethod, type ApiMethodName } from '../../src-shared/contract';
import { serializeError, ShelfmapError } from '../../src-shared/errors';
import { CONTENT_SECURITY_POLICY } from '../../src-shared/security';
import { startEngineWorker, workerBeside, type EngineWorker } from '../engine/worker-client';
import { IPC, type IpcReply } from './ipc-channels';

app.setName('Shelfmap');
const here = dirname(fileURLToPath(import.meta.url));
const rendererUrl = process.env.ELECTRON_RENDERER_URL ?? pathToFileURL(join(here, '..', 'renderer', 'index.html')).href;



let window: BrowserWindow | null = null;
let quitting = false;
/** Folders the user chose in the dialog or dropped: the only paths the renderer may add. */
const grantedFolders = new Set<string>();

function isGranted(folder: string): boolean {
  const wanted = resolve(folder);
  for (const granted of grantedFolders) {
    if (wanted === granted || wanted.startsWith(granted + sep)) return true;
  }
  return false;
}

function fromOurWindow(sender: WebContents, frameUrl: string | undefined): boolean {
  return window !== null && sender === window.webContents && (frameUrl ?? '').startsWith(rendererUrl.split('#')[0].replace(/index\.html$/, ''));
}

function checkPaths(method: ApiMethodName, arg: unknown): void {
  if (method !== 'addFolder' && method !== 'startRun') return;
  const folder = (arg as { folder?: unknown } | null)?.folder;
  if (folder === undefined && method === 'startRun') return;
  if (typeof folder !== 'string' || !isGranted(folder)) {
    throw new ShelfmapError('invalid-argument', 'Choose the folder with "Choose folder…" or drop it on the window.');
  }
}

function relayCalls(engine: EngineWorker): void {
  ipcMain.handle(IPC.call, async (event: IpcMainInvokeEvent, method: unknown, arg: unknown): Promise<IpcReply> => {
    try {
      if (!fromOurWindow(event.sender, event.senderFrame?.url)) throw new ShelfmapError('invalid-argument', 'Unknown sender.');
      if (!isApiMethod(method)) throw new ShelfmapError('invalid-argument', `Unknown method "${String(method)}".`);
      checkPaths(method, arg);
      return { ok: true, result: await engine.call(method, (arg ?? {}) as never) };
    } catch (error) {
      return { ok: false, error: serializeError(error) };
    }
  });
  ipcMain.handle(IPC.pickFolder, async (event) => {
    if (!fromOurWindow(event.sender, event.senderFrame?.url) || !window) return null;
    const choice = await dialog.showOpenDialog(window, { title: 'Choose a folder of books', properties: ['openDirectory'] });
    if (choice.canceled || choice.filePaths.length === 0) return null;
    grantedFolders.add(resolve(choice.filePaths[0]));
    return choice.filePaths[0];
  });
  ipcMain.on(IPC.grantDropped, (event, path: unknown) => {
    if (fromOurWindow(event.sender, event.senderFrame?.url) && typeof path === 'string' && path) grantedFolders.add(resolve(path));
  });
  engine.subscribe((name, payload) => window?.webContents.send(IPC.event, name, payload));
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 860,
    minWidth: 900,
    minHeight: 600,
    title: 'Shelfmap',
    show: false,
    webPreferences: {
      preload: join(here, '..', 'preload', 'index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  });
  win.once('ready-to-show', () => win.show());
  // nothing navigates away from the app; links open in the system browser
  win.webContents.on('will-navigate', (event, url) => {
    if (url !== win.webContents.getURL()) event.preventDefault();
  });
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  void win.loadURL(rendererUrl);
  return win;
}

async function start(): Promise<void> {
  await app.whenReady();
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  let engine: EngineWorker;
  try {
    engine = await startEngineWorker({
      dbPath: process.env.SHELFMAP_DB ?? join(app.getPath('userData'), 'library.sqlite'),
      sqliteBinding: process.env.SHELFMAP_SQLITE_BINDING,
      workerFile: workerBeside(import.meta.url),
    });
  } catch (error) {
    dialog.showErrorBox('Shelfmap cannot start', serializeError(error).message);
    app.exit(1);
    return;
  }
  void engine.stopped.then((reason) => {
    if (quitting || !window) return;
    dialog.showErrorBox('Shelfmap stopped', `${reason.message}\nYour library is kept; open Shelfmap again to go on.`);
    app.exit(1);
  });
  relayCalls(engine);
  window = createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) window = createWindow();
  });
  app.on('window-all-closed', () => {
    quitting = true;
    void engine.close().then(() => app.quit());
  });
}

void start();
