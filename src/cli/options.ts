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

export const MODEL_OPTION_HELP =
  'also write the background model: FILE.json (edges, raw counts with flow, values and variances per source and in total; schema mssi.model/1) or FILE.root (TH2D h_ss_<Source>, h_mssi_<Source>, h_ss_total, h_mssi_total)';
export const HTML_OPTION_HELP = 'also write the report as one self-contained HTML file (summary, rates by source, the model\'s maps and projections)';
