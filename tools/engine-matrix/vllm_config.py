"""vLLM's quantization-config parsing, re-implemented: which config class a checkpoint selects, which scheme
each Linear of the model gets (or none: ignored / excluded), and the tensors that scheme's create_weights
registers (vLLM's loader refuses a checkpoint that leaves one of them unset). vLLM itself needs a GPU build
and cannot be installed here.

Followed, file by file (vllm-project/vllm):
- model_executor/layers/quantization/compressed_tensors/compressed_tensors.py: the latest rendering at
  docs.vllm.ai/en/latest/api/vllm/model_executor/layers/quantization/compressed_tensors/compressed_tensors/
  (lastmod 2026-09-24; newer than every commit of the file in the source index): from_config,
  _quantization_scheme_map_from_config, get_scheme_dict, _get_scheme_from_parts and the _is_* predicates.
- .../compressed_tensors/utils.py (the version with _match_fused_layer): should_ignore_layer,
  find_matched_target, _is_equal_or_regex_match, is_activation_quantization_format.
- .../quantization/modelopt.py @ c9a59901113ccfe729e9c2be54062abee99b37f7: from_config, override methods,
  is_layer_excluded, ModelOptNvFp4LinearMethod.create_weights.
- .../quantization/fp8.py @ 1436674bcb3f46f4c960d09334cf7dd1534943ca: Fp8Config.from_config /
  get_quant_method, Fp8LinearMethod.create_weights; utils/fp8_utils.py validate_fp8_block_shape.
- .../quantization/utils/quant_utils.py @ 4de0dd6db70fbcfdb5420b3de5892d06ed1624c8: is_layer_skipped.
- .../quantization/fbgemm_fp8.py @ 5deacad0367c46a7178741512ea05d7e12f89302: modules_to_not_convert,
  is_layer_skipped; quantization/__init__.py: DEPRECATED_QUANTIZATION_METHODS = ["fbgemm_fp8", "fp_quant"].
- .../quantization/mxfp4.py @ afdb4a4ff429377d0fcfac3752e814ffc36ea41d and its newest form: a LinearBase not
  on the ignore list falls back to UnquantizedLinearMethod ("MXFP4 linear layer is not implemented"; older
  versions raise NotImplementedError); mxfp4 quantizes MoE experts only.
The QuantizationArgs of compressed-tensors configs are validated by the compressed-tensors package itself.
Device checks are taken as passed (a GPU that runs the scheme), except the sm90-only schemes, which are off.
"""

import re
from fnmatch import fnmatch

import torch
from compressed_tensors.quantization import QuantizationArgs, QuantizationStrategy, QuantizationType

from reading import Reading, abbreviate

DEPRECATED = ("fbgemm_fp8", "fp_quant")
ACTIVATION_FORMATS = ("naive-quantized", "int-quantized", "float-quantized", "nvfp4-pack-quantized")
MODELOPT_ALGOS = ("FP8", "FP8_PER_CHANNEL_PER_TOKEN", "FP8_PB_WO", "NVFP4")


class Unquantized(Exception):
  """The Linear gets UnquantizedLinearMethod."""


def read(quant_config, hf_quant_config, tensors, layout):
  """quant_config: config.json's quantization_config; hf_quant_config: hf_quant_config.json (read only when
  config.json has none, as vLLM's get_quant_config does for --quantization modelopt); tensors: {name: (dtype,
  shape)} or None for a config without a checkpoint."""
  reading = Reading()
  config = quant_config
  if config is None and hf_quant_config is not None:
    config = dict(hf_quant_config, quant_method="modelopt")
  if config is None:
    reading.scheme, reading.quantized, reading.detail = "float", set(), "no quantization_config"
    return reading
  method = override_method(config)
  try:
    parser = PARSERS[method]
  except KeyError:
    reading.problems.append(f"quant_method {method!r} is not one vLLM knows")
    return reading
  if method in DEPRECATED:
    reading.problems.append(f"quant_method {method!r} is deprecated: vLLM refuses it unless "
                            "--allow-deprecated-quantization (read below as if given)")
  try:
    scheme_of = parser(config)
  except Exception as e:  # the config class's own refusal
    reading.problems.append(f"{method} config refused: {type(e).__name__}: {e}")
    return reading
  read_modules(reading, scheme_of, tensors, layout, method)
  return reading


