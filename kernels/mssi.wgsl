// The MSSI selection of SELECTION.md, one invocation per event, in float32 where
// that is provably exact and with a flag ("decide me in float64") elsewhere.
// Every constant is a pipeline override set by src/gpu/thresholds.ts from
// src/selection/cuts.ts; the proof of the wall margin is there.
//
// Buffers (see src/gpu/pack.ts for the host side of the layout):
//   ev  : E events in sections of E words: x, y, driftTime_ns, s2Area,
//         correctedS1Area, correctedS2Area (float32 bits), vertex word (bit 31:
//         the host flags the event, or nRQMCTruthVertices is a negative int32;
//         bits 0-30: nRQMCTruthVertices), then E+1 absolute CSR offsets (i32).
//   vtx : V vertices: detectedS1Photons (float32 bits, sign kept exactly, or
//         int32: params.photonKinds), detectedS2Photons, then the skip flags,
//         4 bytes to a word.
//   outw: 5 counters, the flag count, 2 spare, then up to flagCapacity
//         chunk-relative indices of flagged events.

override DRIFT_LO: i32;
override DRIFT_HI: i32;
override S1C_LO: i32;
override S1C_HI: i32;
override S2C_LO: i32;
override S2C_HI: i32;
override S2_LO: i32;
override S2_HI: i32;
override XY_ABS_LIMIT_KEY: i32;
override C0: f32;
override C1: f32;
override C2: f32;
override C3: f32;
override C4: f32;
override C5: f32;
override WALL_MARGIN: f32;
override NS_TO_US: f32;
override FV_MARGIN: f32;

const WG: u32 = 128u;
const PER_THREAD: u32 = 16u;
const HOST_FLAG: u32 = 0x80000000u;
const HEADER: u32 = 8u;
const FLAG_COUNT: u32 = 5u;

