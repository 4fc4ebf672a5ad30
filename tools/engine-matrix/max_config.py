"""MAX's parse_quant_config, re-implemented in its two forms: which QuantConfig (format, MLP and attention
layer sets) a Llama checkpoint maps to. MAX cannot be installed here.

Followed (modular/modular):
- "MAX a0626853": max/python/max/pipelines/lib/quant.py @ a06268531c800272f6c8899e79c9f140be8e0b67. The
  modelopt NVFP4 path ignores every exclude list (all layers NVFP4); hf_quant_config.json maps to
  quant_method/quant_algo only.
- "MAX newest": the newest form of the same module in the source index (index file id 59921755394; the index
  gives no path or commit for it; it imports max.pipelines.modeling.config_enums). The modelopt NVFP4 path
  honours config.json's "ignore" (or hf_quant_config.json's "quantization.ignore", never "exclude_modules")
  through _modelopt_layer_subtree_ignored: an entry removes a layer's whole mlp / self_attn only when it names
  that subtree or is a glob (with '*') matching "<subtree>*"; exact projection names never do. It adds mxfp8,
  compressed-tensors MXFP4 (by "mxfp4" in "format") and refuses modelopt algorithms other than NVFP4 for FP4.
Both keep the FP8 parsers: compressed-tensors (group_0 only, exact-name "ignore", state_dict
"layers.0.mlp.down_proj.weight_scale" required), fbgemm_fp8 (row-wise [N, 1] scales only), fp8 tensor-wise
(modules_to_not_convert) and fp8 block-wise ([128, 128], all layers), each with MAX's Llama names
(model.layers.{i}.mlp.gate_proj ... self_attn.o_proj) and the rule that a layer's MLP and its attention are
quantized all or nothing. A state dict's names lose "model." as MAX's Llama weight adapter does.
"""

import fnmatch

from reading import Reading, abbreviate

VERSIONS = ("MAX a0626853", "MAX newest")
FP4_DTYPES = ("uint8", "float4_e2m1fn")
DTYPES = {"F8_E4M3": "float8_e4m3fn", "U8": "uint8", "I8": "int8", "BF16": "bfloat16", "F16": "float16",
          "F32": "float32"}
MLP = ("gate_proj", "up_proj", "down_proj")
ATTN = ("q_proj", "k_proj", "v_proj", "o_proj")


class QuantConfig:
  def __init__(self, fmt, mlp, attn, input_origin, weight_granularity="BLOCK"):
    self.format, self.mlp, self.attn = fmt, set(mlp), set(attn)
    self.input_origin, self.weight_granularity = input_origin, weight_granularity

  def scheme(self):
    if self.format in ("FBGEMM_FP8", "COMPRESSED_TENSORS_FP8"):
      return {"TENSOR": "fp8-tensor", "ROWWISE": "fp8-channel"}.get(self.weight_granularity, "fp8-colwise")
    return {"NVFP4": "nvfp4", "MXFP4": "mxfp4", "MXFP8": "mxfp8", "BLOCKSCALED_FP8": "fp8-block"}[self.format]


def read(quant_config, hf_quant_config, tensors, layout, version, weight_dtype):
  """tensors: {name: (dtype, shape)} of the checkpoint, or None for a config alone; weight_dtype: the
  safetensors dtype of the quantized weights (MAX's pipeline dtype comes from the weights' encoding)."""
  reading = Reading()
  dtype = DTYPES.get(weight_dtype, weight_dtype)
  state = {name.removeprefix("model."): entry for name, entry in (tensors or {}).items()}
  try:
    config = parse_quant_config(version, quant_config, hf_quant_config, state, dtype, layout.num_layers)
  except Exception as e:  # the parser's own refusal
    reading.problems.append(f"parse_quant_config raised {type(e).__name__}: {e}")
    return reading
  if config is None:
    reading.scheme, reading.quantized = "float", set()
    reading.detail = f"parse_quant_config returned None: no scaled-quantization path for {dtype} weights"
    return reading
  reading.scheme = config.scheme()
  reading.quantized = set()
  for i in range(layout.num_layers):
    if i in config.mlp:
      reading.quantized |= layout.group_modules(i, "mlp")
    if i in config.attn:
      reading.quantized |= layout.group_modules(i, "attn")
  reading.detail = (f"QuantFormat.{config.format}, input {config.input_origin}, MLP layers "
                    f"{sorted(config.mlp)}, attention layers {sorted(config.attn)}")
  if not layout.layer_prefix.startswith("model.layers"):
    reading.detail += " (MAX matches Llama module names only: no exclude of this model could ever match)"
  if config.format == "NVFP4" and tensors is not None:
    absent = sorted(m + ".input_scale" for m in reading.quantized if m + ".input_scale" not in tensors)
    if absent:
      reading.problems.append(f"missing .input_scale on {len(absent)} module(s): NVFP4's input spec is "
                              f"STATIC: {abbreviate(absent)}")
  return reading


