#!/usr/bin/env python3
"""The engine matrix: every export jquant makes, read by every reader that can be run here, against what
jquant wrote or declared. Run by hand; its output is committed (docs/engine-matrix.md and .json).

Usage: run.py --jquant CHECKOUT [--out docs/engine-matrix.md] [--readme README.md] [--work DIR] [--no-build]
              [--calibration FILE [--calibrated nvfp4,...]]
--readme rewrites the short table between README.md's "<!-- engine-matrix:begin -->" and "end" markers.
The readers' re-implementations have their own checks: test_readers.py.

Exports (rows):
* `jquant quantize --format F` of stories260K (samples/src/test/data/stories260K) for every F that
  `jquant quantize --help` lists; a format jquant refuses is a row "refused by jquant: <its message>". With
  --calibration FILE, one more row per --calibrated format (default nvfp4) quantized with
  `--calibration FILE` (recorded input amax values, for the static-input formats).
* the serving resources the annotation processor generated for each sample (samples/target/classes/META-INF/
  jquant/<model class>/: quantization_config.json for config.json, hf_quant_config.json), against the
  sample's declaration read from its sources (declarations.py).

Readers (columns), each giving the scheme it derives and the modules it quantizes:
* jquant inspect: jquant's own parser on its own export.
* transformers (installed, CPU): its quantization config class, a CPU load and the logits of 32 tokens against
  the float model of `jquant dequantize --dtype f32` of the same export: cosine >= 0.999, no NaN.
* vLLM: its config parsing and scheme selection re-implemented (vllm_config.py names the files and commits).
* MAX, two versions of parse_quant_config re-implemented (max_config.py names them).
A cell is ✓ when the reader derives the written/declared scheme, quantizes exactly the written/declared
modules, finds every tensor it needs, and (transformers) its logits agree; else ✗ with the reasons.

Set up (offline): python -m venv V; V/bin/pip install --index-url file:///opt/pypi/simple --extra-index-url
file:///opt/pypi-more/simple torch transformers safetensors accelerate ml_dtypes pydantic loguru psutil
setuptools_scm; then compressed-tensors from its source (github vllm-project/compressed-tensors, the commit
recorded in the output), in its folder: SETUPTOOLS_SCM_PRETEND_VERSION=<tag> V/bin/pip install --no-deps
--no-build-isolation .
"""

import argparse
import datetime
import importlib.metadata
import json
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import checkpoint  # noqa: E402
import declarations  # noqa: E402
import hf_transformers  # noqa: E402
import jquant_cli  # noqa: E402
import max_config  # noqa: E402
import vllm_config  # noqa: E402
from layouts import LLAMA_STORIES260K  # noqa: E402
from reading import Reading, verdict  # noqa: E402

READERS = ("jquant inspect", "transformers (CPU)", "vLLM") + max_config.VERSIONS
COMPRESSED_TENSORS_COMMIT = "ac8e2ba82f4e0d5eaa40069f8fc642738f124cd4 (tag 0.18.0)"
# safetensors dtype of a declared format's quantized weight, as MAX's pipeline would see it.
WEIGHT_DTYPE = {"nvfp4": "U8", "mxfp4": "U8", "mxfp8": "F8_E4M3", "fp8-tensor": "F8_E4M3",
                "fp8-channel": "F8_E4M3", "fp8-block": "F8_E4M3", "int8": "I8"}


def token_ids(checkout):
  """BOS and the first 31 tokens of stories260K's greedy reference continuation."""
  path = os.path.join(checkout, jquant_cli.STORIES260K, "reference.json")
  with open(path) as f:
    greedy = json.load(f)["greedy"]
  return (greedy["prompt_ids"] + greedy["generated_ids"])[:32]


