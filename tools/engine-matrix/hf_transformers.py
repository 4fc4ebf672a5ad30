"""transformers as a reader, run for real on CPU: its quantization config class for the export, a CPU load,
and the logits of that load against the float model made of jquant's own dequantization (`jquant dequantize
--dtype f32`), which is what the quantized checkpoint's weights mean. A load that runs must give cosine
>= 0.999. When the loaded modules also quantize their inputs (compressed-tensors W8A8 and the like run a
fake-quant of the activations on CPU), the verdict compares the weights only (that input quantization switched
off) and the cosine as loaded is reported beside it: the dequantized float model quantizes no activations."""

import contextlib
import io
import logging
import warnings

import torch
import transformers
from transformers import AutoModelForCausalLM
from transformers.quantizers.auto import AUTO_QUANTIZER_MAPPING, AutoQuantizationConfig

from reading import Reading

MIN_COSINE = 0.999
logging.getLogger("transformers").setLevel(logging.ERROR)
warnings.filterwarnings("ignore")


def config_reading(quant_config):
  """The config class transformers maps quantization_config to, and what it fills in on its own."""
  reading = Reading()
  if quant_config is None:
    reading.detail = "no quantization_config"
    return reading
  method = quant_config.get("quant_method")
  if method not in AUTO_QUANTIZER_MAPPING:
    reading.problems.append(f"no {method!r} quantizer in transformers {transformers.__version__}: it warns "
                            "and loads the checkpoint as a float model")
    return reading
  try:
    parsed = AutoQuantizationConfig.from_dict(dict(quant_config))
  except Exception as e:
    reading.problems.append(f"{type(e).__name__} parsing quantization_config: {e}")
    return reading
  reading.detail = type(parsed).__name__
  block = getattr(parsed, "weight_block_size", None)
  if method == "fp8" and "weight_block_size" not in quant_config and block is not None:
    reading.problems.append(f"reads per-tensor FP8 as {list(block)} blocks: {type(parsed).__name__} fills in "
                            "weight_block_size for a checkpoint written without one")
  return reading


def logits(directory, token_ids, dtype=torch.float32):
  with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
    model = AutoModelForCausalLM.from_pretrained(directory, dtype=dtype, device_map="cpu").eval()
  return model, forward(model, token_ids)


def is_dtype_mismatch(e):
  """compressed-tensors 0.18 decompresses MX weights to bfloat16 whatever the model's dtype, so a float32
  model's first Linear multiplies float by bfloat16 and fails; a bfloat16 model runs."""
  return isinstance(e, RuntimeError) and "same dtype" in str(e) and "BFloat16" in str(e)


def forward(model, token_ids):
  with contextlib.redirect_stderr(io.StringIO()), torch.no_grad():
    return model(torch.tensor([token_ids])).logits[0].double()


def without_input_quantization(model):
  """Drops the input-activation part of every compressed-tensors scheme; the number of modules changed."""
  changed = 0
  for module in model.modules():
    scheme = getattr(module, "quantization_scheme", None)
    if scheme is not None and getattr(scheme, "input_activations", None) is not None:
      module.quantization_scheme = scheme.model_copy(update={"input_activations": None})
      changed += 1
  return changed


def quantized_modules(model):
  """Modules transformers left quantized after the load: a compressed-tensors scheme on the module, or a
  Linear-named module replaced by another class."""
  names = set()
  for name, module in model.named_modules():
    scheme = getattr(module, "quantization_scheme", None)
    if scheme is not None and getattr(scheme, "weights", None) is not None:
      names.add(name)
    elif name.endswith(("_proj", "lm_head", ".dense", ".query", ".key", ".value")) \
        and type(module).__name__ != "Linear":
      names.add(name)
  return names


def read(directory, quant_config, reference_logits, token_ids, written):
  """reference_logits: logits of jquant's dequantization of the same checkpoint (None when dequantize
  refused it: the load still runs, without a comparison). written: the modules the file stores quantized.
  On CPU transformers dequantizes most formats at load, so only modules it quantizes beyond the written ones
  count against it; the logits judge the rest."""
  reading = config_reading(quant_config)
  try:
    try:
      model, out = logits(directory, token_ids)
    except Exception as e:
      if not is_dtype_mismatch(e):
        raise
      model, out = logits(directory, token_ids, torch.bfloat16)
      reading.detail += ("; loaded as bfloat16: as float32 the forward fails (compressed-tensors decompresses "
                         "MX weights to bfloat16: " + first_line(e) + ")")
  except Exception as e:
    reading.problems.append(f"CPU load/forward failed: {type(e).__name__}: {first_line(e)}")
    return reading
  extra = sorted(quantized_modules(model) - written)
  if extra:
    reading.problems.append(f"quantizes module(s) written float: {', '.join(extra)}")
  if torch.isnan(out).any():
    reading.problems.append("logits contain NaN")
  elif reference_logits is not None:
    reading.cosine = cosine(out, reference_logits)
    if without_input_quantization(model):
      reading.detail += (f"; cosine {reading.cosine:.5f} as loaded, with the scheme's input quantization; "
                         "the verdict's cosine has it switched off (weights only)")
      reading.cosine = cosine(forward(model, token_ids), reference_logits)
    if reading.cosine < MIN_COSINE:
      reading.problems.append(
          f"logits cosine {reading.cosine:.4f} to jquant's dequantization (< {MIN_COSINE})")
  else:
    reading.problems.append("no reference: jquant dequantize refused the checkpoint")
  return reading


def cosine(a, b):
  return torch.nn.functional.cosine_similarity(a.flatten(), b.flatten(), dim=0).item()


def first_line(error):
  text = str(error).strip().splitlines()
  return text[0][:300] if text else ""
