// The features and training stages alone, at a size the corpus does not have: N books made by
// resampling the corpus books' cached sample counts (each made book takes one corpus book's
// genre and draws its samples, with replacement, from that book's samples), without adding N
// files. Prints the features time and peak heap, the LSA time, the training time and steps per
// second, and the NMI of K-means on the pooled embeddings against the genres.
//   npm run bench:train [-- --books 10000 --batch-size 32 --learning-rate 0.001 --steps 3000 --epochs 30 --lsa-fit-rows 20000 --old --decoded --no-train --backend wasm --seed 1 --k 12 --compare-with /work/main --rounds 2]
// The features are read as the run reads them, from the count blobs' bytes (features/blob-tfidf.ts);
// --decoded decodes each blob into a Map first and takes fitTransformTfidfInPasses, as before.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { resolveSettings } from '../src-shared/settings';
import { csrRowViews, decodeCounts, decodeCountsList, encodeCounts, fitTransformTfidf, fitTransformTfidfInPasses, type SparseVector, type TermCounts } from '../src-main/engine/features';
import { documentKey } from '../src-main/engine/features/sample';
import { fitTransformTfidfFromBlobs } from '../src-main/engine/features/blob-tfidf';
import { tfidfOptionsFor } from '../src-main/engine/features/options';
import { LSA_FIT_ROWS, meanRowOfBook, networkInput, poolUnitRows } from '../src-main/engine/embed/books';
import { trainAutoencoder } from '../src-main/engine/embed/autoencoder';
import { selectBackend } from '../src-main/engine/embed/backend';
import { createRandom } from '../src-main/engine/random';
import { kmeansBestAsync } from '../src-main/engine/cluster';
import { l2NormalizeRows } from '../src-main/engine/features';
import { normalizedMutualInfo } from '../src-main/engine/evaluate';
import { CORPUS, loadGenres, openLibraryEngine, requireCorpus } from './bench-library';

