#!/usr/bin/env python3
"""safetensors fixtures for jquant's checkpoint reader and writer, made by the reference writer.

Run from the repository root: python3 runtime/src/test/python/make_safetensors_fixtures.py
It is deterministic (fixed byte patterns, no randomness); re-running rewrites the same files.

What it makes (under runtime/src/test/resources/safetensors/):

* all_dtypes.safetensors: one tensor of every dtype the installed torch and safetensors write (BOOL, U8, I8,
  F8_E5M2, F8_E4M3, F8_E8M0, F8_E4M3FNUZ, F8_E5M2FNUZ, I16, U16, F16, BF16, I32, U32, F32, C64, F64, I64, U64
  and F4 from torch.float4_e2m1fn_x2), a rank-0 scalar, an empty tensor (shape [0, 3]) and
  __metadata__ {"format": "pt"}; written by safetensors.torch.save_file.
* names.safetensors: F32 tensors whose names need JSON escapes or sort differently as UTF-8 bytes and as
  UTF-16 units (quote, backslash, newline, a control character, DEL, e-acute, U+FFFF, an emoji), no metadata.
* metadata_multi.safetensors: three metadata keys. The reference writes its metadata HashMap in no fixed
  order, so the Java test compares the parsed map, not the bytes.
* empty.safetensors: no tensors, no metadata (the reference's own test: 8 0 0 0 0 0 0 0 "{}" + 6 spaces).
* sharded/: model-00001-of-00003.safetensors .. model-00003-of-00003.safetensors and
  model.safetensors.index.json, split with a 64-byte limit as jquant's CheckpointWriter splits (a tensor that
  would make the shard exceed the limit starts the next shard), each shard written by save_file with
  {"format": "pt"}, the index as transformers writes it: json.dumps(index, indent=2, sort_keys=True) + "\n"
  with {"metadata": {"total_size": <sum of tensor bytes>}, "weight_map": {...}}.
* expected.txt: for each file, "file NAME header_bytes N" then one line per tensor in data-offset order:
  "tensor NAME_AS_JSON DTYPE SHAPE(comma separated, '-' for a scalar) HEX_BYTES ('-' for none)".

The bytes of every tensor come from a fixed pattern (byte i = (7 * i + seed) mod 256) reinterpreted as the
dtype, so each dtype's bytes are arbitrary bit patterns, NaNs included: the reader must give them back exactly.
"""
import json
import os
import struct
import sys

import safetensors
import torch
from safetensors.torch import save_file

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "safetensors")

# (name, torch dtype, shape) in an arbitrary order: the writer sorts them.
DTYPES = [
    ("bool", torch.bool, [3]),
    ("u8", torch.uint8, [2, 3]),
    ("i8", torch.int8, [5]),
    ("f8_e5m2", torch.float8_e5m2, [4]),
    ("f8_e4m3", torch.float8_e4m3fn, [2, 2]),
    ("f8_e8m0", torch.float8_e8m0fnu, [3]),
    ("f8_e4m3fnuz", torch.float8_e4m3fnuz, [2]),
    ("f8_e5m2fnuz", torch.float8_e5m2fnuz, [2]),
    ("i16", torch.int16, [3]),
    ("u16", torch.uint16, [2]),
    ("f16", torch.float16, [2, 2]),
    ("bf16", torch.bfloat16, [3, 1]),
    ("i32", torch.int32, [2]),
    ("u32", torch.uint32, [2]),
    ("f32", torch.float32, [2, 2]),
    ("c64", torch.complex64, [1]),
    ("f64", torch.float64, [2]),
    ("i64", torch.int64, [2]),
    ("u64", torch.uint64, [1]),
    ("f4", torch.float4_e2m1fn_x2, [2, 3]),  # torch shape [2, 3] of byte pairs; the file says F4 [2, 6]
    ("scalar", torch.float32, []),
    ("empty", torch.float32, [0, 3]),
]


def pattern(nbytes, seed):
    return torch.tensor([(7 * i + seed) % 256 for i in range(nbytes)], dtype=torch.uint8)


def make(dtype, shape, seed):
    itemsize = torch.empty((), dtype=dtype).element_size()
    count = 1
    for dim in shape:
        count *= dim
    raw = pattern(count * itemsize, seed)
    if dtype == torch.bool:
        raw = raw % 2  # a bool tensor holds 0 or 1
    return raw.view(dtype).reshape(shape)


