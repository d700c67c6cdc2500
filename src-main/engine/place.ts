// Placing new books on a finished run without refitting it (issue 7, part 5): each book is
// tokenised with the run's feature settings, weighed with the run's stored vocabulary and idf,
// embedded with the run's stored network exactly as the run embedded its own books (see
// RunPlacement.pooling), and given the cluster whose centre is nearest in the space the
// clusters were found in. Its place on the map is the inverse-distance weighted mean of the x/y
// of its nearest run books in embedding space (cosine, the layout's own metric): that is how
// umap-js's transform starts a new point, and the fitted UMAP itself (its neighbour-search
// forest and graph) is not something a run can keep. Nothing of the run's own books changes.
import type { BackendName, Book, BookPoint, RunSummary } from '../../src-shared/domain';
import { ShelfmapError } from '../../src-shared/errors';
import type { EmitEvent } from './events';
import { checkpoint } from './cancel';
import type { RunPlacement, Store } from './store/store';
import { l2NormalizeRows, tfidfFromFitted, toDenseMatrix, type TfidfOptions } from './features';
import { embeddingsToRows, loadAutoencoder, storesNoNetwork, meanRowOfBook, poolByBook, selectBackend, unitRowsOf, type TrainedAutoencoder } from './embed';
import { cosineDistance } from './cluster/layout';
import { bookDocuments } from './pipeline';

/** Run books whose x/y a placed book's x/y is drawn from. */
export const PLACE_NEIGHBOURS = 5;

export interface PlaceContext {
  store: Store;
  run: RunSummary;
  /** The books to place: in the library, not in the run. */
  books: Book[];
  signal?: AbortSignal;
  emit?: EmitEvent;
}

/** What the run kept for placing, or why books cannot be placed on it (a ShelfmapError). */
export function placeableRun(store: Store, run: RunSummary): { placement: RunPlacement; model: NonNullable<ReturnType<Store['runModel']>> } {
  if (run.status !== 'done') {
    throw new ShelfmapError(
      run.status === 'running' ? 'busy' : 'not-found',
      `Run ${run.id} ${run.status === 'running' ? 'is still going: wait for it to finish' : `has no clusters to place books on (it ${run.status})`}.`,
    );
  }
  const model = store.runModel(run.id);
  const placement = store.runPlacement(run.id);
  if (!model || !placement || placement.embeddings.size === 0) {
    throw new ShelfmapError('not-found', `Run ${run.id} was made before Shelfmap kept what placing needs; make a new run to place books on.`);
  }
  return { placement, model };
}

/** Places `books` on the run (nothing is stored here): their cluster, distance and x/y. */
export async function placeBooksOnRun(ctx: PlaceContext): Promise<{ points: BookPoint[]; backend: BackendName | '' }> {
  const { store, run, books } = ctx;
  const { placement, embeddings, backend } = await embedForRun(ctx);
  const neighbours = mapNeighbours(store, run.id, placement);
  const points = books.map((book, i): BookPoint => {
    const embedding = embeddings[i];
    const { cluster, distance } = nearestCentre(placement.normalize ? l2NormalizeRows([embedding])[0] : embedding, placement.centres);
    const [x, y] = neighbours(embedding);
    return { bookId: book.id, path: book.path, title: book.title, author: book.author, language: book.language, ebookId: book.ebookId, cluster, x, y, distanceToCentre: distance, placed: true };
  });
  ctx.emit?.('progress', { runId: run.id, stage: 'place', done: books.length, total: books.length, message: `${books.length} placed` });
  return { points, backend };
}

