// The host-side conversions: exact or flagged, never a silently changed value.

import { describe, expect, it } from 'vitest';
import { HOST_FLAG, ChunkPacker, toFloat32Exact, toSignExactFloat32, vertexLayout } from '../../src/gpu/pack.js';
import { boundaryEvents } from '../../src/gpu/boundaryEvents.js';

describe('toFloat32Exact', () => {
  it('flags float64 values that are not float32, and nothing else', () => {
    const src = Float64Array.of(1.5, 0.1, NaN, -0, 2 ** 24 + 1, Infinity, 1e-45, 31622.77734375);
    const dst = new Float32Array(src.length);
    const flags = new Uint8Array(src.length);
    toFloat32Exact(src, 0, src.length, dst, flags);
    expect([...flags]).toEqual([0, 1, 0, 0, 1, 0, 1, 0]);
    expect(Number.isNaN(dst[2])).toBe(true);
  });
  it('flags wide integers that float32 rounds', () => {
    const src = Int32Array.of(7, 16_777_217, -16_777_216, 2_147_483_647);
    const flags = new Uint8Array(4);
    toFloat32Exact(src, 0, 4, new Float32Array(4), flags);
    expect([...flags]).toEqual([0, 1, 0, 1]);
  });
});

describe('toSignExactFloat32', () => {
  it('keeps "> 0" of every photon count', () => {
    const src = Float64Array.of(1e-300, -1e-300, 0, -0, NaN, 3, 1e300, -1e300);
    const dst = new Float32Array(src.length);
    toSignExactFloat32(src, 0, dst);
    expect([...dst].map((v) => v > 0)).toEqual([...src].map((v) => v > 0));
  });
});

describe('vertexLayout', () => {
  it('merges differing offsets to the shortest vector per event', () => {
    const c = boundaryEvents(50, 3);
    const s1Offsets = Int32Array.from(c.detectedS1Photons.offsets, (o, i) => o + i); // one extra per event
    const s1Values = new Float32Array(s1Offsets[50]!);
    const odd = { ...c, detectedS1Photons: { offsets: s1Offsets, values: s1Values } };
    const layout = vertexLayout(odd)!;
    expect(layout.offsets[50]).toBe(c.vertexSkipped.offsets[50]);
  });
  it('rejects malformed offsets', () => {
    const c = boundaryEvents(10, 3);
    const bad = Int32Array.from(c.vertexSkipped.offsets);
    bad[5] = bad[4]! - 1;
    expect(vertexLayout({ ...c, vertexSkipped: { offsets: bad, values: c.vertexSkipped.values } })).toBeUndefined();
  });
  it('packs the host flag into the vertex word', () => {
    const c = boundaryEvents(4, 3);
    const x = Float64Array.from(c.x_cm);
    x[2] = 0.1;
    const packed = new ChunkPacker().pack({ ...c, x_cm: x }, vertexLayout(c)!, 0, 4);
    expect(packed.hostFlagged).toBe(1);
    expect((packed.eventWords[6 * 4 + 2]! & HOST_FLAG) >>> 0).toBe(HOST_FLAG);
  });
});
