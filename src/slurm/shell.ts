// Words and command lines for bash, as printed to the user and written in the scripts.

/** A word for bash: left bare when it is safe, else in single quotes. */
export function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** A command as a user would type it. */
export const commandLine = (command: string, args: readonly string[]): string => [command, ...args].map(shellWord).join(' ');
