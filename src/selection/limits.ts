// How far a selection file's numbers may go: what the kernels and the cuts' shortcuts
// are made for (checked by selectionFile.ts, relied on by compiled.ts and the kernels).

/** The wall polynomial's highest degree (17 coefficients): what the WebAssembly kernel has room for. */
export const MAX_WALL_DEGREE = 16;
/** Bins per model axis at most (a 10000 x 10000 model is 800 MB of float64 per histogram already). */
export const MAX_BINS = 10_000;
/**
 * |log10_cs2_max| at most: 10^x must be a normal float64 (the ROI cut compares S2c with
 * bounds around 10^x before it takes a log10, compiled.ts).
 */
export const MAX_ABS_LOG10_CS2 = 300;