def quantize_row(checkout, fmt, work, tokens, calibration=None):
  suffix = " --calibration FILE" if calibration else ""
  row = {"export": f"jquant quantize --format {fmt}{suffix}", "kind": "quantize", "format": fmt}
  out = os.path.join(work, fmt + ("-calibrated" if calibration else ""))
  code, message = jquant_cli.quantize(checkout, fmt, out, calibration)
  if code != 0:
    row["refused"] = message.replace(work, "<work>")
    return row
  tensors = checkpoint.read_headers(out)
  qc, hqc = checkpoint.quantization_config(out)
  written = checkpoint.written_quantized(tensors)
  row["written"] = sorted(written)
  row["quantization_config"], row["hf_quant_config"] = qc, hqc
  weight_dtype = next((tensors.get(m + ".weight", tensors.get(m + ".weight_packed"))[0]
                       for m in sorted(written)), "F32")
  readings = {}
  own, refusal = jquant_cli.inspect_format(checkout, out)
  refusal = re.sub(r"^error: \S+: ", "", refusal.replace(work, "<work>"))
  readings["jquant inspect"] = Reading(detail=own or "", problems=[f"refuses its own export: {refusal}"]
                                       if refusal else [])
  reference = None
  deq = out + "-dequantized"
  code, message = jquant_cli.dequantize(checkout, out, deq)
  if code == 0:
    reference = hf_transformers.logits(deq, tokens)[1]
    row["reference_vs_original_cosine"] = cosine(reference, original_logits(checkout, tokens))
  else:
    row["dequantize_refused"] = message.replace(work, "<work>")
  readings["transformers (CPU)"] = hf_transformers.read(out, qc, reference, tokens, written)
  readings["vLLM"] = vllm_config.read(qc, hqc, tensors, LLAMA_STORIES260K)
  for version in max_config.VERSIONS:
    readings[version] = max_config.read(qc, hqc, tensors, LLAMA_STORIES260K, version, weight_dtype)
  row["cells"] = cells(readings, fmt, written, compare_sets=("vLLM",) + max_config.VERSIONS)
  return row


def resource_row(checkout, model_class, directory):
  fmt, layout, declared = declarations.declared(checkout, model_class)
  row = {"export": f"processor resources of {model_class}", "kind": "processor", "format": fmt,
         "written": sorted(declared)}
  qc = checkpoint.read_json(os.path.join(directory, "quantization_config.json"))
  hqc = checkpoint.read_json(os.path.join(directory, "hf_quant_config.json"))
  row["quantization_config"], row["hf_quant_config"] = qc, hqc
  readings = {"jquant inspect": Reading(ran=False, detail="n/a: no checkpoint (ConfigAgreement checks the "
                                                          "declaration at compile time)")}
  transformers_reading = hf_transformers.config_reading(qc)
  transformers_reading.ran = False  # a config alone: nothing to load
  parsed = transformers_reading.detail
  transformers_reading.detail = (parsed + "; " if parsed else "") + "config only: no checkpoint to load"
  readings["transformers (CPU)"] = transformers_reading
  readings["vLLM"] = vllm_config.read(qc, hqc, None, layout)
  for version in max_config.VERSIONS:
    readings[version] = max_config.read(qc, hqc, None, layout, version, WEIGHT_DTYPE.get(fmt, fmt))
  row["cells"] = cells(readings, fmt, declared, compare_sets=("vLLM",) + max_config.VERSIONS)
  return row


def cells(readings, fmt, expected, compare_sets):
  result = {}
  for name, reading in readings.items():
    scheme_expected = fmt if name in compare_sets else reading.scheme
    ok, reasons = verdict(reading, scheme_expected, expected if name in compare_sets else None)
    if not reading.ran and not reading.problems:
      ok, reasons = None, [reading.detail]
    result[name] = {"ok": ok, "reasons": reasons, "scheme": reading.scheme, "detail": reading.detail,
                    "quantized": sorted(reading.quantized) if reading.quantized is not None else None,
                    "cosine": reading.cosine}
  return result


