// One run over the library: features -> embeddings -> clusters -> layout -> save. Stages report
// progress as events, check for a cancel between units of work, and their times are recorded
// with the run.
import { sep } from 'node:path';
import type { Book, BookPoint, ClusterInfo, StageName, BackendName } from '../../src-shared/domain';
import type { RunSettings } from '../../src-shared/settings';
import { ShelfmapError } from '../../src-shared/errors';
import type { EmitEvent } from './events';
import { checkpoint } from './cancel';
import type { Store } from './store/store';
import { countTerms, decodeCounts, encodeCounts, fitTransformTfidf, toDenseMatrix, tokenizerKey } from './features';
import type { SparseVector, TermCounts } from './features';
import { selectBackend, trainAutoencoder, embeddingsToRows } from './embed';
import { kmeansBestAsync, distinctiveTerms, clusterLabel, displayTerms, layout2dAsync } from './cluster';
import { surfaceFormsFor } from './features/surface';

export interface PipelineContext {
  store: Store;
  runId: number;
  settings: RunSettings;
  books: Book[];
  signal: AbortSignal;
  emit: EmitEvent;
}

/** Books in the library, or only those under `folder` when one is given. */
export function booksInScope(store: Store, folder?: string): Book[] {
  const books = store.listBooks();
  if (!folder) return books;
  const prefix = folder.endsWith(sep) ? folder : folder + sep;
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

  const { rows, vocabulary } = await timed('features', () => buildFeatures(ctx, progress));

  const embedding = await timed('embed', async () => {
    progress('embed', 0, settings.autoencoder.epochs, 'Loading TensorFlow.js');
    const selected = await selectBackend(settings.backend);
    backend = selected.name;
    const skipped = selected.tried.map((t) => `${t.name} unavailable (${t.error})`).join('; ');
    progress('embed', 0, settings.autoencoder.epochs, `Backend ${selected.name}${skipped ? ` — ${skipped}` : ''}`);
    const input = toDenseMatrix(rows, vocabulary.length);
    const trained = await trainAutoencoder(selected.tf, input, rows.length, vocabulary.length, settings.autoencoder, {
      seed: settings.seed,
      signal,
      onEpoch: (e) => {
        emit('epoch', { runId, ...e });
        progress('embed', e.epoch, e.epochs, `Epoch ${e.epoch}/${e.epochs}, loss ${e.loss.toPrecision(4)}`);
      },
    });
    return embeddingsToRows(trained.embeddings, rows.length, trained.dim);
  });

  const clusters = await timed('cluster', async () => {
    progress('cluster', 0, 1, `K-means, k = ${settings.k}`);
    const best = await kmeansBestAsync(embedding, settings.k, { seed: settings.seed, restarts: settings.kmeansRestarts, signal });
    const k = best.centroids.length;
    const stems = distinctiveTerms(rows, best.labels, vocabulary, k, 8);
    const surface = settings.features.stem
      ? surfaceFormsFor(stems, { labels: best.labels, bodyOf: (i) => store.bookBody(books[i].id) }, settings.features)
      : undefined;
    const infos: ClusterInfo[] = stems.map((terms, id) => {
      const shown = displayTerms(terms, surface);
      return { id, label: clusterLabel(shown), terms: shown, size: best.labels.filter((l) => l === id).length };
    });
    progress('cluster', 1, 1, best.note ?? `${k} clusters`);
    return { labels: best.labels, infos };
  });

  const coordinates = await timed('layout', async () => {
    progress('layout', 0, 1, 'Laying out the map');
    const xy = await layout2dAsync(embedding, { seed: settings.seed, signal });
    progress('layout', 1, 1, 'Map laid out');
    return xy;
  });

  await checkpoint(signal);
  await timed('save', async () => {
    const points: BookPoint[] = books.map((b, i) => ({
      bookId: b.id,
      path: b.path,
      title: b.title,
      author: b.author,
      language: b.language,
      cluster: clusters.labels[i],
      x: coordinates[i][0],
      y: coordinates[i][1],
    }));
    store.saveRunResult(runId, points, clusters.infos);
  });
  store.updateRunProgress(runId, backend, timings);
}

async function buildFeatures(
  ctx: PipelineContext,
  progress: (stage: StageName, done: number, total: number, message: string) => void,
): Promise<{ rows: SparseVector[]; vocabulary: string[] }> {
  const { store, settings, books, signal } = ctx;
  const key = tokenizerKey(settings.features);
  const docs: TermCounts[] = [];
  for (const [i, book] of books.entries()) {
    if (i % 8 === 0) {
      progress('features', i, books.length, book.title);
      await checkpoint(signal);
    }
    const cached = store.cachedTerms(book.id, key);
    if (cached) {
      docs.push(decodeCounts(cached.counts));
      continue;
    }
    // a tokenizer setting this book has not been counted with: count from the stored body
    const { counts, tokens } = countTerms(store.bookBody(book.id), settings.features);
    store.saveTerms(book.id, key, tokens, encodeCounts(counts));
    docs.push(counts);
  }
  progress('features', books.length, books.length, 'Weighting terms (TF-IDF)');
  const f = settings.features;
  const { model, rows } = fitTransformTfidf(docs, {
    minDocs: Math.min(f.minDocs, books.length),
    maxDocFraction: f.maxDocFraction,
    maxFeatures: f.maxFeatures,
    sublinearTf: f.sublinearTf,
  });
  if (model.vocabulary.length === 0) {
    throw new ShelfmapError(
      'no-books',
      'No terms are left to compare the books by: with this few books, lower "minimum books per term" or add more books.',
    );
  }
  return { rows, vocabulary: model.vocabulary };
}
