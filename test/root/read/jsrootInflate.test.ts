// jsroot's metadata inflate, replaced by the reader's: the same bytes for every
// key of files compressed with zlib, lz4, zstd and lzma.
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openFile } from 'jsroot/io';
import { openRootFile } from '../../../src/root/read/reader.js';
import { loadLzma } from '../../../src/root/read/compression.js';
import { jsrootsReadObjBuffer } from '../../../src/root/read/jsrootInflate.js';

const REAL = join(dirname(fileURLToPath(import.meta.url)), '../../../fixtures/real');
const FILES = [
  'uproot-HZZ-zlib.root',
  'uproot-HZZ-lz4.root',
  'uproot-HZZ-zstd.root',
  'uproot-HZZ-lzma.root',
  'uproot-sample-5.30.00-zlib.root',
  'nanoAOD_2015_CMS_Open_Data_ttbar.root',
];

interface JsrootBuffer {
  arr: DataView;
  length: number;
  fTagOffset: number;
}

const bytesOf = (b: JsrootBuffer) => new Uint8Array(b.arr.buffer, b.arr.byteOffset, b.length);

describe("jsroot's metadata inflate, replaced", () => {
  it('gives jsroot’s own bytes for every key', async () => {
    (await openRootFile(join(REAL, FILES[0]!))).close(); // installs the replacement
    const jsroots = jsrootsReadObjBuffer();
    expect(jsroots).not.toBeNull();
    for (const lzma of [false, true]) {
      if (lzma) await loadLzma();
      for (const name of FILES) {
        const file = await openFile(join(REAL, name));
        expect(file.fKeys.some((k) => k.fObjlen > k.fNbytes - k.fKeylen), `${name} has compressed keys`).toBe(true);
        for (const key of file.fKeys) {
          const ours = (await file.readObjBuffer(key)) as unknown as JsrootBuffer;
          const theirs = (await jsroots!.call(file, key)) as unknown as JsrootBuffer;
          expect(ours.fTagOffset, `${name}: ${key.fName}`).toBe(theirs.fTagOffset);
          expect(ours.length, `${name}: ${key.fName}`).toBe(theirs.length);
          expect(Buffer.from(bytesOf(ours)).equals(Buffer.from(bytesOf(theirs))), `${name}: ${key.fName}`).toBe(true);
        }
      }
    }
  });
});
