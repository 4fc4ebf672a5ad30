"""What a sample declares, read from its Java sources: @QuantizedModel(numLayers, checkpointPrefix,
layerClasses) and each layer class's @Quantized(format, layers) with its @Projection names. The generated
serving resources must say exactly this to every engine."""

import dataclasses
import glob
import os
import re

from layouts import BERT_MINILM, LLAMA_STORIES260K

SOURCES = "samples/src/main/java"
DEFAULT_PREFIX = "model.layers.{layer}"


def declared(checkout, model_class):
  """(format, layout, quantized HF module names) of io.jquant.samples.x.Model."""
  package, simple = model_class.rsplit(".", 1)
  folder = os.path.join(checkout, SOURCES, *package.split("."))
  model = read(os.path.join(folder, simple + ".java"))
  head = re.search(r"@QuantizedModel\((.*?)\)\s*public", model, re.S).group(1)
  num_layers = int(re.search(r"numLayers\s*=\s*(\d+)", head).group(1))
  prefix_match = re.search(r'checkpointPrefix\s*=\s*"([^"]+)"', head)
  prefix = prefix_match.group(1) if prefix_match else DEFAULT_PREFIX
  classes = re.findall(r"(\w+)\.class", re.search(r"layerClasses\s*=\s*\{([^}]*)\}", head).group(1))
  formats, modules = set(), set()
  for cls in classes:
    source = read(os.path.join(folder, cls + ".java"))
    quantized = re.search(r"@Quantized\(([^)]*)\)", source)
    if not quantized:
      continue
    formats.add(re.search(r"QuantFormat\.(\w+)", quantized.group(1)).group(1).lower())
    ranges = re.search(r'layers\s*=\s*"([^"]+)"', quantized.group(1))
    for i in layer_set(ranges.group(1) if ranges else None, num_layers):
      for projection in re.findall(r'@Projection\((?:value\s*=\s*)?"([^"]+)"', source):
        modules.add(prefix.replace("{layer}", str(i)) + "." + projection)
  base = LLAMA_STORIES260K if prefix.startswith("model.layers") else BERT_MINILM
  layout = dataclasses.replace(base, num_layers=num_layers, layer_prefix=prefix.replace("{layer}", "{i}"))
  return (formats.pop() if len(formats) == 1 else "mixed"), layout, modules


def layer_set(spec, num_layers):
  """"1-3,5" -> {1, 2, 3, 5}; None -> every layer."""
  if not spec:
    return set(range(num_layers))
  layers = set()
  for part in spec.split(","):
    low, _, high = part.strip().partition("-")
    layers.update(range(int(low), int(high or low) + 1))
  return layers


def read(path):
  with open(path) as f:
    return f.read()


def sources_exist(checkout, model_class):
  package, simple = model_class.rsplit(".", 1)
  return bool(glob.glob(os.path.join(checkout, SOURCES, *package.split("."), simple + ".java")))
