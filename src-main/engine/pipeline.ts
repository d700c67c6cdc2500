// One run over the library: features -> embeddings -> clusters -> layout -> save. Stages report
// progress as events, check for a cancel between units of work, and their times are recorded
// with the run.
import type { Book, BookPoint, ClusterInfo, StageName, BackendName } from '../../src-shared/domain';
import { DEFAULT_SETTINGS, modelMemoryProblem, type FeatureSettings, type RunSettings } from '../../src-shared/settings';
import { ShelfmapError } from '../../src-shared/errors';
import type { EmitEvent } from './events';
import { checkpoint } from './cancel';
import { folderPrefix, type Store } from './store/store';
import { csrRowViews, l2NormalizeRows } from './features';
import { fitTransformTfidfFromStored } from './features/parallel';
import { decodeBookTerms, documentKey, encodeWindowTerms } from './features/sample';
import { bookWindows, bookWindowsIfReadable, rereadNotice, samplesKey } from './book-text';
import { plural } from '../../src-shared/plural';
import type { CsrRows, SparseVector, TermCounts, TfidfOptions } from './features';
import { selectBackend, embedBooks, embeddingsToRows, lsaBookEmbeddings, refineClusters, refinementStart } from './embed';
import { kmeansBestAsync, consensusOfViewsAsync, CONSENSUS_MAX_POINTS, CONSENSUS_SAMPLE_POINTS, type KMeansBestResult, clusterLabel, nameWorthy } from './cluster';
import { startLayoutWorker, type LayoutJob } from './cluster/layout';
import { classTfidfTermsFrom } from './cluster/terms';
import { carriedNames } from './cluster/carry';
import { carriedColours } from './cluster/colours';
import { countBookWords, namingSourceOfTexts, readNamingTexts, type BookWords } from './features/phrases';
import { clusterCentres } from './cluster/centres';
import { sweepK } from './cluster/k-sweep';
import { tfidfOptionsFor } from './features/options';

export interface LibraryFeatures {
  /** TF-IDF rows: one per book, or one per sample of each book in turn (views into `csr`). */
  rows: SparseVector[];
  /** The same rows as three typed arrays. */
  csr: CsrRows;
  /** The book (index into the books given) each row belongs to. */
  bookOfRow: Int32Array;
  vocabulary: string[];
  idf: Float64Array;
  options: TfidfOptions;
}

export interface PipelineContext {
  store: Store;
  runId: number;
  settings: RunSettings;
  books: Book[];
  signal: AbortSignal;
  emit: EmitEvent;
}

/**
 * Books in the library whose files were there at the last scan (missing ones stay out of runs
 * until they return), or only those under `folder` when one is given.
 */
export function booksInScope(store: Store, folder?: string): Book[] {
  const books = store.listBooks().filter((b) => b.status === 'present');
  if (!folder) return books;
  const prefix = folderPrefix(folder);
  return books.filter((b) => b.path.startsWith(prefix));
}

