// Entry point of a worker process of `mssi run`: reads and selects, nothing else.

import { analyseRange } from '../analysis/analyseRange.js';
import { serveTasks } from '../pool/workerLoop.js';
import type { RangeOutcome, RangeTask } from './tasks.js';

serveTasks<RangeTask, RangeOutcome>((task, progress) => analyseRange(task, undefined, progress));
