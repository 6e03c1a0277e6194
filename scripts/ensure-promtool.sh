#!/usr/bin/env bash
# promtool (Debian's package "prometheus") for the metrics and alert-rule tests (src/test/java/io/stagewatch/deploy):
# `promtool check metrics` on a scrape, `promtool check rules` and `promtool test rules` on k8s/monitoring/prometheusrule.yaml.
# Installs it with apt-get when it is missing; does nothing otherwise.
set -euo pipefail
if command -v promtool >/dev/null 2>&1; then
  exit 0
fi
echo "Installing promtool (Debian package prometheus) for the metrics and alert-rule tests"
apt-get update -qq
# only its promtool binary is used: the tests never start a Prometheus server
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null
command -v promtool >/dev/null
