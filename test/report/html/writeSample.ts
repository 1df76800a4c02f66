// Writes the report of the realistic sample input (sampleInput.ts), for a look in a
// browser or the README's screenshot until the pipeline makes one from the fixtures:
//   npx vite-node test/report/html/writeSample.ts /tmp/sample.html

import { writeFileSync } from 'node:fs';
import { renderHtmlReport } from '../../../src/report/html/render.js';
import { sampleInput } from './sampleInput.js';

const out = process.argv[2];
if (!out) {
  console.error('usage: npx vite-node test/report/html/writeSample.ts OUT.html');
  process.exit(2);
}
writeFileSync(out, renderHtmlReport(sampleInput()));
console.log(out);
