import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selectionHash } from '../../src/cache/key.js';
import { DEFAULT_SELECTION } from '../../src/selection/definition.js';
import { selectionLayout } from '../../src/selection/layout.js';
import { closestName, parseSelectionText, readSelectionFile, SelectionFileError } from '../../src/selection/selectionFile.js';
import { formatSelectionToml, tomlNumber } from '../../src/selection/selectionToml.js';

const parse = (text: string, file = 'sel.toml') => parseSelectionText(text, file);
const error = (text: string, file = 'sel.toml'): SelectionFileError => {
  try {
    parse(text, file);
  } catch (err) {
    expect(err).toBeInstanceOf(SelectionFileError);
    return err as SelectionFileError;
  }
  throw new Error(`no error for:\n${text}`);
};

const FULL = `
[fv]
drift_us = [80.5, 900]
wall_poly = [1e-3, -0.5, 70]
wall_standoff_cm = 2.5

[roi]
cs1_phd = [3, 80]
log10_cs2_max = 4.25
s2_raw_min_phd = 600

[vertices]
skip_volume_substrings = ["Skin", "Scint", "Veto"]

[trees]
scatters = "S"
truth = "T"

[branches]
x_cm = "a.x"
y_cm = "a.y"
driftTime_ns = "a.t"
s2Area_phd = "a.s2"
correctedS1Area_phd = "a.cs1"
correctedS2Area_phd = "a.cs2"
nRQMCTruthVertices = "b.n"
volumeName = "b.vol"
detectedS1Photons = "b.s1"
detectedS2Photons = "b.s2"
eventWeight = "b.w"

[model]
cs1_bins = [77, 3, 80]
log10_cs2_bins = [40, 2, 5]
`;

describe('a selection file', () => {
  it('gives every field of a full file', () => {
    expect(parse(FULL)).toEqual({
      fv: { driftUs: [80.5, 900], wallPoly: [1e-3, -0.5, 70], wallStandoffCm: 2.5 },
      roi: { cs1Phd: [3, 80], log10Cs2Max: 4.25, s2RawMinPhd: 600 },
      vertices: { skipVolumeSubstrings: ['Skin', 'Scint', 'Veto'] },
      trees: { scatters: 'S', truth: 'T' },
      branches: {
        x_cm: 'a.x',
        y_cm: 'a.y',
        driftTime_ns: 'a.t',
        s2Area_phd: 'a.s2',
        correctedS1Area_phd: 'a.cs1',
        correctedS2Area_phd: 'a.cs2',
        nRQMCTruthVertices: 'b.n',
        volumeName: 'b.vol',
        detectedS1Photons: 'b.s1',
        detectedS2Photons: 'b.s2',
        eventWeight: 'b.w',
      },
      model: { cs1Bins: { count: 77, low: 3, high: 80 }, log10Cs2Bins: { count: 40, low: 2, high: 5 } },
    });
  });

  it('fills every field it leaves out with the default (an empty file is the default selection)', () => {
    expect(parse('')).toEqual(DEFAULT_SELECTION);
    const s = parse('[roi]\ncs1_phd = [3, 80]\n');
    expect(s).toEqual({ ...DEFAULT_SELECTION, roi: { ...DEFAULT_SELECTION.roi, cs1Phd: [3, 80] } });
    // a dotted key is the same field
    expect(parse('roi.cs1_phd = [3, 80]\n')).toEqual(s);
  });

  it('reads JSON by its .json extension, in the same layout', () => {
    const json = JSON.stringify({ roi: { cs1_phd: [3, 80] }, model: { cs1_bins: [77, 3, 80] } });
    expect(parse(json, 'sel.json')).toEqual(readSelectionFile(join(import.meta.dirname, '../../examples/ws2024.toml')));
  });

  it('the shipped examples: notebook.toml is the default selection, ws2024.toml its cS1 3-80 phd', () => {
    expect(readSelectionFile(join(import.meta.dirname, '../../examples/notebook.toml'))).toEqual(DEFAULT_SELECTION);
    const ws = readSelectionFile(join(import.meta.dirname, '../../examples/ws2024.toml'));
    expect(ws.roi.cs1Phd).toEqual([3, 80]);
    expect(ws.model.cs1Bins).toEqual({ count: 77, low: 3, high: 80 });
  });

  it('written by formatSelectionToml (show, init) reads back as the same selection', () => {
    for (const s of [DEFAULT_SELECTION, parse(FULL)]) {
      expect(parse(formatSelectionToml(s))).toEqual(s);
      expect(parse(formatSelectionToml(s, { comments: true }))).toEqual(s);
    }
    // numbers exactly: awkward float64s, and integers past 2^53 (TOML integers are int64)
    for (const x of [0.1 + 0.2, -8.14589334e-14, 5e-324, 1.7976931348623157e308, 2 ** 53, 2 ** 60 + 2 ** 10, -0]) {
      const back = parse(`[fv]\nwall_standoff_cm = ${tomlNumber(x)}\n`).fv.wallStandoffCm;
      expect(back === x, `${x} -> ${tomlNumber(x)} -> ${back}`).toBe(true);
    }
  });
});