const mb = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(0)} MB`;

async function main() {
  const { values } = parseArgs({
    options: {
      books: { type: 'string', default: '1000' },
      seed: { type: 'string', default: '1' },
      'batch-size': { type: 'string' },
      'learning-rate': { type: 'string' },
      steps: { type: 'string' },
      epochs: { type: 'string' },
      backend: { type: 'string', default: 'wasm' },
      // the features as before: every document's decoded counts held, then fitTransformTfidf
      old: { type: 'boolean', default: false },
      // two passes over decoded Maps (fitTransformTfidfInPasses) instead of the blobs' bytes
      decoded: { type: 'boolean', default: false },
      // features only
      'no-train': { type: 'boolean', default: false },
      k: { type: 'string', default: '12' },
      // rows the LSA basis is fitted on (a seeded sample past it); the default is LSA_FIT_ROWS
      'lsa-fit-rows': { type: 'string' },
      // another checkout (e.g. /work/main): its trainAutoencoder and this one's, interleaved
      // --rounds times on the same rows, each one's best wall and CPU time, and whether the
      // embeddings are the same bytes
      'compare-with': { type: 'string' },
      rounds: { type: 'string', default: '2' },
    },
  });
  requireCorpus();
  const n = Number(values.books);
  const seed = Number(values.seed);
  const autoencoder = {
    ...(values['batch-size'] ? { batchSize: Number(values['batch-size']) } : {}),
    ...(values['learning-rate'] ? { learningRate: Number(values['learning-rate']) } : {}),
    ...(values.steps ? { steps: Number(values.steps) } : {}),
    ...(values.epochs ? { epochs: Number(values.epochs) } : {}),
  };
  const settings = resolveSettings({ seed, autoencoder });
  const features = settings.features;
  const dir = mkdtempSync(join(tmpdir(), 'shelfmap-bench-train-'));
  const { store, engine } = openLibraryEngine(join(dir, 'library.sqlite'));
  try {
    await engine.call('addFolder', { folder: join(CORPUS, 'books') });
    const genres = loadGenres();
    const corpusBooks = store.listBooks();
    const key = documentKey(features);
    // each corpus book's samples as separate blobs, decoded afresh whenever a made book reads one
    const sampleBlobs = corpusBooks.map((b) => decodeCountsList(store.cachedTerms(b.id, key)!.counts).map(encodeCounts));
    const random = createRandom(seed);
    const sourceOf = Int32Array.from({ length: n }, () => Math.floor(random() * corpusBooks.length));
    const samplesOf = Array.from(sourceOf, (b) => Int32Array.from({ length: sampleBlobs[b].length }, () => Math.floor(random() * sampleBlobs[b].length)));
    const truth = Array.from(sourceOf, (b) => genres.get(corpusBooks[b].path) ?? 'unknown');
    console.log(
      `Shelfmap train benchmark: ${n} books made from ${corpusBooks.length} corpus books' cached samples, seed ${seed}, ${cpus().length} cores, node ${process.version}; ` +
        `autoencoder ${JSON.stringify(settings.autoencoder)}`,
    );

    let peakHeap = 0;
    // the JS heap and the typed arrays' buffers (the CSR rows live in those, outside the heap)
    const used = () => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
    const sampleHeap = () => (peakHeap = Math.max(peakHeap, used()));
    const heapBefore = used();
    const bookOfRow: number[] = [];
    const started = performance.now();
    // this process's CPU seconds beside the wall clock: on a shared machine the nearer to what a quiet core takes
    let cpuMark = process.cpuUsage();
    const cpuSeconds = () => {
      const used = process.cpuUsage(cpuMark);
      cpuMark = process.cpuUsage();
      return `${((used.user + used.system) / 1e6).toFixed(2)} s CPU`;
    };
    let rows: SparseVector[];
    let dim: number;
    if (values.old) {
      const docs: TermCounts[] = [];
      sourceOf.forEach((b, i) => {
        for (const s of samplesOf[i]) {
          docs.push(decodeCounts(sampleBlobs[b][s]));
          bookOfRow.push(i);
        }
        if (i % 256 === 0) sampleHeap();
      });
      sampleHeap();
      const fitted = fitTransformTfidf(docs, tfidfOptionsFor(features, docs.length));
      sampleHeap();
      rows = fitted.rows;
      dim = fitted.model.vocabulary.length;
    } else if (!values.decoded) {
      let pass = 0;
      const fitted = await fitTransformTfidfFromBlobs((visit) => {
        pass++;
        sourceOf.forEach((b, i) => {
          for (const s of samplesOf[i]) {
            if (pass === 1) bookOfRow.push(i);
            visit(sampleBlobs[b][s]);
          }
          if (i % 256 === 0) sampleHeap();
        });
      }, (documents) => tfidfOptionsFor(features, documents));
      rows = csrRowViews(fitted.csr);
      sampleHeap();
      dim = fitted.model.vocabulary.length;
    } else {
      let pass = 0;
      const fitted = await fitTransformTfidfInPasses((visit) => {
        pass++;
        sourceOf.forEach((b, i) => {
          for (const s of samplesOf[i]) {
            if (pass === 1) bookOfRow.push(i);
            visit(decodeCounts(sampleBlobs[b][s]));
          }
          if (i % 256 === 0) sampleHeap();
        });
      }, (documents) => tfidfOptionsFor(features, documents));
      rows = csrRowViews(fitted.csr);
      sampleHeap();
      dim = fitted.model.vocabulary.length;
    }
    const featuresMs = performance.now() - started;
    const nonZeros = rows.reduce((sum, r) => sum + r.indices.length, 0);
    console.log(
      `features [${cpuSeconds()}] (${values.old ? 'old: all counts held' : values.decoded ? 'two passes over decoded counts into CSR' : 'two passes over the blobs\' bytes into CSR'}): ${(featuresMs / 1000).toFixed(2)} s, ${rows.length} rows, ${dim} terms, ${nonZeros} non-zeros; ` +
        `peak heap + array buffers above the start ${mb(peakHeap - heapBefore)} (sampled every 256 books), max RSS so far ${mb(process.resourceUsage().maxRSS * 1024)}`,
    );
    if (values['no-train']) return;

    const data = { rows, bookOfRow: Int32Array.from(bookOfRow), dim, books: n };
    let t = performance.now();
    const { input, width } = networkInput(data, settings.autoencoder.inputComponents, seed, values['lsa-fit-rows'] ? Number(values['lsa-fit-rows']) : undefined);
    console.log(`LSA ${width} [${cpuSeconds()}] (fitted on ${Math.min(rows.length, Number(values['lsa-fit-rows'] ?? LSA_FIT_ROWS))} rows): ${((performance.now() - t) / 1000).toFixed(2)} s; max RSS so far ${mb(process.resourceUsage().maxRSS * 1024)}`);
    const { tf, name } = await selectBackend(values.backend as 'wasm' | 'cpu');
    const target = meanRowOfBook(input, width, data.bookOfRow, n);
    cpuSeconds();
    t = performance.now();
    const trained = await trainAutoencoder(tf, input, rows.length, width, settings.autoencoder, { seed, target });
    const trainMs = performance.now() - t;
    trained.model.dispose();
    console.log(
      `train [${name}]: ${(trainMs / 1000).toFixed(2)} s [${cpuSeconds()}], ${trained.stopped.steps} steps (${(trained.stopped.steps / (trainMs / 1000)).toFixed(0)} steps/s, ` +
        `${((trained.stopped.steps * settings.autoencoder.batchSize) / (trainMs / 1000)).toFixed(0)} rows/s); ${trained.stopped.message} ` +
        `loss ${trained.losses[0].toPrecision(4)} -> ${trained.losses.at(-1)!.toPrecision(4)}; max RSS ${mb(process.resourceUsage().maxRSS * 1024)}`,
    );
    if (values['compare-with']) {
      const other = (await import(resolve(values['compare-with'], 'src-main/engine/embed/autoencoder.ts'))) as { trainAutoencoder: typeof trainAutoencoder };
      const best = { this: [Infinity, Infinity], other: [Infinity, Infinity] };
      const bytes: Record<string, Buffer> = {};
      for (let round = 0; round < Number(values.rounds); round++) {
        for (const [which, train] of [['other', other.trainAutoencoder], ['this', trainAutoencoder]] as const) {
          const wall = performance.now();
          const cpu = process.cpuUsage();
          const result = await train(tf, input, rows.length, width, settings.autoencoder, { seed, target });
          const used = process.cpuUsage(cpu);
          best[which] = [Math.min(best[which][0], performance.now() - wall), Math.min(best[which][1], (used.user + used.system) / 1000)];
          bytes[which] = Buffer.from(result.embeddings.buffer, result.embeddings.byteOffset, result.embeddings.byteLength);
          result.model.dispose();
        }
      }
      const say = (which: 'this' | 'other') => `${(best[which][0] / 1000).toFixed(2)} s wall, ${(best[which][1] / 1000).toFixed(2)} s CPU`;
      console.log(
        `compare (best of ${values.rounds} interleaved): ${values['compare-with']} ${say('other')}; this checkout ${say('this')}; ` +
          `embeddings ${bytes.this.equals(bytes.other) ? 'the same bytes' : 'DIFFERENT'}`,
      );
    }
    const pooled = l2NormalizeRows(poolUnitRows(trained.embeddings, rows.length, trained.dim, data.bookOfRow, n));
    t = performance.now();
    const best = await kmeansBestAsync(pooled, Number(values.k), { seed, restarts: 3 });
    console.log(`K-means (k = ${values.k}, 3 restarts, ${((performance.now() - t) / 1000).toFixed(2)} s) on the pooled embeddings: NMI ${normalizedMutualInfo(truth, best.labels).toFixed(3)} against the source books' genres`);
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
