# Sourced by scripts/deploy.sh and scripts/uninstall.sh: which files of k8s/ they apply or delete, and the kubectl they
# call. Reads KUBECTL (kubectl; may carry flags, e.g. "kubectl --context prod") and NAMESPACES (empty: the ClusterRole;
# "ci deploy": the Role and RoleBinding of k8s/namespaced/ in each of those namespaces instead).

NAMESPACE_MANIFEST=k8s/000-namespace.yaml
SECRET_EXAMPLE=k8s/045-secret.example.yaml
SERVICE_MONITOR=k8s/080-servicemonitor.yaml
PROMETHEUS_RULE=k8s/090-prometheusrule.yaml
EGRESS_POLICY=k8s/076-networkpolicy-egress.yaml
CLUSTER_RBAC=(k8s/020-clusterrole.yaml k8s/030-clusterrolebinding.yaml)
read -r -a kubectl <<< "${KUBECTL:-kubectl}"

# The manifests every cluster gets, in file order: k8s/*.yaml without the example Secret (never applied), the
# ServiceMonitor, the PrometheusRule and the egress NetworkPolicy (each applied on a condition of its own), and without
# the ClusterRole and its binding when NAMESPACES grants namespaced Roles instead.
manifests() {
  local f
  for f in k8s/*.yaml; do
    case "$f" in
      "$SECRET_EXAMPLE" | "$SERVICE_MONITOR" | "$PROMETHEUS_RULE" | "$EGRESS_POLICY") continue ;;
      "${CLUSTER_RBAC[0]}" | "${CLUSTER_RBAC[1]}") [ -z "${NAMESPACES:-}" ] || continue ;;
    esac
    echo "$f"
  done
}

# `kubectl <arguments> -f -` for each file of k8s/namespaced/ in each namespace of NAMESPACES, the placeholder
# namespace replaced by its name.
each_watched_namespace() {
  local ns f
  for ns in ${NAMESPACES:-}; do
    for f in k8s/namespaced/*.yaml; do
      sed "s/WATCHED_NAMESPACE/$ns/" "$f" | "${kubectl[@]}" "$@" -f -
    done
  done
}

# Whether the cluster has the CRD named $1 (the Prometheus Operator's, for the ServiceMonitor and the PrometheusRule).
has_crd() {
  "${kubectl[@]}" get crd "$1" > /dev/null 2>&1
}
