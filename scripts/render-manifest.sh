#!/usr/bin/env bash
# Regenerates deploy/datakit-operator.yaml from the Helm chart with its default values, for namespace
# `datakit` (the manual's `kubectl create namespace datakit && kubectl apply -f datakit-operator.yaml`).
# test/install checks that the committed file equals a fresh render, so run this after any chart change.
#
# Usage: scripts/render-manifest.sh            (writes deploy/datakit-operator.yaml)
#        scripts/render-manifest.sh -          (prints the manifest to stdout)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
output="${1:-$root/deploy/datakit-operator.yaml}"
helm="$("$root/scripts/ensure-helm.sh" | tail -n 1)"

render() {
  cat <<'HEADER'
# Datakit Operator: everything it needs in namespace "datakit", except the Namespace itself.
#
#   kubectl create namespace datakit
#   kubectl apply -f datakit-operator.yaml
#
# The operator creates its own CA and certificate (Secret datakit-operator-tls) and writes the CA into the
# caBundle of MutatingWebhookConfiguration datakit-operator-mutation; no private key ships in this file or
# in the image. Edit ConfigMap datakit-operator-config (key jsonconfig) to configure it: changes apply
# without a restart.
#
# GENERATED from charts/datakit-operator by scripts/render-manifest.sh: do not edit by hand.
HEADER
  # selectorStyle=manifest: the Deployment selects {app: datakit-operator}, as upstream's plain manifest
  # did (spec.selector is immutable, so `kubectl apply` over an upstream install must keep it).
  "$helm" template datakit-operator "$root/charts/datakit-operator" --namespace datakit --set selectorStyle=manifest \
    --include-crds
}

if [[ "$output" == "-" ]]; then
  render
else
  mkdir -p "$(dirname "$output")"
  render >"$output.tmp"
  mv -f "$output.tmp" "$output"
  echo "wrote $output" >&2
fi
