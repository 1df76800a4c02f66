// The width tables are fitted to: the terminal's columns, or 100 when stdout is not a
// terminal (a file, a pipe, a CI log), so that what lands there is the same everywhere.

export const DEFAULT_WIDTH = 100;

export function outputWidth(stream: NodeJS.WriteStream = process.stdout): number {
  const columns = stream.isTTY ? stream.columns : undefined;
  return typeof columns === 'number' && columns > 0 ? columns : DEFAULT_WIDTH;
}

/** `--wide`: no limit (every column, nothing cut); otherwise the output's width. */
export function tableWidth(wide: boolean | undefined, stream: NodeJS.WriteStream = process.stdout): number {
  return wide ? Number.POSITIVE_INFINITY : outputWidth(stream);
}
