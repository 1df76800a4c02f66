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
  it('takes equal offsets held in separate arrays as one layout, checking the value lengths', () => {
    const c = boundaryEvents(200, 6);
    const copy = (col: { offsets: Int32Array; values: Float32Array }) => ({ offsets: Int32Array.from(col.offsets), values: col.values });
    const separate = { ...c, detectedS1Photons: copy(c.detectedS1Photons as { offsets: Int32Array; values: Float32Array }), detectedS2Photons: copy(c.detectedS2Photons as { offsets: Int32Array; values: Float32Array }) };
    const layout = vertexLayout(separate)!;
    expect(layout.offsets).toBe(c.vertexSkipped.offsets);
    expect(layout.s1).toBe(c.detectedS1Photons.values);
    const total = c.vertexSkipped.offsets[200]!;
    const short = { ...separate, detectedS2Photons: { offsets: separate.detectedS2Photons.offsets, values: c.detectedS2Photons.values.subarray(0, total - 1) } };
    expect(vertexLayout(short)).toBeUndefined();
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
    expect((packed.eventSections[6]![2]! & HOST_FLAG) >>> 0).toBe(HOST_FLAG);
  });
});

describe('ChunkPacker', () => {
  it('hands over columns already in the kernel\'s format as views, without copies', () => {
    const c = boundaryEvents(100, 4);
    const s1 = Int32Array.from(c.detectedS1Photons.values, (v) => Math.trunc(v));
    const withInts = { ...c, detectedS1Photons: { offsets: c.detectedS1Photons.offsets, values: s1 } };
    const packed = new ChunkPacker().pack(withInts, vertexLayout(withInts)!, 10, 60);
    expect(packed.eventSections.map((s) => s.length)).toEqual([50, 50, 50, 50, 50, 50, 50, 51]);
    expect(packed.eventSections[0]!.buffer).toBe(c.x_cm.buffer);
    expect(packed.eventSections[0]![0]).toBe(c.x_cm[10]);
    expect(packed.eventSections[6]!.buffer).toBe(c.nRQMCTruthVertices.buffer);
    expect(packed.s1).toBeInstanceOf(Int32Array);
    expect(packed.s1.buffer).toBe(s1.buffer);
    expect(packed.s2.buffer).toBe(c.detectedS2Photons.values.buffer);
    expect(packed.skip.length).toBe(packed.vertices);
    expect(packed.vertexBase).toBe(c.vertexSkipped.offsets[10]);
  });
  it('converts other types into its own scratch, with the same sections', () => {
    const c = boundaryEvents(100, 5);
    const packer = new ChunkPacker();
    const odd = { ...c, y_cm: Float64Array.from(c.y_cm), detectedS2Photons: { offsets: c.detectedS2Photons.offsets, values: Float64Array.from(c.detectedS2Photons.values) } };
    const packed = packer.pack(odd, vertexLayout(odd)!, 0, 100);
    expect(packed.eventSections.map((s) => s.length)).toEqual([100, 100, 100, 100, 100, 100, 100, 101]);
    expect(packed.eventSections[1]!.buffer).not.toBe(c.y_cm.buffer);
    expect([...packed.eventSections[1]!]).toEqual([...c.y_cm]);
    expect(packed.s2).toBeInstanceOf(Float32Array);
    expect([...packed.s2]).toEqual([...c.detectedS2Photons.values.subarray(0, packed.vertices)]);
  });
});