describe('a bad selection file: an error naming the file and the field', () => {
  const cases: [string, string, RegExp][] = [
    ['unknown key', '[roi]\ncs1 = [3, 80]\n', /^sel\.toml: roi\.cs1: unknown key of \[roi\] \(did you mean cs1_phd\?\)/],
    ['unknown key, nothing close', '[roi]\nbanana = 1\n', /^sel\.toml: roi\.banana: unknown key of \[roi\]; known: cs1_phd, log10_cs2_max, s2_raw_min_phd$/],
    ['unknown table', '[fiducial]\ndrift_us = [1, 2]\n', /^sel\.toml: fiducial: unknown table; known: fv, roi/],
    ['misspelt table', '[modle]\ncs1_bins = [1, 0, 1]\n', /^sel\.toml: modle: unknown table \(did you mean \[model\]\?\)/],
    ['misspelt branch role', '[branches]\nx_mc = "x"\n', /^sel\.toml: branches\.x_mc: unknown key of \[branches\] \(did you mean x_cm\?\)/],
    ['a table given a value', 'fv = 3\n', /^sel\.toml: fv: expected a table, got number \(3\)$/],
    ['wrong type', '[roi]\nlog10_cs2_max = "4.5"\n', /^sel\.toml: roi\.log10_cs2_max: expected a number, got a string \("4\.5"\)$/],
    ['boolean', '[fv]\nwall_standoff_cm = true\n', /^sel\.toml: fv\.wall_standoff_cm: expected a number, got a boolean \(true\)$/],
    ['a date', '[fv]\nwall_standoff_cm = 1979-05-27\n', /^sel\.toml: fv\.wall_standoff_cm: expected a number, got a date$/],
    ['non-finite', '[roi]\ns2_raw_min_phd = nan\n', /^sel\.toml: roi\.s2_raw_min_phd: expected a finite number, got NaN$/],
    ['infinite in a range', '[fv]\ndrift_us = [71, inf]\n', /^sel\.toml: fv\.drift_us\[1\]: expected a finite number, got Infinity$/],
    ['reversed range', '[roi]\ncs1_phd = [80, 3]\n', /^sel\.toml: roi\.cs1_phd: the range \[80, 3\] is reversed \(low must be below high\)$/],
    ['empty range', '[fv]\ndrift_us = [71, 71]\n', /^sel\.toml: fv\.drift_us: the range \[71, 71\] is empty \(low must be below high\)$/],
    ['range of three', '[roi]\ncs1_phd = [1, 2, 3]\n', /^sel\.toml: roi\.cs1_phd: expected a range \[low, high\] of two numbers, got 3 value\(s\)$/],
    ['range not an array', '[roi]\ncs1_phd = 3\n', /^sel\.toml: roi\.cs1_phd: expected a range \[low, high\] of two numbers, got number \(3\)$/],
    ['no coefficients', '[fv]\nwall_poly = []\n', /^sel\.toml: fv\.wall_poly: expected 1 to 17 coefficients \(highest power first\), got 0 value\(s\)$/],
    ['too many coefficients', `[fv]\nwall_poly = [${Array(18).fill(1).join(', ')}]\n`, /^sel\.toml: fv\.wall_poly: expected 1 to 17 coefficients/],
    ['fractional bin count', '[model]\ncs1_bins = [12.5, 0, 600]\n', /^sel\.toml: model\.cs1_bins: the bin count 12\.5 is not an integer from 1 to 10000$/],
    ['zero bins', '[model]\ncs1_bins = [0, 0, 600]\n', /^sel\.toml: model\.cs1_bins: the bin count 0 is not an integer from 1 to 10000$/],
    ['too many bins', '[model]\nlog10_cs2_bins = [10001, 2, 5]\n', /^sel\.toml: model\.log10_cs2_bins: the bin count 10001 is not an integer/],
    ['reversed bins', '[model]\nlog10_cs2_bins = [80, 4.5, 2.5]\n', /^sel\.toml: model\.log10_cs2_bins: the range \[4\.5, 2\.5\] is reversed/],
    ['bins too wide', '[model]\ncs1_bins = [10, -1e308, 1e308]\n', /^sel\.toml: model\.cs1_bins: the range .* is too wide/],
    ['empty substring', '[vertices]\nskip_volume_substrings = ["Skin", ""]\n', /^sel\.toml: vertices\.skip_volume_substrings\[1\]: expected a non-empty substring, got an empty string$/],
    ['substring not a string', '[vertices]\nskip_volume_substrings = ["Skin", 3]\n', /^sel\.toml: vertices\.skip_volume_substrings\[1\]: expected a non-empty substring, got number \(3\)$/],
    ['empty branch name', '[branches]\neventWeight = ""\n', /^sel\.toml: branches\.eventWeight: expected a branch name, got an empty string$/],
    ['empty tree name', '[trees]\ntruth = ""\n', /^sel\.toml: trees\.truth: expected a tree name, got an empty string$/],
    ['log10 cut out of range', '[roi]\nlog10_cs2_max = 400\n', /^sel\.toml: roi\.log10_cs2_max: 400 is outside -300 to 300$/],
    ['integer beyond float64', '[roi]\ns2_raw_min_phd = 9223372036854775807\n', /^sel\.toml: roi\.s2_raw_min_phd: expected a number, got an integer too large/],
  ];
  it.each(cases)('%s', (_name, text, message) => {
    const e = error(text);
    expect(e.message).toMatch(message);
    expect(e.file).toBe('sel.toml');
  });

  it('a TOML syntax error names the line', () => {
    const e = error('[roi]\ncs1_phd = [3, 80]\nlog10_cs2_max = = 4\n');
    expect(e.message).toMatch(/^sel\.toml: TOML syntax error at line 3, column \d+: /);
  });

  it('a JSON syntax error is named as such', () => {
    expect(error('{"roi": ', 'sel.json').message).toMatch(/^sel\.json: not valid JSON: /);
  });

  it('a missing file is named', () => {
    expect(() => readSelectionFile('/no/such/sel.toml')).toThrow(/^\/no\/such\/sel\.toml: no such file$/);
  });

  it('"did you mean" only for a name that is close', () => {
    expect(closestName('cs1phd', ['cs1_phd', 'log10_cs2_max'])).toBe('cs1_phd');
    expect(closestName('Drift_US', ['drift_us', 'wall_poly'])).toBe('drift_us');
    expect(closestName('zzzzzz', ['drift_us', 'wall_poly'])).toBeNull();
  });
});