def override_method(config):
  """ModelOptFp8Config / ModelOptNvFp4Config.override_quantization_method, then the plain quant_method."""
  method = str(config.get("quant_method", "")).lower()
  if method == "modelopt":
    algo = config["quantization"].get("quant_algo", "") if "quantization" in config else config.get(
        "quant_algo", "")
    algo = str(algo)
    if "FP8" in algo.upper():
      return "modelopt"
    if "FP4" in algo.upper():
      return "modelopt_fp4"
  return method


def read_modules(reading, scheme_of, tensors, layout, method):
  """Every Linear of the model through the config's get_quant_method; the lm_head is a ParallelLMHead, which
  none of these configs quantize for a dense Linear scheme (compressed-tensors' "Linear" target does not match
  its class name)."""
  schemes, quantized, missing, errors = {}, set(), [], {}
  for i in range(layout.num_layers):
    for module in layout.vllm:
      prefix = f"{layout.layer(i)}.{module.suffix}"
      shards = [f"{layout.layer(i)}.{s}" for s in module.shards]
      try:
        label, needs = scheme_of(prefix, module, layout, shards, tensors)
      except Unquantized:
        continue
      except Exception as e:  # one line per distinct failure, the layers it hit counted
        errors.setdefault((module.suffix, f"{type(e).__name__}: {e}"), []).append(i)
        continue
      schemes.setdefault(label, []).append(prefix)
      quantized.update(shards)
      if tensors is not None:
        missing += missing_tensors(shards, needs, tensors)
  for (suffix, message), layers in errors.items():
    reading.problems.append(f"{message} (at {suffix}, layers {layers})")
  reading.quantized = quantized
  labels = sorted(schemes)
  if len(labels) > 1:
    reading.scheme = "mixed"
  elif labels:
    reading.scheme = labels[0]
  elif not errors:
    reading.scheme = "float"
  found = "; ".join(f"{label} on {len(schemes[label])} Linear(s)" for label in labels)
  reading.detail = f"{method}: " + (found or "every Linear unquantized")
  if missing:
    reading.problems.append(f"missing {by_suffix(missing)}: tensors the scheme registers, so vLLM's loader "
                            f"stops ('not initialized from checkpoint'): {abbreviate(missing)}")


def by_suffix(names):
  """"model.layers.0.mlp.up_proj.input_scale", ... -> ".input_scale on 30 module(s)"."""
  counts = {}
  for name in names:
    suffix = "." + name.split(" ")[0].rsplit(".", 1)[-1]
    counts[suffix] = counts.get(suffix, 0) + 1
  return ", ".join(f"{suffix} on {n} module(s)" for suffix, n in sorted(counts.items()))


def missing_tensors(shards, needs, tensors):
  """needs: {tensor suffix: allowed safetensors dtypes}."""
  problems = []
  for shard in shards:
    for suffix, dtypes in needs.items():
      entry = tensors.get(shard + suffix)
      if entry is None:
        problems.append(f"{shard}{suffix}")
      elif entry[0] not in dtypes:
        problems.append(f"{shard}{suffix} is {entry[0]}, not {'/'.join(dtypes)}")
  return problems


# ---- compressed-tensors ------------------------------------------------------------------------------------

def compressed_tensors(config):
  quant_format = config.get("format")
  ignore = list(config.get("ignore", []))
  targets = {}
  for group in config.get("config_groups", {}).values():
    if len(group["targets"]) == 1 and group["targets"][0].endswith("Attention"):
      continue  # attention-quant groups are skipped (coupled with the KV cache)
    for target in group["targets"]:
      weights = QuantizationArgs.model_validate(group.get("weights"))
      entry = {"weights": weights, "input_activations": None, "format": group.get("format")}
      act_format = is_activation_format(entry["format"] if entry["format"] is not None else quant_format)
      inputs = group.get("input_activations")
      if act_format or inputs:
        if not inputs:
          assert weights.type == QuantizationType.FLOAT
        else:
          entry["input_activations"] = QuantizationArgs.model_validate(inputs)
      targets[target] = entry

  def scheme_of(prefix, module, layout, shards, tensors):
    if should_ignore_layer(prefix, ignore, layout.vllm_packed):
      raise Unquantized()
    target = find_matched_target(prefix, module.cls, list(targets), layout.vllm_packed)
    entry = targets[target]
    return scheme_from_parts(entry["weights"], entry["input_activations"],
                             entry["format"] if entry["format"] is not None else quant_format)

  return scheme_of


