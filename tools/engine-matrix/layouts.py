"""The model layouts the matrix reads: module names in the checkpoint (Hugging Face) and in the engines."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class EngineModule:
  """One Linear of an engine's model: its name suffix inside a layer, its class, the checkpoint modules it
  holds (several when the engine fuses them) and whether it belongs to attention or the MLP."""
  suffix: str
  cls: str
  shards: tuple
  group: str


@dataclass(frozen=True)
class Layout:
  name: str
  layer_prefix: str  # "{i}" is the layer index
  num_layers: int
  attn: tuple  # checkpoint projections of attention, in a layer
  mlp: tuple  # checkpoint projections of the MLP, in a layer
  vllm: tuple  # EngineModule of vLLM's model class
  vllm_packed: dict = field(default_factory=dict)  # vLLM's packed_modules_mapping

  def layer(self, i):
    return self.layer_prefix.format(i=i)

  def hf_modules(self):
    return {f"{self.layer(i)}.{p}" for i in range(self.num_layers) for p in self.attn + self.mlp}

  def group_modules(self, i, group):
    return {f"{self.layer(i)}.{p}" for p in (self.attn if group == "attn" else self.mlp)}


# vLLM's LlamaForCausalLM (vllm/model_executor/models/llama.py): qkv and gate/up fused.
LLAMA_STORIES260K = Layout(
    name="stories260K (Llama, 5 layers)",
    layer_prefix="model.layers.{i}",
    num_layers=5,
    attn=("self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj"),
    mlp=("mlp.gate_proj", "mlp.up_proj", "mlp.down_proj"),
    vllm=(
        EngineModule("self_attn.qkv_proj", "QKVParallelLinear",
                     ("self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj"), "attn"),
        EngineModule("self_attn.o_proj", "RowParallelLinear", ("self_attn.o_proj",), "attn"),
        EngineModule("mlp.gate_up_proj", "MergedColumnParallelLinear", ("mlp.gate_proj", "mlp.up_proj"),
                     "mlp"),
        EngineModule("mlp.down_proj", "RowParallelLinear", ("mlp.down_proj",), "mlp"),
    ),
    vllm_packed={"qkv_proj": ["q_proj", "k_proj", "v_proj"], "gate_up_proj": ["gate_proj", "up_proj"]},
)

# vLLM's BertModel (vllm/model_executor/models/bert.py): query/key/value fused into qkv_proj.
BERT_MINILM = Layout(
    name="all-MiniLM-L6-v2 (BERT, 6 layers)",
    layer_prefix="encoder.layer.{i}",
    num_layers=6,
    attn=("attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense"),
    mlp=("intermediate.dense", "output.dense"),
    vllm=(
        EngineModule("attention.self.qkv_proj", "QKVParallelLinear",
                     ("attention.self.query", "attention.self.key", "attention.self.value"), "attn"),
        EngineModule("attention.output.dense", "RowParallelLinear", ("attention.output.dense",), "attn"),
        EngineModule("intermediate.dense", "ColumnParallelLinear", ("intermediate.dense",), "mlp"),
        EngineModule("output.dense", "RowParallelLinear", ("output.dense",), "mlp"),
    ),
    vllm_packed={"qkv_proj": ["query", "key", "value"]},
)