export async function runPipeline(ctx: PipelineContext): Promise<void> {
  const { store, runId, settings, books, signal, emit } = ctx;
  if (books.length === 0) throw new ShelfmapError('no-books', 'There are no books to cluster: add a folder of .txt books first.');
  const timings: Partial<Record<StageName, number>> = {};
  let backend: BackendName | '' = '';
  const progress = (stage: StageName, done: number, total: number, message: string) =>
    emit('progress', { runId, stage, done, total, message });
  const timed = async <T>(stage: StageName, work: () => Promise<T>): Promise<T> => {
    const start = performance.now();
    const result = await work();
    timings[stage] = Math.round(performance.now() - start);
    store.updateRunProgress(runId, backend, timings);
    return result;
  };

  // the TF-IDF rows are most of a large library's memory: held only until the network's input is made from them
  let features: LibraryFeatures | null = await timed('features', () =>
    libraryFeatures(store, books, settings.features, signal, (done, total, message) => progress('features', done, total, message)),
  );
  const { vocabulary, idf, options: featureOptions, bookOfRow } = features;
  const rowCount = features.rows.length;

  const trained = await timed('embed', async () => {
    if (settings.embedding === 'lsa') {
      // no network: nothing to train, so no TensorFlow.js backend is loaded (the run's backend stays "")
      progress('embed', 0, 1, `LSA ${settings.lsaComponents} of the rows, no network`);
      store.setBackendDetail(runId, 'no network ("embedding": "lsa"), nothing to train');
      const result = lsaBookEmbeddings({ rows: features!.rows, bookOfRow, dim: vocabulary.length, books: books.length }, settings.lsaComponents, { seed: settings.seed, releaseRows: true });
      features = null;
      progress('embed', 1, 1, result.stopped.message);
      return { ...result, tf: undefined };
    }
    progress('embed', 0, settings.autoencoder.epochs, 'Loading TensorFlow.js');
    const selected = await selectBackend(settings.backend);
    backend = selected.name;
    const detail = [selected.detail, ...selected.tried.map((t) => `${t.name} unavailable: ${t.error}`)].join('; ');
    store.setBackendDetail(runId, detail);
    // the resolver checked forced backends; auto's choice is known only now
    const tooLarge = modelMemoryProblem({ features: { ...settings.features, maxFeatures: vocabulary.length }, autoencoder: settings.autoencoder }, selected.name, rowCount);
    if (tooLarge) throw new ShelfmapError('invalid-argument', tooLarge);
    progress('embed', 0, settings.autoencoder.epochs, `Backend ${selected.name} (${detail})`);
    const embedInput = { rows: features!.rows, bookOfRow, dim: vocabulary.length, books: books.length };
    // from here only embedInput holds the rows (and embedBooks empties them): not features.csr too
    features = null;
    const result = await embedBooks(selected.tf, embedInput, settings.autoencoder, {
      seed: settings.seed,
      signal,
      releaseRows: true,
      // self-labelling needs a fixed k: the resolver refuses it with "auto"
      cluster: async (points) => (await clusterBooks([points], settings, fixedK(settings), signal)).labels,
      onEpoch: (e) => {
        store.saveEpoch(runId, e);
        emit('epoch', { runId, ...e });
        progress('embed', e.epoch, e.epochs, `Epoch ${e.epoch}/${e.epochs}, loss ${e.loss.toPrecision(4)}`);
      },
    });
    progress('embed', result.losses.length, result.losses.length, result.stopped.message);
    return { ...result, tf: selected.tf };
  });

  // the map needs only the embedding: it is laid out in a worker thread of its own (the other
  // core) from the moment the embedding is known, while this thread clusters and names
  let layout: LayoutJob | null = null;
  const startLayout = (points: number[][]) => (layout = startLayoutWorker(points, { seed: settings.seed, signal }));
  try {
    let embedding = trained.books;
    if (!settings.refine.enabled) startLayout(embedding);
    const clustered = await timed('cluster', async () => {
      const k = settings.k === 'auto' ? await chooseK(ctx, trained.views[0], progress) : settings.k;
      const consensus = settings.consensusRuns > 0;
      const sampled = embedding.length > CONSENSUS_MAX_POINTS ? ` on a sample of ${CONSENSUS_SAMPLE_POINTS.toLocaleString('en')} books` : '';
      progress('cluster', 0, 1, consensus ? `Consensus of ${settings.consensusRuns} K-means runs${sampled}, k = ${k}` : `K-means, k = ${k}`);
      const best = await clusterBooks(trained.views, settings, k, signal);
      progress('cluster', 1, 1, best.note ?? `${best.centroids.length} clusters`);
      return best;
    });
    let labels = clustered.labels;

    await timed('refine', async () => {
      if (!settings.refine.enabled) {
        progress('refine', 1, 1, 'Refinement off');
        return;
      }
      progress('refine', 0, settings.refine.epochs, 'Refining clusters (DEC)');
      // the resolver refuses refinement without a network ("embedding": "lsa")
      if (!trained.tf) throw new ShelfmapError('internal', 'Refinement needs the trained network.');
      // with samples as rows, DEC refines one mean row per book, from centroids in that space
      const start =
        rowCount === books.length
          ? { input: trained.input, centroids: clustered.centroids }
          : await refinementStart(trained.tf, trained, { bookOfRow, books: books.length }, labels, settings.normalizeEmbeddings);
      const refined = await refineClusters(
        trained.tf,
        trained.model,
        start.input,
        books.length,
        trained.inputWidth,
        start.centroids,
        settings.refine,
        {
          seed: settings.seed,
          signal,
          // the centroids came from unit-length embeddings when K-means saw those
          normalize: settings.normalizeEmbeddings,
          batchSize: settings.autoencoder.batchSize,
          onEpoch: (e) => progress('refine', e.epoch, e.epochs, `Epoch ${e.epoch}/${e.epochs}, ${e.changed} books moved`),
        },
      );
      labels = refined.labels;
      embedding = embeddingsToRows(refined.embeddings, books.length, refined.dim);
    });
    // refinement moved the embedding: the map is of the refined one
    if (!layout) startLayout(embedding);

    const k = Math.max(...labels) + 1;
    // in the space the clusters were found in: unit length when K-means saw unit-length embeddings
    const centres = clusterCentres(settings.normalizeEmbeddings ? l2NormalizeRows(embedding) : embedding, labels, k);
    // naming reads every book's kept samples again (seconds on a large library): its time counts
    // with the cluster stage's, so a run's stage times add up to the run
    progress('cluster', 1, 1, 'Naming the clusters');
    await checkpoint(signal);
    const namingStart = performance.now();
    const infos = nameClusters(store, books, settings, labels, k, (message) => progress('cluster', 1, 1, message)).map((info) => ({
      ...info,
      representatives: centres.representatives[info.id].map((i) => books[i].id),
    }));
    timings.cluster = (timings.cluster ?? 0) + Math.round(performance.now() - namingStart);
    store.updateRunProgress(runId, backend, timings);

    // layout's time is the worker's own, start to finish, though it overlapped the cluster stage
    // (and refinement's end): the stages' times add up to more than the run's wall time by the
    // overlap; the wait for the map here is what it still added to the run
    progress('layout', 0, 1, 'Laying out the map');
    const waitStart = performance.now();
    const laidOut = await layout!.result;
    const waited = performance.now() - waitStart;
    timings.layout = Math.round(laidOut.ms);
    store.updateRunProgress(runId, backend, timings);
    progress('layout', 1, 1, `Map laid out in ${(laidOut.ms / 1000).toFixed(1)} s beside the clustering; waited ${(waited / 1000).toFixed(1)} s for it`);
    const coordinates = laidOut.xy;

    await checkpoint(signal);
    await timed('save', async () => {
      const points = bookPoints(books, labels, coordinates, centres.distances);
      const { topology, weights } = await trained.model.serialize();
      store.saveRunModel(runId, {
        vocabulary,
        idf,
        features: featureOptions,
        topology,
        weights,
      });
      // what placing books on this run later needs: the embeddings and centres the clusters came from
      store.saveRunPlacement(runId, {
        pooling: settings.refine.enabled ? 'meanView' : trained.pooling,
        unitEmbedding: settings.refine.enabled && settings.normalizeEmbeddings,
        normalize: settings.normalizeEmbeddings,
        centres: centres.centres,
        embeddings: new Map(books.map((b, i) => [b.id, Float64Array.from(embedding[i])])),
      });
      store.saveRunResult(runId, points, withCarriedFromEarlierRun(store, runId, points, infos));
    });
  } finally {
    // a run that stopped early (a cancel, an error while naming) stops the layout's worker too
    (layout as LayoutJob | null)?.stop();
    trained.model.dispose();
  }
  store.updateRunProgress(runId, backend, timings);
}

