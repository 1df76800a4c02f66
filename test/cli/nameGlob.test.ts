import { describe, expect, it } from 'vitest';
import { nameMatcher, namePattern, NamePatternError } from '../../src/cli/nameGlob.js';

describe('branch name patterns', () => {
  const names = ['ss.', 'ss.x_cm', 'ss.x_raw_cm', 'ss.s2Area_phd', 'mcTruthVertices.volumeName', 'mcTruthEvent.eventWeight', 'a+b(c)'];
  const match = (...patterns: string[]) => names.filter(nameMatcher(patterns));
  it('* is any run of characters, dots included; the whole name must match', () => {
    expect(match('ss.*')).toEqual(['ss.', 'ss.x_cm', 'ss.x_raw_cm', 'ss.s2Area_phd']);
    expect(match('*Weight')).toEqual(['mcTruthEvent.eventWeight']);
    expect(match('x_cm')).toEqual([]);
  });
  it('? [set] [!set] {a,b} and several patterns', () => {
    expect(match('ss.?_cm')).toEqual(['ss.x_cm']);
    expect(match('ss.[xy]_*')).toEqual(['ss.x_cm', 'ss.x_raw_cm']);
    expect(match('ss.[!x]*')).toEqual(['ss.s2Area_phd']);
    expect(match('mcTruth{Event,Vertices}.*Name')).toEqual(['mcTruthVertices.volumeName']);
    expect(match('ss.x_cm', '*Weight')).toEqual(['ss.x_cm', 'mcTruthEvent.eventWeight']);
    expect(match()).toEqual(names);
  });
  it('regular expression characters are themselves, \\ escapes', () => {
    expect(match('a+b(c)')).toEqual(['a+b(c)']);
    expect(namePattern('ss\\*').test('ss*')).toBe(true);
  });
  it('refuses a pattern it cannot read, saying why', () => {
    expect(() => namePattern('ss.[xy')).toThrow(NamePatternError);
    expect(() => namePattern('{a,b')).toThrow(/a \{ has no \}/);
  });
});
