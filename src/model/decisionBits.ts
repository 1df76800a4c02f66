// Per-event decision bits (FV | ROI | MSSI of selection/reference.ts) for the model's
// binning. For now from the float64 reference's decideEvent; the CPU kernel will fill
// the same bits as it counts (selectCpu(columns, selection, bitsOut)), and this seam is
// then replaced by those bits.

import { DEFAULT_SELECTION, type Selection } from '../selection/definition.js';
import { decideEvent } from '../selection/reference.js';
import type { EventColumns } from '../selection/types.js';

/**
 * Fills out[0 .. columns.entries) so that an event has FV and ROI in out[i] exactly when
 * it is an SS FV ROI event, and then its MSSI bit too: all the model reads. Other events
 * may read 0 whatever their FV or MSSI bit: decideEvent (the whole selection, ~25% of a
 * run's time if asked of every event) is asked only of events that pass the drift window
 * of FV and the cS1 and raw S2 cuts of ROI, with the reference's comparisons exactly
 * (about 3% of LZ's events); these are parts of FV and ROI, so no SS FV ROI event is left out.
 */
export function decisionBits(columns: EventColumns, out: Uint8Array, selection: Selection): void {
  const [driftMin, driftMax] = selection.fv.driftUs;
  const [s1Min, s1Max] = selection.roi.cs1Phd;
  const s2Min = selection.roi.s2RawMinPhd;
  const { driftTime_ns, correctedS1Area_phd, s2Area_phd } = columns;
  for (let i = 0; i < columns.entries; i++) {
    const t = driftTime_ns[i]! / 1000;
    const s1c = correctedS1Area_phd[i]!;
    const candidate = driftMin < t && t < driftMax && s1Min < s1c && s1c < s1Max && s2Area_phd[i]! > s2Min;
    out[i] = candidate ? decideEvent(columns, i) : 0;
  }
}
