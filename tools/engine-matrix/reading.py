"""What one reader made of one export, and the verdict against what jquant wrote or declared."""

from dataclasses import dataclass, field


@dataclass
class Reading:
  """scheme: the reader's scheme as one of jquant's --format names ("int8", "nvfp4", ...), "float" when the
  reader sees no quantization, "mixed" when layers disagree, None when it could not parse. quantized: the
  checkpoint (Hugging Face) module names the reader treats as quantized, None when unknown. problems: why the
  reader would fail or read something else than was written, each a sentence naming the place."""
  scheme: str = None
  detail: str = ""
  quantized: set = None
  problems: list = field(default_factory=list)
  cosine: float = None  # transformers only: logits against jquant's dequantization
  ran: bool = True  # False when the reader could not be run here at all


def verdict(reading, expected_scheme, expected_quantized):
  """(ok, reasons): ok when the reader's scheme is the expected one, it quantizes exactly the expected modules
  and it names no problem."""
  reasons = list(reading.problems)
  if reading.scheme is not None and reading.scheme != expected_scheme:
    reasons.insert(0, f"reads {reading.scheme}, not {expected_scheme}")
  if reading.quantized is not None and expected_quantized is not None:
    extra = sorted(reading.quantized - expected_quantized)
    missing = sorted(expected_quantized - reading.quantized)
    if extra:
      reasons.append(f"quantizes {len(extra)} float module(s): {abbreviate(extra)}")
    if missing:
      reasons.append(f"reads {len(missing)} quantized module(s) as float: {abbreviate(missing)}")
  return (not reasons and reading.ran), reasons


def abbreviate(names, shown=3):
  names = sorted(names)
  head = ", ".join(names[:shown])
  return head + (f" (+{len(names) - shown} more)" if len(names) > shown else "")
