#!/usr/bin/env python3
"""Golden vectors for jquant's element codecs and quantizers, computed by independent implementations.

What it makes (under runtime/src/test/resources/golden/, read by the Java tests through GoldenFile):

* codec_*.txt.gz: float32 inputs, given as bit patterns, and the code each reference gives them:
  E4M3FN, E5M2, BF16 and FP16 from torch's casts; E8M0 from torch (and ml_dtypes, for the negative inputs where
  jquant follows ml_dtypes); INT8 from torch.round + clamp(-128, 127); E2M1 from ml_dtypes' float4_e2m1fn.
  The inputs are the special values, every code value and its float32 neighbours, every midpoint between
  adjacent codes (the ties) and its neighbours, values just above each maximum, float32 subnormals, and random
  samples over the exponent range that matters for each codec.
* decode_*.txt(.gz): every code of each format and the float32 the reference decodes it to.
* mx_scale_bytes.txt: the biased E8M0 byte of each MX scale mode (RCEIL, FLOOR, EVEN, CEIL) for many block
  maxima, among them those of docs/FORMATS.md section 3.2's tables.
* quant_*.txt.gz: quantizer outputs for small matrices, written here with torch float32 operations in the order
  docs/FORMATS.md gives: NVFP4 as modelopt does it (section 2.2), MXFP4 and MXFP8 with each scale mode
  (section 3), FP8 tensor-wise, row-wise and 128x128 block-wise (section 4), INT8 row-wise (section 4.5), and
  the 128x4 scale swizzle (section 2.5) as torchao's to_blocked does it. The NVFP4, FP8 and INT8 cases include
  elements placed next to rounding ties where w / scale and w * (1 / scale) round apart, so they pin the
  division the references use.
* quant_activations.txt.gz: the activation quantizers on small matrices (outliers, all-zero rows and blocks, K
  of 40 and 300, exact ties): FP8 static (a division by input_scale), FP8 dynamic per token and per 1x128 block
  with and without activation_scale_ub, INT8 per token, NVFP4 static and dynamic as MAX's kernel does it
  (section 2.3), MXFP4 and MXFP8 with RCEIL and EVEN; with rows whose elements sit next to ties where the
  multiply by the inverse scale and the division by the scale round apart.

File format: UTF-8 text, '#' lines are comments (the first ones name this script and the versions it ran
with). Codec and decode files hold one vector per line, hex fields separated by single spaces. Quantizer files
hold cases: a line "case NAME" opens one, each following line is "KEY VALUE..."; a key that repeats (one line
per matrix row) continues its value. Float32 values are 8-digit hex bit patterns separated by spaces; byte
arrays are 2-digit hex pairs without separators.

How to run (from the repository root; deterministic: fixed seeds, gzip without a time stamp):

    python3 runtime/src/test/python/make_golden_vectors.py

Run with: Python 3.11.7, torch 2.13.0+cpu, ml_dtypes 0.6.0, numpy 2.4.6. Other versions may give other bytes
(torch up to 2.11 casts E4M3 overflow to NaN, for one), which is why every file's header records them. The Java
tests never run Python; they only read the files.
"""

import gzip
import io
import math
import os
import platform
import sys

import ml_dtypes
import numpy as np
import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "golden")
VERSIONS = (
    f"python {platform.python_version()}, torch {torch.__version__}, ml_dtypes {ml_dtypes.__version__}, "
    f"numpy {np.__version__}"
)

F32 = np.float32


# ---------------------------------------------------------------------------------------------------------------
# small helpers

def bits_of(values):
    """float32 values (array-like) -> uint32 bit patterns."""
    return np.asarray(values, dtype=F32).view(np.uint32)


def f32_from_bits(bits):
    return np.asarray(bits, dtype=np.uint32).view(F32)


def t32(array):
    """A float32 numpy array as a torch tensor that keeps every bit (NaN payloads included)."""
    return torch.from_numpy(np.ascontiguousarray(array, dtype=F32).copy())


def hex32(bits):
    return " ".join(f"{int(b):08x}" for b in bits)


def hexbytes(data):
    return "".join(f"{int(b):02x}" for b in np.asarray(data).reshape(-1))


def header(title, lines):
    text = [
        f"# jquant golden vectors: {title}",
        "# made by runtime/src/test/python/make_golden_vectors.py; do not edit by hand",
        f"# {VERSIONS}",
    ]
    text += [f"# {line}" for line in lines]
    return "\n".join(text) + "\n"


def write(name, text):
    """Writes a golden file; a .gz name is gzip-compressed without a time stamp, so reruns give equal bytes."""
    path = os.path.join(OUT, name)
    data = text.encode("utf-8")
    if name.endswith(".gz"):
        buffer = io.BytesIO()
        with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as gz:
            gz.write(data)
        data = buffer.getvalue()
    with open(path, "wb") as f:
        f.write(data)
    print(f"{name}: {len(data)} bytes")


def with_neighbours(values):
    """Each float32 value with its float32 successor and predecessor (infinities excluded as neighbours)."""
    v = np.asarray(values, dtype=F32)
    finite = v[np.isfinite(v)]
    up = np.nextafter(finite, F32(np.inf))
    down = np.nextafter(finite, F32(-np.inf))
    return np.concatenate([v, up, down])


def unique_bits(*arrays):
    """Concatenates float32 arrays and keeps the first of each bit pattern, in a stable order."""
    bits = np.concatenate([bits_of(a) for a in arrays])
    _, first = np.unique(bits, return_index=True)
    return bits[np.sort(first)]


def midpoints(sorted_values):
    """Midpoints of adjacent float32 values, computed in float64; exact in float32 for every codec here."""
    v = np.asarray(sorted_values, dtype=np.float64)
    mids = (v[:-1] + v[1:]) / 2
    out = mids.astype(F32)
    assert np.all(out.astype(np.float64) == mids), "a midpoint is not exact in float32"
    return out


SPECIAL_BITS = np.array(
    [
        0x00000000, 0x80000000,  # +-0
        0x7F800000, 0xFF800000,  # +-Inf
        0x7FC00000, 0xFFC00000, 0x7F800001, 0xFF800001, 0x7FFFFFFF, 0xFFFFFFFF, 0x7FA00000, 0x7FC00001,  # NaNs
        0x00000001, 0x80000001, 0x007FFFFF, 0x807FFFFF, 0x00800000, 0x80800000,  # subnormal and normal limits
        0x7F7FFFFF, 0xFF7FFFFF, 0x3F800000, 0xBF800000,  # +-MAX_VALUE, +-1
        0x00400000, 0x00400001, 0x003FFFFF, 0x00600000, 0x00200000, 0x00000002,  # around 2^-127 (E8M0 byte 0)
    ],
    dtype=np.uint32,
)


def random_inputs(rng, count, exp_lo, exp_hi):
    """Random float32s: normal samples times 2^e for e uniform in [exp_lo, exp_hi], uniform samples, random bits,
    and float32 subnormals."""
    n_normal = count * 6 // 10
    e = rng.integers(exp_lo, exp_hi + 1, size=n_normal)
    normal = (rng.standard_normal(n_normal) * np.exp2(e.astype(np.float64))).astype(F32)
    n_uniform = count * 2 // 10
    top = 2.0 ** exp_hi
    uniform = rng.uniform(-top, top, size=n_uniform).astype(F32)
    n_bits = count // 10
    raw = f32_from_bits(rng.integers(0, 2**32, size=n_bits, dtype=np.uint64).astype(np.uint32))
    n_sub = count - n_normal - n_uniform - n_bits
    sub = f32_from_bits(rng.integers(1, 0x00800000, size=n_sub, dtype=np.uint32))
    sub = np.where(rng.integers(0, 2, size=n_sub) == 1, -sub, sub).astype(F32)
    return np.concatenate([normal, uniform, raw, sub])


