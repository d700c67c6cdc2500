// Whether two libraries built from the same folder hold the same books: every column of books
// but its id and added_at, and each book's terms, samples, spans and the rejected files, matched
// by path (ids follow the order reader threads finish in). For checking that a faster add gives
// the same library: `npx tsx bench/compare-libraries.ts A.sqlite B.sqlite`. Exits 1 on a difference.
import Database from 'better-sqlite3';

const [first, second] = process.argv.slice(2);
if (!first || !second) {
  console.error('usage: npx tsx bench/compare-libraries.ts A.sqlite B.sqlite');
  process.exit(2);
}

/** Rows keyed by path (and tokenizer, for terms), each as one comparable string. */
function rowsByPath(file: string, sql: string): Map<string, string> {
  const db = new Database(file, { readonly: true });
  const rows = new Map<string, string>();
  for (const row of db.prepare(sql).all() as Record<string, unknown>[]) {
    const text = JSON.stringify(row, (_key, value: unknown) => (Buffer.isBuffer(value) ? value.toString('base64') : value));
    rows.set(row.tokenizer === undefined ? String(row.path) : `${String(row.path)}\t${String(row.tokenizer)}`, text);
  }
  db.close();
  return rows;
}

const bookColumns = (file: string): string[] => {
  const db = new Database(file, { readonly: true });
  const names = (db.prepare('PRAGMA table_info(books)').all() as { name: string }[]).map((column) => column.name);
  db.close();
  return names.filter((name) => name !== 'id' && name !== 'added_at');
};

const columns = bookColumns(first).join(', ');
const queries: Record<string, string> = {
  books: `SELECT ${columns} FROM books`,
  book_terms: 'SELECT b.path, t.tokenizer, t.tokens, t.counts FROM book_terms t JOIN books b ON b.id = t.book_id',
  book_samples: 'SELECT b.path, s.plan, s.windows FROM book_samples s JOIN books b ON b.id = s.book_id',
  book_spans: 'SELECT b.path, s.plan, s.spans, s.byte_spans FROM book_spans s JOIN books b ON b.id = s.book_id',
  rejected_files: 'SELECT path, reason, message, duplicate_of FROM rejected_files',
};

let differences = 0;
for (const [table, sql] of Object.entries(queries)) {
  const a = rowsByPath(first, sql);
  const b = rowsByPath(second, sql);
  let differ = 0;
  for (const [path, row] of a) if (b.get(path) !== row) differ++;
  for (const path of b.keys()) if (!a.has(path)) differ++;
  console.log(`${table}: ${a.size} and ${b.size} rows, ${differ} differ`);
  differences += differ;
}
process.exit(differences === 0 ? 0 : 1);
