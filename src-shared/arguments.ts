// One resolver per contract method: the single gate every argument passes, whichever door it
// came through (the engine's dispatcher calls resolveArgument before any method runs). Each
// resolver refuses unknown fields, wrong types and out-of-range values with a message that
// names the field, and returns the argument in the form the engine works with.
import type { ApiArg, ApiMethodName } from './contract';
import { absolutePath, describeValue, fieldName, invalid, isPlainObject, knownFields, nonEmptyText, oneOf, wholeNumber } from './check';
import type { LabelsSource } from './domain';
import { resolveSettings, type RunSettings } from './settings';

/** What the engine receives, once resolved: settings complete and checked, paths trimmed. */
export interface ResolvedArgs {
  startRun: { settings: RunSettings; folder?: string };
  /** `name` null: back to the automatic name. */
  renameCluster: { runId: number; cluster: number; name: string | null };
}

export type ResolvedArg<M extends ApiMethodName> = M extends keyof ResolvedArgs ? ResolvedArgs[M] : ApiArg<M>;

type Resolver<M extends ApiMethodName> = (raw: unknown) => ResolvedArg<M>;

const where = (method: ApiMethodName) => `The argument of ${method}`;

/** A method that takes no fields: {} (or nothing at all). */
const noFields =
  <M extends ApiMethodName>(method: M): Resolver<M> =>
  (raw) => {
    knownFields(raw ?? {}, where(method), []);
    return {} as ResolvedArg<M>;
  };

/** A run's or a book's number: a whole number from 1. */
const recordId = (value: unknown, name: string): number => wholeNumber(value, fieldName(name), 1, Number.MAX_SAFE_INTEGER);

function runIdOf(method: ApiMethodName, raw: unknown): { runId: number } {
  const arg = knownFields(raw, where(method), ['runId']);
  return { runId: recordId(arg.runId, 'runId') };
}

/** A labels table may be large (a catalogue of every Gutenberg book is about 10 MB). */
const MAX_LABELS_CSV = 64 * 1024 * 1024;

function labelsSource(raw: unknown): LabelsSource {
  if (!isPlainObject(raw)) invalid(`"labels" must be { "kind": "table", "csv": … } or { "kind": "subfolders" }.`);
  const kind = oneOf(raw.kind, fieldName('labels.kind'), ['table', 'subfolders'] as const);
  if (kind === 'subfolders') {
    knownFields(raw, fieldName('labels'), ['kind'], 'labels.');
    return { kind };
  }
  const table = knownFields(raw, fieldName('labels'), ['kind', 'csv', 'name', 'idColumn', 'labelColumn'], 'labels.');
  const optionalText = (name: string) => (table[name] === undefined ? {} : { [name]: nonEmptyText(table[name], fieldName(`labels.${name}`), 1000) });
  return {
    kind,
    csv: nonEmptyText(table.csv, fieldName('labels.csv'), MAX_LABELS_CSV),
    ...optionalText('name'),
    ...optionalText('idColumn'),
    ...optionalText('labelColumn'),
  };
}

/** The longest name a cluster may be given. */
export const MAX_CLUSTER_NAME = 80;

/** A cluster's new name, trimmed: 1..MAX_CLUSTER_NAME characters without control characters, or null for an empty one. */
function clusterName(value: unknown): string | null {
  if (typeof value !== 'string') invalid(`"name" must be a text (empty for the automatic name), not ${describeValue(value)}.`);
  const name = value.trim();
  if (name === '') return null;
  if (/[\p{Cc}\u2028\u2029]/u.test(name)) invalid('"name" must not hold control characters (tabs, line breaks and the like).');
  if ([...name].length > MAX_CLUSTER_NAME) invalid(`"name" is longer than ${MAX_CLUSTER_NAME} characters (it has ${[...name].length}).`);
  return name;
}

/** The most books one named group may hold. */
export const MAX_GROUP_BOOKS = 100_000;

/** A group's name, trimmed: 1..MAX_CLUSTER_NAME characters without control characters. */
function groupName(value: unknown): string {
  if (typeof value !== 'string') invalid(`"name" must be a text, not ${describeValue(value)}.`);
  const name = value.trim();
  if (name === '') invalid('"name" must not be empty: give the group a name.');
  if (/[\p{Cc}\u2028\u2029]/u.test(name)) invalid('"name" must not hold control characters (tabs, line breaks and the like).');
  if ([...name].length > MAX_CLUSTER_NAME) invalid(`"name" is longer than ${MAX_CLUSTER_NAME} characters (it has ${[...name].length}).`);
  return name;
}

