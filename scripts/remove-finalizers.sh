#!/usr/bin/env bash
# Releases every pod stagewatch holds, whatever its platform: removes the finalizer stagewatch.io/status-capture and
# the label stagewatch.io/held from each pod labelled stagewatch.io/held (every held pod carries both), in every
# namespace or, with NAMESPACES="ci deploy", in those only. The same as running the packaged application with the
# single argument release-finalizers (the Helm chart's post-delete hook does that), for a machine with kubectl only.
# Run by `make uninstall` before the service is deleted; safe to run again.
# Environment: KUBECTL (kubectl; may carry flags, e.g. "kubectl --context prod"), NAMESPACES (empty: every namespace).
set -euo pipefail
FINALIZER=stagewatch.io/status-capture
LABEL=stagewatch.io/held
read -r -a kubectl <<< "${KUBECTL:-kubectl}"

scopes=()
if [ -z "${NAMESPACES:-}" ]; then
  scopes+=(--all-namespaces)
else
  for namespace in $NAMESPACES; do scopes+=("--namespace=$namespace"); done
fi

released=0
for scope in "${scopes[@]}"; do
  while read -r namespace name finalizers; do
    [ -n "$name" ] || continue
    # the JSON list as kubectl prints it: ["a","b"]; the patch tests the finalizer at the index it was seen at
    patch='[{"op":"remove","path":"/metadata/labels/stagewatch.io~1held"}'
    index=0
    IFS=',' read -r -a items <<< "${finalizers//[\[\]\"]/}"
    for item in "${items[@]}"; do
      if [ "$item" = "$FINALIZER" ]; then
        patch+=",{\"op\":\"test\",\"path\":\"/metadata/finalizers/$index\",\"value\":\"$FINALIZER\"}"
        patch+=",{\"op\":\"remove\",\"path\":\"/metadata/finalizers/$index\"}"
        break
      fi
      index=$((index + 1))
    done
    if "${kubectl[@]}" patch pod -n "$namespace" "$name" --type=json -p "$patch]" > /dev/null; then
      echo "released $namespace/$name"
      released=$((released + 1))
    fi
  done < <("${kubectl[@]}" get pods "$scope" -l "$LABEL" \
    -o jsonpath='{range .items[*]}{.metadata.namespace}{" "}{.metadata.name}{" "}{.metadata.finalizers}{"\n"}{end}')
done
echo "remove-finalizers: released $released pods"
