package io.jquant.samples.minilm;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The initializers (named constant tensors) and nodes of an ONNX model file, read by protobuf field number:
 * no generated ONNX classes, only {@link CodedInputStream}. Tensor bytes are slices of the file's bytes, not
 * copies.
 *
 * <p>Only what a model's weights need is read: {@code ModelProto.graph} (7); {@code GraphProto.node} (1) and
 * {@code initializer} (5); {@code NodeProto} input (1), output (2), name (3), op_type (4);
 * {@code TensorProto} dims (1), data_type (2), float_data (4), name (8), raw_data (9), data_location (14).
 * Everything else is skipped.
 */
public final class OnnxInitializers {
  /** {@code TensorProto.DataType.FLOAT}. */
  public static final int FLOAT = 1;

  /** {@code TensorProto.DataType.INT64}. */
  public static final int INT64 = 7;

  private static final int MODEL_GRAPH = 7;
  private static final int GRAPH_NODE = 1;
  private static final int GRAPH_INITIALIZER = 5;
  private static final int NODE_INPUT = 1;
  private static final int NODE_OUTPUT = 2;
  private static final int NODE_NAME = 3;
  private static final int NODE_OP_TYPE = 4;
  private static final int TENSOR_DIMS = 1;
  private static final int TENSOR_DATA_TYPE = 2;
  private static final int TENSOR_FLOAT_DATA = 4;
  private static final int TENSOR_NAME = 8;
  private static final int TENSOR_RAW_DATA = 9;
  private static final int TENSOR_DATA_LOCATION = 14;

  /**
   * One initializer.
   *
   * @param name its name, e.g. {@code embeddings.word_embeddings.weight} or {@code onnx::MatMul_787}
   * @param dataType the {@code TensorProto.DataType} code
   * @param dims the shape, outermost first
   * @param data little-endian, row-major bytes
   */
  public record Tensor(String name, int dataType, List<Long> dims, MemorySegment data) {
    public Tensor {
      dims = List.copyOf(dims);
    }
  }

  /** One graph node: e.g. op {@code MatMul} named {@code /encoder/layer.0/attention/self/query/MatMul}. */
  public record Node(String name, String opType, List<String> inputs, List<String> outputs) {
    public Node {
      inputs = List.copyOf(inputs);
      outputs = List.copyOf(outputs);
    }
  }

  private final String description;
  private final Map<String, Tensor> initializers;
  private final List<Node> nodes;

  private OnnxInitializers(String description, Map<String, Tensor> initializers, List<Node> nodes) {
    this.description = description;
    this.initializers = Collections.unmodifiableMap(initializers);
    this.nodes = List.copyOf(nodes);
  }

