// Streamer infos of ROOT's TLeaf classes, for files that do not carry them.
// jsroot reads a TTree's leaves through the file's own streamer infos; files from
// older go-hep versions leave out TLeaf/TLeafI/... (uproot has them built in), so
// jsroot skips every leaf record and its length, signedness and count leaf are lost.
// ROOT's descriptions of these classes (the writer's, taken from ROOT-written
// files) are added where the file has none of that class and version.
import type { JsrootFile, JsrootNamed } from 'jsroot/io';
import { STANDARD_CLASSES } from '../write/standard-streamers.js';
import type { ClassDef, ElementDef } from '../write/streamers.js';

const ELEMENT_CLASS: Record<ElementDef['kind'], string> = {
  base: 'TStreamerBase',
  basic: 'TStreamerBasicType',
  basicPointer: 'TStreamerBasicPointer',
  object: 'TStreamerObject',
  objectPointer: 'TStreamerObjectPointer',
  objectAny: 'TStreamerObjectAny',
  string: 'TStreamerString',
  stl: 'TStreamerSTL',
  stlString: 'TStreamerSTLstring',
};

/** A TStreamerInfo record as jsroot holds one read from a file. */
function jsrootStreamerInfo(c: ClassDef): JsrootNamed {
  const elements = c.elements.map((e) => ({
    _typename: ELEMENT_CLASS[e.kind],
    fName: e.name,
    fTitle: e.title,
    fType: e.type,
    fSize: e.size,
    fArrayLength: 0,
    fArrayDim: 0,
    fMaxIndex: [0, 0, 0, 0, 0],
    fTypeName: e.typeName,
    fXmin: 0,
    fXmax: 0,
    fFactor: 0,
    ...(e.baseVersion !== undefined ? { fBaseVersion: e.baseVersion } : {}),
  }));
  return { _typename: 'TStreamerInfo', fName: c.name, fTitle: '', fCheckSum: c.checksum, fClassVersion: c.version, fElements: { _typename: 'TList', arr: elements } };
}

/** The TLeaf classes whose streamer infos the file lacks, added to jsroot's list; returns their names. */
export function supplyLeafStreamers(jsfile: JsrootFile): string[] {
  const list = (jsfile as unknown as { fStreamerInfos?: { arr?: JsrootNamed[] } | null }).fStreamerInfos;
  if (!list || !Array.isArray(list.arr)) return [];
  const added: string[] = [];
  for (const c of STANDARD_CLASSES) {
    if (!/^TLeaf/.test(c.name)) continue;
    if (list.arr.some((si) => si.fName === c.name && si['fClassVersion'] === c.version)) continue;
    list.arr.push(jsrootStreamerInfo(c));
    added.push(c.name);
  }
  return added;
}
