/**
 * {@link io.jquant.config.QuantConfig}, Modular MAX's {@code max.nn.QuantConfig} in Java: the input and
 * weight scale specs, the quantized layer sets, the format, dtypes and flags; its derived properties with
 * MAX's exact results; and its JSON form with MAX's field names.
 *
 * <p>A config is checked by the same rule set ({@code io.jquant.annotations.rules}) that checks annotated
 * declarations at compile time, and fails with the same words.
 */
package io.jquant.config;
