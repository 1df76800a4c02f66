// The two batch scripts of a run, RUN_DIR/array.sbatch and RUN_DIR/merge.sbatch:
// plain bash a user can read, edit and submit by hand. Every path in them is
// absolute (node, this mssi, the run folder, the cache), since a batch job starts
// in whatever folder the site chooses, on another machine that sees the same disks.

import { commandLine, shellWord } from './shell.js';

export interface ScriptPaths {
  /** The node executable (the one running `mssi submit`). */
  readonly node: string;
  /** This mssi's bin/mssi. */
  readonly mssi: string;
  /** The run folder, absolute. */
  readonly runDir: string;
  /** RUN_DIR/logs, absolute. */
  readonly logs: string;
}

export interface ArrayScriptOptions extends ScriptPaths {
  /** The cache every task reads and fills (on a filesystem every node sees). */
  readonly cache: string;
  readonly shards: number;
  /** Worker processes per task, = --cpus-per-task. */
  readonly jobsPerTask: number;
  /** The --array value of the first array (for a submission by hand). */
  readonly firstArray: string;
  /** Each array's offset and --array value, as submitted (for the comment). */
  readonly arrays: readonly { readonly offset: number; readonly spec: string }[];
}

const SHARD_LOG = 'shard-%A_%a.out';
const MERGE_LOG = 'merge-%j.out';

export function arrayScript(o: ArrayScriptOptions): string {
  const self = `${o.runDir}/array.sbatch`;
  const submitted = o.arrays.map(
    (a) => `#   ${commandLine('sbatch', [`--array=${a.spec}`, `--cpus-per-task=${o.jobsPerTask}`, self, `${a.offset}`])}`,
  );
  return `#!/bin/bash
# mssi shard job: one Slurm array task per shard of the plan ${o.runDir}/plan.json
# (${o.shards} shard${o.shards === 1 ? '' : 's'}). Task i runs shard K = i + OFFSET, OFFSET being this
# script's first argument (0 when omitted): a site's MaxArraySize caps the task
# index, so shards past it run in further arrays with an offset.
#
# \`mssi run --plan\` writes ${o.runDir}/shards/K.json whole when shard K is done;
# a task stopped part way leaves no shard file, and the files it finished stay
# in the cache, so running the shard again reads only what is left.
#
# mssi submit --slurm submitted it as (plus any --sbatch-arg):
${submitted.join('\n')}
# By hand, for instance the shards of the first array, at most 4 running at once:
#   sbatch --array=${o.firstArray.replace(/%\d+$/, '')}%4 ${self}
#
# The cache must be on a filesystem every node sees, and so must node and mssi.
#SBATCH --job-name=mssi-shards
#SBATCH --array=${o.firstArray}
#SBATCH --cpus-per-task=${o.jobsPerTask}
#SBATCH --output=${o.logs}/${SHARD_LOG}
set -euo pipefail

NODE=${shellWord(o.node)}
MSSI=${shellWord(o.mssi)}
RUN=${shellWord(o.runDir)}
CACHE=${shellWord(o.cache)}
: "\${SLURM_ARRAY_TASK_ID:?not an array task: submit as sbatch --array=0-${o.shards - 1} $0}"
OFFSET=\${1:-0}
K=$((SLURM_ARRAY_TASK_ID + OFFSET))
JOBS=\${SLURM_CPUS_PER_TASK:-${o.jobsPerTask}}

echo "mssi: shard $K of ${o.shards} (array job \${SLURM_ARRAY_JOB_ID:-?} task $SLURM_ARRAY_TASK_ID) on $(hostname), $JOBS worker(s)"
# exec: Slurm's stop signal (scancel, the time limit) reaches mssi itself, which stops its workers cleanly.
exec "$NODE" "$MSSI" run --plan "$RUN/plan.json" --shard "$K" --cache "$CACHE" --jobs "$JOBS"
`;
}

export function mergeScript(o: ScriptPaths): string {
  const self = `${o.runDir}/merge.sbatch`;
  return `#!/bin/bash
# mssi merge job: once the shard arrays have ended (afterany: also when a task
# failed or was cancelled), builds the report from ${o.runDir}/plan.json and the
# shard files alone; no input file is read again.
#
# mssi merge itself checks that every planned task has exactly one result. Its
# exit status is this job's: 0 complete, 1 some input file failed, 4 shards are
# missing (named in this log; \`mssi submit --slurm --resume ${o.runDir}\` runs them).
# The text report goes to this job's log, the JSON report to ${o.runDir}/report.json.
#
# mssi submit --slurm submits it as (plus any --sbatch-arg), with the job ids
# of the shard arrays (slurm.json has them):
#   ${commandLine('sbatch', ['--dependency=afterany:ARRAY_JOB_ID[:ARRAY_JOB_ID2...]', self])}
#SBATCH --job-name=mssi-merge
#SBATCH --cpus-per-task=1
#SBATCH --output=${o.logs}/${MERGE_LOG}
set -euo pipefail

NODE=${shellWord(o.node)}
MSSI=${shellWord(o.mssi)}
RUN=${shellWord(o.runDir)}

status=0
# --out writes the JSON report whole (temporary name, rename), complete or not
"$NODE" "$MSSI" merge "$RUN" --out "$RUN/report.json" || status=$?
case $status in
  0) echo "mssi merge: exit 0: the report is complete: $RUN/report.json" ;;
  1) echo "mssi merge: exit 1: some input file failed (the report's failures say why): $RUN/report.json" ;;
  4) echo "mssi merge: exit 4: shards are missing; run them with: mssi submit --slurm --resume $RUN" ;;
  *) echo "mssi merge: exit $status: no report (see the message above)" ;;
esac
exit "$status"
`;
}

/** Where a merge job's and an array task's logs go (the names Slurm gives them). */
export const mergeLogPath = (logs: string, jobId: number): string => `${logs}/merge-${jobId}.out`;
export const shardLogPath = (logs: string, arrayJobId: number, taskId: number): string => `${logs}/shard-${arrayJobId}_${taskId}.out`;
