package io.jquant.runtime.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jquant.annotations.QuantFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The calibration file's text, its validation, and modelopt's input_scale rule. */
class CalibrationTest {
  @Test
  void theTextIsSortedAndReadsBackToTheSameBits() {
    Map<String, Float> amax = new LinkedHashMap<>();
    amax.put("model.layers.1.mlp.up_proj", 0.1f);
    amax.put("model.layers.0.mlp.down_proj", 3.5117188f);
    amax.put("a\"b", 0.0f);
    Calibration calibration = new Calibration(amax);
    assertEquals("{\n  \"a\\\"b\": 0.0,\n  \"model.layers.0.mlp.down_proj\": 3.5117188,\n"
        + "  \"model.layers.1.mlp.up_proj\": 0.1\n}\n", calibration.toJson());
    assertEquals(calibration, Calibration.parse("amax.json", calibration.toJson()));
    assertEquals("{}\n", new Calibration(Map.of()).toJson());
  }

  @Test
  void everyFloatSurvivesTheTextBitForBit() {
    Random random = new Random(17);
    Map<String, Float> amax = new LinkedHashMap<>();
    for (int i = 0; i < 20_000; i++) {
      // Every finite non-negative bit pattern is fair: subnormals, huge values, near-ties.
      float value = Float.intBitsToFloat(random.nextInt(0x7F800000));
      amax.put("m" + i, value);
    }
    amax.put("max", Float.MAX_VALUE);
    amax.put("min", Float.MIN_VALUE);
    Calibration calibration = new Calibration(amax);
    Calibration back = Calibration.parse("amax.json", calibration.toJson());
    for (Map.Entry<String, Float> e : amax.entrySet()) {
      assertEquals(Float.floatToRawIntBits(e.getValue()),
          Float.floatToRawIntBits(back.amax().get(e.getKey())),
          e.getKey());
    }
  }

  @Test
  void aDecimalIsRoundedToFloat32Once() {
    // 1.00000005960464477550 lies just above the midpoint of 1 and 1 + 2^-23; through a double it rounds to
    // the midpoint 1.0000000596046448 and then to even (1.0), directly to 1 + 2^-23.
    Calibration c = Calibration.parse("f", "{\"m\": 1.00000005960464477550}");
    assertEquals(0x3f800001, Float.floatToRawIntBits(c.amax().get("m")));
    assertEquals(7.0f, Calibration.parse("f", "{\"m\": 7}").amax().get("m"));
  }