  /**
   * Reads the class-path resource {@code resource} (e.g. {@code all-minilm-l6-v2.onnx} from the langchain4j
   * jar) into memory and parses it.
   *
   * @throws IOException when the resource is missing or unreadable
   * @throws IllegalArgumentException naming the field and byte offset when the file is malformed
   */
  public static OnnxInitializers fromClassPath(String resource) throws IOException {
    ClassLoader loader = OnnxInitializers.class.getClassLoader();
    try (InputStream in = loader.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("class-path resource " + resource + " not found");
      }
      return parse(resource, in.readAllBytes());
    }
  }

  /**
   * Parses a serialized {@code ModelProto}; the tensors keep slices of {@code bytes}.
   *
   * @param description the file's name, used in every error
   * @throws IllegalArgumentException naming the field and byte offset when the bytes are malformed
   */
  public static OnnxInitializers parse(String description, byte[] bytes) {
    Objects.requireNonNull(description, "description");
    Reader reader = new Reader(description, bytes);
    try {
      reader.model();
    } catch (IOException | RuntimeException e) {
      if (e instanceof IllegalArgumentException iae && iae.getMessage().startsWith(description + ":")) {
        throw iae;
      }
      throw reader.malformed("ModelProto", e.getMessage(), e);
    }
    return new OnnxInitializers(description, reader.initializers, reader.nodes);
  }

  /** The file these tensors come from. */
  public String description() {
    return description;
  }

  /** The initializers in file order, by name. */
  public Map<String, Tensor> initializers() {
    return initializers;
  }

  /** The initializer {@code name}, if there is one. */
  public Optional<Tensor> initializer(String name) {
    return Optional.ofNullable(initializers.get(name));
  }

  /** The graph's nodes in file order. */
  public List<Node> nodes() {
    return nodes;
  }

  /** The streaming parser; {@code CodedInputStream#getTotalBytesRead} is the absolute offset in the file. */
  private static final class Reader {
    private final String description;
    private final MemorySegment file;
    private final CodedInputStream in;
    private final Map<String, Tensor> initializers = new LinkedHashMap<>();
    private final List<Node> nodes = new ArrayList<>();

    Reader(String description, byte[] bytes) {
      this.description = description;
      this.file = MemorySegment.ofArray(bytes);
      this.in = CodedInputStream.newInstance(bytes);
      in.setSizeLimit(Integer.MAX_VALUE);
    }

    void model() throws IOException {
      boolean sawGraph = false;
      while (true) {
        int tag = in.readTag();
        if (tag == 0) {
          break;
        }
        if (WireFormat.getTagFieldNumber(tag) == MODEL_GRAPH) {
          sawGraph = true;
          int limit = pushMessage("ModelProto.graph", tag);
          graph();
          in.popLimit(limit);
        } else {
          in.skipField(tag);
        }
      }
      if (!sawGraph) {
        throw malformed("ModelProto", "no graph (field 7)", null);
      }
    }

    private void graph() throws IOException {
      while (true) {
        int tag = in.readTag();
        if (tag == 0) {
          return;
        }
        switch (WireFormat.getTagFieldNumber(tag)) {
          case GRAPH_NODE -> {
            int limit = pushMessage("GraphProto.node", tag);
            nodes.add(node());
            in.popLimit(limit);
          }
          case GRAPH_INITIALIZER -> {
            int start = offset();
            int limit = pushMessage("GraphProto.initializer", tag);
            Tensor tensor = tensor(start);
            in.popLimit(limit);
            if (initializers.putIfAbsent(tensor.name(), tensor) != null) {
              throw malformed("initializer " + tensor.name(), "duplicate name at byte offset " + start, null);
            }
          }
          default -> in.skipField(tag);
        }
      }
    }

    private Node node() throws IOException {
      String name = "";
      String opType = "";
      List<String> inputs = new ArrayList<>();
      List<String> outputs = new ArrayList<>();
      while (true) {
        int tag = in.readTag();
        if (tag == 0) {
          return new Node(name, opType, inputs, outputs);
        }
        switch (WireFormat.getTagFieldNumber(tag)) {
          case NODE_INPUT -> inputs.add(string("NodeProto.input", tag));
          case NODE_OUTPUT -> outputs.add(string("NodeProto.output", tag));
          case NODE_NAME -> name = string("NodeProto.name", tag);
          case NODE_OP_TYPE -> opType = string("NodeProto.op_type", tag);
          default -> in.skipField(tag);
        }
      }
    }

    private Tensor tensor(int start) throws IOException {
      String name = null;
      int dataType = 0;
      List<Long> dims = new ArrayList<>();
      MemorySegment raw = null;
      int rawOffset = -1;
      List<Float> floats = new ArrayList<>();
      while (true) {
        int tag = in.readTag();
        if (tag == 0) {
          break;
        }
        int field = WireFormat.getTagFieldNumber(tag);
        String where = name == null ? "initializer at byte offset " + start : "initializer " + name;
        switch (field) {
          case TENSOR_DIMS -> {
            if (WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
              int limit = in.pushLimit(in.readRawVarint32());
              while (in.getBytesUntilLimit() > 0) {
                dims.add(in.readInt64());
              }
              in.popLimit(limit);
            } else {
              requireWireType(where, "dims", tag, WireFormat.WIRETYPE_VARINT);
              dims.add(in.readInt64());
            }
          }
          case TENSOR_DATA_TYPE -> {
            requireWireType(where, "data_type", tag, WireFormat.WIRETYPE_VARINT);
            dataType = in.readInt32();
          }
          case TENSOR_NAME -> name = string("TensorProto.name", tag);
          case TENSOR_RAW_DATA -> {
            requireWireType(where, "raw_data", tag, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            int length = in.readRawVarint32();
            rawOffset = offset();
            if (length < 0 || in.getBytesUntilLimit() < length) {
              throw malformed(where, "raw_data at byte offset " + rawOffset + " claims " + length
                  + " bytes, but only " + in.getBytesUntilLimit() + " remain in the tensor", null);
            }
            raw = file.asSlice(rawOffset, length);
            in.skipRawBytes(length);
          }
          case TENSOR_FLOAT_DATA -> {
            if (WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
              int limit = in.pushLimit(in.readRawVarint32());
              while (in.getBytesUntilLimit() > 0) {
                floats.add(in.readFloat());
              }
              in.popLimit(limit);
            } else {
              requireWireType(where, "float_data", tag, WireFormat.WIRETYPE_FIXED32);
              floats.add(in.readFloat());
            }
          }
          case TENSOR_DATA_LOCATION -> {
            int location = in.readInt32();
            if (location != 0) {
              throw malformed(where,
                  "data_location " + location + " (external data) at byte offset " + offset()
                      + " is not supported; the weights must be inside the file",
                  null);
            }
          }
          default -> in.skipField(tag);
        }
      }
      if (name == null) {
        throw malformed("initializer at byte offset " + start, "no name (field 8)", null);
      }
      if (raw == null && !floats.isEmpty()) {
        raw = floatSegment(floats);
      }
      if (raw == null) {
        raw = MemorySegment.ofArray(new byte[0]);
      }
      long elements = 1;
      for (long d : dims) {
        if (d < 0) {
          throw malformed("initializer " + name, "negative dimension in " + dims, null);
        }
        elements = Math.multiplyExact(elements, d);
      }
      int width = switch (dataType) {
        case FLOAT -> 4;
        case INT64 -> 8;
        default -> 0;
      };
      if (width != 0 && raw.byteSize() != elements * width) {
        throw malformed("initializer " + name, "shape " + dims + " of data_type " + dataType + " needs "
            + elements * width + " bytes, but " + (rawOffset >= 0 ? "raw_data at byte offset " + rawOffset
                : "float_data")
            + " holds " + raw.byteSize(), null);
      }
      return new Tensor(name, dataType, dims, raw);
    }

    private static MemorySegment floatSegment(List<Float> floats) {
      byte[] bytes = new byte[floats.size() * Float.BYTES];
      java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
      floats.forEach(buffer::putFloat);
      return MemorySegment.ofArray(bytes);
    }

    private int pushMessage(String field, int tag) throws IOException {
      requireWireType(field, field, tag, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      int at = offset();
      int length = in.readRawVarint32();
      if (length < 0 || length > in.getBytesUntilLimit()) {
        throw malformed(field, "length " + length + " at byte offset " + at + " runs past the end ("
            + in.getBytesUntilLimit() + " bytes remain)", null);
      }
      return in.pushLimit(length);
    }

    private String string(String field, int tag) throws IOException {
      requireWireType(field, field, tag, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      return in.readStringRequireUtf8();
    }

    private void requireWireType(String where, String field, int tag, int wireType) {
      if (WireFormat.getTagWireType(tag) != wireType) {
        throw malformed(where, field + " at byte offset " + offset() + " has wire type "
            + WireFormat.getTagWireType(tag) + ", expected " + wireType, null);
      }
    }

    private int offset() {
      return in.getTotalBytesRead();
    }

    IllegalArgumentException malformed(String where, String problem, Throwable cause) {
      String message = description + ": " + where + ": " + problem;
      if (cause != null && !(cause instanceof IllegalArgumentException)) {
        message += " (near byte offset " + offset() + ")";
      }
      return new IllegalArgumentException(message, cause);
    }
  }
}
