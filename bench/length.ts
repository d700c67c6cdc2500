// How to handle book length (40 KB to 3 MB here): the whole book as one document, fixed-size
// samples (as stylometry does), or chunks whose vectors are averaged per book. Each way is
// scored by K-means on an LSA reduction of its TF-IDF (a fast stand-in for the autoencoder,
// which sees the same input), NMI/ARI against the genre column, over several seeds.
//   npx tsx bench/length.ts [--seeds 5]
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_SETTINGS } from '../src-shared/settings';
import { readBook } from '../src-main/engine/library';
import { countTerms, fitTransformTfidf, l2NormalizeRows, truncatedSvd, type TermCounts } from '../src-main/engine/features';
import { tfidfOptionsFor } from '../src-main/engine/features/options';
import { kmeansBestAsync } from '../src-main/engine/cluster';
import { adjustedRandIndex, normalizedMutualInfo } from '../src-main/engine/evaluate';
import { CORPUS, loadGenres, requireCorpus } from './bench-library';

const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '5' },
    components: { type: 'string', default: '20' },
    // JSON merged over the default feature settings, e.g. '{"stem":false}'
    features: { type: 'string', default: '{}' },
    // sample plans to try, count x words, e.g. "10x1000,20x1000"
    samples: { type: 'string', default: '10x1000,20x2000' },
  },
});
const seeds = Array.from({ length: Number(values.seeds) }, (_, i) => i + 1);
const components = Number(values.components);
const features = { ...DEFAULT_SETTINGS.features, ...(JSON.parse(values.features!) as object) };

/** Splits a text into pieces of about `words` words, at word boundaries. */
function splitWords(text: string, words: number): string[] {
  const tokens = text.split(/\s+/).filter(Boolean);
  const pieces: string[] = [];
  for (let i = 0; i < tokens.length; i += words) pieces.push(tokens.slice(i, i + words).join(' '));
  // a short tail joins the piece before it rather than standing as a thin document
  if (pieces.length > 1 && pieces[pieces.length - 1].split(' ').length < words / 2) pieces.push(pieces.pop()! + ' ' + pieces.pop()!);
  return pieces;
}

/** `count` windows of `words` words spread evenly through the book. */
function samples(text: string, count: number, words: number): string {
  const tokens = text.split(/\s+/).filter(Boolean);
  if (tokens.length <= count * words) return text;
  const step = (tokens.length - words) / (count - 1);
  const parts: string[] = [];
  for (let i = 0; i < count; i++) parts.push(tokens.slice(Math.round(i * step), Math.round(i * step) + words).join(' '));
  return parts.join(' ');
}

async function score(name: string, vectorsFor: (seed: number) => number[][], truth: string[]) {
  const nmi: number[] = [];
  const ari: number[] = [];
  const start = performance.now();
  for (const seed of seeds) {
    const best = await kmeansBestAsync(vectorsFor(seed), 12, { seed, restarts: 10 });
    nmi.push(normalizedMutualInfo(truth, best.labels));
    ari.push(adjustedRandIndex(truth, best.labels));
  }
  const mean = (xs: number[]) => (xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(3);
  console.log(
    `${name.padEnd(44)} NMI ${mean(nmi)} (min ${Math.min(...nmi).toFixed(3)})  ARI ${mean(ari)}  ${((performance.now() - start) / 1000 / seeds.length).toFixed(2)} s/seed`,
  );
}

async function main() {
  requireCorpus();
  const genres = loadGenres();
  const files = readdirSync(join(CORPUS, 'books')).map((f) => join(CORPUS, 'books', f));
  const bodies: string[] = [];
  const truth: string[] = [];
  for (const file of files) {
    const result = await readBook(file);
    if (!result.ok) throw new Error(result.rejected.message);
    bodies.push(result.book.body);
    truth.push(genres.get(file)!);
  }
  console.log(`${bodies.length} books; TF-IDF ${JSON.stringify(features)}; LSA ${components} + unit rows + K-means (k 12, 10 restarts)`);

  const lsa = (docs: TermCounts[]) => (seed: number) => {
    const { model, rows } = fitTransformTfidf(docs, tfidfOptionsFor(features, docs.length));
    return l2NormalizeRows(truncatedSvd(rows, model.vocabulary.length, components, seed));
  };

  await score('whole book', lsa(bodies.map((b) => countTerms(b, features).counts)), truth);
  for (const [count, words] of values.samples!.split(',').map((plan) => plan.split('x').map(Number))) {
    await score(`${count} samples of ${words} words`, lsa(bodies.map((b) => countTerms(samples(b, count, words), features).counts)), truth);
  }
  for (const words of [5000, 20000]) {
    const owner: number[] = [];
    const chunks: TermCounts[] = [];
    bodies.forEach((body, book) => {
      for (const piece of splitWords(body, words)) {
        chunks.push(countTerms(piece, features).counts);
        owner.push(book);
      }
    });
    const chunkVectors = lsa(chunks);
    await score(
      `chunks of ${words} words, averaged (${chunks.length} chunks)`,
      (seed) => {
        const vectors = chunkVectors(seed);
        const sums = bodies.map(() => new Array<number>(components).fill(0));
        vectors.forEach((v, i) => v.forEach((x, j) => (sums[owner[i]][j] += x)));
        return l2NormalizeRows(sums);
      },
      truth,
    );
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