def original_logits(checkout, tokens):
  return hf_transformers.logits(os.path.join(checkout, jquant_cli.STORIES260K), tokens)[1]


def cosine(a, b):
  import torch
  return torch.nn.functional.cosine_similarity(a.flatten(), b.flatten(), dim=0).item()


def mark(cell, brief=False):
  """✓ (with the cosine when there is one), n/a, or ✗ and the reasons (brief: the first, shortened)."""
  if cell["ok"] is None:
    return "n/a"
  if cell["ok"]:
    return "✓" + (f" cos {cell['cosine']:.5f}" if cell["cosine"] is not None else "")
  if not brief:
    return "✗ " + "; ".join(cell["reasons"])
  more = len(cell["reasons"]) - 1
  tail = f" (+{more} more reason{'s' if more > 1 else ''})" if more else ""
  return "✗ " + short(cell["reasons"][0]) + tail


def markdown(rows, meta):
  lines = ["# Engine matrix", "",
           "Generated by `tools/engine-matrix/run.py` (do not edit by hand; rerun it). " + meta["about"], "",
           "| export | " + " | ".join(READERS) + " |", "|---|" + "---|" * len(READERS)]
  for row in rows:
    if "refused" in row:
      lines.append(f"| {row['export']} | " + " | ".join(["refused by jquant: " + escape(row["refused"])]
                                                         + [""] * (len(READERS) - 1)) + " |")
      continue
    marks = [escape(mark(row["cells"][r], brief=True)) for r in READERS]
    lines.append(f"| {row['export']} | " + " | ".join(marks) + " |")
  lines += ["", "## Details", ""]
  for row in rows:
    lines.append(f"### {row['export']}")
    lines.append("")
    if "refused" in row:
      lines += [f"refused by jquant: `{row['refused']}`", ""]
      continue
    what = "declared quantized" if row["kind"] == "processor" else "written quantized"
    lines.append(f"{what}: {len(row['written'])} module(s).")
    if row.get("dequantize_refused"):
      lines.append(f"`jquant dequantize` refused it: `{row['dequantize_refused']}`")
    lines.append("")
    for reader in READERS:
      cell = row["cells"][reader]
      lines.append(f"- **{reader}**: {mark(cell)}" + (f" — {cell['detail']}" if cell["detail"] else ""))
    lines.append("")
  lines += ["## Readers followed", ""] + [f"- {item}" for item in meta["readers"]] + [""]
  return "\n".join(lines)


def readme_table(rows):
  """The matrix in brief: ✓ / ✗ and the first reason, cut short."""
  lines = ["| export | " + " | ".join(READERS) + " |", "|---|" + "---|" * len(READERS)]
  for row in rows:
    name = row["export"].replace("jquant quantize --format ", "quantize ").replace(
        "processor resources of io.jquant.samples.", "processor: ")
    if "refused" in row:
      cells = ["refused by jquant: " + short(row["refused"], 80)] + [""] * (len(READERS) - 1)
    else:
      cells = []
      for reader in READERS:
        cell = row["cells"][reader]
        brief = mark(cell) if cell["ok"] is not False else "✗ " + short(cell["reasons"][0], 90)
        cells.append(brief)
    lines.append(f"| {name} | " + " | ".join(escape(c) for c in cells) + " |")
  return "\n".join(lines)


def rewrite_readme(path, rows, meta):
  begin, end = "<!-- engine-matrix:begin -->", "<!-- engine-matrix:end -->"
  with open(path, encoding="utf-8") as f:
    text = f.read()
  if begin not in text or end not in text:
    raise SystemExit(f"{path}: no {begin} ... {end} markers")
  head, rest = text.split(begin, 1)
  tail = rest.split(end, 1)[1]
  body = f"\n_{meta['about']}_\n\n{readme_table(rows)}\n"
  with open(path, "w", encoding="utf-8") as f:
    f.write(head + begin + body + end + tail)


def short(text, limit=150):
  return text if len(text) <= limit else text[: limit - 1] + "…"


