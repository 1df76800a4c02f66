// Typed errors of the GPU backend, with messages a user can act on.

/** How to get an adapter on a machine without one (Linux; the usual case on CI). */
export const DRIVER_HINT =
  'On Debian/Ubuntu without a GPU, install Mesa\'s CPU Vulkan driver (lavapipe, Mesa >= 24): ' +
  'run .ci/install-gpu-driver.sh as root (Debian 12: `apt-get install -t bookworm-backports mesa-vulkan-drivers libvulkan1`); ' +
  'with a GPU, install its vendor\'s Vulkan driver (NVIDIA\'s loads through glvnd: with no adapter found, install libvulkan1, libglvnd0, ' +
  'libglx0, libegl1, libx11-6 and libxext6, and in a container point VK_DRIVER_FILES at the driver\'s nvidia_icd.json). ' +
  'Or run without --gpu (the CPU backend gives the same counts).';

/** One backend that was tried, and what became of it. */
export interface GpuAttempt {
  readonly backend: string;
  readonly outcome: string;
  /** It gave a software adapter, passed over (`--backend auto`). */
  readonly software?: boolean;
}

/** No usable WebGPU adapter: none found, none passed the self-test, or Dawn could not load. */
export class GpuUnavailableError extends Error {
  constructor(readonly attempts: readonly GpuAttempt[], detail?: string) {
    const tried = attempts.map((a) => `  - ${a.backend}: ${a.outcome}`).join('\n');
    super(
      `no usable WebGPU adapter${detail ? ` (${detail})` : ''}.\n` +
        (tried ? `Tried:\n${tried}\n` : '') +
        DRIVER_HINT,
    );
    this.name = 'GpuUnavailableError';
  }
}

/** The kernel's answer on the built-in known-answer events differs from the float64 reference. */
export class GpuSelfTestError extends Error {
  constructor(readonly adapter: string, readonly detail: string) {
    super(`the GPU adapter "${adapter}" failed mssi's self-test: ${detail}; its results cannot be trusted`);
    this.name = 'GpuSelfTestError';
  }
}

/** The device reported an error (validation, out of memory, lost) while selecting. */
export class GpuDeviceError extends Error {
  constructor(readonly adapter: string, detail: string) {
    super(`GPU "${adapter}": ${detail}`);
    this.name = 'GpuDeviceError';
  }
}