/** Each book as a run saves it: its cluster, its place on the map and its distance to its cluster's centre. */
export function bookPoints(books: Book[], labels: readonly number[], xy: readonly number[][], distances: ArrayLike<number>): BookPoint[] {
  return books.map((b, i) => ({
    bookId: b.id,
    path: b.path,
    title: b.title,
    author: b.author,
    language: b.language,
    ebookId: b.ebookId,
    cluster: labels[i],
    x: xy[i][0],
    y: xy[i][1],
    distanceToCentre: distances[i],
  }));
}

/**
 * K-means on the book embeddings (unit length if asked), or the consensus of every view's
 * K-means runs where consensus is on (on a sample of the books above CONSENSUS_MAX_POINTS).
 */
function clusterBooks(views: number[][][], settings: RunSettings, k: number, signal: AbortSignal): Promise<KMeansBestResult> {
  const points = views.map((view) => clusterSpace(view, settings));
  return settings.consensusRuns > 0
    ? consensusOfViewsAsync(points, k, { seed: settings.seed, runs: settings.consensusRuns, signal })
    : kmeansBestAsync(points[0], k, { seed: settings.seed, restarts: settings.kmeansRestarts, signal });
}

/** The embeddings as K-means sees them: unit length when normalizeEmbeddings is on. */
function clusterSpace(view: number[][], settings: RunSettings): number[][] {
  return settings.normalizeEmbeddings ? l2NormalizeRows(view) : view;
}

