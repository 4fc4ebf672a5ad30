#!/usr/bin/env python3
"""Reads a checkpoint directory that `jquant quantize` wrote, with the Python `safetensors` package (the
reference reader), and prints every tensor: name, dtype, shape, first raw bytes. With a second directory,
the output of `jquant dequantize --dtype f32` of the first, it also dequantizes every quantized weight here
with torch, independently of jquant, and checks that jquant's float32 values are the same bits.

Usage: python3 cli/src/test/python/read_jquant_output.py QUANTIZED_DIR [DEQUANTIZED_F32_DIR]

The Java tests never run this; it is a manual cross-check (see the README's jquant section).
"""
import json
import os
import sys

import torch
from safetensors import safe_open

E2M1 = torch.tensor([0, .5, 1, 1.5, 2, 3, 4, 6, -0., -.5, -1, -1.5, -2, -3, -4, -6])


def load(directory):
    index = os.path.join(directory, "model.safetensors.index.json")
    names = ["model.safetensors"]
    if os.path.exists(index):
        with open(index) as f:
            names = sorted(set(json.load(f)["weight_map"].values()))
    tensors = {}
    for name in names:
        with safe_open(os.path.join(directory, name), framework="pt") as f:
            for key in f.keys():
                tensors[key] = f.get_tensor(key)
    return tensors


def repeat_blocks(scales, rows, cols, block_rows, block_cols):
    return scales.repeat_interleave(block_rows, 0)[:rows].repeat_interleave(block_cols, 1)[:, :cols]


def dequantize(t, module):
    """The float32 weight of one quantized layer, from docs/FORMATS.md's formulas."""
    w, s = t[module + "weight"], t.get(module + "weight_scale")
    if module + "weight_scale_2" in t:  # modelopt NVFP4
        codes = torch.stack([w & 0xF, w >> 4], dim=-1).reshape(w.shape[0], -1).long()
        return E2M1[codes] * repeat_blocks(s.float() * t[module + "weight_scale_2"], *codes.shape, 1, 16)
    if module + "weight_scale_inv" in t:  # block FP8, 128x128
        return w.float() * repeat_blocks(t[module + "weight_scale_inv"], *w.shape, 128, 128)
    if s.dtype == torch.uint8:  # MX: E8M0 scales
        factor = torch.exp2(s.float() - 127)
        if w.dtype == torch.uint8:
            codes = torch.stack([w & 0xF, w >> 4], dim=-1).reshape(w.shape[0], -1).long()
            return E2M1[codes] * repeat_blocks(factor, *codes.shape, 1, 32)
        return w.float() * repeat_blocks(factor, *w.shape, 1, 32)
    return w.float() * s  # FP8 tensor / channel, INT8 (scale [] or [N, 1])


def main(quantized, dequantized=None):
    t = load(quantized)
    for key in sorted(t):
        raw = t[key].reshape(-1).view(torch.uint8)[:8].tolist()
        print(f"  {key} {str(t[key].dtype).replace('torch.', '')} {list(t[key].shape)} first bytes {raw}")
    for config in ("config.json", "hf_quant_config.json"):
        path = os.path.join(quantized, config)
        if os.path.exists(path):
            with open(path) as f:
                data = json.load(f)
            print(f"  {config}: {json.dumps(data.get('quantization_config', data.get('quantization')))}")
    if dequantized:
        d = load(dequantized)
        modules = sorted(k[:-len("weight")] for k in t if k.endswith(".weight") and k + "_scale" in t
                         or k.endswith(".weight") and k + "_scale_inv" in t)
        same = sum(torch.equal(dequantize(t, m).view(torch.int32), d[m + "weight"].view(torch.int32))
                   for m in modules)
        print(f"  torch dequantization == jquant dequantize --dtype f32: {same} of {len(modules)} weights")


if __name__ == "__main__":
    main(*sys.argv[1:])
