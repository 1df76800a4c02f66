// Model counts for tests that need a result: consistent with its six counts (what the
// cache and shard files check), spread over two cells.
import { DEFAULT_SELECTION } from '../../src/selection/definition.js';
import { emptyModel, modelAxes } from '../../src/model/bin.js';
import type { ModelCounts } from '../../src/model/types.js';
import type { SelectionCounts } from '../../src/selection/types.js';

/** Cells of the default binning the helper fills: MSSI (and SS) events in one, the other SS events in the next. */
export const MSSI_CELL = 5 + 122 * 40;
export const SS_CELL = MSSI_CELL + 1;

export function modelHolding(counts: Pick<SelectionCounts, 'nSSFVROI' | 'nMSSIFVROI'>): ModelCounts {
  const m = emptyModel(modelAxes(DEFAULT_SELECTION));
  m.ss.cells[MSSI_CELL] = counts.nMSSIFVROI;
  m.mssi.cells[MSSI_CELL] = counts.nMSSIFVROI;
  m.ss.cells[SS_CELL] = counts.nSSFVROI - counts.nMSSIFVROI;
  return m;
}
