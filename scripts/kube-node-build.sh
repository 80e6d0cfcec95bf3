#!/usr/bin/env bash
# Builds the real-node tier's Go programs from test/kube-node into .cache/kube-node/ and prints their
# paths on the last three lines of stdout:
#   components-<hash>  kubelet + kube-scheduler + kube-proxy from Kubernetes' Go modules (cold: 10-15 min
#                      on 2 cores, sharing most packages with the harness build; cached by hash)
#   supervisor-<hash>  the node's lifecycle: containerd, CNI, cluster DNS, the components, the clean-up (small,
#                      seconds to build)
#   pause-<hash>       the pod sandbox's process, for the locally built pause image (stdlib only)
# Each hash covers only what goes into that binary (its package, go.mod, go.sum, this script, the Go
# version), so editing the supervisor never rebuilds the Kubernetes components.
#
# Usage: scripts/kube-node-build.sh          (progress and timings go to stderr)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
src="$root/test/kube-node"
out_dir="$root/.cache/kube-node"

# A too-new requirement must fail loudly here, not download another toolchain.
export GOTOOLCHAIN=local
export CGO_ENABLED=0
if ! command -v go >/dev/null 2>&1 && [[ -x /usr/local/go/bin/go ]]; then
  export PATH="/usr/local/go/bin:$PATH"
fi

log() { echo "kube-node-build: $*" >&2; }
seconds() { date +%s; }
go_version="$(go env GOVERSION)"

# hash_of PACKAGE_DIR: the content hash of one binary's inputs.
hash_of() {
  {
    (cd "$src" && find "$1" -type f -name '*.go' -print0 | LC_ALL=C sort -z | xargs -0 sha256sum)
    (cd "$src" && sha256sum go.mod go.sum)
    sha256sum <"${BASH_SOURCE[0]}"
    echo "$go_version"
  } | sha256sum | cut -c1-16
}

mkdir -p "$out_dir"
# Parallel callers: one builds, the others wait and reuse the result.
exec 9>"$out_dir/.build.lock"
flock 9

# build NAME PACKAGE_DIR LDFLAGS: builds .cache/kube-node/NAME-<hash> unless present; prints its path.
build() {
  local name="$1" package="$2" ldflags="$3"
  local binary
  binary="$out_dir/$name-$(hash_of "$package")"
  if [[ -x "$binary" ]]; then
    log "up to date: $binary"
  else
    local began partial="$binary.partial.$$"
    began="$(seconds)"
    log "building $binary"
    (cd "$src" && nice -n 10 go build -trimpath -ldflags "$ldflags" -o "$partial" "./$package")
    mv -f "$partial" "$binary"
    log "built $name in $(($(seconds) - began))s"
    # Keep only the current binary of each kind (the components binary is ~150 MB).
    find "$out_dir" -maxdepth 1 -type f -name "$name-*" ! -name "$(basename "$binary")" -delete
  fi
  echo "$binary"
}

began="$(seconds)"
(cd "$src" && nice -n 10 go mod download)
log "modules ready in $(($(seconds) - began))s ($go_version)"

# Without these the components report v0.0.0-master; the kubelet's version is the Node's kubeletVersion.
kube_version="$(cd "$src" && go list -m -f '{{.Version}}' k8s.io/kubernetes)" # e.g. v1.36.3
minor="${kube_version#v*.}"
minor="${minor%%.*}"
ldflags="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags+=" -X $pkg.gitVersion=$kube_version -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"
done

components="$(build components components "$ldflags")"
supervisor="$(build supervisor supervisor "-s -w")"
pause="$(build pause pause "-s -w")"
echo "$components"
echo "$supervisor"
echo "$pause"
