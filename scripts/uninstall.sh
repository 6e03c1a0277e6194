#!/usr/bin/env bash
# make uninstall: deletes what scripts/deploy.sh created (DEV=1: the dev PostgreSQL of k8s/overlays/dev/ too). The
# Deployment goes first, and once its pods are gone every pod still held is released from the status-capture
# finalizer (scripts/remove-finalizers.sh, by the label stagewatch.io/held, whatever the platform; docs/operating.md,
# "Status-capture finalizer"): no workflow pod may wait for a stagewatch that is gone. Then the rest, the namespace
# last.
# Environment: KUBECTL (kubectl), DEV, NAMESPACES (as given to make deploy; empty: off).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/manifests.sh

"${kubectl[@]}" -n "$NAMESPACE" delete --ignore-not-found deployment stagewatch
"${kubectl[@]}" -n "$NAMESPACE" wait --for=delete pod -l app.kubernetes.io/name=stagewatch --timeout=120s || true
KUBECTL="${KUBECTL:-kubectl}" NAMESPACES="${NAMESPACES:-}" scripts/remove-finalizers.sh
if [ -n "${DEV:-}" ]; then
  for manifest in "${DEV_POSTGRES[@]}"; do "${kubectl[@]}" delete -n "$NAMESPACE" --ignore-not-found -f "$manifest"; done
fi
if has_crd servicemonitors.monitoring.coreos.com; then
  "${kubectl[@]}" delete -n "$NAMESPACE" --ignore-not-found -f "$SERVICE_MONITOR"
fi
if has_crd prometheusrules.monitoring.coreos.com; then
  "${kubectl[@]}" delete -n "$NAMESPACE" --ignore-not-found -f "$PROMETHEUS_RULE"
fi
"${kubectl[@]}" delete -n "$NAMESPACE" --ignore-not-found -f "$EGRESS_POLICY"
each_watched_namespace delete --ignore-not-found
# the rest, the ClusterRole and the namespace with it (the Secret goes with the namespace)
"${kubectl[@]}" kustomize "$(install_kustomization)" | "${kubectl[@]}" delete --ignore-not-found -f -
