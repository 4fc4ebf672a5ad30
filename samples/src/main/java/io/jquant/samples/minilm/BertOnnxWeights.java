package io.jquant.samples.minilm;

import io.jquant.config.tensor.StorageDType;
import io.jquant.runtime.model.TensorSource;
import io.jquant.runtime.tensor.TensorView;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a BERT encoder exported to ONNX by {@code torch.onnx} into Hugging Face named tensors.
 *
 * <p>The exporter keeps the names of biases, LayerNorms and embeddings
 * ({@code encoder.layer.0.attention.self.query.bias}) but gives the matrices generated names
 * ({@code onnx::MatMul_787}) and stores them {@code [in, out]} ({@code y = x·W + b}). A matrix's module is
 * the name of the MatMul node that consumes it ({@code /encoder/layer.0/attention/self/query/MatMul}); it
 * becomes {@code <module>.weight}, transposed to {@code [out, in]} as Hugging Face stores it.
 */
public final class BertOnnxWeights {
  private static final ValueLayout.OfFloat F32_LE = ValueLayout.JAVA_FLOAT_UNALIGNED
      .withOrder(ByteOrder.LITTLE_ENDIAN);

  private BertOnnxWeights() {}

  /**
   * The Hugging Face name of each MatMul weight initializer: {@code onnx::MatMul_787} ->
   * {@code encoder.layer.0.attention.self.query.weight}, from the consuming node's name.
   *
   * @throws IllegalArgumentException naming the initializer when two nodes consume it or a node name is not a
   * module path ({@code /a/b/MatMul})
   */
  public static Map<String, String> matMulWeightNames(OnnxInitializers onnx) {
    Map<String, String> names = new LinkedHashMap<>();
    for (OnnxInitializers.Node node : onnx.nodes()) {
      if (!node.opType().equals("MatMul")) {
        continue;
      }
      for (String input : node.inputs()) {
        if (onnx.initializer(input).isEmpty()) {
          continue;
        }
        String module = modulePath(onnx, node, input);
        String previous = names.put(input, module + ".weight");
        if (previous != null) {
          throw new IllegalArgumentException(
              onnx.description() + ": initializer " + input + " feeds two MatMuls ("
                  + previous + " and " + module + ".weight); cannot name it");
        }
      }
    }
    return names;
  }

  private static String modulePath(OnnxInitializers onnx, OnnxInitializers.Node node, String input) {
    String name = node.name();
    if (!name.startsWith("/") || !name.endsWith("/MatMul") || name.length() <= "//MatMul".length()) {
      throw new IllegalArgumentException(
          onnx.description() + ": MatMul node '" + name + "' consuming " + input
              + " is not named by its module path (/encoder/layer.0/.../MatMul)");
    }
    return name.substring(1, name.length() - "/MatMul".length()).replace('/', '.');
  }

  /**
   * Every float32 initializer by its Hugging Face name: the named ones as they are (slices of the file), the
   * MatMul weights transposed to {@code [out, in]} into memory of {@code arena}. Other initializers (int64
   * shape constants) are left out.
   *
   * @throws IllegalArgumentException naming the tensor when a MatMul weight is not a 2-D float32 matrix or a
   * converted name collides with a stored one
   */
  public static TensorSource toTensorSource(OnnxInitializers onnx, Arena arena) {
    Map<String, String> renamed = matMulWeightNames(onnx);
    List<TensorView> views = new ArrayList<>();
    Set<String> storedNames = new HashSet<>(onnx.initializers().keySet());
    for (OnnxInitializers.Tensor tensor : onnx.initializers().values()) {
      if (tensor.dataType() != OnnxInitializers.FLOAT) {
        continue;
      }
      String hfName = renamed.get(tensor.name());
      if (hfName == null) {
        views.add(new TensorView(tensor.name(), StorageDType.F32, tensor.dims(), tensor.data()));
        continue;
      }
      if (storedNames.contains(hfName)) {
        throw new IllegalArgumentException(
            onnx.description() + ": " + tensor.name() + " would become " + hfName
                + ", which the file already holds");
      }
      views.add(transposed(onnx, tensor, hfName, arena));
    }
    return TensorSource.of(onnx.description(), views);
  }

  private static TensorView transposed(OnnxInitializers onnx, OnnxInitializers.Tensor tensor, String hfName,
      Arena arena) {
    if (tensor.dims().size() != 2) {
      throw new IllegalArgumentException(
          onnx.description() + ": MatMul weight " + tensor.name() + " (" + hfName
              + ") has shape " + tensor.dims() + ", expected [in, out]");
    }
    int in = Math.toIntExact(tensor.dims().get(0));
    int out = Math.toIntExact(tensor.dims().get(1));
    MemorySegment source = tensor.data();
    MemorySegment target = arena.allocate((long) in * out * Float.BYTES, Float.BYTES);
    for (int i = 0; i < in; i++) {
      for (int o = 0; o < out; o++) {
        float value = source.getAtIndex(F32_LE, (long) i * out + o);
        target.setAtIndex(F32_LE, (long) o * in + i, value);
      }
    }
    return new TensorView(hfName, StorageDType.F32, List.of((long) out, (long) in), target);
  }
}
