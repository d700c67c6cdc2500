// The scale benchmark: generates N Gutenberg-style books from the corpus (bench/scale/generate.ts),
// then runs the BUILT `shelfmap` CLI on them as child processes in a fresh temp library, each
// under /usr/bin/time for its peak memory, and prints per-stage times, MB/s and books/s for the
// add, peak memory, the library file's size, NMI/ARI of the clusters against the generated
// genres and the rejected files against those expected; then one JSON line.
//   npm run build && npm run bench:scale -- --books 1000 [--seed 1]
//   npm run bench:scale -- --books 10000 --generate-only /work/scale/books-10k
//   npm run bench:scale -- --from /work/scale/books-1k     (an already generated folder)
//   npm run bench:scale -- --from /work/scale/books-1k --parquet --work /tmp/scale-1k
import { parseArgs } from 'node:util';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { corpusFolder, hasCorpus, loadScaleCorpus } from './scale/corpus';
import { generateScaleBooks } from './scale/generate';
import { runScaleBenchmark, formatScaleFailure, formatScaleReport, ScaleRunFailed } from './scale/run';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const USAGE = `npm run bench:scale -- --books N [--seed S] [--keep DIR] [--generate-only DIR] [--from DIR] [--k K] [--cli-arg ARG]...
  --books N            books to generate (bad files come on top: one of each kind per 1000 books)
  --seed S             generator seed (default 1)
  --keep DIR           generate into DIR and keep it (and the library and CSV in DIR.run/) after the run
  --generate-only DIR  generate into DIR (which must not exist) and stop: no CLI run
  --from DIR           run on a folder generated before (its manifest.csv), generating nothing
  --work DIR           keep the library, CSV and time files in DIR (default: a temp folder, removed)
  --parquet            also time "shelfmap export-features" and "shelfmap import-labels" (of the run's CSV)
  --k K                clusters for "shelfmap cluster" (default 12, the generated genres)
  --cli-arg ARG        one more argument for "shelfmap cluster" (repeatable), e.g. --cli-arg=--epochs --cli-arg=10`;

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        books: { type: 'string' },
        seed: { type: 'string' },
        keep: { type: 'string' },
        'generate-only': { type: 'string' },
        from: { type: 'string' },
        k: { type: 'string' },
        work: { type: 'string' },
        parquet: { type: 'boolean' },
        'cli-arg': { type: 'string', multiple: true },
        help: { type: 'boolean' },
      },
    });
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  const values = parsed.values;
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const positive = (text: string | undefined, name: string, fallback?: number): number => {
    if (text === undefined && fallback !== undefined) return fallback;
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1) {
      console.error(`--${name} needs a whole number of 1 or more${text === undefined ? '' : `, not "${text}"`}.\n${USAGE}`);
      process.exit(2);
    }
    return n;
  };
  const seed = positive(values.seed, 'seed', 1);
  const k = positive(values.k, 'k', 12);
  if (values.from && (values.books || values['generate-only'])) {
    console.error(`--from runs on a folder generated before: give it without --books or --generate-only.\n${USAGE}`);
    process.exit(2);
  }

  let folder: string;
  let temp: string | null = null;
  if (values.from) {
    folder = resolve(values.from);
    if (!existsSync(join(folder, 'manifest.csv'))) fail(`${folder} holds no manifest.csv: give a folder "--generate-only" made.`);
  } else {
    const books = positive(values.books, 'books');
    const corpusDir = corpusFolder(root);
    if (!hasCorpus(corpusDir)) fail(`The corpus is not at ${corpusDir}: the scale benchmark generates its books from ../shared/corpus/gutenberg (with its manifest.csv of genres) beside the project.`);
    const out = values['generate-only'] ?? values.keep;
    if (out) folder = resolve(out);
    else {
      temp = mkdtempSync(join(tmpdir(), 'shelfmap-scale-'));
      folder = join(temp, 'books');
    }
    const started = performance.now();
    console.error(`Reading the corpus at ${corpusDir} ...`);
    const corpus = loadScaleCorpus(corpusDir);
    console.error(`Generating ${books} books (seed ${seed}) into ${folder} ...`);
    try {
      const result = await generateScaleBooks({
        books,
        seed,
        out: folder,
        corpus,
        onProgress: (done, total, bytes) => {
          if (done % 1000 === 0 || done === total) console.error(`  ${done}/${total} books, ${(bytes / 1e6).toFixed(0)} MB`);
        },
      });
      const seconds = (performance.now() - started) / 1000;
      console.error(`Generated ${result.rows.length} files (${(result.bytes / 1e6).toFixed(0)} MB) in ${seconds.toFixed(1)} s.`);
    } catch (error) {
      if (temp) rmSync(temp, { recursive: true, force: true });
      fail((error as Error).message);
    }
    if (values['generate-only']) return;
  }

  const work = values.work ? resolve(values.work) : values.keep ? `${folder}.run` : (temp ?? mkdtempSync(join(tmpdir(), 'shelfmap-scale-')));
  try {
    const report = await runScaleBenchmark({ folder, work, k, clusterArgs: values['cli-arg'] ?? [], projectRoot: root, seed, parquet: values.parquet === true });
    console.log(formatScaleReport(report));
    console.log(JSON.stringify(report));
  } catch (error) {
    if (error instanceof ScaleRunFailed) {
      console.log(formatScaleFailure(error.partial));
      console.log(JSON.stringify({ ok: false, ...error.partial }));
    } else console.error(`The scale benchmark failed: ${(error as Error).message}`);
    process.exitCode = 1;
  } finally {
    if (temp && !values.keep) rmSync(temp, { recursive: true, force: true });
    if (!values.keep && !values.work && !temp) rmSync(work, { recursive: true, force: true });
  }
}

void main();
