// The book panel on the real corpus: one run with the given settings, then bookDetails for every
// book of it. Prints how long the first call takes (it counts the library's document
// frequencies) and the others (median, 95th percentile, max), bookText's time for the longest
// book, and how often a book's similar books share its genre (manifest.csv), against the share
// a book picked at random would have.
// For the books whose Gutenberg numbers --show names, it prints their terms and nearest books.
//   npm run bench:book-details [-- --backend wasm --seed 42 --settings '{...}' --nearest 5 --show 11,2701,1228]
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { SettingsInput } from '../src-shared/settings';
import { CORPUS, loadGenres, openLibraryEngine, requireCorpus } from './bench-library';

const BOOKS = join(CORPUS, 'books');

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

async function main() {
  const { values } = parseArgs({
    options: {
      backend: { type: 'string', default: 'auto' },
      seed: { type: 'string', default: '42' },
      settings: { type: 'string', default: '{}' },
      nearest: { type: 'string', default: '5' },
      show: { type: 'string', default: '11,2701,1228' },
    },
  });
  requireCorpus();
  const nearest = Number(values.nearest);
  const genres = loadGenres();
  const dir = mkdtempSync(join(tmpdir(), 'shelfmap-bench-books-'));
  const { store, engine, finishedRun } = openLibraryEngine(join(dir, 'library.sqlite'));
  try {
    const settings: SettingsInput = { ...(JSON.parse(values.settings!) as SettingsInput), backend: values.backend as SettingsInput['backend'], seed: Number(values.seed) };
    await engine.call('addFolder', { folder: BOOKS });
    const started = performance.now();
    const runId = await finishedRun({ settings });
    const { run, points } = await engine.call('getRun', { runId });
    console.log(
      `Shelfmap book panel benchmark: ${points.length} books, settings ${values.settings}, seed ${values.seed}, backend ${run.backend}, ` +
        `run ${((performance.now() - started) / 1000).toFixed(1)} s, ${cpus().length} cores, node ${process.version}`,
    );
    const genreOf = (path: string) => genres.get(path) ?? '?';
    const times: number[] = [];
    let shared = 0;
    let chance = 0;
    for (const point of points) {
      const start = performance.now();
      const details = await engine.call('bookDetails', { runId, bookId: point.bookId });
      times.push(performance.now() - start);
      const own = genreOf(point.path);
      const byId = new Map(points.map((p) => [p.bookId, p]));
      shared += details.similar.slice(0, nearest).filter((s) => genreOf(byId.get(s.bookId)!.path) === own).length / nearest;
      chance += (points.filter((p) => p.bookId !== point.bookId && genreOf(p.path) === own).length) / (points.length - 1);
    }
    const [first, ...rest] = times;
    const sorted = [...rest].sort((a, b) => a - b);
    console.log(`bookDetails: first call ${first.toFixed(0)} ms (counts the document frequencies), then median ${quantile(sorted, 0.5).toFixed(1)} ms, p95 ${quantile(sorted, 0.95).toFixed(1)} ms, max ${sorted.at(-1)!.toFixed(1)} ms`);
    console.log(
      `similar books: ${((100 * shared) / points.length).toFixed(1)}% of each book's ${nearest} nearest share its genre ` +
        `(a book drawn at random: ${((100 * chance) / points.length).toFixed(1)}%)`,
    );
    for (const ebookId of values.show!.split(',').filter(Boolean).map(Number)) {
      const point = points.find((p) => p.ebookId === ebookId);
      if (!point) continue;
      const details = await engine.call('bookDetails', { runId, bookId: point.bookId });
      console.log(`\n#${ebookId} ${point.title} (${genreOf(point.path)})`);
      console.log(`  set apart by: ${details.distinctiveTerms.map((t) => t.term).join(', ')}`);
      console.log(`  similar: ${details.similar.slice(0, nearest).map((s) => `${s.title} (${genreOf(points.find((p) => p.bookId === s.bookId)!.path)}, ${s.distance.toFixed(3)})`).join('; ')}`);
    }
    const longest = (await engine.call('listBooks', {})).sort((a, b) => b.bytes - a.bytes)[0];
    const start = performance.now();
    const text = await engine.call('bookText', { bookId: longest.id });
    console.log(
      `bookText of the longest book ("${longest.title}", ${text.totalChars.toLocaleString('en-US')} characters): ${(performance.now() - start).toFixed(0)} ms, ` +
        `${text.capped ? `capped at ${text.text.length.toLocaleString('en-US')}` : 'whole'}`,
    );
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