function fixedK(settings: RunSettings): number {
  if (settings.k === 'auto') throw new ShelfmapError('internal', 'A fixed k was needed before the k sweep could run.');
  return settings.k;
}

/**
 * k = "auto": K-means with every k of the range on the books as the clustering sees them, the
 * scores and the proposed k kept with the run (see cluster/k-sweep.ts for the rule).
 */
async function chooseK(
  ctx: PipelineContext,
  embeddings: number[][],
  progress: (stage: StageName, done: number, total: number, message: string) => void,
): Promise<number> {
  const { settings, store, runId, signal } = ctx;
  const sweep = await sweepK(clusterSpace(embeddings, settings), {
    ...settings.kRange,
    seed: settings.seed,
    restarts: settings.kmeansRestarts,
    signal,
    onK: (k, index, count, range) => progress('cluster', index, count, `Choosing k: k = ${k} of ${range.min}..${range.max}`),
  });
  store.saveKSweep(runId, sweep);
  progress('cluster', sweep.scores.length, sweep.scores.length, `Proposed k = ${sweep.proposed}`);
  return sweep.proposed;
}

/**
 * The clusters with what they take from their matches in the finished run before this one that
 * shares the most of its books, read once: the names people gave them (cluster/carry.ts) and
 * their colours (cluster/colours.ts), so a cluster reads and looks the same from run to run.
 */
export function withCarriedFromEarlierRun(store: Store, runId: number, points: BookPoint[], infos: ClusterInfo[]): ClusterInfo[] {
  const current = new Map(points.map((p) => [p.bookId, p.cluster]));
  const found = store.closestEarlierRun(runId, points.map((p) => p.bookId));
  const earlier = found && { runId: found.runId, assignments: store.runAssignments(found.runId), clusters: store.runClusters(found.runId) };
  const names = earlier ? carriedNames(earlier, current) : new Map<number, never>();
  const colours = carriedColours(
    earlier && { assignments: earlier.assignments, colours: new Map(earlier.clusters.map((c) => [c.id, c.colour ?? c.id])) },
    current,
    infos.map((info) => info.id),
  );
  return infos.map((info) => {
    const name = names.get(info.id);
    return { ...info, ...(name ? { customLabel: name.name, carried: name.carried } : {}), colour: colours.get(info.id) ?? info.id };
  });
}

/**
 * The words, pairs and capitals naming reads from each book's samples: read again from the
 * book's file (at the offsets the library kept, or for another sampling plan cut anew), or
 * those kept in a library made before; progress says so first. A book whose file is gone or
 * holds other text now gives no words, and progress says how many.
 */
