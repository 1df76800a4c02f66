// Option parsers shared by commands: each turns bad input into a usage error that names the option.

import { InvalidArgumentError } from 'commander';
import { availableParallelism } from 'node:os';

export function positiveInteger(name: string) {
  return (text: string): number => {
    const n = Number(text);
    if (!/^\s*\d+\s*$/.test(text) || !Number.isSafeInteger(n) || n < 1) {
      throw new InvalidArgumentError(`${name} must be a positive integer, got "${text}"`);
    }
    return n;
  };
}

export function nonNegativeInteger(name: string) {
  return (text: string): number => {
    const n = Number(text);
    if (!/^\s*\d+\s*$/.test(text) || !Number.isSafeInteger(n)) {
      throw new InvalidArgumentError(`${name} must be an integer >= 0, got "${text}"`);
    }
    return n;
  };
}

export function positiveNumber(name: string) {
  return (text: string): number => {
    const n = Number(text);
    if (text.trim() === '' || !Number.isFinite(n) || n <= 0) {
      throw new InvalidArgumentError(`${name} must be a number > 0, got "${text}"`);
    }
    return n;
  };
}

export const defaultJobs = (): number => Math.max(1, availableParallelism());
