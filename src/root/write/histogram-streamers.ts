// Streamer descriptions of ROOT's histogram classes, as ROOT 6 writes them (TH1 v8,
// TH2 v5, TH2D v4, TAxis v10, TAttAxis v4, THashList v0: the ClassDef versions of
// ROOT's TH1.h, TH2.h, TAxis.h, TAttAxis.h). Decoded from ROOT-written TStreamerInfo
// records (the copies uproot5 keeps in src/uproot/models/TH.py); the checksums are
// ROOT's TStreamerInfo::GetCheckSum values. Generated data, not code.
import type { ClassDef } from './streamers.js';
import { STANDARD_CLASSES } from './standard-streamers.js';

export const HISTOGRAM_CLASSES: readonly ClassDef[] = [
  {
    name: "TH2D",
    version: 4,
    checksum: 2142929648,
    elements: [
      { kind: 'base', name: "TH2", title: "2-Dim histogram base class", type: 0, size: 0, typeName: "BASE", baseVersion: 5, baseChecksum: 25310335 },
      { kind: 'base', name: "TArrayD", title: "Array of doubles", type: 0, size: 0, typeName: "BASE", baseVersion: 1, baseChecksum: 1899622196 },
    ],
  },
  {
    name: "TH2",
    version: 5,
    checksum: 25310335,
    elements: [
      { kind: 'base', name: "TH1", title: "1-Dim histogram base class", type: 0, size: 0, typeName: "BASE", baseVersion: 8, baseChecksum: 473383108 },
      { kind: 'basic', name: "fScalefactor", title: "Scale factor", type: 8, size: 8, typeName: "double" },
      { kind: 'basic', name: "fTsumwy", title: "Total Sum of weight*Y", type: 8, size: 8, typeName: "double" },
      { kind: 'basic', name: "fTsumwy2", title: "Total Sum of weight*Y*Y", type: 8, size: 8, typeName: "double" },
      { kind: 'basic', name: "fTsumwxy", title: "Total Sum of weight*X*Y", type: 8, size: 8, typeName: "double" },
    ],
  },
  {
    name: "TH1",
    version: 8,
    checksum: 473383108,
    elements: [
      { kind: 'base', name: "TNamed", title: "The basis for a named object (name, title)", type: 67, size: 0, typeName: "BASE", baseVersion: 1, baseChecksum: 3753331260 },
      { kind: 'base', name: "TAttLine", title: "Line attributes", type: 0, size: 0, typeName: "BASE", baseVersion: 2, baseChecksum: 2483504457 },
      { kind: 'base', name: "TAttFill", title: "Fill area attributes", type: 0, size: 0, typeName: "BASE", baseVersion: 2, baseChecksum: 4292422290 },
      { kind: 'base', name: "TAttMarker", title: "Marker attributes", type: 0, size: 0, typeName: "BASE", baseVersion: 2, baseChecksum: 689802220 },
      { kind: 'basic', name: "fNcells", title: "number of bins(1D), cells (2D) +U/Overflows", type: 3, size: 4, typeName: "int" },
      { kind: 'object', name: "fXaxis", title: "X axis descriptor", type: 61, size: 216, typeName: "TAxis" },
      { kind: 'object', name: "fYaxis", title: "Y axis descriptor", type: 61, size: 216, typeName: "TAxis" },
      { kind: 'object', name: "fZaxis", title: "Z axis descriptor", type: 61, size: 216, typeName: "TAxis" },
      { kind: 'basic', name: "fBarOffset", title: "(1000*offset) for bar charts or legos", type: 2, size: 2, typeName: "short" },
      { kind: 'basic', name: "fBarWidth", title: "(1000*width) for bar charts or legos", type: 2, size: 2, typeName: "short" },
      { kind: 'basic', name: "fEntries", title: "Number of entries", type: 8, size: 8, typeName: "double" },
      { kind: 'basic', name: "fTsumw", title: "Total Sum of weights", type: 8, size: 8, typeName: "double" },
      { kind: 'basic', name: "fTsumw2", title: "Total Sum of squares of weights", type: 8, size: 8, typeName: "double" },
      { kind: 'basic', name: "fTsumwx", title: "Total Sum of weight*X", type: 8, size: 8, typeName: "double" },
      { kind: 'basic', name: "fTsumwx2", title: "Total Sum of weight*X*X", type: 8, size: 8, typeName: "double" },
      { kind: 'basic', name: "fMaximum", title: "Maximum value for plotting", type: 8, size: 8, typeName: "double" },
      { kind: 'basic', name: "fMinimum", title: "Minimum value for plotting", type: 8, size: 8, typeName: "double" },
      { kind: 'basic', name: "fNormFactor", title: "Normalization factor", type: 8, size: 8, typeName: "double" },
      { kind: 'objectAny', name: "fContour", title: "Array to display contour levels", type: 62, size: 24, typeName: "TArrayD" },
      { kind: 'objectAny', name: "fSumw2", title: "Array of sum of squares of weights", type: 62, size: 24, typeName: "TArrayD" },
      { kind: 'string', name: "fOption", title: "histogram options", type: 65, size: 24, typeName: "TString" },
      { kind: 'objectPointer', name: "fFunctions", title: "->Pointer to list of functions (fits and user)", type: 63, size: 8, typeName: "TList*" },
      { kind: 'basic', name: "fBufferSize", title: "fBuffer size", type: 6, size: 4, typeName: "int" },
      { kind: 'basicPointer', name: "fBuffer", title: "[fBufferSize] entry buffer", type: 48, size: 8, typeName: "double*", countVersion: 8, countName: "fBufferSize", countClass: "TH1" },
      { kind: 'basic', name: "fBinStatErrOpt", title: "option for bin statistical errors", type: 3, size: 4, typeName: "TH1::EBinErrorOpt" },
      { kind: 'basic', name: "fStatOverflows", title: "per object flag to use under/overflows in statistics", type: 3, size: 4, typeName: "TH1::EStatOverflows" },
    ],
  },
  {
    name: "TAxis",
    version: 10,
    checksum: 1514761840,
    elements: [
      { kind: 'base', name: "TNamed", title: "The basis for a named object (name, title)", type: 67, size: 0, typeName: "BASE", baseVersion: 1, baseChecksum: 3753331260 },
      { kind: 'base', name: "TAttAxis", title: "Axis attributes", type: 0, size: 0, typeName: "BASE", baseVersion: 4, baseChecksum: 1550843710 },
      { kind: 'basic', name: "fNbins", title: "Number of bins", type: 3, size: 4, typeName: "int" },
      { kind: 'basic', name: "fXmin", title: "low edge of first bin", type: 8, size: 8, typeName: "double" },
      { kind: 'basic', name: "fXmax", title: "upper edge of last bin", type: 8, size: 8, typeName: "double" },
      { kind: 'objectAny', name: "fXbins", title: "Bin edges array in X", type: 62, size: 24, typeName: "TArrayD" },
      { kind: 'basic', name: "fFirst", title: "first bin to display", type: 3, size: 4, typeName: "int" },
      { kind: 'basic', name: "fLast", title: "last bin to display", type: 3, size: 4, typeName: "int" },
      { kind: 'basic', name: "fBits2", title: "second bit status word", type: 12, size: 2, typeName: "unsigned short" },
      { kind: 'basic', name: "fTimeDisplay", title: "on/off displaying time values instead of numerics", type: 18, size: 1, typeName: "bool" },
      { kind: 'string', name: "fTimeFormat", title: "Date&time format, ex: 09/12/99 12:34:00", type: 65, size: 24, typeName: "TString" },
      { kind: 'objectPointer', name: "fLabels", title: "List of labels", type: 64, size: 8, typeName: "THashList*" },
      { kind: 'objectPointer', name: "fModLabs", title: "List of modified labels", type: 64, size: 8, typeName: "TList*" },
    ],
  },
  {
    name: "TAttAxis",
    version: 4,
    checksum: 1550843710,
    elements: [
      { kind: 'basic', name: "fNdivisions", title: "Number of divisions(10000*n3 + 100*n2 + n1)", type: 3, size: 4, typeName: "int" },
      { kind: 'basic', name: "fAxisColor", title: "Color of the line axis", type: 2, size: 2, typeName: "short" },
      { kind: 'basic', name: "fLabelColor", title: "Color of labels", type: 2, size: 2, typeName: "short" },
      { kind: 'basic', name: "fLabelFont", title: "Font for labels", type: 2, size: 2, typeName: "short" },
      { kind: 'basic', name: "fLabelOffset", title: "Offset of labels", type: 5, size: 4, typeName: "float" },
      { kind: 'basic', name: "fLabelSize", title: "Size of labels", type: 5, size: 4, typeName: "float" },
      { kind: 'basic', name: "fTickLength", title: "Length of tick marks", type: 5, size: 4, typeName: "float" },
      { kind: 'basic', name: "fTitleOffset", title: "Offset of axis title", type: 5, size: 4, typeName: "float" },
      { kind: 'basic', name: "fTitleSize", title: "Size of axis title", type: 5, size: 4, typeName: "float" },
      { kind: 'basic', name: "fTitleColor", title: "Color of axis title", type: 2, size: 2, typeName: "short" },
      { kind: 'basic', name: "fTitleFont", title: "Font for axis title", type: 2, size: 2, typeName: "short" },
    ],
  },
  {
    name: "THashList",
    version: 0,
    checksum: 3430828481,
    elements: [
      { kind: 'base', name: "TList", title: "Doubly linked list", type: 0, size: 0, typeName: "BASE", baseVersion: 5, baseChecksum: 1774568379 },
    ],
  },
];

function byName(name: string): ClassDef {
  const c = HISTOGRAM_CLASSES.find((k) => k.name === name) ?? STANDARD_CLASSES.find((k) => k.name === name);
  if (!c) throw new Error(`internal: no streamer for ${name}`);
  return c;
}

/**
 * The StreamerInfo records a file holding a TH2D needs, in the order ROOT lists them:
 * the class, its bases, its members' classes and theirs. TArrayD (and TArray) are not
 * among them: their Streamers are hand-written, and ROOT writes no record for them.
 */
export const TH2D_CLASSES: readonly ClassDef[] = [
  'TH2D',
  'TH2',
  'TH1',
  'TNamed',
  'TObject',
  'TAttLine',
  'TAttFill',
  'TAttMarker',
  'TAxis',
  'TAttAxis',
  'THashList',
  'TList',
  'TSeqCollection',
  'TCollection',
  'TString',
].map(byName);
