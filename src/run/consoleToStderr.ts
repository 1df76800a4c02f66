// Nothing but the report may reach stdout: libraries write diagnostics with console.log
// (jsroot: "Missmatch in TTree:20 bytecount ..."), which would break `--json`. Importing
// this module first (bin/mssi, the worker's entry) sends every console method to stderr.

import { Console } from 'node:console';

export function routeConsoleToStderr(): void {
  const toStderr = new Console({ stdout: process.stderr, stderr: process.stderr });
  const methods = ['log', 'info', 'debug', 'warn', 'error', 'trace', 'dir', 'dirxml', 'table', 'group', 'groupCollapsed', 'groupEnd'] as const;
  for (const name of methods) {
    (console as unknown as Record<string, unknown>)[name] = (toStderr[name] as (...args: unknown[]) => void).bind(toStderr);
  }
}

routeConsoleToStderr();
