#!/usr/bin/env python3
"""ONNX Runtime's CPU MatMul paths, timed like `jquant bench`, as a peer for jquant's Linear kernels.

One single-node graph per variant, weight [N, K] (jquant's layout; ORT's MatMul takes its transpose):

  fp32        MatMul, float32 weight (ORT prepacks it for MLAS's SGEMM)
  nbits4-b16  com.microsoft MatMulNBits, bits 4, block 16, accuracy_level 4 (int8 compute)   ~ NVFP4
  nbits4-b32  the same with block 32                                                          ~ MXFP4
  nbits8-b32  MatMulNBits, bits 8, block 32, accuracy_level 4                                 ~ INT8
  int8-dq     com.microsoft DynamicQuantizeMatMul: int8 weight with a scale per output column,
              the activations quantized to uint8 per tensor in every call (what
              onnxruntime.quantization.quantize_dynamic emits for a MatMul)                   ~ INT8

The MatMulNBits weights are packed here following the contrib op spec (B uint8 [N, K/block, block*bits/8],
element 2i in the low nibble; scales float32 [N * K/block]; no zero_points, so ORT uses 2^(bits-1));
`--check` compares every variant with numpy on a small shape before anything is timed.

Regimes, as jquant's KernelBenchmark: hot runs one session (one weight) again and again; cold builds a pool
of sessions, each holding its own copy of the weight, more than --cold-bytes of weights in total (1 GiB as
jquant's Regime.COLD_BYTES), and runs one per call, cycling, so every call reads its weight from memory.
A session per copy is needed because ORT owns (and prepacks) a graph's initializers. All sessions share one
global intra-op thread pool of --threads threads, as jquant's pool of layers shares one KernelThreads: with a
pool per session, the idle sessions' spinning threads of a cold pool would fight over the cores. The global
pool is fixed per process, so each thread count runs in a child process of this script.

Timing: a warm-up of --warmup seconds, then --rounds rounds of at least --round-time seconds each; the
figure is the median over rounds of the time per call. Calls use IO binding with preallocated input and
output, so Python allocates nothing per call.
"""

import argparse
import json
import platform
import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

VARIANTS = ("fp32", "nbits4-b16", "nbits4-b32", "nbits8-b32", "int8-dq")
COLD_BYTES = 1 << 30


def parse_shape(text):
  n, k = text.lower().split("x")
  return int(n), int(k)


def quantize_nbits(w, bits, block):
  """Symmetric per-block quantization of w [N, K] packed as MatMulNBits wants it (default zero point)."""
  n, k = w.shape
  if k % block:
    raise SystemExit(f"K={k} is not a multiple of block {block}")
  qmax = (1 << (bits - 1)) - 1
  zero = 1 << (bits - 1)
  blocks = w.reshape(n, k // block, block)
  scales = np.abs(blocks).max(axis=2) / qmax
  scales[scales == 0] = 1.0
  q = np.clip(np.rint(blocks / scales[:, :, None]), -qmax - 1, qmax).astype(np.int32) + zero
  q = q.astype(np.uint8)
  if bits == 4:
    packed = q[:, :, 0::2] | (q[:, :, 1::2] << 4)
  else:
    packed = q
  dequant = ((q.astype(np.float32) - zero) * scales[:, :, None]).reshape(n, k)
  return np.ascontiguousarray(packed), scales.astype(np.float32).reshape(-1), dequant


def quantize_int8_columns(w):
  """int8 [K, N] with a float32 scale per output column (per row of w [N, K]), symmetric."""
  scales = np.abs(w).max(axis=1) / 127.0
  scales[scales == 0] = 1.0
  q = np.clip(np.rint(w / scales[:, None]), -127, 127).astype(np.int8)
  return np.ascontiguousarray(q.T), scales.astype(np.float32), (q.astype(np.float32) * scales[:, None])


def build_model(variant, w):
  """The one-node graph of a variant and its weight's bytes; also the weight as the graph sees it."""
  n, k = w.shape
  a = helper.make_tensor_value_info("A", TensorProto.FLOAT, ["M", k])
  y = helper.make_tensor_value_info("Y", TensorProto.FLOAT, ["M", n])
  if variant == "fp32":
    b = numpy_helper.from_array(np.ascontiguousarray(w.T), "B")
    node = helper.make_node("MatMul", ["A", "B"], ["Y"])
    inits, nbytes, effective = [b], w.nbytes, w
  elif variant.startswith("nbits"):
    bits = int(variant[5])
    block = int(variant.split("-b")[1])
    packed, scales, effective = quantize_nbits(w, bits, block)
    inits = [numpy_helper.from_array(packed, "B"), numpy_helper.from_array(scales, "scales")]
    node = helper.make_node("MatMulNBits", ["A", "B", "scales"], ["Y"], domain="com.microsoft", K=k, N=n,
                            bits=bits, block_size=block, accuracy_level=4)
    nbytes = packed.nbytes + scales.nbytes
  elif variant == "int8-dq":
    q, scales, effective = quantize_int8_columns(w)
    inits = [numpy_helper.from_array(q, "B"), numpy_helper.from_array(scales, "b_scale"),
             numpy_helper.from_array(np.zeros(n, np.int8), "b_zero_point")]
    node = helper.make_node("DynamicQuantizeMatMul", ["A", "B", "b_scale", "b_zero_point"], ["Y"],
                            domain="com.microsoft")
    nbytes = q.nbytes + scales.nbytes
  else:
    raise SystemExit(f"unknown variant {variant}: expected one of {', '.join(VARIANTS)}")
  graph = helper.make_graph([node], variant, [a], [y], initializer=inits)
  model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 21),
                                                  helper.make_opsetid("com.microsoft", 1)])
  model.ir_version = 10
  return model.SerializeToString(), nbytes, effective


