#!/usr/bin/env bash
# Makes sure a Helm 3 CLI exists at .cache/bin/helm3, building it from Helm's Go module when it is
# missing or of another version (no prebuilt Helm 3 binary can be downloaded here), and prints its path
# on the last line of stdout. The chart tests use Helm 4 (scripts/ensure-helm.sh, Node alone); CI, where
# Go is present, runs the install tier once more with this Helm 3 (DATAKIT_TEST_HELM=path) so that the
# chart stays proven on both majors.
#
# Usage: scripts/ensure-helm3.sh         (progress goes to stderr; needs Go)
set -euo pipefail

HELM_VERSION="v3.22.0"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin_dir="$root/.cache/bin"
binary="$bin_dir/helm3"
stamp="$bin_dir/helm3.version"

# A too-new requirement must fail loudly here, not download another toolchain.
export GOTOOLCHAIN=local
export CGO_ENABLED=0
if ! command -v go >/dev/null 2>&1; then
  echo "ensure-helm3: Go is not on PATH; building Helm 3 needs Go 1.24 or newer (add it to PATH)" >&2
  exit 1
fi

log() { echo "ensure-helm3: $*" >&2; }

is_current() { [[ -x "$binary" && -f "$stamp" && "$(cat "$stamp")" == "$HELM_VERSION" ]]; }

if is_current; then
  log "up to date: $binary ($HELM_VERSION)"
  echo "$binary"
  exit 0
fi

mkdir -p "$bin_dir"
# Parallel test files may all ask at once: one builds, the others wait and reuse it.
exec 9>"$bin_dir/.helm3.lock"
flock 9
if is_current; then
  log "built meanwhile by another caller: $binary"
  echo "$binary"
  exit 0
fi

began="$(date +%s)"
log "building helm $HELM_VERSION from Go modules (cold: several minutes on 2 cores)"
build_dir="$(mktemp -d)"
trap 'rm -rf "$build_dir"' EXIT
GOBIN="$build_dir" nice -n 10 go install -trimpath -ldflags "-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION" \
  "helm.sh/helm/v3/cmd/helm@$HELM_VERSION"
mv -f "$build_dir/helm" "$binary"
echo "$HELM_VERSION" >"$stamp"
log "built in $(($(date +%s) - began))s: $("$binary" version --short)"

echo "$binary"
