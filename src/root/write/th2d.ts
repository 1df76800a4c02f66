// A TH2D as ROOT streams it (TH2D v4 = TH2 v5 + TArrayD; TH2 = TH1 v8 + four sums;
// TH1 = TNamed, TAttLine/Fill/Marker, three TAxis v10, sums, TArrayD fSumw2, ...),
// member by member in the order of the streamers in histogram-streamers.ts. Drawing
// attributes get the values a TH2D constructed in ROOT has.

import { ByteWriter } from './buffer.js';
import { RootWriteSpecError } from './errors.js';
import { TH2D_CLASSES } from './histogram-streamers.js';
import { writeTNamed, writeTObject } from './objects.js';
import type { KeyedObject } from './types.js';

export interface Th2dAxis {
  readonly count: number;
  readonly low: number;
  readonly high: number;
  readonly title: string;
}

/** ROOT's running sums (TH1::GetStats order: sumw, sumw2, sumwx, sumwx2, sumwy, sumwy2, sumwxy). */
export interface Th2dStats {
  readonly tsumw: number;
  readonly tsumw2: number;
  readonly tsumwx: number;
  readonly tsumwx2: number;
  readonly tsumwy: number;
  readonly tsumwy2: number;
  readonly tsumwxy: number;
}

export interface Th2dSpec {
  readonly name: string;
  readonly title: string;
  readonly x: Th2dAxis;
  readonly y: Th2dAxis;
  /** (x.count + 2) * (y.count + 2) cells, flow bins included: cell = ix + (x.count + 2) * iy. */
  readonly values: Float64Array;
  /** Sum of squared weights per cell (fSumw2), same layout. */
  readonly sumw2: Float64Array;
  readonly entries: number;
  readonly stats: Th2dStats;
}

// fBits as ROOT 6.24 leaves them: kIsOnHeap | kNotDeleted, plus kMustCleanup on the
// histogram (it is registered with its directory) and kUseRWLock on fFunctions.
const BITS_HIST = 0x03000008;
const BITS_AXIS = 0x03000000;
const BITS_FUNCTIONS = 0x03010000;

/** TArrayD's own Streamer: the length, then the doubles (no byte count, no version). */
function writeTArrayD(w: ByteWriter, a: ArrayLike<number>): void {
  w.i32(a.length);
  w.ensure(8 * a.length);
  for (let i = 0; i < a.length; i++) w.f64(a[i] as number);
}

function writeTAxis(w: ByteWriter, name: string, axis: Th2dAxis): void {
  const at = w.beginVersioned(10);
  writeTNamed(w, name, axis.title, BITS_AXIS);
  const att = w.beginVersioned(4); // TAttAxis, TAttAxis::ResetAttAxis defaults
  w.i32(510); // fNdivisions
  w.i16(1); // fAxisColor
  w.i16(1); // fLabelColor
  w.i16(42); // fLabelFont
  w.f32(0.005); // fLabelOffset
  w.f32(0.035); // fLabelSize
  w.f32(0.03); // fTickLength
  w.f32(1); // fTitleOffset
  w.f32(0.035); // fTitleSize
  w.i16(1); // fTitleColor
  w.i16(42); // fTitleFont
  w.endCounted(att);
  w.i32(axis.count);
  w.f64(axis.low);
  w.f64(axis.high);
  writeTArrayD(w, []); // fXbins: empty for uniform bins
  w.i32(0); // fFirst
  w.i32(0); // fLast
  w.u16(0); // fBits2
  w.u8(0); // fTimeDisplay
  w.tstring(''); // fTimeFormat
  w.u32(0); // fLabels: null
  w.u32(0); // fModLabs: null
  w.endCounted(at);
}

/**
 * The empty TList fFunctions. Its pointer is marked `->` (kObjectp: never null), so
 * ROOT streams the list in place, with its byte count and version but no class tag.
 */
function writeEmptyList(w: ByteWriter): void {
  const at = w.beginVersioned(5);
  writeTObject(w, BITS_FUNCTIONS);
  w.tstring(''); // fName
  w.i32(0); // fSize
  w.endCounted(at);
}

