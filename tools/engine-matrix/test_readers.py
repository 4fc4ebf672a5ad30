#!/usr/bin/env python3
"""Checks of the vLLM and MAX re-implementations on hand-written exports whose readings follow from the
engines' sources, so that a ✓ or ✗ in the matrix comes from the export and not from the re-implementation.
Run: python tools/engine-matrix/test_readers.py (the venv of run.py)."""

import dataclasses
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import max_config  # noqa: E402
import vllm_config  # noqa: E402
from layouts import LLAMA_STORIES260K  # noqa: E402

LLAMA2 = dataclasses.replace(LLAMA_STORIES260K, num_layers=2)
OLD, NEWEST = max_config.VERSIONS


def tensors(suffixes, skip=()):
  """{name: (dtype, shape)} for two Llama layers: every projection gets the given suffixes, except the
  modules in skip, which keep a float weight."""
  out = {"model.embed_tokens.weight": ("BF16", (32, 64))}
  for module in sorted(LLAMA2.hf_modules()):
    if module in skip:
      out[module + ".weight"] = ("BF16", (64, 64))
    else:
      out.update({module + suffix: entry for suffix, entry in suffixes.items()})
  return out


def group(weights, inputs):
  return {"config_groups": {"group_0": {"targets": ["Linear"], "weights": weights,
                                        "input_activations": inputs}}}


FP8_CHANNEL = dict(group({"num_bits": 8, "type": "float", "symmetric": True, "strategy": "channel",
                          "dynamic": False},
                         {"num_bits": 8, "type": "float", "symmetric": True, "strategy": "token",
                          "dynamic": True}),
                   quant_method="compressed-tensors", format="float-quantized", ignore=["lm_head"])
FP8_TENSORS = {".weight": ("F8_E4M3", (64, 64)), ".weight_scale": ("F32", (64, 1))}
LAYER1_MLP = {f"model.layers.1.mlp.{p}" for p in ("gate_proj", "up_proj", "down_proj")}


class VllmTest(unittest.TestCase):
  def test_compressed_tensors_fp8_channel_reads_every_projection(self):
    reading = vllm_config.read(FP8_CHANNEL, None, tensors(FP8_TENSORS), LLAMA2)
    self.assertEqual(("fp8-channel", LLAMA2.hf_modules(), []),
                     (reading.scheme, reading.quantized, reading.problems))

  def test_an_exact_ignore_of_all_shards_leaves_the_fused_module_float(self):
    config = dict(FP8_CHANNEL, ignore=sorted(LAYER1_MLP))
    reading = vllm_config.read(config, None, tensors(FP8_TENSORS, skip=LAYER1_MLP), LLAMA2)
    self.assertEqual((LLAMA2.hf_modules() - LAYER1_MLP, []), (reading.quantized, reading.problems))

  def test_ignoring_one_shard_of_gate_up_is_refused(self):
    config = dict(FP8_CHANNEL, ignore=["model.layers.1.mlp.gate_proj"])
    reading = vllm_config.read(config, None, tensors(FP8_TENSORS), LLAMA2)
    self.assertTrue(reading.problems[0].startswith(
        "ValueError: Found a different quantization schemes for ['gate_proj', 'up_proj']"), reading.problems)

  def test_mxfp8_needs_scale_dtype(self):
    mx = {"num_bits": 8, "type": "float", "symmetric": True, "strategy": "group", "group_size": 32}
    with_dtype = dict(group(dict(mx, dynamic=False, scale_dtype="torch.uint8"),
                            dict(mx, dynamic=True, scale_dtype="torch.uint8")),
                      quant_method="compressed-tensors", format="mxfp8-quantized", ignore=["lm_head"])
    mx_tensors = tensors({".weight": ("F8_E4M3", (64, 64)), ".weight_scale": ("U8", (64, 2))})
    self.assertEqual(("mxfp8", []), (vllm_config.read(with_dtype, None, mx_tensors, LLAMA2).scheme,
                                     vllm_config.read(with_dtype, None, mx_tensors, LLAMA2).problems))
    without = dict(group(dict(mx, dynamic=False), dict(mx, dynamic=True)),
                   quant_method="compressed-tensors", format="mxfp8-quantized")
    self.assertIn("No compressed-tensors compatible scheme",
                  vllm_config.read(without, None, mx_tensors, LLAMA2).problems[0])

  def test_modelopt_nvfp4_excludes_a_subtree_glob_and_needs_input_scale(self):
    config = {"quant_method": "modelopt", "quant_algo": "NVFP4", "group_size": 16,
              "ignore": ["lm_head", "model.layers.1.mlp*"]}
    nvfp4 = {".weight": ("U8", (64, 32)), ".weight_scale": ("F8_E4M3", (64, 4)),
             ".weight_scale_2": ("F32", ()), ".input_scale": ("F32", ())}
    reading = vllm_config.read(config, None, tensors(nvfp4, skip=LAYER1_MLP), LLAMA2)
    self.assertEqual(("nvfp4", LLAMA2.hf_modules() - LAYER1_MLP, []),
                     (reading.scheme, reading.quantized, reading.problems))
    no_input_scale = {k: v for k, v in nvfp4.items() if k != ".input_scale"}
    reading = vllm_config.read(config, None, tensors(no_input_scale, skip=LAYER1_MLP), LLAMA2)
    self.assertTrue(reading.problems[0].startswith("missing .input_scale on 11 module(s): tensors"),
                    reading.problems)


class MaxTest(unittest.TestCase):
  def test_compressed_tensors_fp8_channel(self):
    for version in max_config.VERSIONS:
      reading = max_config.read(FP8_CHANNEL, None, tensors(FP8_TENSORS), LLAMA2, version, "F8_E4M3")
      self.assertEqual(("fp8-channel", LLAMA2.hf_modules(), []),
                       (reading.scheme, reading.quantized, reading.problems), version)

  def test_only_the_newest_honours_a_subtree_glob_and_neither_an_exact_name(self):
    nvfp4 = {".weight": ("U8", (64, 32)), ".input_scale": ("F32", ())}
    glob = {"quant_method": "modelopt", "quant_algo": "NVFP4", "ignore": ["model.layers.1.mlp*"]}
    exact = dict(glob, ignore=sorted(LAYER1_MLP))
    state = tensors(nvfp4, skip=LAYER1_MLP)
    self.assertEqual(LLAMA2.hf_modules() - LAYER1_MLP,
                     max_config.read(glob, None, state, LLAMA2, NEWEST, "U8").quantized)
    self.assertEqual(LLAMA2.hf_modules(), max_config.read(glob, None, state, LLAMA2, OLD, "U8").quantized)
    self.assertEqual(LLAMA2.hf_modules(), max_config.read(exact, None, state, LLAMA2, NEWEST, "U8").quantized)

  def test_a_partly_ignored_mlp_is_refused(self):
    config = dict(FP8_CHANNEL, ignore=["model.layers.1.mlp.down_proj"])
    reading = max_config.read(config, None, tensors(FP8_TENSORS), LLAMA2, NEWEST, "F8_E4M3")
    self.assertEqual(["parse_quant_config raised ValueError: float8 quantization currently assumes uniform "
                      "quantization for MLPs"], reading.problems)


if __name__ == "__main__":
  unittest.main()
