// The features stage alone on an existing library, and the LSA the network reads through: what
// `shelfmap cluster` spends before training, timed apart from the rest. The library is copied to
// a temp folder first (the stage may cache counts it lacks), so the file given is never written.
// Prints each part's wall and CPU seconds, the peak memory, and a digest of the vocabulary, idf,
// CSR rows and LSA coordinates, so two versions of the code can be compared byte for byte.
//   npm run bench:features -- --db /work/scale/run-10k-s3/library.sqlite [--threads N] [--no-lsa] [--repeat 1]
// --threads 1 is the one-thread path; the default is one thread per core past a size.
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { resolveSettings } from '../src-shared/settings';
import { Store } from '../src-main/engine/store/store';
import { booksInScope, libraryFeatures } from '../src-main/engine/pipeline';
import { networkInput } from '../src-main/engine/embed/books';
import { setFeatureThreads } from '../src-main/engine/features/parallel';
import { setProductThreads } from '../src-main/engine/features/product-threads';

const mb = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(0)} MB`;

/**
 * CPU seconds of each of this process's threads so far (Linux /proc; empty elsewhere), by thread
 * id: on a shared machine a thread's own CPU time says what it would take on a quiet core.
 */
function threadSeconds(): Map<string, number> {
  const seconds = new Map<string, number>();
  try {
    for (const tid of readdirSync('/proc/self/task')) {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      seconds.set(tid, (Number(fields[11]) + Number(fields[12])) / 100); // utime + stime, in clock ticks
    }
  } catch {
    // not Linux
  }
  return seconds;
}

async function main() {
  const { values } = parseArgs({
    options: {
      db: { type: 'string' },
      threads: { type: 'string' },
      'no-lsa': { type: 'boolean', default: false },
      repeat: { type: 'string', default: '1' },
      seed: { type: 'string', default: '1' },
    },
  });
  if (!values.db) {
    console.error('Give the library to read: --db path/to/library.sqlite (it is copied, never written).');
    process.exit(1);
  }
  // both the TF-IDF's threads (features/parallel.ts) and the LSA's (features/product-threads.ts)
  if (values.threads) {
    setFeatureThreads(Number(values.threads));
    setProductThreads(Number(values.threads));
  }
  const dir = mkdtempSync(join(tmpdir(), 'shelfmap-bench-features-'));
  const copy = join(dir, 'library.sqlite');
  copyFileSync(values.db, copy);
  const store = new Store(copy);
  let peak = 0;
  // the most each thread was seen to have used: worker threads end with their stage
  const busiest = new Map<string, number>();
  const sample = () => {
    peak = Math.max(peak, process.memoryUsage().rss);
    for (const [tid, s] of threadSeconds()) busiest.set(tid, Math.max(s, busiest.get(tid) ?? 0));
  };
  const threadsSince = (before: Map<string, number>) =>
    [...busiest]
      .map(([tid, s]) => s - (before.get(tid) ?? 0))
      .filter((s) => s >= 0.2)
      .sort((a, b) => b - a)
      .map((s) => s.toFixed(1))
      .join(' + ');
  const timer = setInterval(sample, 100);
  try {
    const settings = resolveSettings({ seed: Number(values.seed) });
    const books = booksInScope(store);
    console.log(`Shelfmap features benchmark: ${books.length} books, ${cpus().length} cores, node ${process.version}, threads ${values.threads ?? 'default'}`);
    for (let round = 0; round < Number(values.repeat); round++) {
      peak = 0;
      sample();
      let before = new Map(busiest);
      let cpu = process.cpuUsage();
      let mainMark = threadSeconds().get(String(process.pid)) ?? 0;
      let start = performance.now();
      const features = await libraryFeatures(store, books, settings.features);
      // the process's CPU seconds, and this (the engine's) thread's share of them
      const cpuOf = () => {
        const used = process.cpuUsage(cpu);
        cpu = process.cpuUsage();
        const main = threadSeconds().get(String(process.pid)) ?? 0;
        const own = main - mainMark;
        mainMark = main;
        return `${((used.user + used.system) / 1e6).toFixed(2)} s CPU (this thread ${own.toFixed(1)} s)`;
      };
      sample();
      const tfidfMs = performance.now() - start;
      const digest = createHash('sha256');
      for (const term of features.vocabulary) digest.update(term + '\n');
      for (const a of [features.idf, features.csr.rowStart, features.csr.indices, features.csr.values, features.bookOfRow]) digest.update(Buffer.from(a.buffer, a.byteOffset, a.byteLength));
      console.log(
        `features: ${(tfidfMs / 1000).toFixed(2)} s wall, ${cpuOf()}; ${features.rows.length} rows, ${features.vocabulary.length} terms, ` +
          `${features.csr.indices.length} weights; peak RSS ${mb(peak)}; digest ${digest.digest('hex').slice(0, 16)}; threads' CPU s ${threadsSince(before)}`,
      );
      before = new Map(busiest);
      if (values['no-lsa']) continue;
      start = performance.now();
      const { input, lsa } = networkInput({ rows: features.rows, bookOfRow: features.bookOfRow, dim: features.vocabulary.length, books: books.length }, settings.autoencoder.inputComponents, settings.seed);
      sample();
      const lsaDigest = createHash('sha256').update(Buffer.from(input.buffer)).update(Buffer.from(lsa!.basis.buffer)).digest('hex').slice(0, 16);
      console.log(
        `LSA ${settings.autoencoder.inputComponents}: ${((performance.now() - start) / 1000).toFixed(2)} s wall, ${cpuOf()}; peak RSS ${mb(peak)}; digest ${lsaDigest}; threads' CPU s ${threadsSince(before)}`,
      );
    }
  } finally {
    clearInterval(timer);
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
