// A narrow typing of the parts of jsroot that mssi uses. jsroot's own types.d.ts
// covers only the package root, not the 'jsroot/io' and 'jsroot/tree' entry
// points. Objects read from a file are plain records: fields are typed as
// `unknown` (or loosely) here and narrowed where they are used.

declare module 'jsroot/io' {
  export interface JsrootNamed {
    _typename: string;
    fName?: string;
    fTitle?: string;
    [member: string]: unknown;
  }

  export interface JsrootList<T = JsrootNamed> {
    _typename: string;
    arr: (T | null)[];
  }

  export interface JsrootKey {
    fName: string;
    fClassName: string;
    fCycle: number;
    fTitle: string;
    fObjlen: number;
    fNbytes: number;
    fSeekKey: number;
    fKeylen: number;
  }

  /** jsroot's reading cursor over an object's uncompressed bytes. */
  export class TBuffer {
    constructor(view: DataView, pos: number, file: JsrootFile, length?: number);
    /** The object's key length: jsroot's offsets in the buffer count from the key's start. */
    fTagOffset: number;
    /** The file the buffer was read from (null for one made over bytes alone). */
    fFile: JsrootFile | null | undefined;
    /** Reads a TKey header at the cursor. */
    readTKey(...args: unknown[]): JsrootKey;
  }

  export interface JsrootStreamerElement extends JsrootNamed {
    fType: number;
    fTypeName: string;
    fArrayLength?: number;
    fSTLtype?: number;
    fCtype?: number;
  }

  export interface JsrootStreamerInfo extends JsrootNamed {
    fClassVersion: number;
    fElements: JsrootList<JsrootStreamerElement> | null;
  }

  export interface JsrootFile {
    fKeys: JsrootKey[];
    fVersion: number;
    fEND: number;
    fCompress?: number;
    fFullURL: string;
    /** Node only: the descriptor jsroot opened (jsroot has no close()). */
    fd?: number | null;
    readObject(name: string, cycle?: number): Promise<JsrootNamed>;
    /** [position, length] pairs read from the file; one pair gives one DataView. */
    readBuffer(place: [number, number]): Promise<DataView>;
    /** The object of a key, inflated (a private method, replaced by jsrootInflate.ts). */
    readObjBuffer(key: JsrootKey): Promise<TBuffer>;
    findStreamerInfo(className: string, version?: number, checksum?: number): JsrootStreamerInfo | null | undefined;
  }

  /** jsroot reads a file through such a proxy when given one (its TProxyFile). */
  export class FileProxy {
    openFile(): Promise<boolean>;
    getFileName(): string;
    getFileSize(): number;
    readBuffer(position: number, length: number): Promise<DataView>;
    closeFile(): void;
  }

  export function openFile(source: string | ArrayBuffer | FileProxy): Promise<JsrootFile>;
}

declare module 'jsroot/tree' {
  import type { JsrootNamed } from 'jsroot/io';

  export class TSelector {
    tgtobj: Record<string, unknown>;
    addBranch(branch: string | JsrootNamed, name?: string, direct?: boolean): number;
    Begin(tree?: JsrootNamed): void;
    Process(entry?: number): void;
    Terminate(res?: boolean): void;
  }

  export function treeProcess(
    tree: JsrootNamed,
    selector: TSelector,
    args?: { numentries?: number; firstentry?: number },
  ): Promise<unknown>;
}
