package io.jquant.annotations.rules;

import static io.jquant.annotations.DType.BFLOAT16;
import static io.jquant.annotations.DType.FLOAT32;
import static io.jquant.annotations.DType.FLOAT8_E4M3FN;
import static io.jquant.annotations.DType.FLOAT8_E8M0FNU;
import static io.jquant.annotations.DType.INT8;
import static io.jquant.annotations.ProjectionKind.Q;
import static io.jquant.annotations.QuantFormat.BLOCKSCALED_FP8;
import static io.jquant.annotations.QuantFormat.COMPRESSED_TENSORS_FP8;
import static io.jquant.annotations.QuantFormat.FBGEMM_FP8;
import static io.jquant.annotations.QuantFormat.INT8_W8A8;
import static io.jquant.annotations.QuantFormat.MXFP4;
import static io.jquant.annotations.QuantFormat.NVFP4;
import static io.jquant.annotations.ScaleGranularity.BLOCK;
import static io.jquant.annotations.ScaleGranularity.COLWISE;
import static io.jquant.annotations.ScaleGranularity.ROWWISE;
import static io.jquant.annotations.ScaleGranularity.TENSOR;
import static io.jquant.annotations.ScaleOrigin.DYNAMIC;
import static io.jquant.annotations.ScaleOrigin.STATIC;
import static io.jquant.annotations.rules.Attribute.INPUT_BLOCK;
import static io.jquant.annotations.rules.Attribute.INPUT_DTYPE;
import static io.jquant.annotations.rules.Attribute.INPUT_GRANULARITY;
import static io.jquant.annotations.rules.Attribute.INPUT_ORIGIN;
import static io.jquant.annotations.rules.Attribute.INPUT_UPPER_BOUND;
import static io.jquant.annotations.rules.Attribute.WEIGHT_BLOCK;
import static io.jquant.annotations.rules.Attribute.WEIGHT_DTYPE;
import static io.jquant.annotations.rules.Attribute.WEIGHT_GRANULARITY;
import static io.jquant.annotations.rules.Decl.ATTN_CLASS;
import static io.jquant.annotations.rules.Decl.MLP_CLASS;
import static io.jquant.annotations.rules.Decl.assertOnly;
import static io.jquant.annotations.rules.Decl.attn;
import static io.jquant.annotations.rules.Decl.llama;
import static io.jquant.annotations.rules.Decl.llamaWithAttention;
import static io.jquant.annotations.rules.Decl.mlp;
import static io.jquant.annotations.rules.Decl.model;
import static io.jquant.annotations.rules.Decl.proj;
import static io.jquant.annotations.rules.Decl.projs;
import static io.jquant.annotations.rules.Decl.withClassName;
import static io.jquant.annotations.rules.Decl.withDtypes;
import static io.jquant.annotations.rules.Decl.withFlags;
import static io.jquant.annotations.rules.Decl.withInput;
import static io.jquant.annotations.rules.Decl.withLayers;
import static io.jquant.annotations.rules.Decl.withName;
import static io.jquant.annotations.rules.Decl.withNumLayers;
import static io.jquant.annotations.rules.Decl.withParts;
import static io.jquant.annotations.rules.Decl.withPrefix;
import static io.jquant.annotations.rules.Decl.withProjections;
import static io.jquant.annotations.rules.Decl.withWeight;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jquant.annotations.QuantFormat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every {@link RuleId} of the catalog, each broken alone by an otherwise correct declaration: the check finds
 * exactly that one violation, at the exact place(s), with the exact message.
 */
class RuleCatalogTest {
  private record Case(Supplier<List<Violation>> run, List<Place> places, String message) {}

  private static final Map<RuleId, Case> CASES = new EnumMap<>(RuleId.class);

  private static Place at(int part, Attribute attribute) {
    return Place.of(part, attribute);
  }

  private static void expect(RuleId rule, ModelDeclaration model, List<Place> places, String message) {
    CASES.put(rule, new Case(() -> ModelRules.check(model).violations(), places, message));
  }

  private static void expect(RuleId rule, ModelDeclaration model, Place place, String message) {
    expect(rule, model, List.of(place), message);
  }

  /** The Llama in {@code format} whose attention class (part 1) declares other scale specs. */
  private static ModelDeclaration attnScales(QuantFormat format, InputSpec input, WeightSpec weight) {
    var attention = attn(format, "1-14");
    if (input != null) {
      attention = withInput(attention, input);
    }
    if (weight != null) {
      attention = withWeight(attention, weight);
    }
    return llamaWithAttention(format, attention);
  }

