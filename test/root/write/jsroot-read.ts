// Reads back written files with jsroot, the independent reader the tests trust.
import { openFile, type JsrootFile, type JsrootNamed } from 'jsroot/io';
import { TSelector, treeProcess } from 'jsroot/tree';

export async function open(path: string): Promise<JsrootFile> {
  return openFile(path);
}

/** Every entry of each named branch, as jsroot decodes it. */
export async function readBranches(file: JsrootFile, treeName: string, branches: readonly string[]): Promise<Map<string, unknown[]>> {
  const tree = (await file.readObject(treeName)) as JsrootNamed;
  const out = new Map<string, unknown[]>(branches.map((b) => [b, []]));
  const sel = new TSelector();
  branches.forEach((b, i) => sel.addBranch(b, `b${i}`));
  sel.Process = function (): void {
    branches.forEach((b, i) => {
      const v = this.tgtobj[`b${i}`];
      // jsroot reuses arrays between entries: copy.
      out.get(b)?.push(Array.isArray(v) ? [...(v as unknown[])] : ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>) : v);
    });
  };
  await treeProcess(tree, sel);
  return out;
}
