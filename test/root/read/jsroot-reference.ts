// Reads branches with jsroot's own tree machinery (TSelector + treeProcess):
// the independent reference our decoder is compared with, value for value.
import { readFileSync } from 'node:fs';
import { FileProxy, openFile, type JsrootList, type JsrootNamed } from 'jsroot/io';
import { TSelector, treeProcess } from 'jsroot/tree';

export type JsValue = number | boolean | bigint | string | readonly (number | boolean | bigint | string)[];

function findBranch(list: JsrootList | undefined, name: string): JsrootNamed | null {
  for (const b of list?.arr ?? []) {
    if (!b) continue;
    if (b.fName === name) return b;
    const r = findBranch(b['fBranches'] as JsrootList | undefined, name);
    if (r) return r;
  }
  return null;
}

function snapshot(v: unknown): JsValue {
  if (v === null || v === undefined) throw new Error('jsroot gave no value');
  if (typeof v === 'object') {
    // jsroot may reuse its arrays between entries: copy
    return Array.from(v as ArrayLike<number | boolean | bigint | string>);
  }
  return v as JsValue;
}

/**
 * The file's bytes for jsroot, whole in memory. jsroot's own Node file allocates what
 * a damaged size says inside an fs callback, where a throw kills the process; here a
 * read outside the file is a rejected promise, and jsroot's reading is otherwise its own.
 */
class BytesProxy extends FileProxy {
  private readonly bytes: Buffer;
  constructor(private readonly path: string) {
    super();
    this.bytes = readFileSync(path);
  }
  override async openFile(): Promise<boolean> {
    return true;
  }
  override getFileName(): string {
    return this.path;
  }
  override getFileSize(): number {
    return this.bytes.length;
  }
  override async readBuffer(position: number, length: number): Promise<DataView> {
    if (!(position >= 0 && length >= 0 && position + length <= this.bytes.length)) {
      // jsroot's first read of the header asks for 400 bytes whatever the file's size
      if (position === 0 && length <= 400) {
        const padded = new Uint8Array(length);
        padded.set(this.bytes.subarray(0, length));
        return new DataView(padded.buffer);
      }
      throw new Error(`jsroot asked for ${length} bytes at ${position} of a ${this.bytes.length}-byte file`);
    }
    return new DataView(this.bytes.buffer, this.bytes.byteOffset + position, length);
  }
}

/** Every entry of each named branch, as jsroot reads it; a branch jsroot cannot read maps to an Error. */
export async function readWithJsroot(path: string, treeName: string, names: readonly string[]): Promise<Map<string, JsValue[] | Error>> {
  const file = await openFile(new BytesProxy(path));
  const tree = await file.readObject(treeName);
  const out = new Map<string, JsValue[] | Error>();
  const run = async (batch: readonly string[]): Promise<void> => {
    const sel = new TSelector();
    const cols: JsValue[][] = batch.map(() => []);
    batch.forEach((n, i) => {
      const br = findBranch(tree['fBranches'] as JsrootList, n);
      if (!br) throw new Error(`jsroot: no branch ${n}`);
      sel.addBranch(br, `b${i}`);
    });
    sel.Process = function (this: TSelector): void {
      for (let i = 0; i < batch.length; i++) cols[i]!.push(snapshot(this.tgtobj[`b${i}`]));
    };
    await treeProcess(tree, sel);
    batch.forEach((n, i) => out.set(n, cols[i]!));
  };
  try {
    await run(names);
  } catch {
    // one unreadable branch fails the whole batch: retry one by one
    for (const n of names) {
      try {
        await run([n]);
      } catch (e) {
        out.set(n, e instanceof Error ? e : new Error(String(e)));
      }
    }
  }
  return out;
}
