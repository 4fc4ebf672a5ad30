#!/usr/bin/env bash
# One session of the ORT peer comparison: ONNX Runtime first, then jquant bench, same cells, one run each.
# Usage (from the repository root): benchmarks/peers/run.sh OUTDIR [PYTHON]
# PYTHON needs onnxruntime, onnx and numpy (see benchmarks/README.md, "Peers").
set -euo pipefail
out=${1:?output directory}
py=${2:-python3}
mkdir -p "$out"
{ echo "start $(date -u +%FT%TZ)"; uptime; } > "$out/load.txt"
lscpu > "$out/lscpu.txt"
"$py" benchmarks/peers/ort_matmul.py --check --json "$out/ort.json" --warmup 0.5 \
  --shapes 4096x4096,11008x4096 --m 1,64 --threads 1,2 --regimes hot,cold \
  > "$out/ort.txt" 2> "$out/ort.log"
{ echo "after ORT $(date -u +%FT%TZ)"; uptime; } >> "$out/load.txt"
# f32 inputs: weight-only layers; quantized: the format's own activation quantizer in every call (the W4A4
# table GEMV and the W8A8 integer dot run only then), as ORT's MatMulNBits accuracy_level 4 quantizes its
# activations to int8 in every call.
./jquant bench --formats FP32,NVFP4,MXFP4,INT8,FP8_CHANNEL --inputs f32,quantized \
  --shapes 4096x4096,11008x4096 --m 1,64 --regimes hot,cold --threads 1,2 --json "$out/jquant.json" > "$out/jquant.txt" 2> "$out/jquant.log"
{ echo "end $(date -u +%FT%TZ)"; uptime; } >> "$out/load.txt"
"$py" benchmarks/peers/side_by_side.py "$out/jquant.json" "$out/ort.json" > "$out/side-by-side.md"
