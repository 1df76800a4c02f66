// The part of `npm run build` that makes what the packed mssi runs (after tsc, which
// type-checks and compiles src/ and bench/ to dist/ for the tests and benchmarks):
//
// - dist/vendor/: the third-party files mssi loads by path at run time, copied as they
//   are (with their licences) from devDependencies: jsroot's LZMA decoder, the zstd
//   encoder of @oneidentity/zstd-js (an emscripten UMD file, kept whole: bundled into
//   ESM it loses require and __dirname), and the WebAssembly of its decompress-only
//   build, taken out of the base64 data URI its glue embeds.
// - dist/bundle/: the CLI (main.js, consoleToStderr.js) and the worker entry (worker.js),
//   bundled by esbuild as ES modules split into chunks: each command's action and
//   each lazily loaded part (the GPU backend, the ROOT writer, the Slurm driver) is a
//   chunk of its own, loaded by its dynamic import. jsroot's I/O code is bundled in;
//   the runtime dependencies (small pure-JS packages) and the optional webgpu stay
//   packages. dist/bundle.meta.json (esbuild's metafile: which sources each chunk
//   holds) is for the start-up tests, not shipped.
//
// The tests (vitest on src/) and the bundle run the same sources, and both load the
// dist/vendor files by the same paths (src/packageRoot.ts).

import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const resolve = createRequire(join(root, 'package.json')).resolve;

function vendor() {
  const out = join(dist, 'vendor');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const jsroot = dirname(resolve('jsroot/io')); // jsroot/modules/
  copyFileSync(join(jsroot, 'base', 'lzma.mjs'), join(out, 'jsroot-lzma.mjs'));
  copyFileSync(join(jsroot, '..', 'LICENSE'), join(out, 'LICENSE.jsroot'));
  const zstdJs = dirname(resolve('@oneidentity/zstd-js/package.json'));
  copyFileSync(join(zstdJs, 'wasm', 'index.umd.js'), join(out, 'zstd-js.cjs'));
  copyFileSync(join(zstdJs, 'LICENSE'), join(out, 'LICENSE.zstd-js'));
  writeFileSync(join(out, 'zstd-decompress.wasm'), embeddedWasm(join(zstdJs, 'wasm', 'decompress', 'index.cjs.js')));
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
    external: [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.optionalDependencies ?? {})],
    plugins: [leaveOut],
    // class and function names as written: error names and messages must not change
    keepNames: true,
    metafile: true,
    logLevel: 'warning',
  });
  writeFileSync(join(dist, 'bundle.meta.json'), JSON.stringify(result.metafile, null, 1));
}

vendor();
await bundle();
