// The part of the WebAssembly JS API that src/root/read/wasmKernels.ts uses. Node
// has the whole API; TypeScript declares it only in its DOM and worker libs,
// which this Node project does not load.

declare namespace WebAssembly {
  class Memory {
    constructor(descriptor: { initial: number; maximum?: number });
    readonly buffer: ArrayBuffer;
    grow(pages: number): number;
  }
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Instance {
    constructor(module: Module, imports?: Record<string, Record<string, unknown>>);
    readonly exports: Record<string, unknown>;
  }
}
