// The corpus' inputs: small simulated files of every compression and both
// layouts (made with the built CLI, as a user makes them) and two fixtures.
import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mssiTimed, ROOT_DIR } from './cli.js';
import { mapRecords } from './recordMap.js';
import type { Input } from './mutations.js';

export interface InputSpec {
  readonly id: string;
  readonly compression: string;
  /** `mssi simulate` options (after OUTDIR), or a fixture file. */
  readonly simulate?: readonly string[];
  readonly fixture?: string;
  /** Rewrite the file header in ROOT's big-file form (64-bit fEND, fSeekFree, fSeekInfo). */
  readonly bigHeader?: boolean;
}

const small = (source: string, seed: number, compression: string, extra: readonly string[] = []): string[] => [
  '--source',
  source,
  '-n',
  '300',
  '--seed',
  String(seed),
  '--compression',
  compression,
  '--basket-size',
  '1024',
  '--cluster-size',
  '100',
  '-q',
  ...extra,
];

export const INPUTS: readonly InputSpec[] = [
  { id: 'sim-zlib', compression: 'zlib', simulate: small('K40_DomePMTs', 11, 'zlib') },
  { id: 'sim-lz4', compression: 'lz4', simulate: small('Co60_DomePMTs', 12, 'lz4') },
  { id: 'sim-zstd', compression: 'zstd', simulate: small('Th232-late_HVInnerCone', 13, 'zstd') },
  { id: 'sim-none', compression: 'none', simulate: small('U238-late_AnodeGridWires', 14, 'none') },
  { id: 'sim-flat-lz4', compression: 'lz4', simulate: small('K40_BottomTruss', 15, 'lz4', ['--layout', 'flat']) },
  { id: 'sim-zlib-bigheader', compression: 'zlib', simulate: small('Th232-late_BottomTPCPMTBases', 16, 'zlib'), bigHeader: true },
  { id: 'fixture-K40_DomePMTs', compression: 'zlib', fixture: 'SS_skim_K40_DomePMTs.root' },
  { id: 'fixture-Th232-early', compression: 'zlib', fixture: 'SS_skim_Th232-early_BottomTPCPMTBodies.root' },
];

/** A file over the 16 MB split threshold: the main process opens it to plan ranges. */
export const BIG_INPUT: InputSpec = {
  id: 'sim-big-none',
  compression: 'none',
  simulate: ['--source', 'Co60_CalibrationSourceTubes', '-n', '64000', '--seed', '17', '--compression', 'none', '--cluster-size', '5000', '-q'],
};

/** Rewrites a small-form header in the big-file form (it fits before fBEGIN = 100). */
export function toBigHeader(b: Uint8Array): Uint8Array {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const version = v.getInt32(4);
  if (version >= 1000000) return b;
  const fBEGIN = v.getInt32(8);
  const fEND = v.getUint32(12);
  const fSeekFree = v.getUint32(16);
  const fNbytesFree = v.getInt32(20);
  const nfree = v.getInt32(24);
  const fNbytesName = v.getInt32(28);
  const fCompress = v.getInt32(33);
  const fSeekInfo = v.getUint32(37);
  const fNbytesInfo = v.getInt32(41);
  const uuid = b.slice(45, 63);
  const out = b.slice();
  out.fill(0, 4, fBEGIN);
  const w = new DataView(out.buffer, out.byteOffset, out.byteLength);
  w.setInt32(4, version + 1000000);
  w.setInt32(8, fBEGIN);
  w.setBigInt64(12, BigInt(fEND));
  w.setBigInt64(20, BigInt(fSeekFree));
  w.setInt32(28, fNbytesFree);
  w.setInt32(32, nfree);
  w.setInt32(36, fNbytesName);
  w.setUint8(40, 8);
  w.setInt32(41, fCompress);
  w.setBigInt64(45, BigInt(fSeekInfo));
  w.setInt32(53, fNbytesInfo);
  out.set(uuid, 57);
  if (57 + 18 > fBEGIN) throw new Error('big header does not fit before fBEGIN');
  return out;
}

export interface MadeInput extends Input {
  /** How it was made (the command, or the fallback used). */
  readonly how: string;
}

export interface SimulateFallback {
  readonly spec: InputSpec;
  readonly cliError: string;
}

/**
 * Makes one input in `dir/id/`. A simulate that fails in the built CLI is retried
 * in this process (vitest's loader) and reported through `fallbacks`: the corpus
 * still covers that compression while the CLI bug is open.
 */
export async function makeInput(spec: InputSpec, dir: string, fallbacks: SimulateFallback[]): Promise<MadeInput> {
  const out = join(dir, spec.id);
  mkdirSync(out, { recursive: true });
  let how: string;
  if (spec.fixture) {
    copyFileSync(join(ROOT_DIR, 'fixtures', 'lz', spec.fixture), join(out, spec.fixture));
    how = `fixtures/lz/${spec.fixture}`;
  } else {
    const args = ['simulate', out, ...spec.simulate!];
    const r = await mssiTimed(args, 120_000);
    how = `mssi ${args.join(' ')}`;
    if (r.code !== 0) {
      fallbacks.push({ spec, cliError: `exit ${r.code}: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}` });
      await simulateInProcess(out, spec.simulate!);
      how += ' (the built CLI failed: made in-process by src/simulate)';
    }
  }
  const name = readdirSync(out).find((f) => f.endsWith('.root'));
  if (!name) throw new Error(`${spec.id}: no file made (${how})`);
  const path = join(out, name);
  // a plain Uint8Array: Buffer's slice() is a view, and mutations must copy
  let bytes: Uint8Array = new Uint8Array(readFileSync(path));
  if (spec.bigHeader) {
    bytes = toBigHeader(bytes);
    writeFileSync(path, bytes);
    how += ', header rewritten in the big-file form';
  }
  return { id: spec.id, compression: spec.compression, path, bytes, map: mapRecords(bytes), how };
}

async function simulateInProcess(outDir: string, args: readonly string[]): Promise<void> {
  const { simulate, SIMULATE_DEFAULTS } = await import('../../src/simulate/simulate.js');
  const opt = (name: string): string | undefined => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const algorithm = (opt('--compression') ?? 'zlib') as 'zlib' | 'lz4' | 'zstd' | 'none';
  await simulate({
    outDir,
    sources: [opt('--source')!],
    events: Number(opt('-n') ?? SIMULATE_DEFAULTS.events),
    layout: (opt('--layout') ?? 'split') as 'split' | 'flat',
    compression: { algorithm, level: Number(opt('--level') ?? 1) }, // as the CLI passes it
    basketSize: Number(opt('--basket-size') ?? SIMULATE_DEFAULTS.basketSize),
    clusterSize: Number(opt('--cluster-size') ?? SIMULATE_DEFAULTS.clusterSize),
    seed: Number(opt('--seed') ?? 1),
  });
}