/** Each book's embedding as the run would have made it, with the run's stored model. */
export async function embedForRun(ctx: PlaceContext): Promise<{ placement: RunPlacement; embeddings: number[][]; backend: BackendName | '' }> {
  const { store, run, books, signal } = ctx;
  const progress = (done: number, message: string) => ctx.emit?.('progress', { runId: run.id, stage: 'place', done, total: books.length, message });
  const { placement, model } = placeableRun(store, run);
  progress(0, 'Loading the run’s model');
  const tfidf = tfidfFromFitted(model.vocabulary, model.idf, model.features as TfidfOptions);
  // a run without a network ("embedding": "lsa") places by its stored basis alone: no backend is loaded
  const selected = storesNoNetwork(model.topology) ? null : await runBackend(run);
  const network = loadAutoencoder(selected?.tf ?? null, model.topology, model.weights);
  try {
    const embeddings: number[][] = [];
    for (const [i, book] of books.entries()) {
      await checkpoint(signal);
      progress(i, book.title);
      const rows = tfidf.transform(bookDocuments(store, book, run.settings.features));
      embeddings.push(await embedBook(network, toDenseMatrix(rows, model.vocabulary.length), rows.length, placement));
    }
    return { placement, embeddings, backend: selected?.name ?? '' };
  } finally {
    network.dispose();
  }
}

/** The backend the run trained on; another (auto's choice) when that one cannot start here. */
async function runBackend(run: RunSummary) {
  if (run.backend === '') return selectBackend('auto');
  try {
    return await selectBackend(run.backend);
  } catch (error) {
    if (error instanceof ShelfmapError && error.kind === 'backend-unavailable') return selectBackend('auto');
    throw error;
  }
}

/**
 * A book's embedding from its dense TF-IDF rows, made as the run made its own books'
 * (embed/books.ts for 'raw' and 'unitMean', refinementStart and refineClusters for 'meanView').
 */
export async function embedBook(network: TrainedAutoencoder, dense: Float32Array, rows: number, placement: Pick<RunPlacement, 'pooling' | 'unitEmbedding'>): Promise<number[]> {
  const dim = network.topology.embeddingSize;
  const oneBook = new Int32Array(rows);
  if (placement.pooling === 'meanView') {
    const view = network.view(dense, rows);
    const width = view.length / Math.max(1, rows);
    const mean = meanRowOfBook(view, width, oneBook, 1).subarray(0, width);
    const embedding = Array.from(await network.encodeView(mean, 1));
    return placement.unitEmbedding ? l2NormalizeRows([embedding])[0] : embedding;
  }
  const encoded = await network.encode(dense, rows);
  const pooled = placement.pooling === 'raw' ? embeddingsToRows(encoded, rows, dim) : unitRowsOf(encoded, rows, dim);
  return rows === 1 && placement.pooling === 'raw' ? pooled[0] : poolByBook(pooled, oneBook, 1)[0];
}

/** The cluster whose centre is nearest (Euclidean, as the run's distances are), and how far. */
export function nearestCentre(point: number[], centres: number[][]): { cluster: number; distance: number } {
  let cluster = 0;
  let distance = Infinity;
  centres.forEach((centre, c) => {
    const d = Math.hypot(...point.map((v, j) => v - centre[j]));
    if (d < distance) [cluster, distance] = [c, d];
  });
  return { cluster, distance };
}

/**
 * From an embedding to a place on the run's map: the mean of the x/y of its PLACE_NEIGHBOURS
 * nearest run books (cosine distance), each weighed by the inverse of its distance. Books placed
 * earlier are not among them, so where a book lands does not depend on what was placed before.
 */
function mapNeighbours(store: Store, runId: number, placement: RunPlacement): (embedding: number[]) => [number, number] {
  const own = store.runPoints(runId).filter((p) => !p.placed && placement.embeddings.has(p.bookId));
  const vectors = own.map((p) => Array.from(placement.embeddings.get(p.bookId)!));
  return (embedding) => {
    const nearest = vectors
      .map((v, i) => ({ i, d: cosineDistance(embedding, v) }))
      .sort((a, b) => a.d - b.d || a.i - b.i)
      .slice(0, PLACE_NEIGHBOURS);
    // a book at no distance from a run book sits on it
    if (nearest[0].d < 1e-12) return [own[nearest[0].i].x, own[nearest[0].i].y];
    let [x, y, total] = [0, 0, 0];
    for (const { i, d } of nearest) {
      const w = 1 / d;
      x += w * own[i].x;
      y += w * own[i].y;
      total += w;
    }
    return [x / total, y / total];
  };
}
