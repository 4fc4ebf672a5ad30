#!/usr/bin/env bash
# What the jquant annotation processor adds to javac: compiles 1 and 100 generated models (each a
# @QuantizedModel with an NVFP4 MLP and an attention layer class) with the processor and with -proc:none,
# several times each, and prints the median wall time of each.
#
#   benchmarks/processor-cost/measure.sh LABEL PROCESSOR_PATH CLASS_PATH [LABEL PROCESSOR_PATH CLASS_PATH ...]
#
# PROCESSOR_PATH: the processor jar and what it needs (jquant-processor, jquant-config, jquant-annotations,
# jackson-jr-objects, jackson-core); CLASS_PATH: what user code compiles against (jquant-annotations,
# jquant-config, jquant-runtime). `benchmarks/processor-cost/paths.sh` prints both for this checkout's build.
# Several builds (e.g. before and after a change) are measured in one run, their javac runs interleaved, so
# the machine's noise falls on all alike. RUNS (default 7) sets the runs per cell.
set -euo pipefail

(( $# >= 3 && $# % 3 == 0 )) || { sed -n '2,12p' "$0" >&2; exit 2; }
RUNS="${RUNS:-7}"
JAVAC="${JAVAC:-$(ls -d /usr/lib/jvm/*25*/bin/javac 2>/dev/null | head -n1)}"
[[ -x "$JAVAC" ]] || { echo "no JDK 25 javac found; set JAVAC" >&2; exit 2; }
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# One model in package m$1: the model, an NVFP4 MLP and an attention class, as the samples declare them.
write_model() {
  local dir="$WORK/src$2/m$1"
  mkdir -p "$dir"
  cat > "$dir/Model.java" <<JAVA
package m$1;
import io.jquant.annotations.QuantizedModel;
@QuantizedModel(name = "model-$1", numLayers = 16, layerClasses = {Mlp.class, Attention.class})
public final class Model {}
JAVA
  cat > "$dir/Mlp.java" <<JAVA
package m$1;
import io.jquant.annotations.Projection;
import io.jquant.annotations.QuantFormat;
import io.jquant.annotations.Quantized;
import io.jquant.runtime.Linear;
@Quantized(format = QuantFormat.NVFP4)
public record Mlp(@Projection("mlp.gate_proj") Linear gate, @Projection("mlp.up_proj") Linear up,
    @Projection("mlp.down_proj") Linear down) {}
JAVA
  cat > "$dir/Attention.java" <<JAVA
package m$1;
import io.jquant.annotations.Projection;
import io.jquant.annotations.QuantFormat;
import io.jquant.annotations.Quantized;
import io.jquant.runtime.Linear;
@Quantized(format = QuantFormat.NVFP4, layers = "1-15")
public record Attention(@Projection("self_attn.q_proj") Linear q, @Projection("self_attn.k_proj") Linear k,
    @Projection("self_attn.v_proj") Linear v, @Projection("self_attn.o_proj") Linear o) {}
JAVA
}

median() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

# Milliseconds of one javac run over set $1 with the extra options in the remaining arguments.
time_javac() {
  local set="$1"; shift
  local out="$WORK/out"
  rm -rf "$out"; mkdir -p "$out"
  local start end
  start=$(date +%s%N)
  "$JAVAC" -d "$out" "$@" $(find "$WORK/src$set" -name '*.java') > "$WORK/log" 2>&1 \
    || { cat "$WORK/log" >&2; exit 1; }
  end=$(date +%s%N)
  echo $(( (end - start) / 1000000 ))
}

for n in 1 100; do
  for i in $(seq 1 "$n"); do write_model "$i" "$n"; done
done

printf '%-8s %-10s %12s %12s %12s\n' models build "-proc:none" processor "added (ms)"
for n in 1 100; do
  declare -A plain=() with=()
  for ((b = 1; b <= $# / 3; b++)); do plain[$b]=""; with[$b]=""; done
  for ((r = 0; r <= RUNS; r++)); do
    set -- "$@"
    for ((b = 0; b < $# / 3; b++)); do
      args=("$@"); pp="${args[b * 3 + 1]}"; cp="${args[b * 3 + 2]}"
      p=$(time_javac "$n" -cp "$cp" -proc:none)
      w=$(time_javac "$n" -cp "$cp" -processorpath "$pp")
      (( r == 0 )) && continue   # the first round warms the file cache
      plain[$b]+="$p "; with[$b]+="$w "
    done
  done
  for ((b = 0; b < $# / 3; b++)); do
    args=("$@")
    pm=$(tr ' ' '\n' <<< "${plain[$b]}" | grep . | median)
    wm=$(tr ' ' '\n' <<< "${with[$b]}" | grep . | median)
    printf '%-8s %-10s %12s %12s %12s\n' "$n" "${args[b * 3]}" "$pm" "$wm" "$((wm - pm))"
  done
done
