package io.jquant.config;

/** How dynamically quantized NVFP4 / MX activation scales are laid out in memory. */
public enum ScalesLayout {
  /**
   * The cuBLAS 128x4 block-scaling-factor layout, MAX's 5-D TCGEN interleaved shape
   * {@code (ceil(M/128), ceil(K/(sf*4)), 32, 4, 4)}: what MAX uses on CUDA.
   */
  INTERLEAVED_128X4,
  /** Row-major {@code [M, ceil(K/sf)]}: what MAX uses for MX formats on HIP (AMD). */
  PLAIN
}
