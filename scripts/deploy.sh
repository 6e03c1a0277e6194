#!/usr/bin/env bash
# make deploy: `kubectl apply -k k8s` to the cluster of the current kubectl context (the Helm chart of k8s/chart/ is
# the other way, docs/deploy.md); DEV=1 adds the throwaway PostgreSQL of k8s/overlays/dev/. Besides:
#  - the Secret "stagewatch" is never the example file's: when none exists, deploy stops and prints the
#    `kubectl create secret` command to run, with freshly generated API tokens and placeholders for the database and
#    SMTP credentials; DEV=1 creates one itself (generated tokens, the dev database's credentials);
#  - NAMESPACES="ci deploy" (every namespace stagewatch watches, as STAGEWATCH_NAMESPACES says) applies k8s/base/ and the
#    Role and RoleBinding of k8s/rbac/namespace/ in each of them instead of the ClusterRole and its binding;
#  - the egress NetworkPolicy only with EGRESS=1, once its addresses are yours (see the file);
#  - the ServiceMonitor and the PrometheusRule (alert rules) only where the Prometheus Operator's CRDs are.
# Environment: KUBECTL (kubectl), DEV, NAMESPACES, EGRESS (empty: off).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/manifests.sh

# 64 hex characters from the kernel's random source (stagewatch refuses tokens shorter than 32)
token() {
  od -An -N32 -tx1 /dev/urandom | tr -d ' \n'
}

# The Prometheus Operator's object in file $2 where its CRD $1 is; a note where it is not.
apply_where_crd() {
  if has_crd "$1"; then
    "${kubectl[@]}" apply -n "$NAMESPACE" -f "$2"
  else
    echo "deploy: no Prometheus Operator here (no CRD $1): skipping $2"
  fi
}

"${kubectl[@]}" apply -f k8s/base/namespace.yaml
if "${kubectl[@]}" -n stagewatch get secret stagewatch > /dev/null 2>&1; then
  echo "deploy: keeping the existing Secret stagewatch/stagewatch"
elif [ -n "${DEV:-}" ]; then
  echo "deploy: DEV=1: creating Secret stagewatch/stagewatch with generated API tokens and the dev database's credentials"
  "${kubectl[@]}" -n stagewatch create secret generic stagewatch \
    --from-literal=STAGEWATCH_DB_USER="$(sed -n 's/^  POSTGRES_USER: //p' "${DEV_POSTGRES[0]}")" \
    --from-literal=STAGEWATCH_DB_PASSWORD="$(sed -n 's/^  POSTGRES_PASSWORD: //p' "${DEV_POSTGRES[0]}")" \
    --from-literal=STAGEWATCH_API_TOKENS="admin:$(token),viewer:$(token)"
  echo "deploy: the tokens: kubectl -n stagewatch get secret stagewatch -o jsonpath='{.data.STAGEWATCH_API_TOKENS}' | base64 -d"
else
  cat >&2 <<MESSAGE
deploy: there is no Secret stagewatch/stagewatch, and the example one is never applied. Create it with your
database and SMTP credentials (the API tokens below are freshly generated), then run make deploy again:

  ${KUBECTL:-kubectl} -n stagewatch create secret generic stagewatch \\
    --from-literal=STAGEWATCH_DB_USER='<database user>' \\
    --from-literal=STAGEWATCH_DB_PASSWORD='<database password>' \\
    --from-literal=QUARKUS_MAILER_USERNAME='<SMTP user>' \\
    --from-literal=QUARKUS_MAILER_PASSWORD='<SMTP password>' \\
    --from-literal=STAGEWATCH_API_TOKENS=admin:$(token),viewer:$(token)

(DEV=1 creates one for the throwaway PostgreSQL of k8s/overlays/dev/.)
MESSAGE
  exit 1
fi
if [ -n "${DEV:-}" ]; then
  for manifest in "${DEV_POSTGRES[@]}"; do "${kubectl[@]}" apply -n "$NAMESPACE" -f "$manifest"; done
fi
"${kubectl[@]}" apply -k "$(install_kustomization)"
each_watched_namespace apply
if [ -n "${EGRESS:-}" ]; then
  "${kubectl[@]}" apply -n "$NAMESPACE" -f "$EGRESS_POLICY"
fi
apply_where_crd servicemonitors.monitoring.coreos.com "$SERVICE_MONITOR"
apply_where_crd prometheusrules.monitoring.coreos.com "$PROMETHEUS_RULE"
