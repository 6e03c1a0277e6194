#!/usr/bin/env bash
# Removes the status-capture finalizer from every workflow pod, so that nothing waits for a stagewatch that is being
# uninstalled. Run by `make uninstall` before the service is deleted; safe to run again.
set -euo pipefail
FINALIZER=stagewatch.io/status-capture
LABEL=${STAGEWATCH_STAGE_LABEL:-stagewatch.io/stage}

kubectl get pods --all-namespaces -l "$LABEL" \
  -o jsonpath='{range .items[*]}{.metadata.namespace}{" "}{.metadata.name}{" "}{.metadata.finalizers}{"\n"}{end}' |
while read -r namespace name finalizers; do
  case "$finalizers" in *"$FINALIZER"*) ;; *) continue ;; esac
  # the JSON list as kubectl prints it: ["a","b"]; find our index
  index=0
  IFS=',' read -r -a items <<< "${finalizers//[\[\]\"]/}"
  for item in "${items[@]}"; do
    if [ "$item" = "$FINALIZER" ]; then
      kubectl patch pod -n "$namespace" "$name" --type=json \
        -p "[{\"op\":\"test\",\"path\":\"/metadata/finalizers/$index\",\"value\":\"$FINALIZER\"},{\"op\":\"remove\",\"path\":\"/metadata/finalizers/$index\"}]" \
        && echo "released $namespace/$name"
      break
    fi
    index=$((index + 1))
  done
done
