// The part of `npm run build` that makes what the packed mssi runs (after tsc, which
// type-checks and compiles src/ and bench/ to dist/ for the tests and benchmarks):
//
// - dist/vendor/: the third-party files mssi loads by path at run time, copied as they
//   are from devDependencies: jsroot's LZMA decoder, the zstd encoder of
//   @oneidentity/zstd-js (an emscripten UMD file, kept whole: bundled into ESM it
//   loses require and __dirname), and the WebAssembly of its decompress-only build,
//   taken out of the base64 data URI its glue embeds; and in dist/vendor/licenses/
//   the licence of every package that is copied or bundled.
// - dist/bundle/: the CLI (main.js, consoleToStderr.js) and the worker entry (worker.js),
//   bundled by esbuild as ES modules split into chunks: each command's action and
//   each lazily loaded part (the GPU backend, the ROOT writer, the Slurm driver) is a
//   chunk of its own, loaded by its dynamic import. The packages mssi runs (jsroot's
//   I/O, commander, the CSV parser and writer, the progress bar, the glob) are bundled
//   in: fewer files to resolve and load at every start (mssi --version 1.43x bare
//   node's time instead of 1.50x, a warm run 2.25x instead of 2.41x, measured), and
//   nothing to install but the optional webgpu, which stays a package (a native
//   binary, loaded only for a GPU backend). dist/bundle.meta.json (esbuild's metafile:
//   which sources each chunk holds) is for the start-up tests, not shipped.
//
// The tests (vitest on src/) and the bundle run the same sources, and both load the
// dist/vendor files by the same paths (src/packageRoot.ts).

import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const resolve = createRequire(join(root, 'package.json')).resolve;

const vendorDir = join(dist, 'vendor');

/** The copied files; returns the packages they come from. */
function vendor() {
  rmSync(vendorDir, { recursive: true, force: true });
  mkdirSync(vendorDir, { recursive: true });
  const jsroot = dirname(resolve('jsroot/io')); // jsroot/modules/
  copyFileSync(join(jsroot, 'base', 'lzma.mjs'), join(vendorDir, 'jsroot-lzma.mjs'));
  const zstdJs = dirname(resolve('@oneidentity/zstd-js/package.json'));
  copyFileSync(join(zstdJs, 'wasm', 'index.umd.js'), join(vendorDir, 'zstd-js.cjs'));
  writeFileSync(join(vendorDir, 'zstd-decompress.wasm'), embeddedWasm(join(zstdJs, 'wasm', 'decompress', 'index.cjs.js')));
  return [join(jsroot, '..'), zstdJs];
}

/** The folder of the package a bundled source belongs to, or null for mssi's own. */
function packageDirOf(input) {
  const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
  return m ? join(root, m[1]) : null;
}

/** dist/vendor/licenses/NAME.txt for every package copied or bundled (their licences ask for it). */
function licences(packageDirs) {
  const out = join(vendorDir, 'licenses');
  mkdirSync(out, { recursive: true });
  for (const dir of new Set(packageDirs)) {
    const { name } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)([.-]|$)/i.test(f));
    if (!file) throw new Error(`${name} (bundled into mssi) has no licence file in ${dir}`);
    copyFileSync(join(dir, file), join(out, `${name.replace('/', '+')}.txt`));
  }
}

/** The WebAssembly module an emscripten glue file embeds as a base64 data URI. */
function embeddedWasm(glue) {
  const text = readFileSync(glue, 'utf8');
  for (const m of text.matchAll(/data:application\/octet-stream;base64,([A-Za-z0-9+/=]+)/g)) {
    const bytes = Buffer.from(m[1], 'base64');
    if (bytes.length > 8 && bytes.readUInt32LE(0) === 0x6d736100) return bytes; // "\0asm"
  }
  throw new Error(`${glue} holds no WebAssembly module (a changed @oneidentity/zstd-js?)`);
}

/**
 * jsroot imports these only on paths mssi never takes: xhr2 and tmp for files over
 * HTTP and in the browser, @oneidentity/zstd-js (in Node) and its own base/zstd.mjs
 * (in a browser) for zstd metadata, which mssi decompresses itself for every file
 * (src/root/read/jsrootInflate.ts). Left out of the bundle, each is a module that
 * fails to load with a message saying so.
 */
const UNUSED_BY_MSSI = /^(xhr2|tmp|@oneidentity\/zstd-js|\.\/base\/zstd\.mjs)$/;
const leaveOut = {
  name: 'jsroot-unused-imports',
  setup(b) {
    b.onResolve({ filter: UNUSED_BY_MSSI }, (args) =>
      /[\\/]node_modules[\\/]jsroot[\\/]/.test(args.importer) ? { path: args.path, namespace: 'left-out' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'left-out' }, (args) => ({
      contents: `throw new Error(${JSON.stringify(`mssi's bundle of jsroot leaves out '${args.path}', which mssi's reads never need`)});`,
      loader: 'js',
    }));
  },
};

async function bundle() {
  const out = join(dist, 'bundle');
  rmSync(out, { recursive: true, force: true }); // no chunk of an older build is left to ship
  const result = await build({
    absWorkingDir: root,
    entryPoints: { main: 'src/cli/main.ts', consoleToStderr: 'src/run/consoleToStderr.ts', worker: 'src/run/worker.ts' },
    outdir: out,
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: Object.keys(pkg.optionalDependencies ?? {}),
    // CommonJS packages in ES module chunks: their require() of Node's modules needs one
    banner: { js: "import { createRequire as __mssiCreateRequire } from 'node:module'; const require = __mssiCreateRequire(import.meta.url);" },
    plugins: [leaveOut],
    // class and function names as written: error names and messages must not change
    keepNames: true,
    metafile: true,
    logLevel: 'warning',
  });
  writeFileSync(join(dist, 'bundle.meta.json'), JSON.stringify(result.metafile, null, 1));
  return Object.keys(result.metafile.inputs).map(packageDirOf).filter((d) => d !== null);
}

const copied = vendor();
licences([...copied, ...(await bundle())]);
