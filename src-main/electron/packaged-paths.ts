// Paths inside an installed package, shared by the packaging config (electron-builder.ts) and
// the main process that looks for them.

/** better-sqlite3 built for Electron, relative to the package's resources folder (outside app.asar). */
export const PACKAGED_SQLITE_BINDING = 'native/better_sqlite3.node';
