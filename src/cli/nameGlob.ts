// Shell-style patterns for names that are not paths (branch names such as
// `mcTruthVertices.volumeName`): `*` any run of characters (dots too), `?` one
// character, `[abc]` / `[a-z]` / `[!abc]` one of a set, `{a,b}` either, `\x` x itself.
// Case-sensitive, and matched against the whole name.

export class NamePatternError extends Error {
  constructor(readonly pattern: string, detail: string) {
    super(`pattern "${pattern}": ${detail}`);
    this.name = 'NamePatternError';
  }
}

const escapeRegExp = (c: string) => c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

export function namePattern(pattern: string): RegExp {
  let out = '';
  let braces = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      if (i + 1 >= pattern.length) throw new NamePatternError(pattern, 'ends with a lone \\');
      out += escapeRegExp(pattern[++i]!);
    } else if (c === '*') out += '.*';
    else if (c === '?') out += '.';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) throw new NamePatternError(pattern, `[ at ${i + 1} has no ]`);
      let set = pattern.slice(i + 1, end);
      const negate = set.startsWith('!') || set.startsWith('^');
      if (negate) set = set.slice(1);
      out += `[${negate ? '^' : ''}${set.replace(/[\\\]^]/g, '\\$&')}]`;
      i = end;
    } else if (c === '{') {
      braces++;
      out += '(?:';
    } else if (c === '}' && braces > 0) {
      braces--;
      out += ')';
    } else if (c === ',' && braces > 0) out += '|';
    else out += escapeRegExp(c);
  }
  if (braces > 0) throw new NamePatternError(pattern, 'a { has no }');
  return new RegExp(`^${out}$`, 'u');
}

/** A test for names: true when one of `patterns` matches (all names with none). */
export function nameMatcher(patterns: readonly string[]): (name: string) => boolean {
  if (patterns.length === 0) return () => true;
  const res = patterns.map(namePattern);
  return (name) => res.some((re) => re.test(name));
}
