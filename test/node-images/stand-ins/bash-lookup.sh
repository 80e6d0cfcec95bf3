#!/bin/sh
# `bash SCRIPT ARGS` for images without bash: like bash, it runs SCRIPT from the current directory, or
# else the first SCRIPT found in $PATH, with busybox sh.
script="$1"
shift
case "$script" in
*/*) ;;
*)
  if [ ! -f "$script" ]; then
    found="$(command -v "$script" || true)"
    [ -n "$found" ] && script="$found"
  fi
  ;;
esac
exec /bin/sh "$script" "$@"
