#!/bin/sh
# Stand-in for an app binary (java, gunicorn) in the movies examples' images: it keeps running under its
# own name, so that the profiler sidecar has a process to find.
trap 'exit 0' TERM INT
while true; do sleep 1; done
