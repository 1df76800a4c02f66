// `mssi cache ls | verify | prune | clear`: look after the result cache. Registered
// here; the work is in cacheAction.ts, loaded when a subcommand runs.

import { InvalidArgumentError, type Command } from 'commander';
import { parseDuration } from '../cache/duration.js';
import type { CacheOptions } from './cacheAction.js';
import { withExamples } from './help.js';

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
  withExamples(sub('ls', 'list entries: key, source, file size, age, hits, the file computed from').option('--json', 'as JSON').action(run('ls')), [
    'mssi cache ls',
    'mssi cache ls --json --cache run/cache',
  ]);
  withExamples(
    sub('verify', 'check every entry (checksum) and whether its file changed since')
      .option('--remove', 'remove the corrupt entries found')
      .action(run('verify')),
    ['mssi cache verify', 'mssi cache verify --remove --cache run/cache'],
  );
  withExamples(
    sub('prune', 'remove entries not used for a while, corrupt ones and stale temporaries')
      .requiredOption('--older-than <age>', 'e.g. 30d, 12h', duration)
      .action(run('prune')),
    ['mssi cache prune --older-than 30d', 'mssi cache prune --older-than 12h --cache run/cache'],
  );
  withExamples(sub('clear', 'remove every entry').action(run('clear')), ['mssi cache clear --cache run/cache', 'mssi cache clear']);
  withExamples(cache, ['mssi cache ls', 'mssi cache verify --remove', 'mssi cache prune --older-than 30d']);
}