def code_neighbourhood(codes_sorted, virtual_next_value, extra):
    """The code values, the midpoints between adjacent ones, the values just above the maximum, all with their
    float32 neighbours, mirrored to both signs."""
    pos = np.asarray(codes_sorted, dtype=np.float64)
    full = np.concatenate([-pos[::-1], pos])
    full = np.unique(full)
    mids = midpoints(full)
    top = pos[-1]
    above = [
        (top + virtual_next_value) / 2,  # the tie past the maximum
        virtual_next_value,
        top * (1 + 2.0**-10),
        top * 1.001,
        top * 2,
        top * 1000,
        1e30,
    ]
    above = np.array([a for a in above if a < 3.4e38], dtype=np.float64).astype(F32)
    pieces = with_neighbours(np.concatenate([full.astype(F32), mids, above, np.asarray(extra, dtype=F32)]))
    return np.concatenate([pieces, -pieces])


# ---------------------------------------------------------------------------------------------------------------
# codecs

def torch_cast_bytes(x_f32, dtype):
    return t32(x_f32).to(dtype).view(torch.uint8).numpy()


def torch_cast_u16(x_f32, dtype):
    return t32(x_f32).to(dtype).view(torch.int16).numpy().astype(np.uint16)


def decode_8bit_torch(dtype):
    codes = torch.arange(256, dtype=torch.int32).to(torch.uint8)
    return codes.view(dtype).to(torch.float32).numpy()


def positive_finite_codes(decoded):
    v = decoded[np.isfinite(decoded)]
    return np.unique(v[v > 0].astype(np.float64))


def codec_file(name, title, reference, columns, inputs, outputs):
    lines = [
        f"reference: {reference}",
        f"columns: {columns}",
        f"{len(inputs)} vectors",
    ]
    body = [header(title, lines)]
    for i, bits in enumerate(inputs):
        body.append(f"{int(bits):08x} " + " ".join(outputs[i]) + "\n")
    write(name, "".join(body))


def make_codecs():
    rng = np.random.default_rng(20261101)

    # --- E4M3FN -------------------------------------------------------------------------------------------------
    e4m3 = decode_8bit_torch(torch.float8_e4m3fn)
    pos = positive_finite_codes(e4m3)
    extra = [2.0**-10, 2.0**-11, 1.5 * 2.0**-9, 2.5 * 2.0**-9, 464.001, 465, 479, 480, 1000, -500]
    inputs = unique_bits(
        f32_from_bits(SPECIAL_BITS), code_neighbourhood(pos, 480.0, extra), random_inputs(rng, 24000, -14, 10)
    )
    out = torch_cast_bytes(f32_from_bits(inputs), torch.float8_e4m3fn)
    codec_file(
        "codec_e4m3.txt.gz", "float32 -> FP8 E4M3FN", "torch.Tensor.to(torch.float8_e4m3fn)",
        "input bits, output byte", inputs, [[f"{b:02x}"] for b in out],
    )

    # --- E5M2 ---------------------------------------------------------------------------------------------------
    e5m2 = decode_8bit_torch(torch.float8_e5m2)
    pos = positive_finite_codes(e5m2)
    extra = [2.0**-17, 2.0**-18, 61439, 61441, 1e5]
    inputs = unique_bits(
        f32_from_bits(SPECIAL_BITS), code_neighbourhood(pos, 65536.0, extra), random_inputs(rng, 24000, -20, 17)
    )
    out = torch_cast_bytes(f32_from_bits(inputs), torch.float8_e5m2)
    codec_file(
        "codec_e5m2.txt.gz", "float32 -> FP8 E5M2", "torch.Tensor.to(torch.float8_e5m2)",
        "input bits, output byte", inputs, [[f"{b:02x}"] for b in out],
    )

    # --- E8M0 ---------------------------------------------------------------------------------------------------
    pos = np.array([2.0**e for e in range(-127, 128)])
    extra = [1.4999, 1.9999, 0.75, 1e-45, 2.0**-128, 1.5 * 2.0**-128, 1.5 * 2.0**-127]
    inputs = unique_bits(
        f32_from_bits(SPECIAL_BITS), code_neighbourhood(pos, 2.0**128, extra), random_inputs(rng, 20000, -140, 127)
    )
    x = f32_from_bits(inputs)
    out_torch = torch_cast_bytes(x, torch.float8_e8m0fnu)
    out_ml = x.astype(ml_dtypes.float8_e8m0fnu).view(np.uint8)
    codec_file(
        "codec_e8m0.txt.gz", "float32 -> E8M0 (float8_e8m0fnu)",
        "torch.Tensor.to(torch.float8_e8m0fnu) and numpy astype(ml_dtypes.float8_e8m0fnu)",
        "input bits, torch byte, ml_dtypes byte", inputs,
        [[f"{a:02x}", f"{b:02x}"] for a, b in zip(out_torch, out_ml)],
    )

    # --- E2M1 ---------------------------------------------------------------------------------------------------
    e2m1 = np.arange(16, dtype=np.uint8).view(ml_dtypes.float4_e2m1fn).astype(F32)
    pos = positive_finite_codes(e2m1)
    extra = [0.2500001, 5.0001, 7, 100]
    inputs = unique_bits(
        f32_from_bits(SPECIAL_BITS), code_neighbourhood(pos, 8.0, extra), random_inputs(rng, 20000, -4, 3)
    )
    out = f32_from_bits(inputs).astype(ml_dtypes.float4_e2m1fn).view(np.uint8)
    codec_file(
        "codec_e2m1.txt.gz", "float32 -> FP4 E2M1", "numpy astype(ml_dtypes.float4_e2m1fn)",
        "input bits, output code (one hex digit)", inputs, [[f"{b:x}"] for b in out],
    )

    # --- INT8 ---------------------------------------------------------------------------------------------------
    ints = np.arange(-140, 141, dtype=np.float64)
    halves = ints + 0.5
    extra = [127.49999, 127.5, 128, 128.5, 1e10, -128.5, -129, -1e10]
    base = with_neighbours(np.concatenate([ints, halves, np.array(extra)]).astype(F32))
    inputs = unique_bits(
        f32_from_bits(SPECIAL_BITS), base, -base, random_inputs(rng, 20000, -3, 8)
    )
    x = f32_from_bits(inputs)
    inputs = inputs[~np.isnan(x)]  # jquant maps NaN to 0; torch's int cast of NaN is undefined
    x = f32_from_bits(inputs)
    out = torch.clamp(torch.round(t32(x)), -128, 127).to(torch.int8).numpy().view(np.uint8)
    codec_file(
        "codec_int8.txt.gz", "float32 -> INT8", "torch.clamp(torch.round(x), -128, 127).to(torch.int8); no NaN",
        "input bits, output byte (two's complement)", inputs, [[f"{b:02x}"] for b in out],
    )

    # --- BF16 ---------------------------------------------------------------------------------------------------
    # A sample of the 65536 codes: the ends and middle of every binade's mantissa, both signs; and the float32
    # patterns around each, including the midpoint to the next code (bits 0x8000 below) and its neighbours.
    mantissas = [0x00, 0x01, 0x02, 0x3F, 0x40, 0x41, 0x7E, 0x7F]
    codes = np.array([e << 7 | m for e in range(255) for m in mantissas], dtype=np.uint32)
    codes = np.concatenate([codes, rng.integers(0, 0x7F80, size=400, dtype=np.uint32)])
    around = []
    for delta in (0, 1, -1, 0x8000, 0x7FFF, 0x8001):
        around.append((codes << 16) + np.uint32(delta) if delta >= 0 else (codes << 16) - np.uint32(-delta))
    around = np.concatenate(around) & 0x7FFFFFFF
    around = np.concatenate([around, around | 0x80000000]).astype(np.uint32)
    inputs = unique_bits(
        f32_from_bits(SPECIAL_BITS), f32_from_bits(around), random_inputs(rng, 8000, -140, 127)
    )
    out = torch_cast_u16(f32_from_bits(inputs), torch.bfloat16)
    codec_file(
        "codec_bf16.txt.gz", "float32 -> BF16", "torch.Tensor.to(torch.bfloat16) (NaN bits are not canonical)",
        "input bits, output bits", inputs, [[f"{b:04x}"] for b in out],
    )

    # --- FP16 ---------------------------------------------------------------------------------------------------
    mantissas = [0x000, 0x001, 0x002, 0x003, 0x1FF, 0x200, 0x201, 0x3FD, 0x3FE, 0x3FF]
    codes = np.array([e << 10 | m for e in range(31) for m in mantissas], dtype=np.uint16)
    codes = np.concatenate([codes, rng.integers(0, 0x7C00, size=800, dtype=np.uint16)])
    codes = np.unique(np.concatenate([codes, codes + 1]).clip(0, 0x7BFF)).astype(np.uint16)
    values = codes.view(np.float16).astype(np.float64)
    nxt = (codes + 1).astype(np.uint16).view(np.float16).astype(np.float64)  # 0x7C00 is +Inf: the max's successor
    nxt = np.where(np.isinf(nxt), 65536.0, nxt)
    mids = ((values + nxt) / 2).astype(F32)
    extra = [2.0**-25, 2.0**-26, 1.5 * 2.0**-25, 65519, 65520, 65535, 65536, 1e5]
    base = with_neighbours(np.concatenate([values.astype(F32), mids, np.array(extra, dtype=F32)]))
    inputs = unique_bits(f32_from_bits(SPECIAL_BITS), base, -base, random_inputs(rng, 8000, -28, 17))
    out = torch_cast_u16(f32_from_bits(inputs), torch.float16)
    codec_file(
        "codec_fp16.txt.gz", "float32 -> FP16", "torch.Tensor.to(torch.float16) (NaN bits are not canonical)",
        "input bits, output bits", inputs, [[f"{b:04x}"] for b in out],
    )


