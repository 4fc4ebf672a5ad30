package io.jquant.runtime.quant.activation;

import static io.jquant.runtime.quant.activation.TestMatrices.assertBits;
import static io.jquant.runtime.quant.activation.TestMatrices.assertNaNOnlyIn;
import static io.jquant.runtime.quant.activation.TestMatrices.bytes;
import static io.jquant.runtime.quant.activation.TestMatrices.matrix;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jquant.runtime.numerics.MxElement;
import io.jquant.runtime.numerics.MxScaleMode;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class MxActivationQuantizerTest {
  private static final ActivationQuantizer MXFP4_RCEIL = ActivationQuantizer.mx(MxElement.FP4_E2M1,
      MxScaleMode.RCEIL);
  private static final ActivationQuantizer MXFP8_RCEIL = ActivationQuantizer.mx(MxElement.FP8_E4M3,
      MxScaleMode.RCEIL);

  private static float[] block(float... head) {
    return Arrays.copyOf(head, 32);
  }

  @Test
  void mxfp4RceilAndEvenDisagreeAtAmax6point5() {
    float[] v = block(6.5f, 1.0f, -3.0f);
    // RCEIL: 6.5/6 rounds up to 2, byte 128; elements · 0.5: 3.25 -> 3 (5), 0.5 (1), -1.5 (0xB).
    QuantizedActivations rceil = ActivationQuantizer.mx(MxElement.FP4_E2M1, MxScaleMode.RCEIL)
        .quantize(matrix(1, 32, v));
    assertArrayEquals(bytes(128), rceil.scaleCodes());
    assertArrayEquals(new float[] { 2.0f }, rceil.scales());
    byte[] expected = new byte[16];
    expected[0] = 0x15;
    expected[1] = 0x0B;
    assertArrayEquals(expected, rceil.codes());
    assertEquals(ActivationFormat.MXFP4, rceil.format());
    // EVEN (MAX's MXFP4 activations): byte 127; elements · 1: 6.5 -> 6 (7), 1 (2), -3 (0xD).
    QuantizedActivations even = ActivationQuantizer.mx(MxElement.FP4_E2M1, MxScaleMode.EVEN)
        .quantize(matrix(1, 32, v));
    assertArrayEquals(bytes(127), even.scaleCodes());
    expected[0] = 0x27;
    expected[1] = 0x0D;
    assertArrayEquals(expected, even.codes());
    assertBits(block(6.0f, 1.0f, -3.0f), even.dequantize().values());
    assertBits(block(6.0f, 1.0f, -3.0f), rceil.dequantize().values());
  }

  @Test
  void mxfp8RceilNeverSaturatesWhereFloorDoes() {
    float[] v = block(449.0f, 1.0f);
    // RCEIL: 449/448 rounds up to 2 (byte 128): 224.5 -> 224 (0x76), 0.5 (0x30).
    QuantizedActivations rceil = ActivationQuantizer.mx(MxElement.FP8_E4M3, MxScaleMode.RCEIL)
        .quantize(matrix(1, 32, v));
    assertArrayEquals(bytes(128), rceil.scaleCodes());
    assertEquals((byte) 0x76, rceil.codes()[0]);
    assertEquals((byte) 0x30, rceil.codes()[1]);
    assertEquals(32, rceil.codes().length);
    assertEquals(ActivationFormat.MXFP8, rceil.format());
    // FLOOR: byte 127, 449 saturates at 448 (0x7E).
    QuantizedActivations floor = ActivationQuantizer.mx(MxElement.FP8_E4M3, MxScaleMode.FLOOR)
        .quantize(matrix(1, 32, v));
    assertArrayEquals(bytes(127), floor.scaleCodes());
    assertEquals((byte) 0x7E, floor.codes()[0]);
    assertEquals(448.0f, floor.dequantize().get(0, 0));
  }

  @Test
  void zeroBlockIsByteZeroAndZeroCodes() {
    float[] v = new float[64];
    v[0] = 1.0f;
    QuantizedActivations q = MXFP4_RCEIL.quantize(matrix(1, 64, v));
    assertArrayEquals(bytes(125, 0), q.scaleCodes()); // 1/6 rounds up to 0.25 = 2^-2
    assertEquals(0x1p-127f, q.scale(0, 1));
    for (int i = 16; i < 32; i++) {
      assertEquals(0, q.codes()[i]);
    }
    assertBits(v, q.dequantize().values());
  }

  @Test
  void nanBlockIsByte255AndOnlyItsBlockTurnsNaN() {
    float[] v = new float[2 * 64];
    for (int i = 0; i < v.length; i++) {
      v[i] = (i % 11 - 5) * 0.3f;
    }
    v[64 + 40] = Float.POSITIVE_INFINITY;
    for (MxElement element : new MxElement[] { MxElement.FP4_E2M1, MxElement.FP8_E4M3 }) {
      QuantizedActivations q = ActivationQuantizer.mx(element, MxScaleMode.RCEIL).quantize(matrix(2, 64, v));
      assertEquals(255, q.scaleCode(1, 1));
      assertNaNOnlyIn(q.dequantize(), 1, 2, 32, 64);
    }
  }

  @Test
  void shortLastBlockOfK33() {
    float[] v = new float[33];
    for (int i = 0; i < 32; i++) {
      v[i] = i * 0.125f;
    }
    v[32] = -3.0f;
    QuantizedActivations q = MXFP4_RCEIL.quantize(matrix(1, 33, v));
    // Block 0: amax 3.875, 3.875/6 rounds up to 1 (byte 127). Block 1: amax 3, 3/6 = 0.5 (byte 126),
    // so -3 · 2 = -6 (0xF) in the low nibble of byte 16.
    assertArrayEquals(bytes(127, 126), q.scaleCodes());
    assertEquals(17, q.codes().length);
    assertEquals((byte) 0x0F, q.codes()[16]);
    assertEquals(-3.0f, q.dequantize().get(0, 32));
  }

  @Test
  void shortLastBlockOfK172ForMxfp8() {
    float[] v = new float[172];
    for (int i = 0; i < 172; i++) {
      v[i] = i < 160 ? 1.0f : 1000.0f; // the 12-element last block holds the large values
    }
    QuantizedActivations q = MXFP8_RCEIL.quantize(matrix(1, 172, v));
    assertEquals(6, q.scaleCols());
    // 1/448 rounds up to 2^-8 (byte 119); 1000/448 rounds up to 4 (byte 129).
    assertArrayEquals(bytes(119, 119, 119, 119, 119, 129), q.scaleCodes());
    assertEquals(1024.0f, q.dequantize().get(0, 171)); // 1000/4 = 250 rounds to 256 in E4M3
    assertEquals(1.0f, q.dequantize().get(0, 159));
  }

  @Test
  void refusesE5m2Elements() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ActivationQuantizer.mx(MxElement.FP8_E5M2, MxScaleMode.RCEIL));
    assertEquals("MX activations are FP4_E2M1 (MXFP4) or FP8_E4M3 (MXFP8), not FP8_E5M2", e.getMessage());
  }
}