def session(model_bytes, threads):
  """A session on the process's global thread pool (threads is only for the record: see main)."""
  opts = ort.SessionOptions()
  opts.use_per_session_threads = False
  opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
  opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
  return ort.InferenceSession(model_bytes, opts, providers=["CPUExecutionProvider"])


def bind(sess, x, y):
  io = sess.io_binding()
  io.bind_ortvalue_input("A", ort.OrtValue.ortvalue_from_numpy(x))
  io.bind_ortvalue_output("Y", ort.OrtValue.ortvalue_from_numpy(y))
  return io


def check(rng):
  """Every variant against numpy on a small shape: the packing is right if the error is quantization's."""
  n, k, m = 96, 256, 3
  w = rng.normal(0, 0.02, (n, k)).astype(np.float32)
  x = rng.normal(0, 1, (m, k)).astype(np.float32)
  for variant in VARIANTS:
    model_bytes, _, effective = build_model(variant, w)
    got = session(model_bytes, 1).run(None, {"A": x})[0]
    want = x @ effective.T
    rel = float(np.linalg.norm(got - want) / np.linalg.norm(want))
    exact = float(np.linalg.norm(x @ w.T - want) / np.linalg.norm(want))
    # accuracy_level 4 and DynamicQuantizeMatMul quantize the activations to 8 bits: about 1% at most.
    ok = rel < 0.02
    print(f"check {variant:11s} rel. error vs numpy on its own dequantized weight {rel:.2e} "
          f"(weight quantization alone {exact:.2e}) {'ok' if ok else 'FAILED'}", file=sys.stderr)
    if not ok:
      raise SystemExit(f"{variant}: ORT disagrees with numpy ({rel:.3f}); the packing is wrong")


def measure(calls, warmup, rounds, round_time):
  """Median seconds per call; calls() runs a batch and returns how many calls it made."""
  end = time.perf_counter() + warmup
  while time.perf_counter() < end:
    calls()
  per_call = []
  for _ in range(rounds):
    count, start = 0, time.perf_counter()
    while True:
      count += calls()
      elapsed = time.perf_counter() - start
      if elapsed >= round_time:
        break
    per_call.append(elapsed / count)
  return statistics.median(per_call), min(per_call), max(per_call)