def make_decodes():
    for name, dtype in (("e4m3", torch.float8_e4m3fn), ("e5m2", torch.float8_e5m2), ("e8m0", torch.float8_e8m0fnu)):
        decoded = bits_of(decode_8bit_torch(dtype))
        text = header(
            f"{name.upper()} decode", [f"reference: torch uint8 .view({dtype}).to(torch.float32)",
                                       "columns: code, float32 bits"]
        )
        text += "".join(f"{c:02x} {int(b):08x}\n" for c, b in enumerate(decoded))
        write(f"decode_{name}.txt", text)

    decoded = bits_of(np.arange(16, dtype=np.uint8).view(ml_dtypes.float4_e2m1fn).astype(F32))
    text = header("E2M1 decode", ["reference: ml_dtypes.float4_e2m1fn astype(float32)", "columns: code, float32 bits"])
    text += "".join(f"{c:x} {int(b):08x}\n" for c, b in enumerate(decoded))
    write("decode_e2m1.txt", text)

    for name, dtype in (("bf16", torch.bfloat16), ("fp16", torch.float16)):
        codes = torch.arange(65536, dtype=torch.int32).to(torch.int16)
        decoded = bits_of(codes.view(dtype).to(torch.float32).numpy())
        text = header(
            f"{name.upper()} decode, all 65536 codes",
            [f"reference: torch int16 .view({dtype}).to(torch.float32)",
             "columns: first code of the line, then the float32 bits of it and the next 15 codes"],
        )
        text += "".join(f"{c:04x} {hex32(decoded[c:c + 16])}\n" for c in range(0, 65536, 16))
        write(f"decode_{name}.txt.gz", text)


# ---------------------------------------------------------------------------------------------------------------
# element casts used by the quantizers

E2M1_VALUES = torch.tensor([0, 0.5, 1, 1.5, 2, 3, 4, 6, -0.0, -0.5, -1, -1.5, -2, -3, -4, -6], dtype=torch.float32)
# |x| at one of these ties rounds down to the even code, at one of the others up to the even code.
E2M1_TIES_DOWN = torch.tensor([0.25, 1.25, 2.5, 5.0])
E2M1_TIES_UP = torch.tensor([0.75, 1.75, 3.5])


def e2m1_codes(x):
    """E2M1 RNE with saturation and sign bit (x < 0), as modelopt's _cast_fp4: the magnitude code counts the
    decision points |x| has passed (strictly for the ties that go down, inclusively for those that go up).
    bucketize sorts NaN above every bound, so NaN gives 7, as in modelopt's searchsorted."""
    a = x.abs()
    magnitude = torch.bucketize(a, E2M1_TIES_DOWN, right=False) + torch.bucketize(a, E2M1_TIES_UP, right=True)
    sign = (x < 0).to(torch.int64) << 3
    return (sign | magnitude).to(torch.uint8)


def check_e2m1_codes_against_ml_dtypes():
    """My E2M1 function agrees with ml_dtypes except where jquant documents the difference (-0, NaN)."""
    rng = np.random.default_rng(7)
    x = np.concatenate([
        rng.standard_normal(200000).astype(F32) * F32(3),
        np.array([0.25, 0.75, 1.25, 1.75, 2.5, 3.5, 5.0, 6.0, 7.0, np.inf, -np.inf, -1e-9], dtype=F32),
    ])
    x = np.concatenate([x, -x])
    x = x[x != 0]
    mine = e2m1_codes(t32(x)).numpy()
    ml = x.astype(ml_dtypes.float4_e2m1fn).view(np.uint8)
    assert np.array_equal(mine, ml), "e2m1_codes disagrees with ml_dtypes"


def pack_nibbles(codes):
    """Element 2j in the low nibble of byte j, element 2j+1 in the high nibble (docs/FORMATS.md 2.4)."""
    codes = codes.to(torch.uint8)
    if codes.shape[-1] % 2:
        codes = torch.nn.functional.pad(codes, (0, 1))
    return (codes[..., 1::2] << 4) | codes[..., 0::2]


def e4m3_bytes(x):
    return x.to(torch.float8_e4m3fn).view(torch.uint8)


# ---------------------------------------------------------------------------------------------------------------
# quantizers

