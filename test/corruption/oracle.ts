// What a run must give for a damaged file: a failure whose message names the
// file and the record, or counts equal to the good file's (the damage was in
// bytes the selection does not read) or to jsroot's reading of the same bytes.

export interface Counts {
  readonly nSS: number;
  readonly nSSFV: number;
  readonly nSSFVROI: number;
  readonly nMSSI: number;
  readonly nMSSIFV: number;
  readonly nMSSIFVROI: number;
}

export interface FileRow {
  readonly path: string;
  readonly contentHash: string | null;
  readonly fromCache: boolean;
  readonly counts: Counts;
  readonly eventWeight: number | null;
}

export interface Report {
  readonly schema: string;
  readonly files: FileRow[];
  readonly failures: { path: string; error: string }[];
}

export interface CountsAndWeight {
  readonly counts: Counts;
  readonly eventWeight: number | null;
}

export function sameCounts(a: CountsAndWeight, b: CountsAndWeight): boolean {
  const keys: (keyof Counts)[] = ['nSS', 'nSSFV', 'nSSFVROI', 'nMSSI', 'nMSSIFV', 'nMSSIFVROI'];
  return keys.every((k) => a.counts[k] === b.counts[k]) && Object.is(a.eventWeight, b.eventWeight);
}

export function showCounts(c: CountsAndWeight): string {
  const k = c.counts;
  return `[${k.nSS} ${k.nSSFV} ${k.nSSFVROI} ${k.nMSSI} ${k.nMSSIFV} ${k.nMSSIFVROI}] w=${c.eventWeight}`;
}

/** Raw internals (and the words of a value nobody checked) a user cannot act on. */
const INTERNALS: readonly [RegExp, string][] = [
  [/Offset is outside the bounds of the DataView/, 'raw DataView RangeError'],
  [/Cannot read propert(y|ies) of (undefined|null)/, 'raw TypeError (property of undefined)'],
  [/Invalid typed array length/, 'raw RangeError (typed array length)'],
  [/Invalid array length/, 'raw RangeError (array length)'],
  [/Array buffer allocation failed/, 'raw allocation failure'],
  [/Cannot mix BigInt and other types/, 'raw TypeError (BigInt)'],
  [/is not a function/, 'raw TypeError (not a function)'],
  [/is not iterable/, 'raw TypeError (not iterable)'],
  [/Maximum call stack/, 'stack overflow'],
  [/\bundefined\b/, "'undefined' in the message"],
  [/NaN/, "'NaN' in the message"],
  [/The value of "\w+" is out of range|ERR_OUT_OF_RANGE|ERR_[A-Z_]{4,}/, 'raw Node.js argument error (ERR_OUT_OF_RANGE)'],
  [/\b(tree|branch|key|basket) ''/i, 'names a record by an empty name'],
  [/\[object Object\]/, "'[object Object]' in the message"],
  [/\b(RangeError|TypeError|SyntaxError|ReferenceError)\b/, 'a raw JavaScript error name'],
  [/worker process died|worker .*(crashed|exited)/i, 'the worker crashed on the file'],
  [/heap out of memory|JavaScript heap/i, 'out of memory'],
];

// Control characters and replacement characters: garbage text from a damaged key.
const NON_PRINTABLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\ufffd]/;

/** Words that name a record of the file (with a number or a quoted name to say which). */
const NAMES_RECORD = [
  /truncat/i,
  /\b(file )?header\b/i,
  /\bkeys? list\b|\blist of keys\b/i,
  /\bstreamer/i,
  /\b(tree|branch|basket|key|directory|record|TTree|TBranch|TBasket|TKey|TDirectory)\b[^]*(\d|'[^']*')/i,
];

export interface MessageVerdict {
  readonly ok: boolean;
  readonly problems: string[];
}

export function judgeMessage(message: string, path: string, truncated = false): MessageVerdict {
  const problems: string[] = [];
  const rest0 = message.split(path).join(' ');
  // ROOT says so: a cut file must be called truncated, not "no TTree named ..."
  if (truncated && !/truncat/i.test(rest0)) problems.push("a truncated file, not called 'truncated'");
  if (!message.includes(path)) problems.push('does not name the file');
  for (const [re, why] of INTERNALS) if (re.test(message)) problems.push(why);
  if (NON_PRINTABLE.test(message)) problems.push('non-printable characters (garbage from a damaged record)');
  const rest = message.split(path).join(' ');
  if (!NAMES_RECORD.some((re) => re.test(rest))) problems.push('names no record (tree, branch, key, basket and offset; header; keys list; streamer infos; truncated)');
  return { ok: problems.length === 0, problems };
}

/** A message with its file and numbers generalised: the shape of a class of messages. */
export function messageShape(message: string, path: string): string {
  return message
    .split(path)
    .join('FILE')
    .replace(NON_PRINTABLE, '?')
    .replace(/[\u0000-\u001f\u007f-\u009f\ufffd]/g, '?')
    .replace(/0x[0-9a-f]+/gi, 'N')
    .replace(/-?\d+(\.\d+)?(e[+-]?\d+)?/gi, 'N')
    .replace(/'[^']{40,}'/g, "'…'");
}