def parse_quant_config(version, qc, standalone, state, dtype, num_layers):
  newest = version == VERSIONS[1]
  if qc:
    if is_mxfp4_config(qc, newest):
      return QuantConfig("MXFP4", range(num_layers), (), "DYNAMIC")
    method = qc.get("quant_method", "")
    known = ("compressed-tensors", "fbgemm_fp8", "fp8", "gptq", "modelopt", "mxfp4", "quark")
    if newest:
      known += ("mxfp6", "mxfp8")
    if method and method not in known:
      raise ValueError(f"Unrecognized quantization config: the `quant_method` field ({method!r}) is provided "
                       "but not recognized.")
  if dtype in FP4_DTYPES:
    return parse_float4(newest, qc, standalone, state, num_layers)
  if dtype == "float8_e4m3fn":
    return parse_fp8(newest, qc, state, num_layers)
  return None


def is_mxfp4_config(qc, newest):
  method = qc.get("quant_method", "").lower()
  if method == "mxfp4":
    return True
  return newest and method == "compressed-tensors" and "mxfp4" in str(qc.get("format", "")).lower()


def resolve(newest, qc, standalone, state):
  if qc:
    return qc
  if standalone:
    method = standalone.get("producer", {}).get("name")
    quantization = standalone.get("quantization", {})
    if method and quantization.get("quant_algo"):
      mapped = {"quant_method": method, "quant_algo": quantization["quant_algo"]}
      if newest and "ignore" in quantization:
        mapped["ignore"] = quantization["ignore"]
      return mapped
  if any("weight_scale_2" in name for name in state):
    return {"quant_method": "modelopt", "quant_algo": "NVFP4"}
  return None


def parse_float4(newest, qc, standalone, state, num_layers):
  resolved = resolve(newest, qc, standalone, state)
  if not resolved or resolved.get("quant_method") != "modelopt":
    return None
  algo = resolved.get("quant_algo")
  if not algo:
    return None
  if not newest:
    return QuantConfig("NVFP4", range(num_layers), range(num_layers), "STATIC")
  if algo != "NVFP4":
    raise ValueError(f"modelopt quant_algo {algo!r} cannot be loaded as NVFP4.")
  patterns = [normalize(str(p)) for p in resolved.get("ignore", [])] if isinstance(
      resolved.get("ignore", []), list) else []
  mlp = {i for i in range(num_layers) if not subtree_ignored(i, "mlp", patterns)}
  attn = {i for i in range(num_layers) if not subtree_ignored(i, "self_attn", patterns)}
  return QuantConfig("NVFP4", mlp, attn, "STATIC")


def normalize(pattern):
  normalized = pattern.removeprefix("model.language_model.").removeprefix("language_model.")
  if normalized.startswith("model.layers."):
    normalized = normalized.removeprefix("model.")
  return normalized.replace("block_sparse_moe", "mlp")


def subtree_ignored(i, subtree, patterns, prefix="model."):
  layered = f"layers.{i}.{subtree}"
  candidates = ((f"{prefix}{layered}", f"{prefix}{layered}*"), (layered, f"{layered}*"))
  for pattern in patterns:
    for module_path, wildcard_path in candidates:
      if pattern in (module_path, wildcard_path) or fnmatch.fnmatch(module_path, pattern):
        return True
      if "*" in pattern and fnmatch.fnmatch(wildcard_path, pattern):
        return True
  return False