export function namingWords(store: Store, books: Book[], settings: RunSettings, say: (message: string) => void = () => {}): BookWords[] {
  // whole books (features.sampling null) are read as samples here too, so naming stays quick
  const plan = settings.features.sampling ?? NAMING_SAMPLES;
  const notice = rereadNotice(store, books, plan, undefined, 'to name the clusters');
  if (notice) say(notice);
  const unread = unreadBooks(say);
  const words = books.map((b) => countBookWords(bookWindowsIfReadable(store, b.id, plan, unread.note)?.join('\n') ?? '', settings.features));
  unread.done();
  return words;
}

/** Counts the books naming could not read again and, once done, says how many and the first reason. */
function unreadBooks(say: ((message: string) => void) | undefined): { note: (message: string) => void; done: () => void } {
  let count = 0;
  let first = '';
  return {
    note: (message) => {
      if (count++ === 0) first = message;
    },
    done: () => {
      if (count > 0) say?.(`Named the clusters without ${plural(count, 'book')} whose files could not be read again: ${first}`);
    },
  };
}

/** What naming reads of each book when the features read whole books: 20 samples of 1000 words. */
const NAMING_SAMPLES = { samples: 20, words: 1000 };

/** Share of a cluster's books a naming term must appear in; see docs/benchmarks.md ("Cluster names (c-TF-IDF)"). */
const NAME_MIN_SHARE = 0.25;

/**
 * Each cluster's most distinctive terms by class-based TF-IDF over the words of its books (the
 * same samples the features read, from the stored bodies), with two-word phrases and without
 * character names; see classTfidfTerms.
 */
export function nameClusters(
  store: Store,
  books: Book[],
  settings: RunSettings,
  labels: number[],
  k: number,
  say?: (message: string) => void,
): Omit<ClusterInfo, 'representatives'>[] {
  const read = namingSample(labels, k, NAMING_MAX_BOOKS);
  const plan = settings.features.sampling ?? NAMING_SAMPLES;
  const notice = rereadNotice(store, read.map((i) => books[i]), plan, undefined, 'to name the clusters');
  if (notice) say?.(notice);
  if (read.length < books.length) say?.(`Naming the clusters from ${read.length} of ${books.length} books, a share of each cluster`);
  // each book's samples are read and scanned once, into its words as numbers (features/phrases.ts
  // readNamingTexts: about 40 KB a book), so memory never holds every book's counts as Maps of
  // strings (10,000 books' ran out of heap) nor their texts, and naming's two readings go over numbers
  const unread = unreadBooks(say);
  const texts = readNamingTexts(read.length, (j) => bookWindowsIfReadable(store, books[read[j]].id, plan, unread.note)?.join('\n') ?? '', settings.features);
  unread.done();
  const named = classTfidfTermsFrom(namingSourceOfTexts(texts), read.map((i) => labels[i]), k, { keep: nameWorthy, minShare: NAME_MIN_SHARE });
  const sizes = new Array<number>(k).fill(0);
  labels.forEach((label) => sizes[label]++);
  return named.map(({ terms }, id) => ({ id, label: clusterLabel(terms), terms, size: sizes[id] }));
}

/** Naming reads at most this many books (measured: 5 ms a book, twice); a library this size or smaller is read whole. */
export const NAMING_MAX_BOOKS = 1000;
/** ...but never fewer than this many of a cluster's books (all of a smaller cluster's). */
const NAMING_MIN_PER_CLUSTER = 40;

/**
 * The books naming reads, in library order: all of them up to `max`, else from each cluster a
 * share of `max` in proportion to its size (at least NAMING_MIN_PER_CLUSTER), spread evenly
 * through its books, so no cluster is named from a corner of itself.
 */
export function namingSample(labels: readonly number[], k: number, max: number): number[] {
  if (labels.length <= max) return labels.map((_, i) => i);
  const members: number[][] = Array.from({ length: k }, () => []);
  labels.forEach((label, i) => members[label].push(i));
  const chosen = members.flatMap((ids) => {
    const quota = Math.min(ids.length, Math.max(NAMING_MIN_PER_CLUSTER, Math.round((max * ids.length) / labels.length)));
    return Array.from({ length: quota }, (_, j) => ids[Math.floor((j * ids.length) / quota)]);
  });
  return chosen.sort((a, b) => a - b);
}