def header_bytes(path):
    with open(path, "rb") as f:
        return struct.unpack("<Q", f.read(8))[0]


def describe(path, lines):
    """Appends the file's header length and its tensors, read back from the raw bytes, to lines."""
    n = header_bytes(path)
    with open(path, "rb") as f:
        blob = f.read()
    header = json.loads(blob[8:8 + n])
    rel = os.path.relpath(path, OUT)
    lines.append(f"file {rel} header_bytes {n}")
    entries = [(k, v) for k, v in header.items() if k != "__metadata__"]
    entries.sort(key=lambda kv: tuple(kv[1]["data_offsets"]))
    for name, info in entries:
        begin, end = info["data_offsets"]
        data = blob[8 + n + begin:8 + n + end]
        shape = ",".join(str(d) for d in info["shape"]) or "-"
        lines.append(f"tensor {json.dumps(name)} {info['dtype']} {shape} {data.hex() or '-'}")


def main():
    os.makedirs(os.path.join(OUT, "sharded"), exist_ok=True)
    lines = [f"# made by runtime/src/test/python/make_safetensors_fixtures.py with safetensors "
             f"{safetensors.__version__}, torch {torch.__version__}"]

    tensors = {name: make(dtype, shape, seed) for seed, (name, dtype, shape) in enumerate(DTYPES)}
    path = os.path.join(OUT, "all_dtypes.safetensors")
    save_file(tensors, path, metadata={"format": "pt"})
    describe(path, lines)

    names = ["b", "B", "a\"q", "back\\slash", "new\nline", "ctl\x01", "del\x7f", "\u00e9", "\uffff",
             "\U0001F600"]
    path = os.path.join(OUT, "names.safetensors")
    save_file({name: make(torch.float32, [1], i) for i, name in enumerate(names)}, path)
    describe(path, lines)

    path = os.path.join(OUT, "metadata_multi.safetensors")
    save_file({"x": make(torch.bfloat16, [2], 1)}, path,
              metadata={"format": "pt", "producer": "jquant fixtures", "note": "caf\u00e9 \"quoted\""})
    describe(path, lines)

    path = os.path.join(OUT, "empty.safetensors")
    save_file({}, path)
    describe(path, lines)

    # Sharded: tensors in the order a streaming caller adds them; a new shard when the limit would be passed.
    limit = 64
    stream = [
        ("model.embed.weight", make(torch.bfloat16, [4, 4], 10)),     # 32 bytes
        ("model.layers.0.weight", make(torch.float8_e4m3fn, [4, 6], 11)),  # 24 -> 56
        ("model.layers.0.weight_scale", make(torch.float32, [], 12)),  # 4 -> 60
        ("model.layers.1.weight", make(torch.uint8, [4, 4], 13)),  # 16 -> 76 > 64: shard 2
        ("model.layers.1.scales", make(torch.float8_e8m0fnu, [4, 1], 14)),  # 4 -> 20
        ("lm_head.weight", make(torch.float32, [5, 4], 15)),  # 80 alone > 64: shard 3
    ]
    shards, current, size = [], [], 0
    for name, tensor in stream:
        nbytes = tensor.numel() * tensor.element_size()
        if current and size + nbytes > limit:
            shards.append(current)
            current, size = [], 0
        current.append((name, tensor))
        size += nbytes
    shards.append(current)
    weight_map, total = {}, 0
    for i, shard in enumerate(shards):
        file = f"model-{i + 1:05d}-of-{len(shards):05d}.safetensors"
        save_file(dict(shard), os.path.join(OUT, "sharded", file), metadata={"format": "pt"})
        for name, tensor in shard:
            weight_map[name] = file
            total += tensor.numel() * tensor.element_size()
        describe(os.path.join(OUT, "sharded", file), lines)
    index = {"metadata": {"total_size": total}, "weight_map": weight_map}
    with open(os.path.join(OUT, "sharded", "model.safetensors.index.json"), "w") as f:
        f.write(json.dumps(index, indent=2, sort_keys=True) + "\n")

    with open(os.path.join(OUT, "expected.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    print(f"wrote {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