  static {
    // ---- Format.* ----
    expect(RuleId.FORMAT_WEIGHT_GRANULARITY,
        attnScales(INT8_W8A8, null, new WeightSpec(TENSOR, FLOAT32, null)),
        at(1, WEIGHT_GRANULARITY), "INT8_W8A8 weight scales are ROWWISE, not TENSOR.");
    expect(RuleId.FORMAT_WEIGHT_DTYPE,
        attnScales(NVFP4, null, new WeightSpec(BLOCK, FLOAT32, List.of(1, 16))),
        at(1, WEIGHT_DTYPE), "NVFP4 weight scales are FLOAT8_E4M3FN, not FLOAT32.");
    expect(RuleId.FORMAT_WEIGHT_BLOCK,
        attnScales(MXFP4, null, new WeightSpec(BLOCK, FLOAT8_E8M0FNU, List.of(1, 16))),
        at(1, WEIGHT_BLOCK), "MXFP4 weight scale blocks are (1, 32) elements, not (1, 16).");
    expect(RuleId.FORMAT_INPUT_GRANULARITY,
        attnScales(INT8_W8A8, new InputSpec(TENSOR, DYNAMIC, FLOAT32, null, null), null),
        at(1, INPUT_GRANULARITY), "INT8_W8A8 input scales are COLWISE, not TENSOR.");
    expect(RuleId.FORMAT_INPUT_ORIGIN,
        attnScales(BLOCKSCALED_FP8, new InputSpec(BLOCK, STATIC, FLOAT32, List.of(1, 128), null), null),
        at(1, INPUT_ORIGIN),
        "BLOCKSCALED_FP8 input scales are DYNAMIC (computed from each input), not STATIC.");
    expect(RuleId.FORMAT_INPUT_DTYPE,
        attnScales(NVFP4, new InputSpec(BLOCK, STATIC, BFLOAT16, List.of(1, 16), null), null),
        at(1, INPUT_DTYPE), "NVFP4 input scales are FLOAT32, not BFLOAT16.");
    expect(RuleId.FORMAT_SCALE_PAIRING,
        attnScales(FBGEMM_FP8, new InputSpec(TENSOR, DYNAMIC, FLOAT8_E4M3FN, null, 1200.0), null),
        List.of(at(1, INPUT_GRANULARITY), at(1, INPUT_ORIGIN), at(1, WEIGHT_GRANULARITY)),
        "FBGEMM_FP8 with ROWWISE weight scales takes COLWISE DYNAMIC input scales (per token), not TENSOR"
            + " DYNAMIC; "
            + "tensor-wise FP8 is TENSOR weights with TENSOR inputs.");

    // ---- Scales.* ----
    expect(RuleId.SCALES_BLOCK_MISSING,
        attnScales(NVFP4, null, new WeightSpec(BLOCK, FLOAT8_E4M3FN, null)),
        List.of(at(1, WEIGHT_BLOCK), at(1, WEIGHT_GRANULARITY)),
        "BLOCK weight scales need a block size {rows, cols}.");
    expect(RuleId.SCALES_BLOCK_UNEXPECTED,
        attnScales(COMPRESSED_TENSORS_FP8, null, new WeightSpec(ROWWISE, FLOAT32, List.of(1, 16))),
        at(1, WEIGHT_BLOCK),
        "a block size is only for BLOCK scales; these weight scales are ROWWISE. Remove the block size or"
            + " make "
            + "them BLOCK.");
    expect(RuleId.SCALES_BLOCK_SHAPE,
        attnScales(NVFP4, new InputSpec(BLOCK, STATIC, FLOAT32, List.of(1, 16, 1), null), null),
        at(1, INPUT_BLOCK),
        "an input scale block size is two positive integers {rows, cols}, not {1, 16, 1}.");
    expect(RuleId.SCALES_INPUT_BLOCK_ROWS,
        attnScales(BLOCKSCALED_FP8, new InputSpec(BLOCK, DYNAMIC, FLOAT32, List.of(2, 128), null), null),
        at(1, INPUT_BLOCK), "an input scale block spans one token, (1, k); (2, 128) spans 2 tokens.");
    expect(RuleId.SCALES_K_MISMATCH,
        attnScales(NVFP4, new InputSpec(BLOCK, STATIC, FLOAT32, List.of(1, 32), null), null),
        List.of(at(1, INPUT_BLOCK), at(1, INPUT_GRANULARITY), at(1, WEIGHT_BLOCK), at(1, WEIGHT_GRANULARITY)),
        "input and weight scales must agree on K: the input scales give K granularity 32 (BLOCK (1, 32)), "
            + "the weight scales 16 (BLOCK (1, 16)).");
    expect(RuleId.SCALES_ROWWISE_INPUT,
        attnScales(COMPRESSED_TENSORS_FP8, new InputSpec(ROWWISE, DYNAMIC, FLOAT32, null, null), null),
        at(1, INPUT_GRANULARITY),
        "ROWWISE input scales are not supported (MAX raises on them): one scale per token is COLWISE; "
            + "COMPRESSED_TENSORS_FP8 takes TENSOR or COLWISE.");
    expect(RuleId.SCALES_COLWISE_WEIGHT,
        attnScales(COMPRESSED_TENSORS_FP8, null, new WeightSpec(COLWISE, FLOAT32, null)),
        at(1, WEIGHT_GRANULARITY),
        "COLWISE weight scales are not supported (MAX raises on them): one scale per output channel is"
            + " ROWWISE; "
            + "COMPRESSED_TENSORS_FP8 takes TENSOR or ROWWISE.");
    expect(RuleId.SCALES_UPPER_BOUND_STATIC,
        attnScales(NVFP4, new InputSpec(BLOCK, STATIC, FLOAT32, List.of(1, 16), 448.0), null),
        at(1, INPUT_UPPER_BOUND),
        "an activation upper bound (448.0) only bounds DYNAMIC input scales; these are STATIC. Remove it or"
            + " make "
            + "the input scales DYNAMIC.");
    expect(RuleId.SCALES_UPPER_BOUND_NOT_POSITIVE,
        attnScales(FBGEMM_FP8, new InputSpec(COLWISE, DYNAMIC, FLOAT8_E4M3FN, null, -1.0), null),
        at(1, INPUT_UPPER_BOUND), "an activation upper bound is a positive finite number, not -1.0.");

    // ---- Flags.* ----
    expect(RuleId.FLAGS_PRE_INTERLEAVED, withFlags(llama(MXFP4), false, true),
        Place.model(Attribute.SCALES_PRE_INTERLEAVED),
        "pre-interleaved (128x4 tiled) weight scales are an NVFP4 checkpoint layout; this model is MXFP4. "
            + "Remove scalesPreInterleaved.");
    expect(RuleId.FLAGS_FUSED_MLP_FORMAT, withFlags(llama(MXFP4), true, false),
        Place.model(Attribute.FUSED_MLP),
        "MXFP4 gate and up projections cannot run as one fused matmul (MAX never fuses them). Remove"
            + " fusedMlp.");
    expect(RuleId.FLAGS_FUSED_MLP_NEEDS_GATE_UP,
        withFlags(model(16, withProjections(mlp(NVFP4, "0-15"), projs("mlp.up_proj", "mlp.down_proj")),
            attn(NVFP4, "1-14")), true, false),
        Place.model(Attribute.FUSED_MLP),
        "fusedMlp runs gate and up as one matmul, but no MLP layer class has both a gate and an up"
            + " projection.");
    expect(RuleId.FLAGS_EMBEDDING_DTYPE, withDtypes(llama(NVFP4), INT8, null),
        Place.model(Attribute.EMBEDDING_OUTPUT_DTYPE),
        "the embedding output is an activation: FLOAT32, BFLOAT16, FLOAT16, FLOAT8_E4M3FN or FLOAT8_E5M2,"
            + " not INT8.");
    expect(RuleId.FLAGS_BIAS_DTYPE, withDtypes(llama(NVFP4), null, FLOAT8_E4M3FN),
        Place.model(Attribute.BIAS_DTYPE), "biases are FLOAT32, BFLOAT16 or FLOAT16, not FLOAT8_E4M3FN.");

    // ---- Layers.* ----
    expect(RuleId.LAYERS_SYNTAX, llamaWithAttention(NVFP4, attn(NVFP4, "1-7", "8..14")),
        new Place(1, Attribute.LAYERS, 1),
        "layer entry \"8..14\" is neither an index like \"7\" nor an inclusive range like \"0-15\".");
    expect(RuleId.LAYERS_NEGATIVE, llamaWithAttention(NVFP4, attn(NVFP4, "-1")),
        new Place(1, Attribute.LAYERS, 0), "layer entry \"-1\" is negative; layers are numbered from 0.");
    expect(RuleId.LAYERS_REVERSED, llamaWithAttention(NVFP4, attn(NVFP4, "14-1")),
        new Place(1, Attribute.LAYERS, 0), "layer range \"14-1\" runs backwards; write \"1-14\".");
    expect(RuleId.LAYERS_OUT_OF_RANGE, llamaWithAttention(NVFP4, attn(NVFP4, "1-16")),
        new Place(1, Attribute.LAYERS, 0),
        "layer entry \"1-16\" reaches layer 16, but the model has 16 layers (0-15).");
    expect(RuleId.LAYERS_OVERLAP, llamaWithAttention(NVFP4, attn(NVFP4, "1-10", "5-14")),
        new Place(1, Attribute.LAYERS, 1),
        "layer entry \"5-14\" overlaps entry \"1-10\"; list each layer once.");
    expect(RuleId.LAYERS_EMPTY, llamaWithAttention(NVFP4, attn(NVFP4)),
        Place.of(1, Attribute.LAYERS),
        "layers = {} quantizes no layer; omit layers to quantize every layer, or list them like {\"0-15\"}.");
    expect(RuleId.LAYERS_CLAIMED_TWICE,
        model(16, mlp(NVFP4, "0-7"), withClassName(mlp(NVFP4, "6-15"), Decl.PKG + "LlamaWideMlp"),
            attn(NVFP4, "1-14")),
        new Place(1, Attribute.LAYERS, 0),
        "layers 6-7 already have an MLP class, LlamaMlp; each layer has one MLP class.");

    // ---- Model.* ----
    expect(RuleId.MODEL_NAME, withName(llama(NVFP4), ""), Place.model(Attribute.MODEL_NAME),
        "a model needs a name, e.g. name = \"llama-3.2-1b\".");
    expect(RuleId.MODEL_NUM_LAYERS, withNumLayers(llama(NVFP4), 0), Place.model(Attribute.NUM_LAYERS),
        "a model has at least one layer; numLayers is 0.");
    expect(RuleId.MODEL_CHECKPOINT_PREFIX, withPrefix(llama(NVFP4), "model.layers"),
        Place.model(Attribute.CHECKPOINT_PREFIX),
        "checkpoint prefix \"model.layers\" is not a dotted name with one {layer} placeholder, like "
            + "\"model.layers.{layer}\".");
    expect(RuleId.MODEL_NO_LAYER_CLASSES, withParts(llama(NVFP4)), Place.model(Attribute.LAYER_CLASSES),
        "Llama lists no layer classes; name its @Quantized MLP and attention classes in layerClasses.");
    expect(RuleId.MODEL_DUPLICATE_LAYER_CLASS,
        model(16, mlp(NVFP4, "0-15"), attn(NVFP4, "1-14"), mlp(NVFP4, "0-15")),
        Place.model(Attribute.LAYER_CLASSES, 2), "LlamaMlp is listed twice in layerClasses; list it once.");
    expect(RuleId.MODEL_NOT_QUANTIZED,
        model(16, mlp(NVFP4, "0-15"), attn(NVFP4, "1-14"),
            PartDeclaration.unquantized(Decl.PKG + "LlamaNorm")),
        Place.model(Attribute.LAYER_CLASSES, 2),
        "LlamaNorm is listed in layerClasses but has no @Quantized; annotate it with @Quantized(format ="
            + " ...) or "
            + "remove it from the list.");
    expect(RuleId.MODEL_MIXED_FORMATS, model(16, mlp(NVFP4, "0-15"), attn(MXFP4, "1-14")),
        at(1, Attribute.FORMAT), "LlamaAttention is MXFP4 but LlamaMlp is NVFP4; a model has one format.");
    expect(RuleId.MODEL_MIXED_SCALES,
        attnScales(NVFP4, new InputSpec(BLOCK, DYNAMIC, FLOAT32, List.of(1, 16), null), null),
        at(1, INPUT_ORIGIN),
        "LlamaAttention has input scales BLOCK DYNAMIC FLOAT32 (1, 16) and weight scales BLOCK FLOAT8_E4M3FN "
            + "(1, 16), but LlamaMlp has BLOCK STATIC FLOAT32 (1, 16) and BLOCK FLOAT8_E4M3FN (1, 16); a"
            + " model has "
            + "one input and one weight scale spec, so declare the same @InputScale/@WeightScale on both.");

    // ---- Role.* and Projection.* ----
    expect(RuleId.ROLE_NO_PROJECTIONS,
        llamaWithAttention(NVFP4, withProjections(attn(NVFP4, "1-14"), List.of())),
        at(1, Attribute.ROLE),
        "LlamaAttention has no @Projection constructor parameters or fields, so its role cannot be inferred; "
            + "annotate its Linear projections with @Projection(\"mlp.gate_proj\") and the like.");
    expect(RuleId.ROLE_MIXED, llamaWithAttention(NVFP4, withProjections(attn(NVFP4, "1-14"),
        projs("self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj",
            "mlp.gate_proj"))),
        at(1, Attribute.ROLE),
        "LlamaAttention has both MLP and attention projections; MAX quantizes an MLP or an attention block"
            + " as a "
            + "whole, so declare them in two layer classes.");
    expect(RuleId.ROLE_MLP_PROJECTIONS,
        model(16, withProjections(mlp(NVFP4, "0-15"), projs("mlp.gate_proj", "mlp.up_proj")),
            attn(NVFP4, "1-14")),
        at(0, Attribute.ROLE),
        "LlamaMlp is an MLP without DOWN projection; an MLP has gate, up and down projections (or up and"
            + " down).");
    expect(RuleId.ROLE_ATTENTION_PROJECTIONS, llamaWithAttention(NVFP4, withProjections(attn(NVFP4, "1-14"),
        projs("self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj"))),
        at(1, Attribute.ROLE),
        "LlamaAttention is attention without O projection; attention has q, k, v and o projections (or qkv"
            + " and o).");
    expect(RuleId.PROJECTION_UNKNOWN_KIND, llamaWithAttention(NVFP4, withProjections(attn(NVFP4, "1-14"),
        projs("self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.dense"))),
        new Place(1, Attribute.PROJECTION, 3),
        "cannot tell which projection \"self_attn.dense\" is from its name; add a kind, e.g. "
            + "@Projection(value = \"self_attn.dense\", kind = ProjectionKind.Q). Names whose last segment"
            + " is gate_proj, up_proj, "
            + "down_proj, q_proj, k_proj, v_proj, o_proj or qkv_proj need none.");
    expect(RuleId.PROJECTION_NAME, llamaWithAttention(NVFP4, withProjections(attn(NVFP4, "1-14"), List.of(
        proj("self_attn/q_proj", Q), proj("self_attn.k_proj"), proj("self_attn.v_proj"),
        proj("self_attn.o_proj")))),
        new Place(1, Attribute.PROJECTION, 0),
        "projection name \"self_attn/q_proj\" is not a dotted checkpoint path like \"mlp.gate_proj\".");
    expect(RuleId.PROJECTION_DUPLICATE, llamaWithAttention(NVFP4, withProjections(attn(NVFP4, "1-14"),
        projs("self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj",
            "self_attn.o_proj"))),
        new Place(1, Attribute.PROJECTION, 4),
        "projection \"self_attn.o_proj\" is declared twice in LlamaAttention; each projection reads its own"
            + " tensors.");

    // ---- Config.* (run-time QuantConfig) ----
    ConfigDeclaration negative = new ConfigDeclaration(NVFP4, FormatProfile.of(NVFP4).defaultInput(),
        FormatProfile.of(NVFP4).defaultWeight(), Set.of(-3, 0, 1, -1), Set.of(0, 1), null, null, false,
        false);
    CASES.put(RuleId.CONFIG_LAYER_NEGATIVE, new Case(() -> ConfigRules.check(negative),
        List.of(Place.model(Attribute.MLP_LAYERS)),
        "mlpQuantizedLayers holds negative layer indices [-3, -1]; layers are numbered from 0."));
    moe(RuleId.FLAGS_FUSED_SWIGLU_FORMAT, QuantFormat.FBGEMM_FP8, true, false, null, Attribute.FUSED_SWIGLU,
        "the fused MoE gate/up + SwiGLU kernel exists for MXFP8, NVFP4 or MXFP4; this config is FBGEMM_FP8. "
            + "Leave canUseFusedSwiglu false.");
    moe(RuleId.FLAGS_PRESHUFFLED_B_FORMAT, NVFP4, false, true, null, Attribute.PRESHUFFLED_B,
        "preshuffled B is a layout of MXFP4 expert weights; this config is NVFP4. Leave"
            + " blockScaledPreshuffledB false.");
    moe(RuleId.FLAGS_SHARED_EXPERTS_DTYPE, NVFP4, false, false, io.jquant.annotations.DType.FLOAT8_E8M0FNU,
        Attribute.SHARED_EXPERTS_DTYPE,
        "shared experts store weights, and FLOAT8_E8M0FNU is a scale-only dtype (powers of two, no zero); "
            + "use BFLOAT16 for unquantized shared experts.");
  }

