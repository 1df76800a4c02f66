// Reads a TH2D back with jsroot (the independent reader the tests trust) into the
// fields the tests compare, and collects jsroot's complaints (it logs byte-count
// mismatches instead of throwing).
import { vi } from 'vitest';
import { openFile, type JsrootFile } from 'jsroot/io';

export interface JsrootAxis {
  fName: string;
  fTitle: string;
  fNbins: number;
  fXmin: number;
  fXmax: number;
  fXbins: number[];
}

export interface JsrootTh2d {
  _typename: string;
  fName: string;
  fTitle: string;
  fBits: number;
  fNcells: number;
  fXaxis: JsrootAxis;
  fYaxis: JsrootAxis;
  fZaxis: JsrootAxis;
  fEntries: number;
  fTsumw: number;
  fTsumw2: number;
  fTsumwx: number;
  fTsumwx2: number;
  fTsumwy: number;
  fTsumwy2: number;
  fTsumwxy: number;
  fScalefactor: number;
  fMaximum: number;
  fMinimum: number;
  fBarWidth: number;
  fStatOverflows: number;
  fBufferSize: number;
  fFunctions: { _typename: string; arr: unknown[] };
  fSumw2: ArrayLike<number>;
  fArray: ArrayLike<number>;
}

export interface StreamerInfoView {
  fName: string;
  fClassVersion: number;
  fCheckSum: number;
}

export interface ReadBack {
  readonly file: JsrootFile;
  readonly keys: { fName: string; fClassName: string; fCycle: number; fTitle: string }[];
  readonly infos: Map<string, StreamerInfoView>;
  readonly hists: Map<string, JsrootTh2d>;
  /** What jsroot logged while reading (a byte-count mismatch shows here). */
  readonly complaints: string[];
}

export async function readHistograms(path: string): Promise<ReadBack> {
  const complaints: string[] = [];
  const spy = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void complaints.push(a.map(String).join(' ')));
  try {
    const file = await openFile(path);
    const f = file as unknown as { fKeys: ReadBack['keys']; fStreamerInfos: { arr: StreamerInfoView[] } };
    const hists = new Map<string, JsrootTh2d>();
    for (const k of f.fKeys) {
      if (k.fClassName === 'TH2D') hists.set(k.fName, (await file.readObject(k.fName)) as unknown as JsrootTh2d);
    }
    return { file, keys: f.fKeys, infos: new Map(f.fStreamerInfos.arr.map((s) => [s.fName, s])), hists, complaints };
  } finally {
    spy.mockRestore();
  }
}

/** Bit-for-bit equality of float64 arrays (NaN-free, -0 distinct from 0): the first difference, or null. */
export function firstDifference(got: ArrayLike<number>, want: ArrayLike<number>): string | null {
  if (got.length !== want.length) return `length ${got.length}, expected ${want.length}`;
  for (let i = 0; i < want.length; i++) {
    if (!Object.is(got[i], want[i])) return `cell ${i}: ${got[i]}, expected ${want[i]}`;
  }
  return null;
}