def is_activation_format(quant_format):
  return quant_format in ACTIVATION_FORMATS


def should_ignore_layer(layer_name, ignore, fused_mapping):
  proj_name = layer_name.split(".")[-1]
  if proj_name in fused_mapping and layer_name not in ignore:
    result = None
    for shard_proj in fused_mapping[proj_name]:
      shard_ignored = any(equal_or_regex_match(layer_name.replace(proj_name, shard_proj), t) for t in ignore)
      if result is None:
        result = shard_ignored
      elif shard_ignored != result:
        raise ValueError(f"Found a different quantization schemes for {fused_mapping[proj_name]} in "
                         f"{layer_name}. vLLM requires all to use the same scheme.")
    return result
  return any(equal_or_regex_match(layer_name, t) for t in ignore)


def find_matched_target(layer_name, module_class, targets, fused_mapping):
  matched = (first_match(layer_name, targets) or first_match(module_class, targets, check_contains=True)
             or match_fused_layer(layer_name, targets, fused_mapping))
  if matched is None:
    raise ValueError(f"Unable to find matching target for {layer_name} in the compressed-tensors config.")
  return matched


def first_match(value, targets, check_contains=False):
  for target in targets:
    if equal_or_regex_match(value, target, check_contains):
      return target
  return None


def equal_or_regex_match(value, target, check_contains=False):
  if target.startswith("re:"):
    return re.match(target[3:], value) is not None
  if check_contains:
    return target.lower() in value.lower()
  return target == value


def match_fused_layer(layer_name, targets, fused_mapping):
  fused = next((key for key in fused_mapping if layer_name.endswith(key)), None)
  if fused is None:
    return None
  matches = []
  for unfused in (layer_name.replace(fused, u) for u in fused_mapping[fused]):
    matches.append(next((t for t in targets if equal_or_regex_match(unfused, t)), None))
  return matches[0] if all(matches) else None


def scheme_from_parts(w, a, quant_format):
  """_get_scheme_from_parts, the branches a dense Llama reaches with no GPU (the capability checks of the
  sm90-only schemes answer False; the others answer True when no device is probed)."""
  if is_nvfp4(w):
    if a is None:
      return "nvfp4a16", {".weight_packed": ("U8",), ".weight_scale": ("F8_E4M3",),
                          ".weight_global_scale": ("F32",)}
    if not is_nvfp4(a):
      raise ValueError("For NVFP4 weights, input quantization must also be NVFP4 format, None for NVFP4A16")
    return "nvfp4", {".weight_packed": ("U8",), ".weight_scale": ("F8_E4M3",),
                     ".weight_global_scale": ("F32",), ".input_global_scale": ("F32",)}
  if is_mx(w, 4):
    return "mxfp4", {".weight_packed": ("U8",), ".weight_scale": ("U8",)}
  if is_mx(w, 8) and w.scale_dtype == torch.uint8:
    return "mxfp8", {".weight": ("F8_E4M3",), ".weight_scale": ("U8",)}
  if a is None and w.strategy in (QuantizationStrategy.CHANNEL, QuantizationStrategy.GROUP) \
      and not w.dynamic and quant_format == "pack-quantized":
    return f"w{w.num_bits}a16", {".weight_packed": ("I32",), ".weight_scale": ("F32", "BF16", "F16")}
  if is_activation_format(quant_format):
    if is_fp8_w8a8(w, a) or is_fp8_w8a16(w):
      static_input = a is not None and not a.dynamic
      needs = {".weight": ("F8_E4M3",), ".weight_scale": ("F32", "BF16", "F16")}
      if static_input:
        needs[".input_scale"] = ("F32",)
      return "fp8-" + str(w.strategy.value if hasattr(w.strategy, "value") else w.strategy), needs
    if a is not None and w.num_bits == a.num_bits == 8 and w.symmetric and not w.dynamic \
        and w.strategy in (QuantizationStrategy.TENSOR, QuantizationStrategy.CHANNEL):
      if a.strategy == QuantizationStrategy.TENSOR and not a.dynamic:
        return "int8-static", {".weight": ("I8",), ".weight_scale": ("F32",), ".input_scale": ("F32",)}
      if a.strategy == QuantizationStrategy.TOKEN and a.dynamic:
        return "int8", {".weight": ("I8",), ".weight_scale": ("F32",)}
  raise NotImplementedError(f"No compressed-tensors compatible scheme was found for weights {describe(w)}, "
                            f"input {describe(a)}, format {quant_format!r}")


