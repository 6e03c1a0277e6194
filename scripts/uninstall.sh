#!/usr/bin/env bash
# make uninstall: deletes what scripts/deploy.sh created (DEV=1: the dev PostgreSQL of k8s/dev/ too), the Deployment
# before its RBAC, the namespace last. First it releases every pod from the status-capture finalizer
# (scripts/remove-finalizers.sh; docs/operating.md, "Status-capture finalizer"): no workflow pod may wait for a
# stagewatch that is gone.
# Environment: KUBECTL (kubectl), DEV, NAMESPACES (as given to make deploy; empty: off).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/manifests.sh

scripts/remove-finalizers.sh
if [ -n "${DEV:-}" ]; then
  "${kubectl[@]}" delete --ignore-not-found -f k8s/dev/
fi
if has_crd servicemonitors.monitoring.coreos.com; then
  "${kubectl[@]}" delete --ignore-not-found -f "$SERVICE_MONITOR"
fi
if has_crd prometheusrules.monitoring.coreos.com; then
  "${kubectl[@]}" delete --ignore-not-found -f "$PROMETHEUS_RULE"
fi
"${kubectl[@]}" delete --ignore-not-found -f "$EGRESS_POLICY"
each_watched_namespace delete --ignore-not-found
# in reverse file order, the namespace last; the Secret goes with the namespace
files=()
while read -r manifest; do
  [ "$manifest" = "$NAMESPACE_MANIFEST" ] || files+=(-f "$manifest")
done < <(manifests | tac)
"${kubectl[@]}" delete --ignore-not-found "${files[@]}"
"${kubectl[@]}" delete --ignore-not-found -f "$NAMESPACE_MANIFEST"
