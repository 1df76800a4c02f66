import { describe, expect, it } from 'vitest';
import { cutText, ELLIPSIS, fitTable, type TableColumn } from '../../src/report/table.js';

const col = (header: string, cells: string[], priority: number, more: Partial<TableColumn> = {}): TableColumn => ({
  header,
  cells,
  align: header === 'name' ? 'left' : 'right',
  priority,
  ...more,
});

const columns: TableColumn[] = [
  col('name', ['a-rather-long-name', 'short'], 0, { required: true, cutTo: 6 }),
  col('extra one', ['1', '22'], 3),
  col('key count', ['123', '4'], 1, { required: true }),
  col('x', ['9', '9'], 4),
  col('key rate', ['0.0625', '12.5'], 2, { required: true }),
];
const widest = (lines: string[]) => Math.max(...lines.map((l) => l.length));

describe('fitTable', () => {
  it('with no limit shows every column whole, in order, headers on one line', () => {
    const lines = fitTable(columns, { width: Number.POSITIVE_INFINITY });
    expect(lines).toEqual([
      'name                extra one  key count  x  key rate',
      'a-rather-long-name          1        123  9    0.0625',
      'short                      22          4  9      12.5',
    ]);
  });

  it('takes the other columns by priority while they fit (a narrow one after a wide one that did not)', () => {
    const lines = fitTable(columns, { width: 45 });
    expect(lines[0]).toBe('name                key count  x  key rate');
    expect(widest(lines)).toBeLessThanOrEqual(45);
  });

  it('puts headers over two lines before it cuts a name', () => {
    const lines = fitTable(columns, { width: 34 });
    expect(lines).toEqual([
      '                      key     key',
      'name                count    rate',
      'a-rather-long-name    123  0.0625',
      'short                   4    12.5',
    ]);
  });

  it('then cuts names with an ellipsis, never a number, down to their minimum', () => {
    const lines = fitTable(columns, { width: 24 });
    expect(widest(lines)).toBeLessThanOrEqual(24);
    expect(lines[2]).toBe(`a-rather${ELLIPSIS}    123  0.0625`);
    expect(lines.join('\n')).toContain('0.0625');
    // narrower than the required columns with the name at its minimum: the least important go
    const tiny = fitTable(columns, { width: 16 });
    expect(widest(tiny)).toBeLessThanOrEqual(16);
    expect(tiny.at(-1)).toBe('short       4');
  });

  it('keeps the indent inside the width', () => {
    const lines = fitTable(columns, { width: 36, indent: '  ' });
    expect(lines.every((l) => l.startsWith('  '))).toBe(true);
    expect(widest(lines)).toBeLessThanOrEqual(36);
  });

  it('cutText', () => {
    expect(cutText('abcdef', 6)).toBe('abcdef');
    expect(cutText('abcdef', 4)).toBe(`abc${ELLIPSIS}`);
  });
});