describe('the selection hash', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mssi-selhash-'));
  const hashOf = (name: string, text: string) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return selectionHash(readSelectionFile(file));
  };

  it('is the same for a reordered, re-commented file with the same meaning, and for the same numbers written otherwise', () => {
    const a = hashOf('a.toml', '[roi]\ncs1_phd = [3, 80]\nlog10_cs2_max = 4.5\n[model]\ncs1_bins = [77, 3, 80]\n');
    const b = hashOf('b.toml', '# WS2024\n[model]\ncs1_bins = [77, 3.0, 8e1] # 1 phd bins\n\n[roi]\nlog10_cs2_max = 4.50\ncs1_phd = [3.0, 80]\n');
    const c = hashOf('c.json', JSON.stringify({ model: { cs1_bins: [77, 3, 80] }, roi: { cs1_phd: [3, 80] } }));
    expect(b).toBe(a);
    expect(c).toBe(a);
    expect(hashOf('ws.toml', readFileSync(join(import.meta.dirname, '../../examples/ws2024.toml'), 'utf8'))).toBe(a);
    // the defaults, written out or left out: one hash
    expect(hashOf('empty.toml', '')).toBe(selectionHash(DEFAULT_SELECTION));
    expect(hashOf('init.toml', formatSelectionToml(DEFAULT_SELECTION, { comments: true }))).toBe(selectionHash(DEFAULT_SELECTION));
  });

  it('changes with any number, name or substring', () => {
    const base = selectionHash(DEFAULT_SELECTION);
    const changed = [
      '[roi]\ncs1_phd = [3, 80.000000000001]\n',
      '[fv]\nwall_poly = [0, -8.14589334e-14, 2.09181587e-10, -2.06758029e-7, 1.01366014e-4, -2.69048354e-2, 7.24276394e1]\n',
      '[fv]\nwall_standoff_cm = 3.5\n',
      '[roi]\ns2_raw_min_phd = 645.2500000000001\n',
      '[vertices]\nskip_volume_substrings = ["Scint", "Skin"]\n',
      '[trees]\ntruth = "Truth"\n',
      '[branches]\neventWeight = "w"\n',
      '[model]\nlog10_cs2_bins = [81, 2.5, 4.5]\n',
    ];
    const hashes = changed.map((t, i) => hashOf(`changed${i}.toml`, t));
    for (const h of hashes) expect(h).not.toBe(base);
    expect(new Set(hashes).size).toBe(hashes.length);
  });

  it('is of the selection layout (the file layout, in its fixed order)', () => {
    expect(Object.keys(selectionLayout(DEFAULT_SELECTION))).toEqual(['fv', 'roi', 'vertices', 'trees', 'branches', 'model']);
  });
});
