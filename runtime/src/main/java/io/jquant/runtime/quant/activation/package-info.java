/**
 * Run-time quantization of activations {@code x [M, K]}, as the reference kernels quantize them before a
 * quantized GEMM: static and dynamic FP8 (per tensor, per token, per 1x128 block), INT8 per token, NVFP4
 * (MAX's {@code quantize_dynamic_scaled_fp4fp8_kernel}) and MX (E8M0 scales per 32 elements).
 *
 * <p>{@link io.jquant.runtime.quant.activation.ActivationQuantizer} is the entry point;
 * {@link io.jquant.runtime.quant.activation.ActivationQuantizer#forConfig} picks the scheme a
 * {@link io.jquant.config.QuantConfig} prescribes. A quantizer returns
 * {@link io.jquant.runtime.quant.activation.QuantizedActivations}: the codes, the per-group scales and the
 * group shape, which the GEMM kernels read directly.
 *
 * <p>Activations are never refused for holding NaN or ±Inf: the row or block that holds one dequantizes to
 * NaN (through a NaN scale, or NaN codes when the scale is shared by the whole tensor), and no other row or
 * block is touched. An all-zero row or block gets inverse scale 0 and zero codes, as in MAX.
 */
package io.jquant.runtime.quant.activation;
