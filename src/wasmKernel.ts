// Loading a WebAssembly kernel of kernels/wasm/ (built by `npm run build:wasm` to
// dist/kernels/), with a memory of its own that the host lays out.

import { readFileSync } from 'node:fs';
import { packagePath } from './packageRoot.js';

const PAGE = 65_536;

export class WasmKernel<Exports> {
  readonly exports: Exports;
  private readonly memory = new WebAssembly.Memory({ initial: 16 });
  u8 = new Uint8Array(0);
  i32 = new Int32Array(0);

  /** `file`: the module's name in dist/kernels/; `host`: the functions it imports besides its memory. */
  constructor(file: string, host: Record<string, unknown> = {}) {
    const bytes = readFileSync(packagePath('dist', 'kernels', file));
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { ...host, memory: this.memory } });
    this.exports = instance.exports as unknown as Exports;
    this.ensure(0);
  }

  /** At least `bytes` of memory. Growing replaces the buffer: views made before are stale, take them anew. */
  ensure(bytes: number): void {
    const have = this.memory.buffer.byteLength;
    if (bytes > have) this.memory.grow(Math.ceil((bytes - have) / PAGE));
    if (this.u8.buffer !== this.memory.buffer) {
      this.u8 = new Uint8Array(this.memory.buffer);
      this.i32 = new Int32Array(this.memory.buffer);
    }
  }
}

export const align8 = (n: number): number => (n + 7) & ~7;
