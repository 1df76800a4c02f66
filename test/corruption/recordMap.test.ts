// The corpus' own tools, checked before they are trusted: the record map agrees
// with jsroot's reading of the same file (keys, streamer infos, every basket of
// every branch), and a case is the same bytes every time it is made.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openFile, type JsrootList, type JsrootNamed } from 'jsroot/io';
import { ROOT_DIR } from './cli.js';
import { toBigHeader } from './inputs.js';
import { CATEGORIES, makeMutation, recordContent, type Input } from './mutations.js';
import { mapRecords } from './recordMap.js';

const FIXTURE = join(ROOT_DIR, 'fixtures', 'lz', 'SS_skim_K40_DomePMTs.root');

function basketSeeks(branches: JsrootList | undefined, out: Map<number, string>): void {
  for (const b of branches?.arr ?? []) {
    if (!b) continue;
    const seeks = (b['fBasketSeek'] ?? []) as ArrayLike<number>;
    const n = Number(b['fWriteBasket'] ?? 0);
    for (let i = 0; i < n; i++) if (seeks[i]) out.set(Number(seeks[i]), b.fName!);
    basketSeeks(b['fBranches'] as JsrootList | undefined, out);
  }
}

async function jsrootBaskets(path: string): Promise<Map<number, string>> {
  const file = await openFile(path);
  const out = new Map<number, string>();
  for (const name of ['Scatters', 'RQMCTruth']) {
    const tree: JsrootNamed = await file.readObject(name);
    basketSeeks(tree['fBranches'] as JsrootList, out);
  }
  return out;
}

describe('the corpus record map', () => {
  it('finds every key, the streamer infos and every basket jsroot finds, with their branch names', async () => {
    const bytes = new Uint8Array(readFileSync(FIXTURE));
    const m = mapRecords(bytes);
    const file = await openFile(FIXTURE);
    const seekInfo = (file as unknown as { fSeekInfo: number }).fSeekInfo;
    expect(m.streamer?.seek).toBe(seekInfo);
    // jsroot lists the streamer infos among its keys; the keys list does not hold them
    const keys = file.fKeys.filter((k) => k.fSeekKey !== seekInfo);
    expect(m.keyslistEntries.map((e) => [e.name, e.seekKey])).toEqual(keys.map((k) => [k.fName, k.fSeekKey]));
    expect(m.trees.map((t) => t.name).sort()).toEqual(['RQMCTruth', 'Scatters']);
    const want = await jsrootBaskets(FIXTURE);
    expect(new Map(m.baskets.map((b) => [b.seek, b.name]))).toEqual(want);
    // the walk covers the file from fBEGIN to fEND without a gap
    const last = m.records.at(-1)!;
    expect(last.seek + last.nbytes).toBe(m.fEND);
    expect(m.fEND).toBe(bytes.length);
  });

  it('reads a basket payload back to fObjlen bytes, with its offset table after fLast', async () => {
    const bytes = new Uint8Array(readFileSync(FIXTURE));
    const m = mapRecords(bytes);
    const b = m.baskets.find((x) => x.name === 'mcTruthVertices.volumeName' && x.hasOffsets)!;
    const content = (await recordContent(bytes, b))!;
    expect(content.length).toBe(b.objlen);
    const v = new DataView(content.buffer, content.byteOffset, content.byteLength);
    // the first stored entry offset is the key length (entries are counted from the key's start)
    expect(v.getInt32(b.fLast - b.keylen + 4)).toBe(b.keylen);
  });

  it('maps the big-file header form to the same records', () => {
    const bytes = new Uint8Array(readFileSync(FIXTURE));
    const small = mapRecords(bytes);
    const big = mapRecords(toBigHeader(bytes));
    expect(big.bigHeader).toBe(true);
    expect(big.header.find((f) => f.name === 'header.fEND')!.width).toBe(8);
    expect([big.fEND, big.seekInfo, big.seekFree, big.seekKeys]).toEqual([small.fEND, small.seekInfo, small.seekFree, small.seekKeys]);
    expect(big.records.map((r) => r.seek)).toEqual(small.records.map((r) => r.seek));
  });

  it('makes the same bytes for the same case, and changes the file in every category', async () => {
    const bytes = new Uint8Array(readFileSync(FIXTURE));
    const input: Input = { id: 'fixture', compression: 'zlib', path: FIXTURE, bytes, map: mapRecords(bytes) };
    for (let i = 0; i < CATEGORIES.length * 2; i++) {
      const a = await makeMutation(7, i, [input]);
      const b = await makeMutation(7, i, [input]);
      expect(a.mutation).toEqual(b.mutation);
      expect(Buffer.compare(a.data, b.data), `case ${i}`).toBe(0);
      expect(a.data.length !== bytes.length || Buffer.compare(a.data, bytes) !== 0, `case ${i} changes the file`).toBe(true);
      expect(a.mutation.category).toBe(CATEGORIES[i % CATEGORIES.length]);
    }
    expect(Buffer.compare(bytes, readFileSync(FIXTURE)), 'the input is left as it was').toBe(0);
  });
});
