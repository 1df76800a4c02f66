// The provenance of a report made by this process: mssi's version, and the selection
// (hash and cut constants) exactly as the cache keys see it.

import { currentSelectionDefinition, selectionHash } from '../cache/key.js';
import { packageVersion } from '../packageRoot.js';
import type { ReportProvenance } from './machine.js';

export function reportProvenance(): ReportProvenance {
  const definition = currentSelectionDefinition();
  return { mssiVersion: packageVersion(), selectionHash: selectionHash(definition), cuts: definition.cuts };
}
