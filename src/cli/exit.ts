// Exit statuses are part of the contract with CI batch jobs (see README).
export const EXIT = {
  ok: 0,
  /** Some input failed (a bad file, a worker crash); the rest was processed. */
  failure: 1,
  /** Bad command line or configuration (rates table, cache location); nothing was run. */
  usage: 2,
  /** --gpu, and no usable GPU adapter; nothing was run. */
  backendUnavailable: 3,
  /** `mssi merge`: shards of the plan have no result yet (missing, or a file that cannot be used); the report has the rest. */
  incomplete: 4,
  /**
   * An output could not be written: --csv FILE, merge's --out FILE, a shard's results
   * file, or stdout itself (full disk, a closed file; a reader that stops early,
   * EPIPE, is a quiet 0). The rest is still printed. Takes precedence over 1 and 4: they
   * describe a report that was written.
   */
  outputFailed: 5,
  /** Stopped by SIGINT (Ctrl-C) / SIGTERM: 128 + the signal's number, as a shell reports it; finished files stay cached. */
  sigint: 130,
  sigterm: 143,
} as const;
