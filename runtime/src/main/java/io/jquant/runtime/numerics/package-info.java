/**
 * Element codecs, bit-exact with docs/FORMATS.md: FP4 E2M1, FP8 E4M3FN and E5M2, E8M0, BF16, FP16 and INT8,
 * and the MX shared-scale rules.
 *
 * <p>Each codec class ({@code Fp8E4M3}, ...) holds the scalar {@code encode}/{@code decode} that is the
 * definition, with the rounding, saturation and NaN rules written on it. Its {@code ...Bulk} class converts
 * arrays with the Vector API (FP16: with loops C2 turns into the hardware's conversions) and agrees with the
 * scalar definition bit for bit on every input.
 *
 * <p>The Vector API is the incubator module {@code jdk.incubator.vector}, which the JVM resolves only when
 * started with {@code --add-modules jdk.incubator.vector}. The vector loops therefore live in package-private
 * {@code ...Lanes} classes, the only classes here that name a vector type; the public classes call them only
 * when {@link io.jquant.runtime.numerics.VectorSupport#available()} and the machine has 8 or more float lanes
 * (AVX2, AVX-512). Otherwise (no module, or SSE / NEON) the bulk classes run the scalar definitions: the same
 * bits, only slower.
 */
package io.jquant.runtime.numerics;