struct Params {
  events: u32,
  vertexBase: i32,
  vertices: u32,
  flagCapacity: u32,
  // Bit 0: detectedS1Photons are int32, not float32 bits; bit 1: detectedS2Photons.
  photonKinds: u32,
  spare0: u32,
  spare1: u32,
  spare2: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> ev: array<u32>;
@group(0) @binding(2) var<storage, read> vtx: array<u32>;
@group(0) @binding(3) var<storage, read_write> outw: array<atomic<u32>>;

// Per-thread counts: FV, FV&ROI, MSSI, MSSI&FV (x..w) and MSSI&FV&ROI.
var<workgroup> redA: array<vec4<u32>, WG>;
var<workgroup> redB: array<u32, WG>;

const FV: u32 = 1u;
const ROI: u32 = 2u;
const MSSI: u32 = 4u;
const UNDECIDED: u32 = 8u;

// Order key of float32 bits: compares like the float, exactly, with no float op.
fn key(bits: u32) -> i32 {
  let i = bitcast<i32>(bits);
  return select(i, i ^ 0x7fffffff, i < 0);
}

fn inside(bits: u32, lo: i32, hi: i32) -> bool {
  let k = key(bits);
  return lo < k && k < hi;
}

// v > 0 for float32 bits (+subnormals included, NaN excluded) or for an int32.
fn positive(bits: u32, isInt: bool) -> bool {
  let i = bitcast<i32>(bits);
  return i > 0 && (isInt || i <= 0x7f800000);
}

fn fiducial(i: u32, n: u32) -> u32 {
  let dBits = ev[2u * n + i];
  if (!inside(dBits, DRIFT_LO, DRIFT_HI)) {
    return 0u;
  }
  let xBits = ev[i];
  let yBits = ev[n + i];
  // Non-finite or |x|,|y| >= 2^20: far outside the wall (reference: r >= |x| or NaN).
  if (key(xBits & 0x7fffffffu) >= XY_ABS_LIMIT_KEY || key(yBits & 0x7fffffffu) >= XY_ABS_LIMIT_KEY) {
    return 0u;
  }
  let x = bitcast<f32>(xBits);
  let y = bitcast<f32>(yBits);
  let r = sqrt(x * x + y * y);
  let t = bitcast<f32>(dBits) * NS_TO_US;
  let p = ((((C0 * t + C1) * t + C2) * t + C3) * t + C4) * t + C5;
  let diff = r - (p - WALL_MARGIN);
  if (abs(diff) <= FV_MARGIN) {
    return UNDECIDED;
  }
  return select(0u, FV, diff < 0.0);
}

fn regionOfInterest(i: u32, n: u32) -> u32 {
  let ok = inside(ev[4u * n + i], S1C_LO, S1C_HI)
    && inside(ev[5u * n + i], S2C_LO, S2C_HI)
    && inside(ev[3u * n + i], S2_LO, S2_HI);
  return select(0u, ROI, ok);
}

fn skipped(k: u32, v: u32) -> bool {
  let word = vtx[2u * v + (k >> 2u)];
  return ((word >> ((k & 3u) * 8u)) & 0xffu) != 0u;
}

fn multiScatter(i: u32, n: u32, vertexWord: u32) -> u32 {
  let count = vertexWord & 0x7fffffffu;
  if (count == 0u) {
    return 0u;
  }
  let o0 = bitcast<i32>(ev[7u * n + i]);
  let o1 = bitcast<i32>(ev[7u * n + i + 1u]);
  // More vertices than the vectors hold (the reference throws), or outside the
  // chunk: the float64 path decides (and reports).
  if (o1 < o0 || u32(o1 - o0) < count) {
    return UNDECIDED;
  }
  let start = o0 - params.vertexBase;
  let v = params.vertices;
  if (start < 0 || u32(start) + count > v) {
    return UNDECIDED;
  }
  let s1Int = (params.photonKinds & 1u) != 0u;
  let s2Int = (params.photonKinds & 2u) != 0u;
  var nS1 = 0u;
  var nS2 = 0u;
  for (var j = 0u; j < count; j++) {
    let k = u32(start) + j;
    if (skipped(k, v)) {
      continue;
    }
    nS1 += select(0u, 1u, positive(vtx[k], s1Int));
    nS2 += select(0u, 1u, positive(vtx[v + k], s2Int));
  }
  return select(0u, MSSI, nS1 > nS2);
}

fn decide(i: u32, n: u32) -> u32 {
  let vertexWord = ev[6u * n + i];
  if ((vertexWord & HOST_FLAG) != 0u) {
    return UNDECIDED;
  }
  return fiducial(i, n) | regionOfInterest(i, n) | multiScatter(i, n, vertexWord);
}

// Each invocation takes PER_THREAD events, a whole dispatch apart (coalesced
// loads on a GPU), so that the workgroup reduction's barriers, costly on CPU
// drivers such as lavapipe, are paid once per WG * PER_THREAD events.
@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(local_invocation_index) lid: u32,
        @builtin(num_workgroups) groups: vec3<u32>) {
  let n = params.events;
  let stride = groups.x * WG;
  var a = vec4<u32>(0u);
  var b = 0u;
  for (var k = 0u; k < PER_THREAD; k++) {
    let i = gid.x + k * stride;
    if (i >= n) {
      break;
    }
    let bits = decide(i, n);
    if ((bits & UNDECIDED) != 0u) {
      let slot = atomicAdd(&outw[FLAG_COUNT], 1u);
      if (slot < params.flagCapacity) {
        atomicStore(&outw[HEADER + slot], i);
      }
    } else {
      let fv = (bits & FV) != 0u;
      let fvRoi = fv && (bits & ROI) != 0u;
      let mssi = (bits & MSSI) != 0u;
      a += vec4<u32>(select(0u, 1u, fv), select(0u, 1u, fvRoi), select(0u, 1u, mssi), select(0u, 1u, mssi && fv));
      b += select(0u, 1u, mssi && fvRoi);
    }
  }
  redA[lid] = a;
  redB[lid] = b;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s = s >> 1u) {
    if (lid < s) {
      redA[lid] += redA[lid + s];
      redB[lid] += redB[lid + s];
    }
    workgroupBarrier();
  }
  if (lid == 0u) {
    let t = redA[0];
    if (t.x != 0u) { atomicAdd(&outw[0], t.x); }
    if (t.y != 0u) { atomicAdd(&outw[1], t.y); }
    if (t.z != 0u) { atomicAdd(&outw[2], t.z); }
    if (t.w != 0u) { atomicAdd(&outw[3], t.w); }
    if (redB[0] != 0u) { atomicAdd(&outw[4], redB[0]); }
  }
}