  @Test
  void badFilesAreRefusedWithTheFileAndTheKey() {
    List<List<String>> cases = List.of(
        List.of("{\"m.a\": -1.5}", "amax.json: \"m.a\": amax -1.5 is negative"),
        List.of("{\"m.a\": 1e39}", "amax.json: \"m.a\": amax 1E+39 is not finite in float32"),
        List.of("{\"m.a\": \"NaN\"}",
            "amax.json: \"m.a\": expected a number (the amax), got the string \"NaN\""),
        List.of("{\"m.a\": null}", "amax.json: \"m.a\": expected a number (the amax), got null"),
        List.of("{\"m.a\": [1]}", "amax.json: \"m.a\": expected a number (the amax), got an array"),
        List.of("[1, 2]", "amax.json: expected a JSON object mapping module names to amax, got an array"),
        List.of("{} {}", "amax.json: not valid JSON: more than one value, the second at line 1, column 4"));
    for (List<String> c : cases) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> Calibration.parse("amax.json", c.get(0)), c.get(0));
      assertEquals(c.get(1), e.getMessage(), c.get(0));
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Calibration.parse("amax.json", "{\"m.a\": 1, \"m.a\": 2}"));
    assertEquals("amax.json: not valid JSON: Duplicate key (key 'm.a') at line 1, column 19", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Calibration.parse("amax.json", "{\"m.a\": NaN}"));
    assertEquals(true, e.getMessage().startsWith("amax.json: not valid JSON: "), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new Calibration(Map.of("m.b", Float.NaN)));
    assertEquals("calibration: module m.b: amax NaN is not finite", e.getMessage());
  }

  @Test
  void fusedGroupsAreSiblingsThatReadOneInputAndShareTheirLargestAmax() {
    List<String> modules = List.of("l.0.self_attn.q_proj", "l.0.self_attn.k_proj", "l.0.self_attn.v_proj",
        "l.0.self_attn.o_proj", "l.1.self_attn.q_proj", "l.0.mlp.gate_proj", "l.0.mlp.up_proj",
        "l.0.mlp.down_proj", "e.2.attention.self.query", "e.2.attention.self.key", "e.2.intermediate.dense");
    Map<String, List<String>> groups = FusedGroups.of(modules);
    List<String> qkv = List.of("l.0.self_attn.q_proj", "l.0.self_attn.k_proj", "l.0.self_attn.v_proj");
    List<String> gateUp = List.of("l.0.mlp.gate_proj", "l.0.mlp.up_proj");
    List<String> bert = List.of("e.2.attention.self.query", "e.2.attention.self.key");
    Map<String, List<String>> expected = new LinkedHashMap<>();
    qkv.forEach(m -> expected.put(m, qkv));
    gateUp.forEach(m -> expected.put(m, gateUp));
    bert.forEach(m -> expected.put(m, bert));
    // o_proj, down_proj and the lone q_proj of layer 1 fuse with nothing.
    assertEquals(expected, groups);

    Map<String, Float> amax = new LinkedHashMap<>();
    for (int i = 0; i < modules.size(); i++) {
      amax.put(modules.get(i), (float) i);
    }
    Map<String, Float> fused = new Calibration(amax).fused().amax();
    // Each group its largest (q/k/v 2, gate/up 6, query/key 9); every other module its own.
    Map<String, Float> expectedAmax = Map.ofEntries(Map.entry("l.0.self_attn.q_proj", 2f),
        Map.entry("l.0.self_attn.k_proj", 2f), Map.entry("l.0.self_attn.v_proj", 2f),
        Map.entry("l.0.self_attn.o_proj", 3f), Map.entry("l.1.self_attn.q_proj", 4f),
        Map.entry("l.0.mlp.gate_proj", 6f), Map.entry("l.0.mlp.up_proj", 6f),
        Map.entry("l.0.mlp.down_proj", 7f),
        Map.entry("e.2.attention.self.query", 9f), Map.entry("e.2.attention.self.key", 9f),
        Map.entry("e.2.intermediate.dense", 10f));
    assertEquals(expectedAmax, fused);
  }

  @Test
  void inputScalesFollowModelopt() {
    // numpy: np.float32(a) / np.float32(2688.0) and / np.float32(448.0).
    assertEquals(0x3ac30c31, Float.floatToRawIntBits(Calibration.inputScale(QuantFormat.NVFP4, 4.0f)));
    assertEquals(0x3b31fb20, Float.floatToRawIntBits(Calibration.inputScale(QuantFormat.NVFP4, 7.3f)));
    assertEquals(0x3c857c58, Float.floatToRawIntBits(Calibration.inputScale(QuantFormat.FBGEMM_FP8, 7.3f)));
    assertEquals(0x3615cbed,
        Float.floatToRawIntBits(Calibration.inputScale(QuantFormat.COMPRESSED_TENSORS_FP8, 1e-3f)));
    // amax 0 takes the maxbound (modelopt's export_amax): 6/2688 = 1/448 and 448/448 = 1.
    assertEquals(6.0f / 2688.0f, Calibration.inputScale(QuantFormat.NVFP4, 0.0f));
    assertEquals(1.0f, Calibration.inputScale(QuantFormat.FBGEMM_FP8, 0.0f));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Calibration.inputScale(QuantFormat.MXFP4, 1.0f));
    assertEquals("mxfp4 computes its input scales from each input; only NVFP4 and per-tensor FP8 take a"
        + " static input_scale", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Calibration.inputScale(QuantFormat.NVFP4, 1e-36f));
    assertEquals("amax 1.0E-36 gives input_scale 3.72024E-40, whose reciprocal is not finite",
        e.getMessage());
  }
}
