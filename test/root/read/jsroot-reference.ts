// Reads branches with jsroot's own tree machinery (TSelector + treeProcess):
// the independent reference our decoder is compared with, value for value.
import { openFile, type JsrootFile, type JsrootList, type JsrootNamed } from 'jsroot/io';
import { SourceProxy } from '../../../src/root/read/jsrootFile.js';
import { FileSource } from '../../../src/root/read/source.js';
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

/** Every entry of each named branch, as jsroot reads it; a branch jsroot cannot read maps to an Error. */
export async function readWithJsroot(path: string, treeName: string, names: readonly string[]): Promise<Map<string, JsValue[] | Error>> {
  // Through the reader's checked source: jsroot's own Node file allocates what a damaged
  // size says inside an fs callback, where a throw kills the test process. jsroot's
  // reading is otherwise its own.
  const source = new FileSource(path);
  try {
    return await readTree(await openFile(new SourceProxy(source)), treeName, names);
  } finally {
    source.close();
  }
}

async function readTree(file: JsrootFile, treeName: string, names: readonly string[]): Promise<Map<string, JsValue[] | Error>> {
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