function checkSpec(s: Th2dSpec): void {
  const fail = (what: string): never => {
    throw new RootWriteSpecError(`TH2D '${s.name}': ${what}`);
  };
  for (const [n, a] of [['x', s.x], ['y', s.y]] as const) {
    if (!Number.isInteger(a.count) || a.count < 1) fail(`${n} axis: bin count must be a positive integer, got ${a.count}`);
    if (!Number.isFinite(a.low) || !Number.isFinite(a.high) || !(a.low < a.high)) fail(`${n} axis: expected finite low < high, got [${a.low}, ${a.high}]`);
  }
  const cells = (s.x.count + 2) * (s.y.count + 2);
  if (s.values.length !== cells) fail(`expected ${cells} cells of values (flow bins included), got ${s.values.length}`);
  if (s.sumw2.length !== cells) fail(`expected ${cells} cells of sumw2 (flow bins included), got ${s.sumw2.length}`);
  if (cells > 0x7fffffff) fail(`too many cells (${cells})`);
}

/** The TH2D object body, from its byte count and version on (it holds no object references, so no key offset is needed). */
export function serializeTh2d(s: Th2dSpec): Uint8Array {
  checkSpec(s);
  const w = new ByteWriter(1024 + 16 * s.values.length);
  const th2d = w.beginVersioned(4);
  const th2 = w.beginVersioned(5);
  const th1 = w.beginVersioned(8);
  writeTNamed(w, s.name, s.title, BITS_HIST);
  const line = w.beginVersioned(2);
  w.i16(602); // fLineColor (kBlue + 2)
  w.i16(1); // fLineStyle
  w.i16(1); // fLineWidth
  w.endCounted(line);
  const fill = w.beginVersioned(2);
  w.i16(0); // fFillColor
  w.i16(1001); // fFillStyle
  w.endCounted(fill);
  const marker = w.beginVersioned(2);
  w.i16(1); // fMarkerColor
  w.i16(1); // fMarkerStyle
  w.f32(1); // fMarkerSize
  w.endCounted(marker);
  w.i32(s.values.length); // fNcells
  writeTAxis(w, 'xaxis', s.x);
  writeTAxis(w, 'yaxis', s.y);
  writeTAxis(w, 'zaxis', { count: 1, low: 0, high: 1, title: '' });
  w.i16(0); // fBarOffset
  w.i16(1000); // fBarWidth
  w.f64(s.entries);
  w.f64(s.stats.tsumw);
  w.f64(s.stats.tsumw2);
  w.f64(s.stats.tsumwx);
  w.f64(s.stats.tsumwx2);
  w.f64(-1111); // fMaximum: unset
  w.f64(-1111); // fMinimum: unset
  w.f64(0); // fNormFactor
  writeTArrayD(w, []); // fContour
  writeTArrayD(w, s.sumw2);
  w.tstring(''); // fOption
  writeEmptyList(w);
  w.i32(0); // fBufferSize
  w.u8(0); // fBuffer: a basic pointer's "array present" byte, 0 for none
  w.i32(0); // fBinStatErrOpt: kNormal
  w.i32(2); // fStatOverflows: kNeutral (follow the global setting)
  w.endCounted(th1);
  w.f64(1); // fScalefactor
  w.f64(s.stats.tsumwy);
  w.f64(s.stats.tsumwy2);
  w.f64(s.stats.tsumwxy);
  w.endCounted(th2);
  writeTArrayD(w, s.values); // TArrayD base: the bin contents
  w.endCounted(th2d);
  return w.toUint8Array();
}

/** A TH2D to store under its name with `RootFileWriter.writeObject`. */
export function th2dObject(s: Th2dSpec): KeyedObject {
  checkSpec(s);
  return {
    className: 'TH2D',
    name: s.name,
    title: s.title,
    classes: TH2D_CLASSES,
    serialize: () => serializeTh2d(s),
  };
}
