// How many workers of a GPU run open a device. Its own module: the CLI's option
// registration reads it, and it must not bring the GPU backend's modules along.

/**
 * Workers of a GPU run that open a device (--gpu-workers); the others select on the
 * CPU (same answers). 1: on the 16-core H200 host, 16 workers each opening a device
 * made --gpu 4x slower than the CPU (the driver serialises device opening, 3.5-4 s
 * each; see docs/benchmarks.md), while the selection is ~7% of a worker's time, so
 * one device takes nearly all a GPU can save; on lavapipe, one beat two.
 */
export const DEFAULT_GPU_WORKERS = 1;