def escape(text):
  return text.replace("|", "\\|").replace("\n", " ")


def describe_checkout(checkout):
  """Branch and commit; "+ changes" when files other than this tool's outputs differ from the commit."""
  rev = subprocess.run(["git", "-C", checkout, "rev-parse", "--short", "HEAD"], capture_output=True,
                       text=True).stdout.strip()
  changed = subprocess.run(["git", "-C", checkout, "status", "--porcelain", "--untracked-files=no", "--", ".",
                            ":!docs/engine-matrix.*", ":!README.md", ":!tools/engine-matrix"],
                           capture_output=True, text=True).stdout.strip()
  rev += " + uncommitted changes" if changed else ""
  branch = subprocess.run(["git", "-C", checkout, "rev-parse", "--abbrev-ref", "HEAD"], capture_output=True,
                          text=True).stdout.strip()
  return f"{branch} @ {rev}"


def main():
  parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
  parser.add_argument("--jquant", required=True, help="the jquant checkout to test")
  parser.add_argument("--out", default="docs/engine-matrix.md", help="markdown output (JSON beside it)")
  parser.add_argument("--readme", help="a README whose engine-matrix markers get the short table")
  parser.add_argument("--work", help="scratch directory (default: a new temporary one)")
  parser.add_argument("--no-build", action="store_true", help="use the checkout's built jars and resources")
  parser.add_argument("--calibration", help="a `jquant quantize --calibration` file: adds calibrated rows")
  parser.add_argument("--calibrated", default="nvfp4", help="formats quantized once more with --calibration")
  args = parser.parse_args()
  checkout = os.path.abspath(args.jquant)
  if not args.no_build:
    jquant_cli.build(checkout)
  work = args.work or tempfile.mkdtemp(prefix="engine-matrix-")
  os.makedirs(work, exist_ok=True)
  tokens = token_ids(checkout)
  rows = []
  for fmt in jquant_cli.formats(checkout):
    rows.append(quantize_row(checkout, fmt, work, tokens))
    if args.calibration and fmt in args.calibrated.split(","):
      rows.append(quantize_row(checkout, fmt, work, tokens, os.path.abspath(args.calibration)))
  for model_class, directory in jquant_cli.resources(checkout).items():
    rows.append(resource_row(checkout, model_class, directory))
  meta = {
      "generated": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
      "checkout": describe_checkout(checkout),
      "readers": [
          f"transformers {importlib.metadata.version('transformers')}, "
          f"torch {importlib.metadata.version('torch')}, "
          f"compressed-tensors {importlib.metadata.version('compressed-tensors')} from "
          f"vllm-project/compressed-tensors {COMPRESSED_TENSORS_COMMIT}: run for real, CPU, float32.",
          "vLLM (re-implemented, tools/engine-matrix/vllm_config.py): " + " ".join(
              vllm_config.__doc__.split("Followed, file by file (vllm-project/vllm):")[1].split()),
          "MAX (re-implemented, tools/engine-matrix/max_config.py): " + " ".join(
              max_config.__doc__.split("Followed (modular/modular):")[1].split()),
      ],
  }
  meta["about"] = (f"jquant {meta['checkout']}, {meta['generated']}; model stories260K (5 layers, K of "
                   "down_proj 172) and the samples' declarations; logits of 32 tokens.")
  out = os.path.abspath(args.out)
  os.makedirs(os.path.dirname(out), exist_ok=True)
  with open(out, "w") as f:
    f.write(markdown(rows, meta))
  with open(os.path.splitext(out)[0] + ".json", "w") as f:
    json.dump({"meta": meta, "readers": list(READERS), "rows": rows}, f, indent=1, sort_keys=True)
    f.write("\n")
  if args.readme:
    rewrite_readme(args.readme, rows, meta)
  print(f"wrote {out} and its .json ({len(rows)} exports, work files in {work})")


if __name__ == "__main__":
  main()
