#!/usr/bin/env bash
# make image: the container image of what was built last, with docker or podman (whichever answers, unless
# CONTAINER_ENGINE names one): target/*-runner -> src/main/docker/Dockerfile.native-micro, tagged $IMAGE:$TAG; otherwise
# the JVM build (packaged first when missing) -> src/main/docker/Dockerfile.jvm, tagged $IMAGE:$TAG-jvm, so a JVM image
# never takes the place of the native one that k8s/base/deployment.yaml is sized for. Push it where the cluster pulls
# from, e.g. `make image IMAGE=registry.example.org/ci/stagewatch` and `docker push ...`.
# Environment: IMAGE (stagewatch), TAG (0.1.0-SNAPSHOT), CONTAINER_ENGINE (docker or podman; empty: whichever
# answers `info`, docker first), MVN (mvn -B).
set -euo pipefail
cd "$(dirname "$0")/.."
read -r -a mvn <<< "${MVN:-mvn -B}"
IMAGE=${IMAGE:-stagewatch}
TAG=${TAG:-0.1.0-SNAPSHOT}
# shellcheck source=container-engine.sh
source scripts/container-engine.sh
engine=${CONTAINER_ENGINE:-$(running_engine)}
if [ -z "$engine" ]; then
  {
    echo "image: no container engine is running:"
    why_no_engine "  "
    echo "Start the docker daemon or install podman, then run make image again."
  } >&2
  exit 1
fi

runners=(target/*-runner)
if [ -e "${runners[0]}" ]; then
  echo "image: native executable ${runners[*]} -> $IMAGE:$TAG"
  "$engine" build -f src/main/docker/Dockerfile.native-micro -t "$IMAGE:$TAG" .
else
  [ -f target/quarkus-app/quarkus-run.jar ] || "${mvn[@]}" -DskipTests package
  echo "image: no native executable (make native); JVM build -> $IMAGE:$TAG-jvm (needs more memory than k8s/ grants)"
  "$engine" build -f src/main/docker/Dockerfile.jvm -t "$IMAGE:$TAG-jvm" .
fi