/** A book's term counts under these feature settings (one document, or one per sample), from its cache or counted now and cached. */
export function bookDocuments(store: Store, book: Book, features: FeatureSettings, key = documentKey(features)): TermCounts[] {
  return decodeBookTerms(bookTermsBlob(store, book, features, key), features);
}

/** bookDocuments still encoded: the blob of its cached counts (encodeBookTerms' bytes), counted now and cached where missing. */
export function bookTermsBlob(store: Store, book: Book, features: FeatureSettings, key = documentKey(features), packed = false): Buffer {
  // `packed`: as stored, for a thread that unpacks it (store/packed.ts unpackTerms)
  const blob = store.cachedTerms(book.id, key, packed)?.counts;
  if (blob) return blob;
  // a tokenizer setting this book has not been counted with: count its samples, read from its
  // file again (book-text.ts; libraries made before book_spans kept the samples' text)
  const counted = encodeWindowTerms(bookWindows(store, book.id, features.sampling), features);
  store.saveTerms(book.id, key, counted.tokens, counted.blob);
  return counted.blob;
}

/**
 * TF-IDF rows for these books (one per book, or one per sample with `sampleRows`), from their
 * cached term counts (counted now where missing). The counts are read twice, one book at a time
 * (document frequencies, then the rows straight into CSR arrays), so memory holds the distinct
 * terms and the kept weights, never every book's decoded counts at once.
 */
export async function libraryFeatures(
  store: Store,
  books: Book[],
  features: FeatureSettings,
  signal?: AbortSignal,
  progress: (done: number, total: number, message: string) => void = () => {},
): Promise<LibraryFeatures> {
  const key = documentKey(features);
  // the import counted the default samples; with those samples a re-read is for the word settings (views, names...)
  const samePlan = samplesKey(features.sampling) === samplesKey(DEFAULT_SETTINGS.features.sampling);
  const notice = rereadNotice(store, books, features.sampling, key, samePlan ? 'for these word settings' : 'for these sampling settings');
  if (notice) progress(0, 2 * books.length, notice);
  let pass = 0;
  // a minDf/maxDf given as a fraction needs the number of documents; with sample rows each book
  // gives as many as its blob holds, known once the first pass has read them all
  // the blobs are read as bytes (features/blob-tfidf.ts), never decoded into Maps of strings, and
  // unpacked, tallied and weighed on every core (features/parallel.ts) while this thread reads them
  const { model, csr, documents, documentsPerBlob } = await fitTransformTfidfFromStored(
    async (visit, wanted) => {
      pass++;
      for (const [i, book] of books.entries()) {
        if (i % 8 === 0) {
          progress((pass - 1) * books.length + i, 2 * books.length, pass === 1 ? book.title : `Weighting terms (TF-IDF): ${book.title}`);
          await checkpoint(signal);
        }
        // a book the threads kept from the first pass is not read again
        if (wanted && !wanted(i)) continue;
        await visit(bookTermsBlob(store, book, features, key, true), i);
      }
    },
    books.length,
    (documentCount) => tfidfOptionsFor(features, documentCount),
    { signal },
  );
  const bookOfRow: number[] = [];
  documentsPerBlob.forEach((held, i) => {
    for (let d = 0; d < held; d++) bookOfRow.push(i);
  });
  progress(2 * books.length, 2 * books.length, 'Weighting terms (TF-IDF)');
  if (model.vocabulary.length === 0) {
    throw new ShelfmapError(
      'no-books',
      'No terms are left to compare the books by: with this few books, lower "minimum books per term" or add more books.',
    );
  }
  if (documents !== bookOfRow.length) throw new ShelfmapError('internal', `The features read ${documents} documents for ${bookOfRow.length} rows.`);
  return { rows: csrRowViews(csr), csr, bookOfRow: Int32Array.from(bookOfRow), vocabulary: model.vocabulary, idf: model.idf, options: model.options };
}
