"""What a checkpoint directory holds: tensor names, dtypes and shapes (from the safetensors headers only), the
quantization configs beside them, and the modules jquant wrote quantized."""

import glob
import json
import os
import re
import struct

# A module is quantized in the file when one of these tensors sits beside (or instead of) its weight.
SCALE_SUFFIXES = (".weight_scale", ".weight_scale_inv", ".weight_packed", ".weight_global_scale")
LLAMA_LAYER = re.compile(r"^model\.layers\.(\d+)\.(self_attn|mlp)\.(\w+)$")


def read_headers(directory):
  """{tensor name: (dtype, shape)} over every *.safetensors file of directory."""
  tensors = {}
  for path in sorted(glob.glob(os.path.join(directory, "*.safetensors"))):
    with open(path, "rb") as f:
      (length,) = struct.unpack("<Q", f.read(8))
      header = json.loads(f.read(length))
    for name, entry in header.items():
      if name != "__metadata__":
        tensors[name] = (entry["dtype"], tuple(entry["shape"]))
  return tensors


def read_json(path):
  if not os.path.exists(path):
    return None
  with open(path) as f:
    return json.load(f)


def quantization_config(directory):
  """config.json's quantization_config (None when absent) and hf_quant_config.json (None when absent)."""
  config = read_json(os.path.join(directory, "config.json")) or {}
  return config.get("quantization_config"), read_json(os.path.join(directory, "hf_quant_config.json"))


def written_quantized(tensors):
  """HF module names whose weight the file stores quantized: a scale tensor beside it, or a weight that is not
  a float dtype (E4M3, packed nibbles, int8)."""
  modules = set()
  for name, (dtype, _) in tensors.items():
    for suffix in SCALE_SUFFIXES:
      if name.endswith(suffix):
        modules.add(name[: -len(suffix)])
    if name.endswith(".weight") and dtype in ("F8_E4M3", "U8", "I8"):
      modules.add(name[: -len(".weight")])
  return modules


def linear_modules(tensors):
  """HF module names of every 2-D projection weight (quantized or not) plus lm_head when it is stored."""
  modules = set()
  for name in tensors:
    for suffix in (".weight", ".weight_packed"):
      if name.endswith(suffix) and LLAMA_LAYER.match(name[: -len(suffix)]):
        modules.add(name[: -len(suffix)])
  if "lm_head.weight" in tensors:
    modules.add("lm_head")
  return modules
