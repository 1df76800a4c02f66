// The provenance of a report made by this process: mssi's version, and the selection
// (its hash, as the cache keys see it, and the selection itself in the file layout).

import { selectionHash } from '../cache/key.js';
import { packageVersion } from '../packageRoot.js';
import type { Selection } from '../selection/definition.js';
import { selectionLayout } from '../selection/layout.js';
import type { ReportProvenance } from './machine.js';

export function reportProvenance(selection: Selection): ReportProvenance {
  return { mssiVersion: packageVersion(), selectionHash: selectionHash(selection), selection: selectionLayout(selection) };
}