/** A group's books: a non-empty list of book ids, each once (repeats dropped, order kept). */
function groupBooks(value: unknown): number[] {
  if (!Array.isArray(value)) invalid(`"bookIds" must be a list of book ids, not ${describeValue(value)}.`);
  if (value.length === 0) invalid('"bookIds" must hold at least one book id: a group needs books.');
  if (value.length > MAX_GROUP_BOOKS) invalid(`"bookIds" holds ${value.length} ids; a group holds at most ${MAX_GROUP_BOOKS}.`);
  return [...new Set(value.map((id, i) => recordId(id, `bookIds[${i}]`)))];
}

export const ARGUMENT_RESOLVERS: { [M in ApiMethodName]: Resolver<M> } = {
  addFolder: (raw) => {
    const arg = knownFields(raw, where('addFolder'), ['folder']);
    return { folder: absolutePath(arg.folder, fieldName('folder')) };
  },
  listBooks: noFields('listBooks'),
  listRejected: noFields('listRejected'),
  cancelImport: noFields('cancelImport'),
  startRun: (raw) => {
    const arg = knownFields(raw ?? {}, where('startRun'), ['settings', 'folder']);
    const settings = resolveSettings(arg.settings === undefined ? {} : arg.settings);
    return arg.folder === undefined ? { settings } : { settings, folder: absolutePath(arg.folder, fieldName('folder')) };
  },
  cancelRun: (raw) => runIdOf('cancelRun', raw),
  listRuns: noFields('listRuns'),
  getRun: (raw) => runIdOf('getRun', raw),
  exportCsv: (raw) => runIdOf('exportCsv', raw),
  exportJson: (raw) => runIdOf('exportJson', raw),
  listFolders: noFields('listFolders'),
  removeFolder: (raw) => {
    const arg = knownFields(raw, where('removeFolder'), ['folder']);
    return { folder: absolutePath(arg.folder, fieldName('folder')) };
  },
  removeBook: (raw) => {
    const arg = knownFields(raw, where('removeBook'), ['bookId']);
    return { bookId: recordId(arg.bookId, 'bookId') };
  },
  compareRuns: (raw) => {
    const arg = knownFields(raw, where('compareRuns'), ['runA', 'runB']);
    return {
      runA: recordId(arg.runA, 'runA'),
      runB: recordId(arg.runB, 'runB'),
    };
  },
  placeBooks: (raw) => {
    const arg = knownFields(raw, where('placeBooks'), ['runId', 'folder']);
    return { runId: recordId(arg.runId, 'runId'), folder: absolutePath(arg.folder, fieldName('folder')) };
  },
  cancelPlace: noFields('cancelPlace'),
  saveGroup: (raw) => {
    const arg = knownFields(raw, where('saveGroup'), ['runId', 'name', 'bookIds']);
    return { runId: recordId(arg.runId, 'runId'), name: groupName(arg.name), bookIds: groupBooks(arg.bookIds) };
  },
  listGroups: (raw) => runIdOf('listGroups', raw),
  exportFeatures: (raw) => {
    const arg = knownFields(raw, where('exportFeatures'), ['runId', 'out', 'format']);
    const format = arg.format === undefined ? 'parquet' : oneOf(arg.format, fieldName('format'), ['parquet'] as const);
    return { runId: recordId(arg.runId, 'runId'), out: absolutePath(arg.out, fieldName('out')), format };
  },
  importLabels: (raw) => {
    const arg = knownFields(raw, where('importLabels'), ['file', 'name']);
    const file = absolutePath(arg.file, fieldName('file'));
    return arg.name === undefined ? { file } : { file, name: nonEmptyText(arg.name, fieldName('name'), 200).trim() };
  },
  deleteGroup: (raw) => {
    const arg = knownFields(raw, where('deleteGroup'), ['groupId']);
    return { groupId: recordId(arg.groupId, 'groupId') };
  },
  bookDetails: (raw) => {
    const arg = knownFields(raw, where('bookDetails'), ['runId', 'bookId']);
    return { runId: recordId(arg.runId, 'runId'), bookId: recordId(arg.bookId, 'bookId') };
  },
  bookText: (raw) => {
    const arg = knownFields(raw, where('bookText'), ['bookId']);
    return { bookId: recordId(arg.bookId, 'bookId') };
  },
  evaluateRun: (raw) => {
    const arg = knownFields(raw, where('evaluateRun'), ['runId', 'labels']);
    return { runId: recordId(arg.runId, 'runId'), labels: labelsSource(arg.labels) };
  },
  renameCluster: (raw) => {
    const arg = knownFields(raw, where('renameCluster'), ['runId', 'cluster', 'name']);
    return {
      runId: recordId(arg.runId, 'runId'),
      cluster: wholeNumber(arg.cluster, fieldName('cluster'), 0, 100_000),
      name: clusterName(arg.name),
    };
  },
};

/** Resolves and checks a method's argument; throws ShelfmapError('invalid-argument'). */
export function resolveArgument<M extends ApiMethodName>(method: M, raw: unknown): ResolvedArg<M> {
  return (ARGUMENT_RESOLVERS[method] as Resolver<M>)(raw);
}