def describe(args):
  if args is None:
    return "None"
  return (f"{args.type}{args.num_bits}/{args.strategy}/group {args.group_size}/scale_dtype {args.scale_dtype}"
          f"{'/dynamic' if args.dynamic else ''}")


def is_nvfp4(q):
  return q is not None and q.strategy == QuantizationStrategy.TENSOR_GROUP and q.symmetric \
      and q.group_size == 16 and q.type == QuantizationType.FLOAT and q.num_bits == 4


def is_mx(q, bits):
  return q is not None and q.strategy == QuantizationStrategy.GROUP and q.symmetric and q.group_size == 32 \
      and q.type == QuantizationType.FLOAT and q.num_bits == bits


def is_fp8_w8a8(w, a):
  if w is None or a is None:
    return False
  if not (w.type == QuantizationType.FLOAT and a.type == QuantizationType.FLOAT and w.symmetric
          and not w.dynamic and w.strategy in (QuantizationStrategy.TENSOR, QuantizationStrategy.CHANNEL,
                                               QuantizationStrategy.BLOCK)):
    return False
  return a.dynamic or (a.symmetric and a.strategy == QuantizationStrategy.TENSOR)


def is_fp8_w8a16(w):
  return w is not None and w.type == QuantizationType.FLOAT and w.symmetric and not w.dynamic \
      and w.strategy in (QuantizationStrategy.TENSOR, QuantizationStrategy.CHANNEL,
                         QuantizationStrategy.BLOCK)


# ---- modelopt ----------------------------------------------------------------------------------------------

def modelopt(config):
  if "quantization" in config:
    quant = config["quantization"]
    algo, exclude = quant.get("quant_algo"), quant.get("exclude_modules", [])
    group_size = quant.get("group_size")
  else:
    algo, exclude, group_size = config.get("quant_algo"), config.get("ignore", []), config.get("group_size")
  if not algo:
    raise ValueError("Missing 'quant_algo' in quantization config")
  algo = str(algo).upper()
  if not isinstance(exclude, list):
    raise ValueError(f"exclude_modules must be a list, got {type(exclude)}")
  if algo not in MODELOPT_ALGOS:
    raise ValueError(f"ModelOpt currently only supports: {list(MODELOPT_ALGOS)} quantizations in vLLM.")
  if algo == "NVFP4":
    if "quantization" in config:
      absent = [k for k in ("group_size", "kv_cache_quant_algo", "exclude_modules") if k not in quant]
      if absent:
        raise ValueError(
            f"NVFP4 quantization requires the following fields in hf_quant_config.json: {absent}")
    group = int(group_size) if group_size is not None else 16
    label = "nvfp4"
    needs = {".weight": ("U8",), ".weight_scale": ("F8_E4M3",), ".weight_scale_2": ("F32",),
             ".input_scale": ("F32",)}
  else:
    group = None
    label = {"FP8": "fp8-tensor-static", "FP8_PER_CHANNEL_PER_TOKEN": "fp8-channel",
             "FP8_PB_WO": "fp8-block-weight-only"}[algo]
    needs = {".weight": ("F8_E4M3",), ".weight_scale": ("F32",)}
    if algo == "FP8":
      needs[".input_scale"] = ("F32",)

  def scheme_of(prefix, module, layout, shards, tensors):
    if is_layer_excluded(prefix, exclude, layout.vllm_packed):
      raise Unquantized()
    if group is not None and tensors is not None:
      k = tensors.get(shards[0] + ".weight", (None, (0, 0)))[1][-1] * 2
      if k % 16 != 0:
        raise ValueError("Unsupported model when in features size is not multiple of 16")
    return label, needs

  return scheme_of


