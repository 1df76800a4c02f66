// The MSSI selection of SELECTION.md, one invocation per event, in float32 where
// that is provably exact and with a flag ("decide me in float64") elsewhere.
// Every number of the selection comes in the Cuts uniform, derived per Selection
// by src/gpu/thresholds.ts (the proof of the wall margin is there), and the SS FV
// ROI and MSSI FV ROI events are binned here into atomic counters.
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
//   edges: the x axis' xCount + 1 edge keys, then the y axis' yCount + 1
//         (K_k: the smallest order key of a float32 at or above edge k).
//   cells: the SS FV ROI histogram's (xCount + 2) * (yCount + 2) cells (ROOT's
//         layout, flow bins included), then MSSI FV ROI's, then the two NaN tallies.

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

// The selection, as order-key intervals (lo < key < hi passes), the wall, the binning.
struct Cuts {
  driftLo: i32,
  driftHi: i32,
  s1cLo: i32,
  s1cHi: i32,
  s2cLo: i32,
  s2cHi: i32,
  s2Lo: i32,
  s2Hi: i32,
  xyAbsLimitKey: i32,
  // 0: no float32 margin is proved; every event in the drift range goes to the host.
  wallOnDevice: u32,
  // 0: too many cells; every FV ROI event goes to the host.
  binOnDevice: u32,
  // First coefficient of poly evaluated (those before it are padding zeros).
  polyFirst: u32,
  nsToUs: f32,
  standoff: f32,
  fvMargin: f32,
  xCount: u32,
  yCount: u32,
  spare0: u32,
  spare1: u32,
  spare2: u32,
  // The wall polynomial, highest power first, MAX_WALL_COEFFICIENTS (thresholds.ts) in all.
  poly: array<vec4<f32>, 5>,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> ev: array<u32>;
@group(0) @binding(2) var<storage, read> vtx: array<u32>;
@group(0) @binding(3) var<storage, read_write> outw: array<atomic<u32>>;
@group(0) @binding(4) var<uniform> cuts: Cuts;
@group(0) @binding(5) var<storage, read> edges: array<i32>;
@group(0) @binding(6) var<storage, read_write> cells: array<atomic<u32>>;

const POLY_LEN: u32 = 20u;

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
  if (!inside(dBits, cuts.driftLo, cuts.driftHi)) {
    return 0u;
  }
  if (cuts.wallOnDevice == 0u) {
    return UNDECIDED;
  }
  let xBits = ev[i];
  let yBits = ev[n + i];
  // Non-finite or |x|,|y| >= 2^20: far outside the wall (reference: r >= |x| or NaN).
  if (key(xBits & 0x7fffffffu) >= cuts.xyAbsLimitKey || key(yBits & 0x7fffffffu) >= cuts.xyAbsLimitKey) {
    return 0u;
  }
  let x = bitcast<f32>(xBits);
  let y = bitcast<f32>(yBits);
  let r = sqrt(x * x + y * y);
  let t = bitcast<f32>(dBits) * cuts.nsToUs;
  // Horner from 0, as the reference; the padding zeros before polyFirst would leave it 0.
  var p = 0.0;
  for (var k = cuts.polyFirst; k < POLY_LEN; k++) {
    p = p * t + cuts.poly[k >> 2u][k & 3u];
  }
  let diff = r - (p - cuts.standoff);
  if (abs(diff) <= cuts.fvMargin) {
    return UNDECIDED;
  }
  return select(0u, FV, diff < 0.0);
}

fn regionOfInterest(i: u32, n: u32) -> u32 {
  let ok = inside(ev[4u * n + i], cuts.s1cLo, cuts.s1cHi)
    && inside(ev[5u * n + i], cuts.s2cLo, cuts.s2cHi)
    && inside(ev[3u * n + i], cuts.s2Lo, cuts.s2Hi);
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

// ROOT's bin number of an order key on an axis (0 underflow, count + 1 overflow):
// the number of edge keys at or below it. NEAR_EDGE when the key is within one
// float32 step of an edge: the host re-bins that event in float64.
const NEAR_EDGE: u32 = 0xffffffffu;

fn binOf(k: i32, base: u32, count: u32) -> u32 {
  var lo = 0u;
  var hi = count + 1u;
  while (lo < hi) {
    let mid = (lo + hi) >> 1u;
    if (edges[base + mid] <= k) {
      lo = mid + 1u;
    } else {
      hi = mid;
    }
  }
  if ((lo > 0u && edges[base + lo - 1u] == k) || (lo <= count && edges[base + lo] == k + 1)) {
    return NEAR_EDGE;
  }
  return lo;
}

// The cell of an FV ROI event, NAN_CELL for a NaN coordinate, or NEAR_EDGE.
const NAN_CELL: u32 = 0xfffffffeu;

fn cellOf(i: u32, n: u32) -> u32 {
  let xBits = ev[4u * n + i];
  let yBits = ev[5u * n + i];
  // x NaN, or cS2 NaN or below -0 (log10 is NaN).
  let xk = key(xBits);
  let yk = key(yBits);
  if ((xBits & 0x7fffffffu) > 0x7f800000u || (yBits & 0x7fffffffu) > 0x7f800000u || yk < -1) {
    return NAN_CELL;
  }
  let nx = cuts.xCount;
  let ix = binOf(xk, 0u, nx);
  let iy = binOf(yk, nx + 1u, cuts.yCount);
  if (ix == NEAR_EDGE || iy == NEAR_EDGE) {
    return NEAR_EDGE;
  }
  return ix + (nx + 2u) * iy;
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
    var bits = decide(i, n);
    let fvRoiDecided = (bits & (FV | ROI | UNDECIDED)) == (FV | ROI);
    var cell = 0u;
    if (fvRoiDecided) {
      cell = select(NEAR_EDGE, cellOf(i, n), cuts.binOnDevice != 0u);
      if (cell == NEAR_EDGE) {
        bits = bits | UNDECIDED;
      }
    }
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
      if (fvRoi) {
        let cellsPer = (cuts.xCount + 2u) * (cuts.yCount + 2u);
        if (cell == NAN_CELL) {
          atomicAdd(&cells[2u * cellsPer], 1u);
          if (mssi) { atomicAdd(&cells[2u * cellsPer + 1u], 1u); }
        } else {
          atomicAdd(&cells[cell], 1u);
          if (mssi) { atomicAdd(&cells[cellsPer + cell], 1u); }
        }
      }
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
