// What a run does after training, on a finished run's books: consensus K-means, naming and the
// layout, one after the other on one thread as before issue 10's layout thread, and with the
// layout in its worker thread beside the other two as the pipeline does now. Prints wall and
// this process's CPU seconds of each way and whether both gave the same map bit for bit.
//   npm run bench:after-training -- --db COPY_OF_LIBRARY.sqlite [--run 1 --tries 1]
// Use a copy of a library (bench:scale's, e.g. /work/scale/run-10k-s3/library.sqlite): the
// embeddings are the run's saved ones (one view, where the run's consensus saw its samples' views).
import { parseArgs } from 'node:util';
import { openLibraryEngine } from './bench-library';
import { consensusOfViewsAsync } from '../src-main/engine/cluster/consensus';
import { layout2dAsync, startLayoutWorker } from '../src-main/engine/cluster/layout';
import { l2NormalizeRows } from '../src-main/engine/features/lsa';
import { nameClusters } from '../src-main/engine/pipeline';

const { values } = parseArgs({ options: { db: { type: 'string' }, run: { type: 'string', default: '1' }, tries: { type: 'string', default: '1' } } });
if (!values.db) throw new Error('Give --db: a copy of a library with a finished run.');
const { store, engine } = openLibraryEngine(values.db);
const runId = Number(values.run);
const { run, points, clusters } = await engine.call('getRun', { runId });
const placement = store.runPlacement(runId);
if (!placement) throw new Error(`Run ${runId} kept no embeddings.`);
// in the order the run took its books (the library's)
const byBook = new Map(points.map((p) => [p.bookId, p]));
const books = store.listBooks().filter((b) => byBook.has(b.id));
const embedding = books.map((b) => Array.from(placement.embeddings.get(b.id)!));
const labels = books.map((b) => byBook.get(b.id)!.cluster);
const k = clusters.length;
const settings = run.settings;
const space = settings.normalizeEmbeddings ? l2NormalizeRows(embedding) : embedding;
console.log(`run ${runId}: ${books.length} books, k = ${k}, ${embedding[0].length}-D embeddings, consensus of ${settings.consensusRuns} runs`);

const timed = async (name: string, work: () => Promise<number[][]>) => {
  const start = performance.now();
  const cpu = process.cpuUsage();
  const xy = await work();
  const used = process.cpuUsage(cpu);
  console.log(`${name}: ${((performance.now() - start) / 1000).toFixed(1)} s wall, CPU ${(used.user / 1e6).toFixed(1)} s user + ${(used.system / 1e6).toFixed(1)} s system`);
  return xy;
};
const part = async (name: string, work: () => unknown) => {
  const start = performance.now();
  await work();
  console.log(`  ${name} ${((performance.now() - start) / 1000).toFixed(1)} s`);
};

for (let t = 0; t < Number(values.tries); t++) {
  const before = await timed('one thread (consensus, naming, layout)', async () => {
    await part('consensus', () => consensusOfViewsAsync([space], k, { seed: settings.seed, runs: settings.consensusRuns }));
    await part('naming', () => nameClusters(store, books, settings, labels, k));
    let xy: number[][] = [];
    await part('layout', async () => (xy = await layout2dAsync(embedding, { seed: settings.seed })));
    return xy;
  });
  const after = await timed('layout in its thread beside consensus and naming', async () => {
    const job = startLayoutWorker(embedding, { seed: settings.seed });
    await part('consensus', () => consensusOfViewsAsync([space], k, { seed: settings.seed, runs: settings.consensusRuns }));
    await part('naming', () => nameClusters(store, books, settings, labels, k));
    let result = { xy: [] as number[][], ms: 0 };
    await part('wait for the map', async () => (result = await job.result));
    console.log(`  (the layout thread's own time: ${(result.ms / 1000).toFixed(1)} s)`);
    return result.xy;
  });
  const bytes = (xy: number[][]) => Buffer.from(Float64Array.from(xy.flat()).buffer);
  console.log(`same map bit for bit: ${bytes(before).equals(bytes(after))}`);
}
store.close();