def main():
  p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
  p.add_argument("--variants", default=",".join(VARIANTS))
  p.add_argument("--shapes", default="4096x4096,11008x4096", help="weight shapes NxK")
  p.add_argument("--m", default="1,64", help="activation rows")
  p.add_argument("--threads", default="1,2", help="intra_op_num_threads")
  p.add_argument("--regimes", default="hot,cold")
  p.add_argument("--cold-bytes", type=int, default=COLD_BYTES, help="a cold pool's weight bytes exceed this")
  p.add_argument("--warmup", type=float, default=1.0, help="seconds of warm-up per cell")
  p.add_argument("--rounds", type=int, default=3)
  p.add_argument("--round-time", type=float, default=0.2, help="seconds per round")
  p.add_argument("--check", action="store_true", help="first compare every variant with numpy")
  p.add_argument("--json", help="also write the rows as a JSON list")
  args = p.parse_args()

  threads = [int(v) for v in args.threads.split(",")]
  if len(threads) > 1:
    each_thread_count(args, threads)
    return
  ort.capi._pybind_state.set_global_thread_pool_sizes(threads[0], 1)
  rng = np.random.default_rng(20261207)
  if args.check:
    check(rng)
  variants = args.variants.split(",")
  shapes = [parse_shape(s) for s in args.shapes.split(",")]
  ms = [int(v) for v in args.m.split(",")]
  regimes = args.regimes.split(",")
  print(f"onnxruntime {ort.__version__}, numpy {np.__version__}, python {platform.python_version()}",
        file=sys.stderr)

  rows = []
  header = (f"{'variant':11s} {'m':>3s} {'n':>6s} {'k':>5s} {'thr':>3s} {'regime':6s} {'copies':>6s} "
            f"{'ms/call':>9s} {'GFLOP/s':>8s} {'wGB/s':>7s}")
  print(header)
  for (n, k) in shapes:
    w = rng.normal(0, 0.02, (n, k)).astype(np.float32)
    for variant in variants:
      model_bytes, nbytes, _ = build_model(variant, w)
      copies = max(2, args.cold_bytes // nbytes + 1) if "cold" in regimes else 1
      for t in threads:
        started = time.perf_counter()
        pool = [session(model_bytes, t) for _ in range(copies)]
        print(f"{variant} {n}x{k} t={t}: {copies} session(s) in {time.perf_counter() - started:.1f} s",
              file=sys.stderr)
        for m in ms:
          x = rng.normal(0, 1, (m, k)).astype(np.float32)
          y = np.empty((m, n), np.float32)
          bound = [(s, bind(s, x, y)) for s in pool]
          for regime in regimes:
            active = bound[:1] if regime == "hot" else bound

            def calls(active=active):
              for s, io in active:
                s.run_with_iobinding(io)
              return len(active)

            median, lo, hi = measure(calls, args.warmup, args.rounds, args.round_time)
            row = {"variant": variant, "m": m, "n": n, "k": k, "threads": t, "regime": regime,
                   "copies": len(active), "weightBytes": nbytes, "msPerCall": median * 1e3,
                   "msMin": lo * 1e3, "msMax": hi * 1e3, "gflops": 2.0 * m * n * k / median / 1e9,
                   "weightGBs": nbytes / median / 1e9}
            rows.append(row)
            print(f"{variant:11s} {m:3d} {n:6d} {k:5d} {t:3d} {regime:6s} {len(active):6d} "
                  f"{row['msPerCall']:9.3f} {row['gflops']:8.1f} {row['weightGBs']:7.2f}", flush=True)
          del bound
        del pool
  if args.json:
    with open(args.json, "w") as f:
      json.dump(rows, f, indent=1)


def each_thread_count(args, threads):
  """Runs this script once per thread count (the global pool's size is fixed per process); joins the JSON."""
  rows = []
  with tempfile.TemporaryDirectory() as tmp:
    for i, t in enumerate(threads):
      part = os.path.join(tmp, f"t{t}.json")
      argv = [a for a in sys.argv[1:]]
      argv = replace_option(argv, "--threads", str(t))
      argv = replace_option(argv, "--json", part)
      if i > 0:
        argv = [a for a in argv if a != "--check"]
      subprocess.run([sys.executable, __file__] + argv, check=True)
      with open(part) as f:
        rows += json.load(f)
  if args.json:
    with open(args.json, "w") as f:
      json.dump(rows, f, indent=1)


def replace_option(argv, name, value):
  """argv with `name value` (or name=value) set to value."""
  out, skip = [], False
  for i, a in enumerate(argv):
    if skip:
      skip = False
    elif a == name:
      skip = True
    elif not a.startswith(name + "="):
      out.append(a)
  return out + [name, value]


if __name__ == "__main__":
  main()
