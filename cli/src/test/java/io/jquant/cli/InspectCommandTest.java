package io.jquant.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InspectCommandTest {
  @TempDir
  Path tmp;

  private Path floatCheckpoint() throws IOException {
    return Fixtures.write(tmp.resolve("in"), List.of(
        Fixtures.bf16("model.layers.0.mlp.down_proj.weight", 16, 32),
        Fixtures.bf16("model.norm.weight", 16)));
  }

  private Path int8Checkpoint() throws IOException {
    Path out = tmp.resolve("int8");
    Fixtures.Run run = Fixtures.run("quantize", "--format", "int8", floatCheckpoint().toString(),
        out.toString());
    assertEquals(0, run.exit(), run.err());
    return out;
  }

  @Test
  void floatCheckpointText() throws IOException {
    Path in = floatCheckpoint();

    Fixtures.Run run = Fixtures.run("inspect", in.toString());

    assertEquals(0, run.exit(), run.err());
    assertEquals(in + ": 2 tensors in 1 file\n"
        + "format: not quantized\n"
        + "tensors:\n"
        + "  model.layers.0.mlp.down_proj.weight  BF16  [16, 32]\n"
        + "  model.norm.weight                    BF16  [16]\n"
        + "quant config: none\n", run.out());
    assertEquals("", run.err());
  }

  @Test
  void quantizedCheckpointText() throws IOException {
    Path in = int8Checkpoint();

    Fixtures.Run run = Fixtures.run("inspect", in.toString());

    assertEquals(0, run.exit(), run.err());
    assertEquals(in + ": 3 tensors in 1 file\n"
        + "format: compressed-tensors INT8 W8A8 (int8-w8a8)\n"
        + "tensors:\n"
        + "  model.layers.0.mlp.down_proj.weight        I8    [16, 32]\n"
        + "  model.layers.0.mlp.down_proj.weight_scale  F32   [16, 1]\n"
        + "  model.norm.weight                          BF16  [16]\n"
        + "quant config (from config.json: quantization_config):\n"
        + "  {\n"
        + "    \"input_scale\": {\n"
        + "      \"granularity\": \"colwise\",\n"
        + "      \"origin\": \"dynamic\",\n"
        + "      \"dtype\": \"float32\",\n"
        + "      \"activation_scale_ub\": null,\n"
        + "      \"block_size\": null\n"
        + "    },\n"
        + "    \"weight_scale\": {\n"
        + "      \"granularity\": \"rowwise\",\n"
        + "      \"dtype\": \"float32\",\n"
        + "      \"block_size\": null\n"
        + "    },\n"
        + "    \"mlp_quantized_layers\": [\n"
        + "      0,\n"
        + "      1\n"
        + "    ],\n"
        + "    \"attn_quantized_layers\": [\n"
        + "      0,\n"
        + "      1\n"
        + "    ],\n"
        + "    \"format\": \"int8-w8a8\",\n"
        + "    \"embedding_output_dtype\": \"float8_e4m3fn\",\n"
        + "    \"shared_experts_weight_dtype\": null,\n"
        + "    \"bias_dtype\": null,\n"
        + "    \"can_use_fused_mlp\": true,\n"
        + "    \"can_use_fused_swiglu\": false,\n"
        + "    \"scales_pre_interleaved\": false,\n"
        + "    \"block_scaled_preshuffled_b\": false\n"
        + "  }\n", run.out());
  }

  @Test
  void quantizedCheckpointJson() throws IOException {
    Path in = int8Checkpoint();

    Fixtures.Run run = Fixtures.run("inspect", "--json", in.toString());

    assertEquals(0, run.exit(), run.err());
    assertEquals("""
        {
          "tensors": [
            {
              "name": "model.layers.0.mlp.down_proj.weight",
              "dtype": "I8",
              "shape": [
                16,
                32
              ]
            },
            {
              "name": "model.layers.0.mlp.down_proj.weight_scale",
              "dtype": "F32",
              "shape": [
                16,
                1
              ]
            },
            {
              "name": "model.norm.weight",
              "dtype": "BF16",
              "shape": [
                16
              ]
            }
          ],
          "format": "compressed_tensors_int8",
          "format_description": "compressed-tensors INT8 W8A8",
          "quant_format": "int8-w8a8",
          "config_source": "config.json: quantization_config",
          "quant_config": {
            "input_scale": {
              "granularity": "colwise",
              "origin": "dynamic",
              "dtype": "float32",
              "activation_scale_ub": null,
              "block_size": null
            },
            "weight_scale": {
              "granularity": "rowwise",
              "dtype": "float32",
              "block_size": null
            },
            "mlp_quantized_layers": [
              0,
              1
            ],
            "attn_quantized_layers": [
              0,
              1
            ],
            "format": "int8-w8a8",
            "embedding_output_dtype": "float8_e4m3fn",
            "shared_experts_weight_dtype": null,
            "bias_dtype": null,
            "can_use_fused_mlp": true,
            "can_use_fused_swiglu": false,
            "scales_pre_interleaved": false,
            "block_scaled_preshuffled_b": false
          }
        }
        """, run.out());
  }

  @Test
  void floatSingleFileJson() throws IOException {
    Path in = floatCheckpoint().resolve("model.safetensors");

    Fixtures.Run run = Fixtures.run("inspect", "--json", in.toString());

    assertEquals(0, run.exit(), run.err());
    assertEquals("""
        {
          "tensors": [
            {
              "name": "model.layers.0.mlp.down_proj.weight",
              "dtype": "BF16",
              "shape": [
                16,
                32
              ]
            },
            {
              "name": "model.norm.weight",
              "dtype": "BF16",
              "shape": [
                16
              ]
            }
          ],
          "format": "unquantized",
          "format_description": "not quantized",
          "quant_format": null,
          "config_source": null,
          "quant_config": null
        }
        """, run.out());
  }
}
