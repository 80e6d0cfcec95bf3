#!/usr/bin/env bash
# Builds the real-cluster test harness (test/kube-harness: etcd + kube-apiserver + kube-controller-manager
# from Kubernetes' Go modules) into .cache/kube-harness/harness-<hash>, and prints that path on the last
# line of stdout. The hash covers the harness sources, go.mod, go.sum, this script and the Go version, so
# an unchanged harness is never rebuilt (a cold build takes many minutes on 2 cores).
#
# Usage: scripts/kube-harness-build.sh          (progress and timings go to stderr)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
src="$root/test/kube-harness"
out_dir="$root/.cache/kube-harness"

# A too-new requirement must fail loudly here, not download another toolchain.
export GOTOOLCHAIN=local
export CGO_ENABLED=0
if ! command -v go >/dev/null 2>&1 && [[ -x /usr/local/go/bin/go ]]; then
  export PATH="/usr/local/go/bin:$PATH"
fi

log() { echo "kube-harness-build: $*" >&2; }

go_version="$(go env GOVERSION)"
hash="$(
  {
    (cd "$src" && find . -type f \( -name '*.go' -o -name go.mod -o -name go.sum \) -print0 \
      | LC_ALL=C sort -z | xargs -0 sha256sum)
    sha256sum <"${BASH_SOURCE[0]}"
    echo "$go_version"
  } | sha256sum | cut -c1-16
)"
binary="$out_dir/harness-$hash"

if [[ -x "$binary" ]]; then
  log "up to date: $binary"
  echo "$binary"
  exit 0
fi

mkdir -p "$out_dir"
# Parallel test files may all ask for the harness at once: one builds, the others wait and reuse it.
exec 9>"$out_dir/.build.lock"
flock 9
if [[ -x "$binary" ]]; then
  log "built meanwhile by another caller: $binary"
  echo "$binary"
  exit 0
fi

seconds() { date +%s; }
cd "$src"
began="$(seconds)"
log "downloading modules ($go_version)"
nice -n 10 go mod download
log "modules downloaded in $(($(seconds) - began))s"

began="$(seconds)"
log "building $binary (cold: 10-20 min on 2 cores; warm: about a minute)"
partial="$binary.partial.$$"
trap 'rm -f "$partial"' EXIT
# Without these the apiserver reports gitVersion v0.0.0-master, which clients that check versions reject.
kube_version="$(go list -m -f '{{.Version}}' k8s.io/kubernetes)" # e.g. v1.36.3
minor="${kube_version#v*.}"
minor="${minor%%.*}"
ldflags="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags+=" -X $pkg.gitVersion=$kube_version -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"
done
nice -n 10 go build -trimpath -ldflags "$ldflags" -o "$partial" .
mv -f "$partial" "$binary"
log "built in $(($(seconds) - began))s"

# Each binary is 100+ MB: keep only the current one.
find "$out_dir" -maxdepth 1 -type f -name 'harness-*' ! -name "harness-$hash" -delete

echo "$binary"
