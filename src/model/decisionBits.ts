// Per-event decision bits (FV | ROI | MSSI of selection/reference.ts) for the model's
// binning. For now from the float64 reference, event by event; the CPU kernel will
// fill the same bits as it counts (selectCpu(columns, selection, bitsOut)), and this
// seam is then replaced by those bits.

import { decideEvent } from '../selection/reference.js';
import type { EventColumns } from '../selection/types.js';

/** Fills out[0 .. columns.entries) with each event's decision bits. */
export function decisionBits(columns: EventColumns, out: Uint8Array): void {
  for (let i = 0; i < columns.entries; i++) out[i] = decideEvent(columns, i);
}
