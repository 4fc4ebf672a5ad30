#!/usr/bin/env bash
# The FP4 cells only, after the last table-GEMV change of the session: ORT's 4-bit MatMulNBits, then jquant's
# NVFP4 and MXFP4 with quantized (FP4) activations, one run each. Usage: run.sh OUTDIR PYTHON
set -euo pipefail
out=${1:?output directory}
py=${2:-python3}
{ echo "start $(date -u +%FT%TZ)"; uptime; } > "$out/load.txt"
lscpu > "$out/lscpu.txt"
"$py" benchmarks/peers/ort_matmul.py --check --variants nbits4-b16,nbits4-b32 --json "$out/ort.json" \
  --warmup 0.5 --shapes 4096x4096,11008x4096 --m 1,64 --threads 1,2 --regimes hot,cold \
  > "$out/ort.txt" 2> "$out/ort.log"
{ echo "after ORT $(date -u +%FT%TZ)"; uptime; } >> "$out/load.txt"
./jquant bench --formats NVFP4,MXFP4 --inputs quantized --shapes 4096x4096,11008x4096 --m 1,64 \
  --regimes hot,cold --threads 1,2 --json "$out/jquant.json" > "$out/jquant.txt" 2> "$out/jquant.log"
{ echo "end $(date -u +%FT%TZ)"; uptime; } >> "$out/load.txt"
"$py" benchmarks/peers/side_by_side.py "$out/jquant.json" "$out/ort.json" > "$out/side-by-side.md"
