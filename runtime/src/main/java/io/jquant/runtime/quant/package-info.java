/**
 * Offline weight quantizers and dequantizers for every format of {@link io.jquant.config.QuantConfig},
 * producing the tensors real checkpoints hold (docs/FORMATS.md §2-4, §6).
 *
 * <p>A {@link io.jquant.runtime.quant.WeightQuantizer} turns a float32
 * {@link io.jquant.runtime.quant.FloatMatrix} {@code [N, K]} (out, in) into
 * {@link io.jquant.runtime.quant.QuantizedWeights}: a record of the stored arrays that gives the checkpoint
 * tensors ({@code tensors()}) and the values they stand for ({@code dequantize()}).
 *
 * <table> <caption>Formats, groups and stored tensors</caption> <tr><th>format</th><th>group along
 * K</th><th>tensors</th></tr> <tr><td>NVFP4 (modelopt)</td><td>16, E4M3 scale, plus float32 per tensor</td>
 * <td>weight U8 [N, ceil(K/2)], weight_scale F8_E4M3 [N, ceil(K/16)], weight_scale_2 F32 []</td></tr>
 * <tr><td>MXFP4, MXFP8</td><td>32, E8M0 scale</td> <td>weight U8 [N, ceil(K/2)] or F8_E4M3 / F8_E5M2 [N, K],
 * weight_scale U8 [N, ceil(K/32)]</td></tr> <tr><td>FP8 tensor / row</td><td>whole tensor / row, float32</td>
 * <td>weight F8_E4M3 [N, K], weight_scale F32 [] / [N, 1]</td></tr> <tr><td>FP8 block (128x128)</td><td>bn x
 * bk block, float32</td> <td>weight F8_E4M3 [N, K], weight_scale_inv F32 [ceil(N/bn), ceil(K/bk)]</td></tr>
 * <tr><td>INT8 W8A8</td><td>row, float32</td><td>weight I8 [N, K], weight_scale F32 [N, 1]</td></tr> </table>
 *
 * <p>Choices, each written where it is made:
 *
 * <ul> <li>Element loops go through the bulk codecs of {@code io.jquant.runtime.numerics} (round to nearest
 * even; FP4 and E4M3 saturate), with the division or multiplication the reference producer uses: NVFP4, FP8
 * and INT8 divide by the scale, MX multiplies by the exact power-of-two reciprocal. <li>K need not be a
 * multiple of the block: the last block of a row is short, its scale comes from its real elements, scale rows
 * have {@code ceil(K/B)} entries, and an FP4 row packs {@code ceil(K/2)} bytes with the unused high nibble 0.
 * Every row starts on a byte. (modelopt zero-pads K to a multiple of 16 before NVFP4 quantization; that gives
 * the same scales and codes plus zero bytes, which are not kept here.) <li>All-zero groups: scale 1.0 and
 * zero data for FP8, INT8 and NVFP4 blocks (E4M3 0x38); E8M0 0x00 for MX. An all-zero NVFP4 tensor gets
 * {@code weight_scale_2 = 1.0} where modelopt would compute 0/0. <li>Bad input is refused with
 * {@link java.lang.IllegalArgumentException} naming the tensor: an empty shape, a non-finite element (with
 * {@code [row, col]} and index), a scale that underflows to 0, a calibrated NVFP4 amax that is not finite or
 * below {@code max|W|}, and for the readers an array whose length does not fit the shape. Quantizers build
 * every array before the record, so nothing half-built escapes. <li>Records own their arrays and share them
 * with the tensors they return; nothing is copied. </ul>
 */
package io.jquant.runtime.quant;
