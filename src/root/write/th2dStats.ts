// The running sums a TH2 keeps (fTsumw, fTsumw2, fTsumwx, ...), computed from its
// cells the way ROOT's TH2::GetStats does when it recomputes them (after
// SetBinContent, ResetStats): over the in-range bins only (flow bins are left out,
// ROOT's default, TH1::StatOverflows false), each bin at its centre, sumw2 from the
// per-cell sum of squared weights. A histogram filled event by event in ROOT would
// hold the sums over the exact coordinates instead; only the bins are known here.

import type { Th2dAxis, Th2dStats } from './th2d.js';

/** TAxis::GetBinCenter for fixed bins: low + (bin - 0.5) * (high - low) / count. */
function binCenter(a: Th2dAxis, bin: number): number {
  const width = (a.high - a.low) / a.count;
  return a.low + (bin - 0.5) * width;
}

export function th2dStats(x: Th2dAxis, y: Th2dAxis, values: Float64Array, sumw2: Float64Array): Th2dStats {
  const rowLength = x.count + 2;
  let tsumw = 0;
  let tsumw2 = 0;
  let tsumwx = 0;
  let tsumwx2 = 0;
  let tsumwy = 0;
  let tsumwy2 = 0;
  let tsumwxy = 0;
  for (let iy = 1; iy <= y.count; iy++) {
    const cy = binCenter(y, iy);
    for (let ix = 1; ix <= x.count; ix++) {
      const cell = ix + rowLength * iy;
      const w = values[cell] as number;
      const cx = binCenter(x, ix);
      tsumw += w;
      tsumw2 += sumw2[cell] as number;
      tsumwx += w * cx;
      tsumwx2 += w * cx * cx;
      tsumwy += w * cy;
      tsumwy2 += w * cy * cy;
      tsumwxy += w * cx * cy;
    }
  }
  return { tsumw, tsumw2, tsumwx, tsumwx2, tsumwy, tsumwy2, tsumwxy };
}
