// `mssi cache ls | verify | prune | clear`: look after the result cache. Registered
// here; the work is in cacheAction.ts, loaded when a subcommand runs.

import { InvalidArgumentError, type Command } from 'commander';
import { parseDuration } from '../cache/duration.js';
import type { CacheOptions } from './cacheAction.js';

export type CacheSubcommand = 'ls' | 'verify' | 'prune' | 'clear';

function duration(text: string): number {
  try {
    return parseDuration(text);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

export function registerCache(program: Command): void {
  const cache = program
    .command('cache')
    .description('list, check and clean the result cache')
    .option('--cache <dir>', 'cache location: a folder or file:///path (default: $MSSI_CACHE or ~/.cache/mssi)');
  // Subcommands take --cache too, so it can be given before or after the subcommand.
  const sub = (name: string, description: string) =>
    cache.command(name).description(description).option('--cache <dir>', 'cache location');
  const run = (subcommand: CacheSubcommand) => async (_options: unknown, command: Command) => {
    const { cacheAction } = await import('./cacheAction.js');
    process.exitCode = cacheAction(subcommand, { ...cache.opts(), ...command.opts() } as CacheOptions);
  };
  sub('ls', 'list entries: key, source, file size, age, hits, the file computed from')
    .option('--json', 'as JSON')
    .action(run('ls'));
  sub('verify', 'check every entry (checksum) and whether its file changed since')
    .option('--remove', 'remove the corrupt entries found')
    .action(run('verify'));
  sub('prune', 'remove entries not used for a while, corrupt ones and stale temporaries')
    .requiredOption('--older-than <age>', 'e.g. 30d, 12h', duration)
    .action(run('prune'));
  sub('clear', 'remove every entry').action(run('clear'));
}
