import { describe, expect, it } from 'vitest';
import { LABELS_ID_COLUMNS, LABELS_LABEL_COLUMNS } from '../../src-shared/domain';
import { pickColumn, tableColumns } from './labels-table';

describe('tableColumns', () => {
  it('reads the header row of a CSV table, a BOM and blank lines before it aside', () => {
    expect(tableColumns('m.csv', '\uFEFF\n\nid,file,"genre, broad"\r\n11,books/11.txt,children\r\n')).toEqual({ columns: ['id', 'file', 'genre, broad'] });
  });

  it('says why a file is no labels table', () => {
    expect(tableColumns('scan.csv', 'PK\u0003\u0004\u0000\u0000')).toEqual({ error: 'scan.csv is not a text file: a labels table is CSV text with a header row.' });
    expect(tableColumns('e.csv', '\n \n')).toEqual({ error: 'e.csv is empty: a labels table needs a header row and a row per book.' });
    expect(tableColumns('notes.txt', 'Books I liked\nThe Salt Road\n')).toMatchObject({ error: expect.stringMatching(/^notes\.txt does not look like a CSV table: its first line has one column \("Books I liked"\)/) });
    expect(tableColumns('t.tsv', 'id\tgenre\n1\tpoetry\n')).toMatchObject({ error: expect.stringMatching(/one column .*separated by commas/) });
    expect(tableColumns('b.csv', 'id,,genre\n')).toEqual({ error: 'b.csv has a column without a name in its header row; name every column.' });
    expect(tableColumns('d.csv', 'id,genre,ID\n')).toEqual({ error: 'd.csv has two columns named "ID"; give each column its own name.' });
  });
});

describe('pickColumn', () => {
  it('offers the columns the engine would take by default, in their order, else the fallback', () => {
    expect(pickColumn(['file', 'Ebook_ID', 'genre'], LABELS_ID_COLUMNS, 'file')).toBe('Ebook_ID');
    expect(pickColumn(['id', 'Genre', 'label'], LABELS_LABEL_COLUMNS, 'id')).toBe('label');
    expect(pickColumn(['slug', 'shelf'], LABELS_LABEL_COLUMNS, 'shelf')).toBe('shelf');
  });
});