def uniform_layers(ignored, num_layers):
  """_quantized_layers_and_embedding_dtype: exact "model.layers.{i}.<group>.<proj>" names, all or nothing."""
  mlp, attn = set(), set()
  for i in range(num_layers):
    for group, projs, quantized in (("mlp", MLP, mlp), ("self_attn", ATTN, attn)):
      hits = [f"model.layers.{i}.{group}.{p}" in ignored for p in projs]
      if not any(hits):
        quantized.add(i)
      elif not all(hits):
        raise ValueError("float8 quantization currently assumes uniform quantization for "
                         + ("MLPs" if group == "mlp" else "attention QKV and output projections"))
  return mlp, attn


GRANULARITY = {"tensor": "TENSOR", "channel": "ROWWISE", "token": "COLWISE"}


def parse_fp8(newest, qc, state, num_layers):
  if not qc:
    raise ValueError("expected a `quantization_config` field in Hugging Face config when the dtype is float8")
  method = qc.get("quant_method")
  if method == "compressed-tensors":
    group = qc["config_groups"]["group_0"]
    inputs, weights = group["input_activations"], group["weights"]
    if inputs["strategy"] not in GRANULARITY:
      raise ValueError(f"unsupported FP8 input activation strategy: {inputs['strategy']}")
    if weights["strategy"] not in GRANULARITY:
      raise ValueError(f"unsupported FP8 weight strategy: {weights['strategy']}")
    if weights["dynamic"]:
      raise ValueError("dynamic weight scaling is not supported for compressed-tensors FP8 method")
    if "layers.0.mlp.down_proj.weight_scale" not in state:
      raise KeyError("layers.0.mlp.down_proj.weight_scale")
    mlp, attn = uniform_layers(set(qc.get("ignore", [])), num_layers)
    return QuantConfig("COMPRESSED_TENSORS_FP8", mlp, attn, "DYNAMIC" if inputs["dynamic"] else "STATIC",
                       GRANULARITY[weights["strategy"]])
  if method == "fbgemm_fp8":
    scales = [(n, e) for n, e in state.items() if "weight_scale" in n]
    if not scales or any(len(e[1]) != 2 or e[1][1] != 1 or e[0] != scales[0][1][0] for _, e in scales):
      raise ValueError("only row-wise weight quantization with uniform weight scale dtype is supported for "
                       "FBGEMM FP8")
    mlp, attn = uniform_layers(set(qc.get("modules_to_not_convert", [])), num_layers)
    return QuantConfig("FBGEMM_FP8", mlp, attn, "DYNAMIC", "ROWWISE")
  if method == "fp8":
    if qc.get("weight_block_size"):
      if qc.get("activation_scheme") != "dynamic":
        raise ValueError("activation_scheme must be dynamic")
      if qc["weight_block_size"] != [128, 128]:
        raise ValueError("weight_block_size must be [128, 128]")
      return QuantConfig("BLOCKSCALED_FP8", range(num_layers), range(num_layers), "DYNAMIC")
    scheme = qc.get("activation_scheme")
    if scheme not in ("dynamic", "static"):
      raise ValueError(f"Unsupported activation_scheme for tensorwise FP8: '{scheme}'.")
    mlp, attn = uniform_layers(set(qc.get("modules_to_not_convert", [])), num_layers)
    return QuantConfig("FBGEMM_FP8", mlp, attn, scheme.upper(), "TENSOR")
  if newest and (method == "mxfp8" or (method == "modelopt" and qc.get("quant_algo") == "MIXED_PRECISION")):
    mlp, attn = uniform_layers(set(qc.get("ignored_layers", [])), num_layers)
    return QuantConfig("MXFP8", mlp, attn, "DYNAMIC")
  raise ValueError("FP8 dtype specified, but an unsupported or incompatible 'quantization_config' was found. "
                   f"Quant method: '{method}'. Supported methods are 'compressed-tensors', 'fbgemm_fp8', "
                   "and 'fp8'.")