def pad_columns(w, multiple):
    n, k = w.shape
    kp = -(-k // multiple) * multiple
    if kp == k:
        return w
    padded = torch.zeros((n, kp), dtype=torch.float32)
    padded[:, :k] = w
    return padded


def nvfp4_modelopt(w):
    """NVFP4 weights as modelopt's NVFP4QTensor does them (docs/FORMATS.md section 2.2), in float32:
    weight_scale_2 = amax / (6 * 448); s_b = amax_b / (6 * weight_scale_2), exact 0 -> 1.0, then E4M3;
    q = cast_fp4(w / (float(s_b) * weight_scale_2)); dequantized = E2M1[q] * (float(s_b) * weight_scale_2).
    A K that is not a multiple of 16 is padded with zeros, so the last block's amax is its real elements'."""
    n, k = w.shape
    wp = pad_columns(w, 16)
    blocks = wp.view(n, -1, 16)
    amax = w.abs().max()
    ws2 = amax / (6.0 * 448.0)
    block_amax = blocks.abs().amax(dim=-1)
    s = block_amax / (6.0 * ws2)
    s[s == 0] = 1.0
    s8 = s.to(torch.float8_e4m3fn)
    block_scale = s8.to(torch.float32) * ws2
    scaled = blocks / block_scale.unsqueeze(-1)
    all_codes = e2m1_codes(scaled)
    codes = all_codes.view(n, -1)[:, :k]
    deq = (E2M1_VALUES[all_codes.long()] * block_scale.unsqueeze(-1)).view(n, -1)[:, :k]
    return {
        "packed": pack_nibbles(codes),
        "weight_scale": s8.view(torch.uint8),
        "weight_scale_2": ws2.reshape(1),
        "dequantized": deq,
    }


MX_ELEMENTS = {
    # name: (max, emax, mantissa bits)
    "FP4_E2M1": (6.0, 2, 1),
    "FP8_E4M3": (448.0, 8, 3),
    "FP8_E5M2": (57344.0, 15, 2),
}


def mx_scale_bytes(amax, element, mode):
    """The biased E8M0 scale byte of docs/FORMATS.md section 3.2, from frexp (amax = m * 2^e, m in [0.5, 1)):
    RCEIL: the smallest power of two >= the float32 quotient amax / max, byte 0 for quotients <= 2^-127;
    FLOOR: floor(log2(amax)) - emax; CEIL: ceil(log2(amax)) - emax; EVEN: FLOOR after rounding amax's
    significand half-up to the element's mantissa width. All clamped to [-127, 127] and biased by 127; an
    all-zero block gives byte 0."""
    max_value, emax, mbits = MX_ELEMENTS[element]
    amax = amax.to(torch.float32)
    if mode == "RCEIL":
        q = amax / max_value
        m, e = torch.frexp(q)
        ceil_log2 = torch.where(m == 0.5, e - 1, e)
        return torch.where(q == 0, 0, torch.clamp(ceil_log2 + 127, 0, 254)).to(torch.int32)
    m, e = torch.frexp(amax)
    floor_log2 = e - 1
    if mode == "FLOOR":
        log2 = floor_log2
    elif mode == "CEIL":
        log2 = torch.where(m == 0.5, e - 1, e)
    elif mode == "EVEN":
        significand = m.to(torch.float64) * 2  # in [1, 2)
        log2 = torch.where(significand >= 2 - 2.0 ** -(mbits + 1), floor_log2 + 1, floor_log2)
    else:
        raise ValueError(mode)
    return torch.where(amax == 0, 0, torch.clamp(log2 - emax, -127, 127) + 127).to(torch.int32)


def pow2_f32(exponent):
    """2^exponent as float32 for exponent in [-127, 127], 2^-127 being the subnormal 0x00400000."""
    bits = torch.where(exponent == -127, 0x00400000, (exponent + 127) << 23).to(torch.int32)
    return bits.view(torch.float32)


def mx_quantize(w, element, mode):
    """MX weights: 32-element blocks along K, scale byte b per block, elements w * 2^-(b-127) (exact), cast RNE
    with saturation: E2M1 with e2m1_codes, FP8 with torch's cast after a clamp to +-max."""
    n, k = w.shape
    wp = pad_columns(w, 32)
    blocks = wp.view(n, -1, 32)
    b = mx_scale_bytes(blocks.abs().amax(dim=-1), element, mode)
    scaled = blocks * pow2_f32(127 - b).unsqueeze(-1)
    max_value = MX_ELEMENTS[element][0]
    if element == "FP4_E2M1":
        data = pack_nibbles(e2m1_codes(scaled).view(n, -1)[:, :k])
    else:
        dtype = torch.float8_e4m3fn if element == "FP8_E4M3" else torch.float8_e5m2
        data = torch.clamp(scaled, -max_value, max_value).to(dtype).view(torch.uint8).view(n, -1)[:, :k]
    return {"data": data, "scales": b.to(torch.uint8)}


def fp8_scaled(w, scale):
    """(w / scale).to(float8_e4m3fn), scale broadcast; a division, as modelopt and DeepSeek quantize weights."""
    return e4m3_bytes(w / scale)


def fp8_tensorwise(w):
    amax = w.abs().max()
    scale = torch.where(amax == 0, torch.tensor(1.0), amax / 448.0)
    return {"data": fp8_scaled(w, scale), "scales": scale.reshape(1)}


def fp8_rowwise(w):
    amax = w.abs().amax(dim=1, keepdim=True)
    scale = torch.where(amax == 0, torch.tensor(1.0), amax / 448.0)
    return {"data": fp8_scaled(w, scale), "scales": scale.reshape(-1)}


def fp8_blockwise(w, bn=128, bk=128):
    n, k = w.shape
    nb, kb = -(-n // bn), -(-k // bk)
    scales = torch.empty((nb, kb), dtype=torch.float32)
    data = torch.empty((n, k), dtype=torch.uint8)
    for i in range(nb):
        for j in range(kb):
            tile = w[i * bn:(i + 1) * bn, j * bk:(j + 1) * bk]
            amax = tile.abs().max()
            scale = torch.where(amax == 0, torch.tensor(1.0), amax / 448.0)
            scales[i, j] = scale
            data[i * bn:(i + 1) * bn, j * bk:(j + 1) * bk] = fp8_scaled(tile, scale)
    return {"data": data, "scales": scales.reshape(-1)}


def int8_rowwise(w):
    amax = w.abs().amax(dim=1, keepdim=True)
    scale = torch.where(amax == 0, torch.tensor(1.0), amax / 127.0)
    q = torch.clamp(torch.round(w / scale), -128, 127).to(torch.int8).view(torch.uint8)
    return {"data": q, "scales": scale.reshape(-1)}


def to_blocked(scales):
    """torchao's to_blocked: pad [R, C] with zeros to [ceil(R/128)*128, ceil(C/4)*4], view as
    (R'/128, 128, C'/4, 4), permute, then (-1, 4, 32, 4) -> transpose(1, 2) -> (-1, 32, 16), flattened."""
    rows, cols = scales.shape
    rb, cb = -(-rows // 128), -(-cols // 4)
    padded = torch.zeros((rb * 128, cb * 4), dtype=scales.dtype)
    padded[:rows, :cols] = scales
    blocks = padded.view(rb, 128, cb, 4).permute(0, 2, 1, 3)
    return blocks.reshape(-1, 4, 32, 4).transpose(1, 2).reshape(-1, 32, 16).flatten()


def division_sensitive(amax, divisor, ties, cast, count, rng):
    """A row of `count` float32s led by `amax` whose other elements w (|w| < amax) sit within a few ulps of
    tie * divisor and round differently when divided by `divisor` than when multiplied by its float32
    reciprocal: they pin the quantizers to the division the references use. `cast` maps float32 numpy arrays
    to codes. Also returns how many such values there were."""
    divisor = F32(divisor)
    reciprocal = F32(F32(1) / divisor)
    candidates = []
    for tie in ties:
        w = F32(np.float64(tie) * np.float64(divisor))
        for direction in (F32(np.inf), F32(-np.inf)):
            x = w
            for _ in range(4):
                candidates.append(x)
                x = np.nextafter(x, direction)
    c = np.array(candidates, dtype=F32)
    c = c[np.abs(c) < F32(amax)]
    differs = cast(c / divisor) != cast(c * reciprocal)
    found = np.unique(c[differs])
    if len(found) == 0:  # this divisor's reciprocal happens to round like the division near every tie
        picked = rng.uniform(-amax, amax, size=count - 1)
    else:
        picked = rng.choice(found, size=count - 1, replace=len(found) < count - 1)
    return np.concatenate([np.array([amax], dtype=F32), picked.astype(F32)]), len(found)


def e4m3_ties():
    codes = torch.arange(256, dtype=torch.int32).to(torch.uint8).view(torch.float8_e4m3fn).float().numpy()
    pos = np.unique(codes[np.isfinite(codes) & (codes > 0)].astype(np.float64))
    mids = (pos[:-1] + pos[1:]) / 2
    return np.concatenate([mids, -mids])


def e4m3_np(x):
    return e4m3_bytes(t32(x)).numpy()


def int8_np(x):
    return torch.clamp(torch.round(t32(x)), -128, 127).to(torch.int8).numpy()


def e2m1_np(x):
    return e2m1_codes(t32(x)).numpy()


# ---------------------------------------------------------------------------------------------------------------
# test matrices

def bf16_rounded(x):
    """Values a bf16 checkpoint could hold, as float32 (fewer random bits: the files stay small)."""
    return x.to(torch.bfloat16).to(torch.float32)


def row_scaled_normal(gen, n, k, lo, hi):
    w = torch.randn((n, k), generator=gen, dtype=torch.float32)
    e = torch.randint(lo, hi + 1, (n, 1), generator=gen).to(torch.float32)
    return w * torch.exp2(e)


def nvfp4_matrices(gen):
    cases = {}
    cases["random_normal"] = torch.randn((8, 64), generator=gen)
    w = torch.randn((8, 64), generator=gen)
    w[1, 5] = 60.0
    w[4, 33] = -85.5
    w[7, 63] = 41.0
    cases["outliers"] = w
    w = torch.randn((4, 64), generator=gen)
    w[1, 32:48] = 0.0
    w[2, 16:32] = -0.0
    cases["zero_blocks"] = w
    w = torch.randn((4, 64), generator=gen) * 30
    w[0, 0] = 100.0
    w[2, 16:32] = torch.randn(16, generator=gen) * 1e-6  # scale 1e-6/(6*100/2688) rounds to E4M3 0
    w[2, 20] = 0.0  # 0 / 0 in the tiny block: modelopt's cast gives code 7
    w[3, 48:64] = torch.randn(16, generator=gen) * 1e-3  # small enough for a subnormal E4M3 scale
    cases["tiny_blocks"] = w
    cases["k40"] = torch.randn((6, 40), generator=gen)
    cases["k24_odd_rows"] = torch.randn((3, 24), generator=gen) * 0.01
    # Ties: tensor amax 2688 makes weight_scale_2 exactly 1; a block amax of 6 makes its scale 1.0 and one of 3
    # makes it 0.5, so the listed values divide exactly onto the E2M1 decision points.
    ties = torch.tensor([0.25, 0.75, 1.25, 1.75, 2.5, 3.5, 5.0, 6.0, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 0.2, 0.0])
    w = torch.zeros((3, 32))
    w[0, :16] = ties
    w[0, 16:] = -ties
    w[1, :16] = ties / 2
    w[1, 16:] = -ties / 2
    w[1, 7] = 3.0
    w[1, 23] = -3.0
    w[2, 0] = 2688.0
    w[2, 1:16] = torch.linspace(-2000, 2000, 15)
    w[2, 16:32] = ties * 0.75
    cases["ties"] = w
    cases["wide_range"] = row_scaled_normal(gen, 16, 48, -20, 12)
    cases["division_sensitive"] = nvfp4_division_sensitive()
    return cases


def nvfp4_division_sensitive():
    """Blocks whose elements land next to E2M1 ties, where w / (fp8 * ws2) and w * (1 / (fp8 * ws2)) round
    apart (block maxima drawn until 15 blocks have such elements); element [0, 0] is the tensor amax."""
    rng = np.random.default_rng(5)
    tensor_amax = F32(50.0)
    ws2 = F32(tensor_amax / F32(6.0 * 448.0))
    ties = np.array([0.25, 0.75, 1.25, 1.75, 2.5, 3.5, 5.0])
    ties = np.concatenate([ties, -ties])

    def block(block_amax):
        s8 = torch.tensor(F32(block_amax / F32(F32(6.0) * ws2))).to(torch.float8_e4m3fn).float().item()
        return division_sensitive(block_amax, F32(F32(s8) * ws2), ties, e2m1_np, 16, rng)

    blocks = [block(tensor_amax)[0]]
    while len(blocks) < 16:
        values, found = block(F32(rng.uniform(0.5, 40.0)))
        if found:
            blocks.append(values)
    return torch.from_numpy(np.stack(blocks).reshape(8, 32))


MX_AMAX_ROWS = [0.0, 3.0, 5.0, 6.0, 6.5, 7.0, 12.0, 1e-40, 300.0, 448.0, 449.0, 500.0, 512.0, 57344.0, 61440.0,
                1e-30, 1e30, 3e38]


def mx_matrices(gen):
    cases = {}
    cases["random"] = row_scaled_normal(gen, 8, 64, -20, 20)
    # One row per amax of docs/FORMATS.md section 3.2's tables (and a few more): element 0 is the amax, the
    # rest lie inside [-amax, amax].
    rows = []
    for amax in MX_AMAX_ROWS:
        row = (torch.rand(32, generator=gen) * 2 - 1) * amax
        row[0] = amax
        row[7] = -amax * 0.75
        rows.append(row)
    cases["table_amax"] = torch.stack(rows).to(torch.float32)
    cases["k40"] = row_scaled_normal(gen, 5, 40, -3, 3)
    w = torch.randn((2, 96), generator=gen)
    w[0, 32:64] = 0.0
    cases["zero_block"] = w
    return cases


def write_cases(name, title, lines, cases):
    text = [header(title, lines)]
    for case_name, fields in cases:
        text.append(f"case {case_name}\n")
        for key, value in fields:
            if isinstance(value, list):  # one line per row
                text.extend(f"{key} {row}\n" for row in value)
            else:
                text.append(f"{key} {value}\n")
    write(name, "".join(text))


def f32_rows(t):
    t = t.to(torch.float32).contiguous()
    if t.dim() == 1:
        t = t.reshape(1, -1)
    return [hex32(bits_of(row.numpy())) for row in t.reshape(t.shape[0], -1)]


def byte_rows(t):
    t = t.contiguous()
    if t.dim() == 1:
        t = t.reshape(1, -1)
    return [hexbytes(row.numpy()) for row in t.reshape(t.shape[0], -1)]


def make_quantizers():
    gen = torch.Generator().manual_seed(20261102)
    check_e2m1_codes_against_ml_dtypes()

    # --- NVFP4 --------------------------------------------------------------------------------------------------
    cases = []
    for name, w in nvfp4_matrices(gen).items():
        w = w.to(torch.float32).contiguous()
        r = nvfp4_modelopt(w)
        cases.append((name, [
            ("rows", w.shape[0]), ("cols", w.shape[1]), ("w", f32_rows(w)),
            ("packed", byte_rows(r["packed"])), ("weight_scale", byte_rows(r["weight_scale"])),
            ("weight_scale_2", hex32(bits_of(r["weight_scale_2"].numpy()))),
            ("dequantized", f32_rows(r["dequantized"])),
        ]))
    write_cases("quant_nvfp4.txt.gz", "NVFP4 weights, modelopt formulas (docs/FORMATS.md 2.2)", [
        "keys: rows, cols, w (float32 [rows, cols]), packed (bytes [rows, ceil(cols/2)], element 2j low nibble),",
        "weight_scale (E4M3 bytes [rows, ceil(cols/16)]), weight_scale_2 (float32), dequantized (float32)",
        "dequantized = E2M1[q] * (float(weight_scale) * weight_scale_2), the product taken first as modelopt does",
    ], cases)

    # --- MX -----------------------------------------------------------------------------------------------------
    cases = []
    mx = mx_matrices(gen)
    for element in MX_ELEMENTS:
        for mode in ("RCEIL", "FLOOR", "EVEN", "CEIL"):
            for name, w in mx.items():
                w = w.to(torch.float32).contiguous()
                r = mx_quantize(w, element, mode)
                cases.append((f"{element}_{mode}_{name}", [
                    ("element", element), ("mode", mode), ("rows", w.shape[0]), ("cols", w.shape[1]),
                    ("w", f32_rows(w)), ("data", byte_rows(r["data"])), ("scales", byte_rows(r["scales"])),
                ]))
    write_cases("quant_mx.txt.gz", "MXFP4 / MXFP8 weights (docs/FORMATS.md 3.2, 3.3)", [
        "keys: element, mode, rows, cols, w (float32), data (FP4: packed bytes [rows, ceil(cols/2)]; FP8: bytes",
        "[rows, cols]), scales (E8M0 bytes [rows, ceil(cols/32)]); elements = cast(w * 2^-(b-127)), RNE, saturating",
    ], cases)

    # --- MX scale bytes alone -----------------------------------------------------------------------------------
    amax = np.concatenate([
        np.array(MX_AMAX_ROWS, dtype=F32),
        with_neighbours(np.array([6.0, 7.0, 448.0, 480.0, 57344.0, 61440.0, 1.75, 1.9375, 1.875, 2.0 ** -125,
                                  6 * 2.0 ** -127, 448 * 2.0 ** -127, 2.0 ** -127, 2.0 ** 127], dtype=F32)),
        f32_from_bits(np.array([0x00000001, 0x00400000, 0x00400001, 0x007FFFFF, 0x00800000, 0x7F7FFFFF],
                               dtype=np.uint32)),
        np.abs(random_inputs(np.random.default_rng(11), 3000, -140, 126)),
    ]).astype(F32)
    amax = amax[np.isfinite(amax)]
    amax = f32_from_bits(unique_bits(amax))
    columns = [(e, m) for e in MX_ELEMENTS for m in ("RCEIL", "FLOOR", "EVEN", "CEIL")]
    table = {c: mx_scale_bytes(t32(amax), *c).numpy() for c in columns}
    expected = {  # docs/FORMATS.md section 3.2's tables
        ("FP4_E2M1", 7.0): {"FLOOR": 127, "CEIL": 128, "EVEN": 128, "RCEIL": 128},
        ("FP4_E2M1", 6.5): {"FLOOR": 127, "CEIL": 128, "EVEN": 127, "RCEIL": 128},
        ("FP4_E2M1", 3.0): {"FLOOR": 126, "CEIL": 127, "EVEN": 126, "RCEIL": 126},
        ("FP8_E4M3", 449.0): {"FLOOR": 127, "CEIL": 128, "EVEN": 127, "RCEIL": 128},
        ("FP8_E4M3", 500.0): {"FLOOR": 127, "CEIL": 128, "EVEN": 128, "RCEIL": 128},
    }
    for (element, value), modes in expected.items():
        i = int(np.nonzero(amax == F32(value))[0][0])
        for mode, byte in modes.items():
            assert table[(element, mode)][i] == byte, (element, value, mode)
    text = header("MX shared-scale bytes (docs/FORMATS.md 3.2)", [
        "columns: amax float32 bits, then the E8M0 byte for " + ", ".join(f"{e}/{m}" for e, m in columns),
    ])
    text += "".join(
        f"{int(b):08x} " + " ".join(f"{int(table[c][i]):02x}" for c in columns) + "\n"
        for i, b in enumerate(bits_of(amax))
    )
    write("mx_scale_bytes.txt.gz", text)

    # --- FP8 ----------------------------------------------------------------------------------------------------
    cases = []
    w = torch.randn((16, 48), generator=gen)
    w[3, 7] = 25.0
    cases.append(("tensorwise", "random_outlier", w, fp8_tensorwise))
    cases.append(("tensorwise", "all_zero", torch.zeros((4, 8)), fp8_tensorwise))
    w = row_scaled_normal(gen, 16, 48, -12, 12)
    w[5] = 0.0
    cases.append(("rowwise", "random_zero_row", w, fp8_rowwise))
    rng = np.random.default_rng(6)
    rows = []
    for amax in (3.7, 0.011, 250.0, 1.3e-3, 77.7, 9.1e4):
        amax = F32(amax)
        values, found = division_sensitive(amax, F32(amax / F32(448.0)), e4m3_ties(), e4m3_np, 40, rng)
        assert found > 0, amax
        rows.append(values)
    w = torch.from_numpy(np.stack(rows))
    cases.append(("rowwise", "division_sensitive", w, fp8_rowwise))
    cases.append(("tensorwise", "division_sensitive", w[:1].clone(), fp8_tensorwise))
    w = bf16_rounded(torch.randn((200, 300), generator=gen))
    w[128:200, 256:300] = 0.0  # an all-zero 128x128 group: scale 1.0
    w[0:128, 128:256] *= 1e-3
    cases.append(("blockwise_128x128", "n200_k300", w, fp8_blockwise))
    lines = []
    for kind, name, w, fn in cases:
        w = w.to(torch.float32).contiguous()
        r = fn(w)
        lines.append((f"{kind}_{name}", [
            ("kind", kind), ("rows", w.shape[0]), ("cols", w.shape[1]), ("w", f32_rows(w)),
            ("data", byte_rows(r["data"])), ("scales", hex32(bits_of(r["scales"].numpy()))),
        ]))
    write_cases("quant_fp8.txt.gz",
                "FP8 E4M3 weights: tensor-wise, row-wise, 128x128 blocks (docs/FORMATS.md 4)", [
        "keys: kind, rows, cols, w (float32), data (E4M3 bytes [rows, cols]), scales (float32: 1 for tensorwise,",
        "rows for rowwise, ceil(rows/128)*ceil(cols/128) row-major for blocks); scale = amax/448, 1.0 for an",
        "all-zero group; data = (w / scale).to(torch.float8_e4m3fn)",
    ], lines)

    # --- INT8 ---------------------------------------------------------------------------------------------------
    lines = []
    w = row_scaled_normal(gen, 12, 40, -8, 8)
    w[2] = 0.0
    lines.append(("rowwise_random", w))
    ties = torch.tensor([127.0, 0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 126.5, -126.5, 3.5, 0.49999997, -127.0])
    lines.append(("rowwise_ties", torch.stack([ties, ties * 2, ties / 4])))
    rng = np.random.default_rng(8)
    half_ties = np.arange(-127, 127) + 0.5
    rows = []
    for a in (0.37, 3.3, 91.0):
        values, found = division_sensitive(F32(a), F32(F32(a) / F32(127.0)), half_ties, int8_np, 40, rng)
        assert found > 0, a
        rows.append(values)
    lines.append(("rowwise_division_sensitive", torch.from_numpy(np.stack(rows))))
    out = []
    for name, w in lines:
        w = w.to(torch.float32).contiguous()
        r = int8_rowwise(w)
        out.append((name, [
            ("rows", w.shape[0]), ("cols", w.shape[1]), ("w", f32_rows(w)),
            ("data", byte_rows(r["data"])), ("scales", hex32(bits_of(r["scales"].numpy()))),
        ]))
    write_cases("quant_int8.txt.gz", "INT8 row-wise weights (docs/FORMATS.md 4.5)", [
        "keys: rows, cols, w (float32), data (int8 bytes [rows, cols]), scales (float32 per row); scale =",
        "absmax/127, 1.0 for an all-zero row; data = clamp(torch.round(w / scale), -128, 127)",
    ], out)

    # --- swizzle ------------------------------------------------------------------------------------------------
    out = []
    for rows, cols in ((128, 4), (256, 8), (300, 7), (5, 3)):
        s = torch.randint(1, 256, (rows, cols), generator=gen, dtype=torch.int32).to(torch.uint8)
        out.append((f"r{rows}_c{cols}", [
            ("rows", rows), ("cols", cols), ("scales", byte_rows(s)), ("swizzled", byte_rows(to_blocked(s))),
        ]))
    write_cases("swizzle_128x4.txt", "128x4 scale swizzle (docs/FORMATS.md 2.5), torchao to_blocked", [
        "keys: rows, cols, scales (bytes [rows, cols]), swizzled (bytes, ceil(rows/128)*128*ceil(cols/4)*4,",
        "zero padding included)",
    ], out)

# ---------------------------------------------------------------------------------------------------------------
# activation quantizers

def near_ties(ties, divisor, steps=4):
    """The float32 values within `steps` ulps of tie * divisor, on both sides, for every tie."""
    divisor = F32(divisor)
    out = []
    for tie in ties:
        w = F32(np.float64(tie) * np.float64(divisor))
        for direction in (F32(np.inf), F32(-np.inf)):
            x = w
            for _ in range(steps):
                out.append(x)
                x = np.nextafter(x, direction)
    return np.unique(np.array(out, dtype=F32))


def multiply_sensitive(amax, inverse, ties, cast, count, rng):
    """A row of `count` float32s led by `amax` whose other elements (|x| < amax) sit within a few ulps of
    tie / inverse; those where x * inverse and x / (1 / inverse) round apart are preferred, so the row pins the
    activation quantizers to the multiply by the inverse scale that the references use."""
    inverse = F32(inverse)
    c = near_ties(ties, F32(F32(1) / inverse))
    c = c[np.abs(c) < F32(amax)]
    differs = cast(c * inverse) != cast(c / F32(F32(1) / inverse))
    pool = c[differs] if np.any(differs) else c
    picked = rng.choice(pool, size=count - 1, replace=len(pool) < count - 1)
    return np.concatenate([np.array([amax], dtype=F32), picked.astype(F32)]), int(np.sum(differs))


def e4m3_saturating(x):
    """torch's E4M3 cast after a clamp to +-448 (the activation kernels saturate)."""
    return e4m3_bytes(torch.clamp(x, -448.0, 448.0))


def act_fp8_static(x, input_scale):
    """FP8 static: q = E4M3(clamp(x / input_scale)), a float32 division; the scale is input_scale itself."""
    s = torch.tensor(input_scale, dtype=torch.float32)
    return {"codes": e4m3_saturating(x / s), "scales": s.reshape(1)}


def dynamic_groups(x, group_cols, ub, qmax, cast):
    """Per row (group_cols 0) or per 1 x group_cols block, in float32: amax' = min(amax, ub) (ub if given),
    scale = amax' / qmax, inverse = qmax / amax' (0 for amax' 0 or an infinite quotient), q = cast(x * inverse).
    A short last block takes its amax from its real elements."""
    n, k = x.shape
    g = k if group_cols == 0 else group_cols
    codes, scales = [], []
    for start in range(0, k, g):
        part = x[:, start:start + g]
        amax = part.abs().amax(dim=1, keepdim=True)
        if ub is not None:
            amax = torch.minimum(amax, torch.tensor(ub, dtype=torch.float32))
        scale = amax / qmax
        inverse = torch.tensor(qmax, dtype=torch.float32) / amax
        inverse = torch.where((amax == 0) | torch.isinf(inverse), torch.tensor(0.0), inverse)
        codes.append(cast(part * inverse))
        scales.append(scale)
    return {"codes": torch.cat(codes, dim=1), "scales": torch.cat(scales, dim=1).reshape(-1)}


def int8_cast(x):
    return torch.clamp(torch.round(x), -128, 127).to(torch.int8).view(torch.uint8)


def act_nvfp4(x, input_scale):
    """NVFP4 activations as docs/FORMATS.md 2.3 (MAX's kernel), every op a float32 tensor op in this order:
    tensor_sf = 1 / input_scale; scale = tensor_sf * (amax_b * (1/6)); fp8 = E4M3(scale) saturating;
    output_scale = 1 / (float(fp8) * (1 / tensor_sf)), 0 when amax_b == 0 or fp8 == 0 (or not finite);
    q = E2M1(x * output_scale). Blocks of 16, a short last block from its real elements.
    input_scale None: dynamic, amax / (6 * 448) over the tensor, 1 when below the smallest normal float32."""
    if input_scale is None:
        s = x.abs().max() / torch.tensor(6.0 * 448.0, dtype=torch.float32)
        input_scale = 1.0 if s.item() < np.finfo(F32).tiny else F32(s.item())
    n, k = x.shape
    tensor_sf = torch.tensor(1.0, dtype=torch.float32) / torch.tensor(input_scale, dtype=torch.float32)
    recip6 = torch.tensor(1.0, dtype=torch.float32) / torch.tensor(6.0, dtype=torch.float32)
    codes, scale_codes = [], []
    for start in range(0, k, 16):
        part = x[:, start:start + 16]
        amax = part.abs().amax(dim=1, keepdim=True)
        scale = tensor_sf * (amax * recip6)
        fp8 = e4m3_saturating(scale)
        fp8_value = fp8.view(torch.float8_e4m3fn).to(torch.float32)
        output_scale = torch.tensor(1.0) / (fp8_value * (torch.tensor(1.0) / tensor_sf))
        output_scale = torch.where((amax == 0) | (fp8_value == 0) | ~torch.isfinite(output_scale),
                                   torch.tensor(0.0), output_scale)
        codes.append(e2m1_codes(part * output_scale))
        scale_codes.append(fp8)
    scale_codes = torch.cat(scale_codes, dim=1)
    return {
        "codes": pack_nibbles(torch.cat(codes, dim=1)),
        "scale_codes": scale_codes,
        "scales": scale_codes.view(torch.float8_e4m3fn).to(torch.float32).reshape(-1),
        "global_scale": torch.tensor(input_scale, dtype=torch.float32).reshape(1),
    }


def act_mx(x, element, mode):
    """MX activations: the weight formula of mx_quantize (blocks of 32 along K); scales decoded as 2^(b-127)."""
    r = mx_quantize(x, element, mode)
    b = r["scales"].to(torch.int32)
    return {"codes": r["data"], "scale_codes": r["scales"], "scales": pow2_f32(b - 127).reshape(-1)}


def activation_matrices(gen):
    """Matrices every activation quantizer gets: random with outliers, an all-zero row and K = 40, a wide
    K = 300 (short last block for every block size) with all-zero blocks and rows of very different ranges."""
    cases = {}
    x = torch.randn((6, 48), generator=gen)
    x[1, 5] = 60.0
    x[4, 33] = -85.5
    x[5, 0] = 1.0e4
    cases["random_outliers"] = x
    x = torch.randn((5, 40), generator=gen) * 3
    x[2] = 0.0
    x[3, 32:40] = -0.0
    cases["zero_row_k40"] = x
    x = row_scaled_normal(gen, 4, 300, -10, 10)
    x[1, 128:256] = 0.0
    x[3, 256:300] = 0.0
    x[0, 0:32] = 0.0
    x[2, 16:32] = torch.randn(16, generator=gen) * 1e-6
    cases["wide_k300"] = x
    return cases


def make_activations():
    gen = torch.Generator().manual_seed(20261103)
    common = activation_matrices(gen)
    rng = np.random.default_rng(9)
    cases = []  # (name, kind, params [(key, value)], x, result)

    def add(name, kind, params, x, result):
        cases.append((name, kind, params, x.to(torch.float32).contiguous(), result))

    def f32hex(value):
        return hex32(bits_of(np.array([value], dtype=F32)))

    # --- FP8 static -----------------------------------------------------------------------------------------
    for tag, input_scale in (("small_scale", F32(0.0123)), ("half_scale", F32(0.5))):
        for name, x in common.items():
            add(f"fp8_static_{tag}_{name}", "fp8_static", [("input_scale", f32hex(input_scale))], x,
                act_fp8_static(x, input_scale))
    ties = e4m3_ties()
    x = torch.from_numpy(np.stack([
        np.concatenate([ties[:60], [448.0, 464.0, 480.0, -500.0]]).astype(F32),
        np.concatenate([ties[60:120], [0.0, -0.0, 1e-9, -1e-9]]).astype(F32),
    ]))
    add("fp8_static_exact_ties", "fp8_static", [("input_scale", f32hex(1.0))], x, act_fp8_static(x, F32(1.0)))
    sensitive = 0
    for input_scale in (F32(0.0173), F32(0.29), F32(3.1e-3), F32(0.0419), F32(7.3e-4), F32(1.37)):
        values, found = division_sensitive(F32(400) * input_scale, input_scale, ties, e4m3_np, 40, rng)
        if found and sensitive < 3:  # some scales' reciprocals round like the division near every tie
            x = torch.from_numpy(values.reshape(1, -1))
            add(f"fp8_static_division_sensitive_{sensitive}", "fp8_static", [("input_scale", f32hex(input_scale))],
                x, act_fp8_static(x, input_scale))
            sensitive += 1
    assert sensitive == 3, sensitive

    # --- FP8 dynamic per token and 1x128 blocks, INT8 per token ---------------------------------------------
    e4m3_rows = []
    for amax in (3.7, 0.011, 250.0, 1.3e-3, 77.7, 9.1e4):
        amax = F32(amax)
        values, found = multiply_sensitive(amax, F32(F32(448.0) / amax), ties, e4m3_np, 40, rng)
        assert found > 0, amax
        e4m3_rows.append(values)
    e4m3_rows.append(np.concatenate([[448.0], ties[:39]]).astype(F32))  # inverse 1: the exact ties
    fp8_special = torch.from_numpy(np.stack(e4m3_rows))
    half_ties = np.arange(-127, 127) + 0.5
    int8_rows = []
    for amax in (0.37, 3.3, 91.0, 1.7e-4):
        amax = F32(amax)
        values, found = multiply_sensitive(amax, F32(F32(127.0) / amax), half_ties, int8_np, 40, rng)
        assert found > 0, amax
        int8_rows.append(values)
    int8_rows.append(np.concatenate([[127.0], half_ties[::6][:39]]).astype(F32))  # inverse 1: exact .5 ties
    int8_special = torch.from_numpy(np.stack(int8_rows))

    for ub in (None, F32(2.5)):
        params = [("ub", "none" if ub is None else f32hex(ub))]
        tag = "" if ub is None else "_ub"
        for name, x in list(common.items()) + [("multiply_sensitive", fp8_special)]:
            add(f"fp8_per_token{tag}_{name}", "fp8_per_token", params, x,
                dynamic_groups(x, 0, ub, 448.0, e4m3_saturating))
            add(f"fp8_block128{tag}_{name}", "fp8_block128", params, x,
                dynamic_groups(x, 128, ub, 448.0, e4m3_saturating))
    for name, x in list(common.items()) + [("multiply_sensitive", int8_special)]:
        add(f"int8_per_token_{name}", "int8_per_token", [], x, dynamic_groups(x, 0, None, 127.0, int8_cast))

    # --- NVFP4 ----------------------------------------------------------------------------------------------
    for name, x in common.items():
        calibrated = F32(x.abs().max().item() / F32(6.0 * 448.0))
        for tag, input_scale in (("calibrated", calibrated), ("small", F32(calibrated / F32(8.0))),
                                 ("large", F32(calibrated * F32(5000.0)))):
            add(f"nvfp4_static_{tag}_{name}", "nvfp4_static", [("input_scale", f32hex(input_scale))], x,
                act_nvfp4(x, input_scale))
        add(f"nvfp4_dynamic_{name}", "nvfp4_dynamic", [], x, act_nvfp4(x, None))
    # input_scale 1: tensor_sf 1, block amax 6 gives output_scale 1 and 3 gives 2, so the elements land exactly
    # on the E2M1 decision points.
    e2m1_ties = torch.tensor([0.25, 0.75, 1.25, 1.75, 2.5, 3.5, 5.0, 6.0, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 0.2, 0.0])
    x = torch.zeros((2, 32))
    x[0, :16] = e2m1_ties
    x[0, 16:] = -e2m1_ties
    x[1, :16] = e2m1_ties / 2
    x[1, 16:] = -e2m1_ties / 2
    x[1, 7] = 3.0
    x[1, 23] = -3.0
    add("nvfp4_static_exact_ties", "nvfp4_static", [("input_scale", f32hex(1.0))], x, act_nvfp4(x, F32(1.0)))
    # Blocks whose elements sit next to E2M1 ties, where x * output_scale and x / (fp8 * input_scale) round
    # apart (block maxima drawn until 8 blocks have such elements).
    input_scale = F32(0.0123)
    e2m1_tie_values = np.array([0.25, 0.75, 1.25, 1.75, 2.5, 3.5, 5.0])
    e2m1_tie_values = np.concatenate([e2m1_tie_values, -e2m1_tie_values])
    blocks = []
    while len(blocks) < 8:
        amax = F32(rng.uniform(0.5, 40.0))
        r = act_nvfp4(torch.tensor([[amax]]), input_scale)
        fp8 = F32(r["scales"].item())
        output_scale = F32(F32(1) / F32(fp8 * F32(F32(1) / F32(F32(1) / input_scale))))
        c = near_ties(e2m1_tie_values, F32(F32(1) / output_scale))
        c = c[np.abs(c) < amax]
        differs = e2m1_np(c * output_scale) != e2m1_np(c / F32(fp8 * input_scale))
        if np.any(differs):
            picked = rng.choice(c[differs], size=15, replace=int(np.sum(differs)) < 15)
            blocks.append(np.concatenate([[amax], picked]).astype(F32))
    x = torch.from_numpy(np.stack(blocks).reshape(4, 32))
    add("nvfp4_static_multiply_sensitive", "nvfp4_static", [("input_scale", f32hex(input_scale))], x,
        act_nvfp4(x, input_scale))

    # --- MX -------------------------------------------------------------------------------------------------
    mx_rows = []
    for amax in MX_AMAX_ROWS:
        row = (torch.rand(32, generator=gen) * 2 - 1) * amax
        row[0] = amax
        row[7] = -amax * 0.75
        mx_rows.append(row)
    mx_cases = list(common.items()) + [("table_amax", torch.stack(mx_rows).to(torch.float32))]
    for element in ("FP4_E2M1", "FP8_E4M3"):
        for mode in ("RCEIL", "EVEN"):
            for name, x in mx_cases:
                add(f"mx_{element}_{mode}_{name}", "mx", [("element", element), ("mode", mode)], x,
                    act_mx(x.to(torch.float32).contiguous(), element, mode))

    out = []
    for name, kind, params, x, r in cases:
        fields = [("kind", kind)] + params + [("rows", x.shape[0]), ("cols", x.shape[1]), ("x", f32_rows(x)),
                                              ("codes", byte_rows(r["codes"])),
                                              ("scales", hex32(bits_of(r["scales"].numpy())))]
        if "scale_codes" in r:
            fields.append(("scale_codes", byte_rows(r["scale_codes"])))
        if "global_scale" in r:
            fields.append(("global_scale", hex32(bits_of(r["global_scale"].numpy()))))
        out.append((name, fields))
    write_cases("quant_activations.txt.gz", "activation quantizers (docs/FORMATS.md 2.3, 3, 4)", [
        "keys: kind (fp8_static, fp8_per_token, fp8_block128, int8_per_token, nvfp4_static, nvfp4_dynamic, mx),",
        "parameters (input_scale float32; ub float32 or none; element, mode), rows, cols, x (float32),",
        "codes (E4M3 or int8 bytes [rows, cols], or packed E2M1 [rows, ceil(cols/2)]), scales (float32, row-major",
        "groups: 1 for fp8_static, rows for per token, rows*ceil(cols/b) for blocks), scale_codes (E4M3 or E8M0",
        "bytes [rows, groups], NVFP4 and MX only), global_scale (NVFP4: the input_scale used).",
        "fp8_static: E4M3(clamp(x / input_scale, +-448)); dynamic: amax' = min(amax, ub), scale = amax'/qmax,",
        "q = cast(x * (qmax/amax')), inverse 0 for amax' 0 (E4M3 saturating at 448; int8 round half even,",
        "clamp [-128, 127]); NVFP4 as act_nvfp4's docstring; MX as quant_mx.txt.gz's formulas.",
    ], out)


def main():
    torch.manual_seed(0)
    torch.set_num_threads(1)
    os.makedirs(OUT, exist_ok=True)
    make_codecs()
    make_decodes()
    make_quantizers()
    make_activations()


if __name__ == "__main__":
    sys.exit(main())
