#!/usr/bin/env bash
# make native: the native executable target/*-runner, then the *IT black-box tests against it (Maven profile
# "native"). Built by a local GraalVM/Mandrel when native-image is on PATH or in $GRAALVM_HOME/bin, otherwise inside
# the Mandrel builder image when docker or podman answers (`docker info`); otherwise it says what is missing and fails.
# Unit tests are `make test`'s; the ITs need PostgreSQL like they do (scripts/ensure-postgres.sh).
# Environment: MVN (mvn -B), DB (stagewatch: the database made sure of besides "test"), NATIVE_FLAGS (extra Maven
# flags), GRAALVM_HOME.
set -euo pipefail
cd "$(dirname "$0")/.."
read -r -a mvn <<< "${MVN:-mvn -B}"
read -r -a flags <<< "${NATIVE_FLAGS:-}"
# shellcheck source=container-engine.sh
source scripts/container-engine.sh
engine=$(running_engine)

if command -v native-image > /dev/null 2>&1; then
  echo "native: building with $(command -v native-image)"
  how=()
elif [ -n "${GRAALVM_HOME:-}" ] && [ -x "$GRAALVM_HOME/bin/native-image" ]; then
  echo "native: building with $GRAALVM_HOME/bin/native-image"
  how=()
elif [ -n "$engine" ]; then
  echo "native: no local native-image; building in the Mandrel builder image with $engine"
  how=(-Dquarkus.native.container-build=true "-Dquarkus.native.container-runtime=$engine")
else
  {
    echo "native: cannot build a native executable here. Missing:"
    echo "  - a GraalVM or Mandrel for Java 17+ (native-image is not on PATH, GRAALVM_HOME='${GRAALVM_HOME:-}'), and"
    why_no_engine "  - "
    echo "Install Mandrel (https://github.com/graalvm/mandrel/releases) and set GRAALVM_HOME, or start docker."
  } >&2
  exit 1
fi
scripts/ensure-postgres.sh test "${DB:-stagewatch}"
"${mvn[@]}" -Pnative "${how[@]}" "${flags[@]}" -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false verify
