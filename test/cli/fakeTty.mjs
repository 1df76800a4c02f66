// Preloaded by tests (NODE_OPTIONS=--import) into mssi: its stdout and stderr say they
// are terminals of $MSSI_TEST_TTY_COLUMNS columns, as a real terminal's would, so that a
// test sees what a user at one sees (tables fitted to the width, the progress bar).
const columns = Number(process.env.MSSI_TEST_TTY_COLUMNS ?? 80);
for (const stream of [process.stdout, process.stderr]) {
  Object.defineProperty(stream, 'isTTY', { value: true, configurable: true });
  Object.defineProperty(stream, 'columns', { value: columns, configurable: true });
  Object.defineProperty(stream, 'rows', { value: 40, configurable: true });
}