  /** A clean model whose only finding is {@code rule}, a serving warning. */
  private static void serving(RuleId rule, ModelDeclaration model, List<Place> places, String message) {
    CASES.put(rule, new Case(() -> ServingRules.check(ModelRules.check(model), model.numLayers()), places,
        message));
  }

  static {
    // ---- Serving.* (warnings on clean models) ----
    serving(RuleId.SERVING_MAX_LAYER_SETS, llama(NVFP4),
        List.of(at(1, Attribute.LAYERS), Place.model(Attribute.LAYER_CLASSES)),
        "MAX's modelopt NVFP4 parser (a0626853) skips the exclude list; newer versions honour only the"
            + " subtree globs jquant adds for Llama names (model.layers.N.mlp*, model.layers.N.self_attn*)"
            + " and reads every layer as NVFP4, so it would quantize the attention of layers 0, 15, which"
            + " this model leaves float. vLLM and transformers honour the list.");
    serving(RuleId.SERVING_ENGINE_FORMAT, model(16, mlp(QuantFormat.MXFP8, "0-15")),
        List.of(at(0, Attribute.FORMAT)),
        "MAX has no parser for compressed-tensors MXFP8 (its compressed-tensors FP8 parser refuses strategy"
            + " \"group\"; it reads MXFP8 only as quant_method \"mxfp8\"); vLLM and compressed-tensors read"
            + " the export.");
  }

