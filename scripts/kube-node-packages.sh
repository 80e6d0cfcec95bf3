#!/usr/bin/env bash
# Installs the Debian packages the real-node tier runs (root only): the container runtime (containerd,
# runc), the CNI plugins (bridge, host-local, loopback in /usr/lib/cni), iptables for kube-proxy and
# busybox-static for the test images. A no-op when all are present; apt runs only when one is missing.
#
# Usage: scripts/kube-node-packages.sh          (progress goes to stderr)
set -euo pipefail

packages=(containerd runc containernetworking-plugins iptables busybox-static)

log() { echo "kube-node-packages: $*" >&2; }

if [[ "$(id -u)" != 0 ]]; then
  log "the real-node tier needs root (it runs a kubelet and containerd); run as root"
  exit 1
fi

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f '${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$package")
  fi
done
if [[ ${#missing[@]} -eq 0 ]]; then
  log "installed: ${packages[*]}"
  exit 0
fi

log "installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
# --no-install-recommends: containerd recommends nothing we need, and a smaller install is faster.
apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
# Debian starts containerd as a system service on install; the tier runs its own private instance only.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet containerd 2>/dev/null; then
  systemctl stop containerd >&2 || true
fi
log "installed ${missing[*]}"
