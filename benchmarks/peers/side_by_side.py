#!/usr/bin/env python3
"""jquant bench's JSON rows next to ort_matmul.py's: a Markdown table with ms per call and the ratio.

Usage: side_by_side.py JQUANT_JSON ORT_JSON > table.md

jquant's rows give GB/s of weightBytes() for m = 1 and GFLOP/s for m > 1; both become ms per call here
(the weight bytes of each format as its Linear.weightBytes() counts them). ratio = ORT ms / jquant ms:
above 1 jquant is faster.
"""

import json
import sys

# jquant format -> (weight bytes per N*K weights plus per N, ORT variants to set beside it)
FORMATS = {
    "FP32": (4.0, 0, ["fp32"]),
    "NVFP4": (0.5 + 1 / 16, 0, ["nbits4-b16"]),  # E2M1 codes + one E4M3 scale per 16
    "MXFP4": (0.5 + 1 / 32, 0, ["nbits4-b32"]),  # E2M1 codes + one E8M0 scale per 32
    "INT8": (1.0, 4, ["int8-dq", "nbits8-b32"]),  # int8 codes + a float32 scale per row
    "FP8_CHANNEL": (1.0, 4, ["fp32"]),  # no FP8 kernel in ORT's CPU provider: its float path
}


def jquant_ms(row):
  per_weight, per_row, _ = FORMATS[row["format"]]
  n, k, m = row["n"], row["k"], row["m"]
  if row["metric"] == "GB/s":
    return (per_weight * n * k + per_row * n) / (row["value"] * 1e9) * 1e3
  return 2.0 * m * n * k / (row["value"] * 1e9) * 1e3


def main():
  jq = json.load(open(sys.argv[1]))
  ort = {(r["variant"], r["m"], r["n"], r["k"], r["threads"], r["regime"]): r
         for r in json.load(open(sys.argv[2]))}
  print("| jquant format | jquant input | ORT variant | m | N×K | threads | regime | jquant ms | ORT ms "
        "| jquant GFLOP/s | ORT GFLOP/s | ratio ORT/jquant |")
  print("|---|---|---|---:|---|---:|---|---:|---:|---:|---:|---:|")
  order = {f: i for i, f in enumerate(FORMATS)}
  jq.sort(key=lambda r: (r["n"], r["m"], order.get(r["format"], 99), r.get("input", "f32"), r["regime"],
                         r["threads"]))
  for row in jq:
    if row["format"] not in FORMATS:
      continue
    ms = jquant_ms(row)
    gflops = 2.0 * row["m"] * row["n"] * row["k"] / ms / 1e6
    for variant in FORMATS[row["format"]][2]:
      peer = ort.get((variant, row["m"], row["n"], row["k"], row["threads"], row["regime"]))
      if peer is None:
        continue
      print(f"| {row['format']} | {row.get('input', 'f32')} | {variant} | {row['m']} | {row['n']}×{row['k']} | {row['threads']} "
            f"| {row['regime']} | {ms:.3f} | {peer['msPerCall']:.3f} | {gflops:.1f} | {peer['gflops']:.1f} "
            f"| {peer['msPerCall'] / ms:.2f} |")


if __name__ == "__main__":
  main()