  @Test
  void servingWarningsNameEachEngineLimit() {
    assertEquals(List.of(), ServingRules.check(ModelRules.check(model(16, mlp(NVFP4, "0-15"),
        attn(NVFP4, "0-15"))), 16), "NVFP4 on every layer: every engine reads it");
    assertEquals(List.of(), ServingRules.check(ModelRules.check(llama(INT8_W8A8)), 16),
        "compressed-tensors INT8: exact names, read by every engine");
    Violation blockFp8 = only(ServingRules.check(ModelRules.check(llama(BLOCKSCALED_FP8)), 16));
    assertEquals("MAX's block FP8 parser skips modules_to_not_convert and reads every layer as"
        + " BLOCKSCALED_FP8, so it would quantize the attention of layers 0, 15, which this model leaves"
        + " float. vLLM and transformers honour the list.", blockFp8.message());
    Violation mxfp4 = only(ServingRules.check(ModelRules.check(llama(MXFP4)), 16));
    assertEquals(List.of(at(1, Attribute.FORMAT), Place.model(Attribute.LAYER_CLASSES)), mxfp4.places());
    assertEquals("MAX reads compressed-tensors MXFP4 as gpt-oss's MoE layout (_parse_mxfp4_config): the MLP"
        + " of every layer quantized and no attention, whatever the ignore list says; this model quantizes"
        + " the MLP of layers 0-15 and the attention of layers 1-14. vLLM and compressed-tensors honour the"
        + " list.", mxfp4.message());
    ModelDeclaration dynamicNvfp4 = model(16, withInput(mlp(NVFP4, "0-15"),
        new InputSpec(BLOCK, DYNAMIC, FLOAT32, List.of(1, 16), null)),
        withInput(attn(NVFP4, "0-15"), new InputSpec(BLOCK, DYNAMIC, FLOAT32, List.of(1, 16), null)));
    Violation dynamic = only(ServingRules.check(ModelRules.check(dynamicNvfp4), 16));
    assertEquals(RuleId.SERVING_ENGINE_FORMAT, dynamic.rule());
    assertEquals(List.of(at(0, INPUT_ORIGIN), at(1, INPUT_ORIGIN), at(0, Attribute.FORMAT)),
        dynamic.places());
    assertEquals("NVFP4 is exported as modelopt NVFP4, which vLLM and MAX read with STATIC input scales"
        + " whatever the config says: a checkpoint without calibrated input_scale tensors does not load there"
        + " as declared with DYNAMIC inputs.", dynamic.message());
    Violation fbgemm = only(ServingRules.check(ModelRules.check(llama(FBGEMM_FP8)), 16));
    assertEquals(RuleId.SERVING_ENGINE_FORMAT, fbgemm.rule());
    assertEquals("vLLM has deprecated fbgemm_fp8 and transformers runs it on CUDA only;"
        + " COMPRESSED_TENSORS_FP8 with the same scales is read alike by vLLM, transformers and MAX.",
        fbgemm.message());
    // FBGEMM's other form, tensor-wise static scales, is exported as quant_method "fp8" without blocks.
    InputSpec tensorInput = new InputSpec(TENSOR, STATIC, FLOAT32, null, null);
    WeightSpec tensorWeight = new WeightSpec(TENSOR, FLOAT32, null);
    ModelCheck tensorWise = ModelRules.check(model(16,
        withWeight(withInput(mlp(FBGEMM_FP8, "0-15"), tensorInput), tensorWeight),
        withWeight(withInput(attn(FBGEMM_FP8, "0-15"), tensorInput), tensorWeight)));
    assertEquals(List.of(), tensorWise.violations(), "a valid FBGEMM declaration");
    Violation tensorFbgemm = only(ServingRules.check(tensorWise, 16));
    assertEquals(RuleId.SERVING_ENGINE_FORMAT, tensorFbgemm.rule());
    assertEquals("tensor-wise FBGEMM_FP8 is exported as quant_method \"fp8\" without weight_block_size"
        + " (MAX's only FBGEMM_FP8 form of it), which transformers reads as 128x128 blocks and loads wrong;"
        + " COMPRESSED_TENSORS_FP8 with the same scales is read alike by vLLM, transformers and MAX.",
        tensorFbgemm.message());
  }

