# Sourced by scripts/deploy.sh and scripts/uninstall.sh: which kustomizations and files of k8s/ they apply or delete,
# and the kubectl they call. Reads KUBECTL (kubectl; may carry flags, e.g. "kubectl --context prod") and NAMESPACES
# (empty: k8s/, the ClusterRole; "ci deploy": k8s/base/ and the Role and RoleBinding of k8s/rbac/namespace/ in each of
# those namespaces instead).

NAMESPACE=stagewatch
SECRET_EXAMPLE=k8s/examples/secret.example.yaml
EGRESS_POLICY=k8s/examples/networkpolicy-egress.yaml
SERVICE_MONITOR=k8s/monitoring/servicemonitor.yaml
PROMETHEUS_RULE=k8s/monitoring/prometheusrule.yaml
DEV_POSTGRES=(k8s/overlays/dev/postgres-secret.yaml k8s/overlays/dev/postgres-deployment.yaml k8s/overlays/dev/postgres-service.yaml)
read -r -a kubectl <<< "${KUBECTL:-kubectl}"

# The kustomization of the install: k8s/ (every namespace, a ClusterRole) or, with NAMESPACES, k8s/base/ (no RBAC on
# pods: each_watched_namespace adds it). Never the example Secret, the egress policy or the monitoring objects.
install_kustomization() {
  if [ -z "${NAMESPACES:-}" ]; then echo k8s; else echo k8s/base; fi
}

# `kubectl <arguments> -n <namespace> -f -` of k8s/rbac/namespace/ (a Role and its RoleBinding) for each namespace of
# NAMESPACES.
each_watched_namespace() {
  local ns
  for ns in ${NAMESPACES:-}; do
    "${kubectl[@]}" kustomize k8s/rbac/namespace | "${kubectl[@]}" "$@" -n "$ns" -f -
  done
}

# Whether the cluster has the CRD named $1 (the Prometheus Operator's, for the ServiceMonitor and the PrometheusRule).
has_crd() {
  "${kubectl[@]}" get crd "$1" > /dev/null 2>&1
}
