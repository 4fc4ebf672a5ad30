#!/usr/bin/env bash
# Prints the two paths measure.sh takes, for this checkout after `mvn -B -DskipTests package`:
#   benchmarks/processor-cost/measure.sh $(benchmarks/processor-cost/paths.sh)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
V=0.1.0-SNAPSHOT
M2="${MAVEN_REPO:-$HOME/.m2/repository}"
JACKSON_JR=$(ls "$M2"/com/fasterxml/jackson/jr/jackson-jr-objects/*/jackson-jr-objects-*.jar | grep -v sources | tail -n1)
JR_VERSION=$(basename "$(dirname "$JACKSON_JR")")
JACKSON_CORE="$M2/com/fasterxml/jackson/core/jackson-core/$JR_VERSION/jackson-core-$JR_VERSION.jar"
ANN="$ROOT/annotations/target/jquant-annotations-$V.jar"
CONFIG="$ROOT/config/target/jquant-config-$V.jar"
echo "$ROOT/processor/target/jquant-processor-$V.jar:$CONFIG:$ANN:$JACKSON_JR:$JACKSON_CORE" \
  "$ANN:$CONFIG:$ROOT/runtime/target/jquant-runtime-$V.jar"