  /** The one violation of a list that must hold exactly one. */
  private static Violation only(List<Violation> violations) {
    assertEquals(1, violations.size(), "one violation expected: " + violations);
    return violations.get(0);
  }

  /** A config with the format's defaults and one MoE field set wrong. */
  private static void moe(RuleId rule, QuantFormat format, boolean fusedSwiglu, boolean preshuffled,
      io.jquant.annotations.DType shared, Attribute attribute, String message) {
    ConfigDeclaration config = new ConfigDeclaration(format, FormatProfile.of(format).defaultInput(),
        FormatProfile.of(format).defaultWeight(), Set.of(0), Set.of(0), null, null, false, false,
        fusedSwiglu, preshuffled, shared);
    CASES.put(rule, new Case(() -> ConfigRules.check(config), List.of(Place.model(attribute)), message));
  }

  /**
   * Ids the processor reports itself, about the compilation rather than a declaration: the rule set has no
   * input that could break them. A new id missing from both this list and the catalog fails.
   */
  private static final Set<RuleId> PROCESSOR_ONLY = EnumSet.of(RuleId.MODEL_UNRESOLVED_LAYER_CLASS,
      RuleId.SETUP_RUNTIME_MISSING, RuleId.SETUP_INTERNAL, RuleId.SETUP_GENERATED_NAME_CLASH,
      // The generated wiring's constructor and types, and a checkpoint given to javac.
      RuleId.WIRING_NO_CONSTRUCTOR, RuleId.WIRING_PARAMETER_TYPE,
      RuleId.CHECKPOINT_UNREADABLE, RuleId.CHECKPOINT_DISAGREEMENT);

