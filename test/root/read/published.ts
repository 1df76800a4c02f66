// Values published next to real test files, for the branches jsroot cannot read
// (Double32_t/Float16_t leaves, ROOT::RVec, leaves without streamer infos): the
// independent reference our decoder is compared with there.
//  - uproot's own tests assert exact values (scikit-hep/uproot5 tests/test_*.py);
//  - go-hep's `root-dump` output of its test files (groot/rcmd/testdata/*.txt).
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { JsValue } from './jsroot-reference.js';

const REAL = join(dirname(fileURLToPath(import.meta.url)), '../../../fixtures/real');

/**
 * Every entry of every branch of go-hep's dump of a file: lines `[NNN][branch]: value`,
 * a value being a number, true/false, a bare string, or `[a b c]`.
 */
export function goHepDump(file: string): Map<string, JsValue[]> {
  const out = new Map<string, JsValue[]>();
  const scalar = (s: string): number | string => (s !== '' && !Number.isNaN(Number(s)) ? Number(s) : s === 'true' ? 1 : s === 'false' ? 0 : s);
  for (const line of readFileSync(join(REAL, file), 'utf8').split('\n')) {
    const m = /^\[(\d+)\]\[([^\]]+)\]: (.*)$/.exec(line);
    if (!m) continue;
    const [, entry, branch, text] = m as unknown as [string, string, string, string];
    const list = out.get(branch) ?? [];
    if (Number(entry) !== list.length) throw new Error(`${file}: entry ${entry} of ${branch} out of order`);
    const arr = /^\[(.*)\]$/.exec(text);
    list.push(arr ? (arr[1]!.trim() === '' ? [] : arr[1]!.trim().split(/\s+/).map(scalar)) : scalar(text));
    out.set(branch, list);
  }
  return out;
}

/** The given branches of a go-hep dump. */
function pick(dump: Map<string, JsValue[]>, names: readonly string[]): Record<string, JsValue[]> {
  const out: Record<string, JsValue[]> = {};
  for (const n of names) {
    const v = dump.get(n);
    if (!v) throw new Error(`no branch ${n} in the dump`);
    out[n] = v;
  }
  return out;
}

const rvec = goHepDump('gohep-rvec.root.txt');
const leaves = goHepDump('gohep-leaves.root.txt');

const repeat = (n: number, f: (i: number) => JsValue): JsValue[] => Array.from({ length: n }, (_, i) => f(i));

