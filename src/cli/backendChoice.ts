// --backend / --gpu of a command that runs workers: the backend, with its note on
// stderr, or exit 3 when a GPU was asked for and none is usable.

import type { BackendName } from '../result.js';
import { chooseBackend, type BackendRequest } from '../run/backend.js';
import { EXIT } from './exit.js';

export async function backendOrExit(
  command: string,
  options: { readonly backend: BackendRequest; readonly gpu?: boolean; readonly quiet?: boolean },
): Promise<{ backend: BackendName } | { exit: number }> {
  try {
    const choice = await chooseBackend(options.gpu ? 'gpu' : options.backend);
    if (choice.note && !(options.quiet && choice.backend === 'gpu')) process.stderr.write(`${command}: ${choice.note}\n`);
    if (choice.warning) process.stderr.write(`${command}: ${choice.warning}\n`);
    return { backend: choice.backend };
  } catch (err) {
    process.stderr.write(`${command}: ${(err as Error).message}\n`);
    return { exit: EXIT.backendUnavailable };
  }
}