def is_layer_excluded(prefix, exclude, fused_mapping):
  if not exclude:
    return False
  if is_layer_skipped(prefix, exclude, fused_mapping):
    return True
  for module in exclude:
    if module != prefix and (module in prefix or (prefix.startswith("language_model.")
                                                  and module in prefix.removeprefix("language_model."))):
      return True
  return any(fnmatch(prefix, pattern) for pattern in exclude)


def is_layer_skipped(prefix, ignored, fused_mapping):
  proj_name = prefix.split(".")[-1]
  if proj_name in fused_mapping:
    result = None
    for shard_proj in fused_mapping[proj_name]:
      shard_skipped = prefix.replace(proj_name, shard_proj) in ignored
      if result is None:
        result = shard_skipped
      elif shard_skipped != result:
        raise ValueError(f"Detected some but not all shards of {prefix} are quantized. All shards of fused "
                         "layers to have the same precision.")
    return result
  return prefix in ignored


# ---- fp8, fbgemm_fp8, mxfp4 --------------------------------------------------------------------------------

def fp8(config):
  scheme = config["activation_scheme"]
  if scheme not in ("static", "dynamic"):
    raise ValueError(f"Unsupported activation scheme {scheme}")
  ignored = config.get("ignored_layers") or config.get("modules_to_not_convert") or []
  block = config.get("weight_block_size")
  if block is not None:
    if len(block) != 2:
      raise ValueError(f"The quantization block size of weight must have 2 dimensions, but got {len(block)}")
    if scheme != "dynamic":
      raise ValueError("The block-wise quantization only supports dynamic activation scheme for now")
  needs = {".weight": ("F8_E4M3",), (".weight_scale_inv" if block else ".weight_scale"): ("F32",)}
  if scheme == "static":
    needs[".input_scale"] = ("F32",)
  label = "fp8-block" if block else ("fp8-tensor" if scheme == "dynamic" else "fp8-tensor-static")

  def scheme_of(prefix, module, layout, shards, tensors):
    if is_layer_skipped(prefix, ignored, layout.vllm_packed):
      raise Unquantized()
    if block and tensors is not None:
      validate_block_shape([tensors[s + ".weight"][1][0] for s in shards], block)
    return label, needs

  return scheme_of


def validate_block_shape(output_partition_sizes, block):
  """validate_fp8_block_shape at tp_size 1: a merged Linear's outputs but the last must fill whole blocks."""
  if len(output_partition_sizes) > 1:
    for size in output_partition_sizes[:-1]:
      if size % block[0] != 0:
        raise ValueError(f"Weight output_partition_size = {size} is not divisible by weight quantization "
                         f"block_n = {block[0]}.")


def fbgemm_fp8(config):
  ignored = config.get("modules_to_not_convert", [])

  def scheme_of(prefix, module, layout, shards, tensors):
    if is_layer_skipped(prefix, ignored, layout.vllm_packed):
      raise Unquantized()
    return "fp8-channel", {".weight": ("F8_E4M3",), ".weight_scale": ("F32",)}

  return scheme_of


def mxfp4(config):
  def scheme_of(prefix, module, layout, shards, tensors):
    if tensors is not None and tensors.get(shards[0] + ".weight", ("F32",))[0] == "U8":
      raise ValueError("MXFP4 linear layer is not implemented - falling back to UnquantizedLinearMethod, "
                       f"which cannot load the packed U8 weight {tensors[shards[0] + '.weight'][1]}")
    raise Unquantized()

  return scheme_of


PARSERS = {
    "compressed-tensors": compressed_tensors,
    "modelopt": modelopt,
    "modelopt_fp4": modelopt,
    "fp8": fp8,
    "fbgemm_fp8": fbgemm_fp8,
    "mxfp4": mxfp4,
}