  @Test
  void everyRuleHasACase() {
    Set<RuleId> missing = EnumSet.allOf(RuleId.class);
    missing.removeAll(CASES.keySet());
    missing.removeAll(PROCESSOR_ONLY);
    assertEquals(Set.of(), missing, "rules without a catalog case");
  }

  @TestFactory
  Stream<DynamicTest> eachRuleAlone() {
    return CASES.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey().id(), () -> {
      Case c = e.getValue();
      assertOnly(c.run().get(), e.getKey(), c.places(), c.message());
    }));
  }

  @TestFactory
  Stream<DynamicTest> eachRuleRendersWithItsTag() {
    return CASES.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey().id(), () -> {
      Violation v = e.getValue().run().get().get(0);
      assertEquals("[jquant:" + e.getKey().id() + "] " + e.getValue().message(), v.render());
      assertEquals(v.render(), v.toString());
    }));
  }

  @Test
  void caseModelsAreCorrectWithoutTheirOneMistake() {
    // The base declarations the catalog breaks are themselves clean, in every format they use.
    for (QuantFormat format : QuantFormat.values()) {
      Decl.assertClean(ModelRules.check(llama(format)));
    }
  }

  @Test
  void idsAreUniqueStableAndGrouped() {
    Set<String> ids = new HashSet<>();
    for (RuleId rule : RuleId.values()) {
      assertTrue(ids.add(rule.id()), "duplicate id " + rule.id());
      assertTrue(rule.id().matches(
          "(Format|Scales|Flags|Layers|Model|Role|Projection|Config|Setup|Wiring|Checkpoint|Serving)"
              + "\\.[A-Z][A-Za-z]+"),
          rule.id());
      assertEquals("jquant:" + rule.id(), rule.tag());
      assertFalse(rule.summary().isBlank(), rule.id());
      // The enum constant spells the id: Layers.OutOfRange is LAYERS_OUT_OF_RANGE.
      assertEquals(rule.name().replace("_", ""),
          rule.id().replace(".", "").toUpperCase(java.util.Locale.ROOT));
    }
    assertEquals("jquant:Layers.OutOfRange", RuleId.LAYERS_OUT_OF_RANGE.tag());
  }

  @Test
  void violationNeedsAPlaceAndKeepsItsOrder() {
    assertThrows(IllegalArgumentException.class, () -> new Violation(RuleId.MODEL_NAME, List.of(), "m"));
    assertThrows(NullPointerException.class,
        () -> new Violation(null, Place.model(Attribute.MODEL_NAME), "m"));
    assertThrows(NullPointerException.class,
        () -> new Violation(RuleId.MODEL_NAME, Place.model(Attribute.MODEL_NAME), null));
    List<Place> places = new ArrayList<>(List.of(Place.of(0, INPUT_BLOCK), Place.of(0, INPUT_GRANULARITY)));
    Violation v = new Violation(RuleId.SCALES_BLOCK_MISSING, places, "m");
    places.clear();
    assertEquals(List.of(Place.of(0, INPUT_BLOCK), Place.of(0, INPUT_GRANULARITY)), v.places(),
        "places are copied");
    assertEquals(Place.of(0, INPUT_BLOCK), v.place());
    assertThrows(UnsupportedOperationException.class,
        () -> v.places().add(Place.model(Attribute.MODEL_NAME)));
  }

  @Test
  void placesAndAttributes() {
    assertEquals(new Place(-1, Attribute.NUM_LAYERS, -1), Place.model(Attribute.NUM_LAYERS));
    assertEquals(new Place(-1, Attribute.LAYER_CLASSES, 3), Place.model(Attribute.LAYER_CLASSES, 3));
    assertEquals(new Place(2, WEIGHT_BLOCK, Place.WHOLE), Place.of(2, WEIGHT_BLOCK));
    assertEquals(Place.MODEL, Place.model(Attribute.FUSED_MLP).part());
    assertEquals("@WeightScale(block)", WEIGHT_BLOCK.toString());
    assertEquals("@InputScale(activationUpperBound)", INPUT_UPPER_BOUND.toString());
    assertEquals("@QuantConfig(mlpQuantizedLayers)", Attribute.MLP_LAYERS.toString());
  }

  /** Whether an attribute is written on a layer class ({@code @Quantized}, its scales, projections). */
  private static boolean isOnLayerClass(Attribute attribute) {
    return Arrays.asList("Quantized", "InputScale", "WeightScale", "Projection")
        .contains(attribute.annotation());
  }

  @Test
  void layerClassPlacesNameTheRightPart() {
    // Every case's places are on the class, or model-level, as its attribute says.
    for (Map.Entry<RuleId, Case> e : CASES.entrySet()) {
      for (Place place : e.getValue().places()) {
        assertEquals(isOnLayerClass(place.attribute()), place.part() != Place.MODEL,
            e.getKey() + " " + place);
      }
    }
  }

  @Test
  void classNamesInMessagesAreSimpleNames() {
    assertEquals("LlamaMlp", RoleRules.simpleName(MLP_CLASS));
    assertEquals("LlamaAttention", RoleRules.simpleName(ATTN_CLASS));
    assertEquals("Bare", RoleRules.simpleName("Bare"));
  }
}