// uproot5 tests/test_0023_more_interpretations_1.py, test_double32_float16
const D32_32 = [-1.9999999994342215, -1.4999999998277052, -1.0000000002211891, -0.50000000061467276, -0.10000000329688152, -1.0081566692576871e-9, 0.10000000128056863, 0.49999999859835986, 0.99999999820487595, 2.0000000003771863, 2.9999999995902185, 3.9999999988032506, 4.9999999980162837, 5.9999999972293159, 6.9999999964423489, 7.9999999986146593, 8.9999999978276897];
const D32_30 = [-2.0000000023934987, -1.5000000057462601, -0.99999999726191158, -0.50000000061467276, -0.10000000329688152, -3.9674339369355494e-9, 0.10000000719912361, 0.50000000451691484, 1.0000000011641537, 1.9999999944586309, 2.9999999995902185, 4.0000000047218061, 4.9999999980162837, 6.0000000031478704, 6.9999999964423489, 8.0000000015739374, 8.9999999948684142];
const D32_20 = [-2.0000006771087646, -1.5000011539459228, -1.0000016307830808, -0.50000210762023922, -0.10000248908996578, -2.5844573974254104e-6, 0.099997320175170934, 0.49999693870544437, 0.99999646186828661, 1.9999955081939698, 2.9999945545196534, 4.0000057220458993, 5.0000047683715829, 6.0000038146972665, 7.0000028610229501, 8.0000019073486328, 9.0000009536743164];
const D32_10 = [-2.0025097656249997, -1.5060253906249998, -0.99712890624999995, -0.50064453124999986, -0.10345703124999961, -0.0041601562499997691, 0.095136718750000071, 0.50473632812500036, 1.0012207031250004, 1.9941894531250002, 2.9995703125000004, 4.0049511718750006, 4.9979199218750008, 6.0033007812500001, 6.9962695312500012, 8.0016503906250023, 8.9946191406250016];
const D32_5 = [-1.9156249999999999, -1.5184374999999999, -1.1212499999999999, -0.3268749999999998, 0.0703125, 0.0703125, 0.0703125, 0.46750000000000025, 0.8646875000000005, 2.0562500000000004, 2.850625, 4.0421875000000007, 4.8365625000000003, 6.0281250000000002, 6.8225000000000007, 8.0140625000000014, 8.8084375000000001];
const D32_3 = [-2.71, -1.1212499999999999, -1.1212499999999999, -1.1212499999999999, 0.46750000000000025, 0.46750000000000025, 0.46750000000000025, 0.46750000000000025, 0.46750000000000025, 2.0562500000000004, 3.6450000000000005, 3.6450000000000005, 5.233750000000001, 5.233750000000001, 6.822500000000001, 8.411249999999999, 8.411249999999999];
const F16_16 = [-1.9999885559082031, -1.5000133514404297, -1.0000380277633667, -0.50006270408630371, -0.099966049194335938, -8.7499618530273438e-5, 0.099985122680664062, 0.50008177757263184, 1.0000569820404053, 2.0000076293945312, 2.9999580383300781, 3.9999089241027832, 5.0000534057617188, 6.0000038146972656, 6.9999542236328125, 7.9999046325683594, 9.0000495910644531];
const F16_10 = [-2.0025098323822021, -1.5060254335403442, -0.99712896347045898, -0.50064444541931152, -0.10345697402954102, -0.0041601657867431641, 0.095136642456054688, 0.50473618507385254, 1.001220703125, 1.9941892623901367, 2.999570369720459, 4.004951000213623, 4.997920036315918, 6.003300666809082, 6.9962692260742188, 8.0016508102416992, 8.9946193695068359];
const F16_5 = [-1.9156250953674316, -1.5184375047683716, -1.1212500333786011, -0.32687497138977051, 0.0703125, 0.0703125, 0.0703125, 0.46749997138977051, 0.86468744277954102, 2.0562500953674316, 2.8506250381469727, 4.0421876907348633, 4.8365626335144043, 6.0281248092651367, 6.8225002288818359, 8.0140628814697266, 8.8084373474121094];
const F16_3 = [-2.7100000381469727, -1.1212500333786011, -1.1212500333786011, -1.1212500333786011, 0.46749997138977051, 0.46749997138977051, 0.46749997138977051, 0.46749997138977051, 0.46749997138977051, 2.0562500953674316, 3.6449999809265137, 3.6449999809265137, 5.2337498664855957, 5.2337498664855957, 6.8225002288818359, 8.411250114440918, 8.411250114440918];

const triple = (v: readonly number[]): JsValue[] => v.map((x) => [x, x, x]);

/** file -> tree -> branch -> every entry's value. */
export const PUBLISHED: Record<string, Record<string, Record<string, JsValue[]>>> = {
  'uproot-double32-float16.root': {
    tree: {
      double32_32: D32_32,
      double32_30: D32_30,
      double32_20: D32_20,
      double32_10: D32_10,
      double32_5: D32_5,
      double32_3: D32_3,
      float16_16: F16_16,
      float16_10: F16_10,
      float16_5: F16_5,
      float16_3: F16_3,
      // as printed by uproot for array_30 / array_10: the same values as double32_30 / float16_10, thrice
      array_30: triple(D32_30),
      array_10: triple(F16_10),
    },
  },
  // uproot5 tests/test_0034_generic_objects_in_ttrees.py, test_gohep_output_file
  'uproot-issue413.root': {
    mytree: {
      I32: [0, 1, 2, 3, 4],
      F64: [0, 1, 2, 3, 4],
      Str: ['evt-0', 'evt-1', 'evt-2', 'evt-3', 'evt-4'],
      ArrF64: repeat(5, (i) => [i, i + 1, i + 2, i + 3, i + 4]),
      N: [0, 1, 2, 3, 4],
      SliF64: [[], [1], [2, 3], [3, 4, 5], [4, 5, 6, 7]],
    },
  },
  'gohep-leaves.root': { tree: pick(leaves, ['D16', 'D32', 'ArrD16', 'ArrD32', 'SliD16', 'SliD32']) },
  'gohep-rvec.root': { events: pick(rvec, [...rvec.keys()].filter((n) => /^(MC|RP)_/.test(n))) },
};
