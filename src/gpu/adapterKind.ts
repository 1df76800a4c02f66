// Whether a WebGPU adapter is a real GPU or a software rasteriser running on the CPU
// (Mesa's llvmpipe / lavapipe, Google's SwiftShader, Microsoft's WARP). A software
// adapter gives the right counts (the self-test sees to that) but runs the kernel on the
// cores the workers need: slower than the CPU backend. `--backend auto` therefore never
// takes one unless MSSI_GPU_ALLOW_SOFTWARE=1; `--gpu` does, with a note.
// Decided from the adapter's own info (Dawn's GPUAdapterInfo), nothing else.

export interface AdapterInfoFields {
  readonly vendor: string;
  readonly architecture: string;
  readonly device: string;
  readonly description: string;
  readonly isFallbackAdapter: boolean;
}

export interface AdapterKind {
  readonly kind: 'hardware' | 'software';
  /** Why it was decided so, in words: which field said what. */
  readonly why: string;
}

/** Names of software drivers, as they appear in an adapter's vendor, architecture, device or description. */
const SOFTWARE_DRIVERS: readonly { readonly name: string; readonly pattern: RegExp }[] = [
  { name: 'llvmpipe', pattern: /llvmpipe/i },
  { name: 'lavapipe', pattern: /lavapipe/i },
  { name: 'softpipe', pattern: /softpipe/i },
  { name: 'SwiftShader', pattern: /swiftshader/i },
  { name: 'WARP', pattern: /\bwarp\b|microsoft basic render driver/i },
];

const FIELDS = ['device', 'description', 'vendor', 'architecture'] as const;

export function adapterKind(info: AdapterInfoFields): AdapterKind {
  for (const driver of SOFTWARE_DRIVERS) {
    for (const field of FIELDS) {
      if (driver.pattern.test(info[field])) {
        return { kind: 'software', why: `${field} "${info[field]}" names ${driver.name}` };
      }
    }
  }
  if (/^(software|cpu)$/i.test(info.architecture.trim())) {
    return { kind: 'software', why: `architecture "${info.architecture}"` };
  }
  if (info.isFallbackAdapter) return { kind: 'software', why: "Dawn's fallback adapter (isFallbackAdapter)" };
  return { kind: 'hardware', why: 'no software driver in its vendor, architecture, device or description; not a fallback adapter' };
}

