#!/usr/bin/env bash
# Smoke test of the real-cluster harness: builds it, starts it, and with plain curl and the admin client
# certificate checks that the apiserver serves, that the controller manager turns a Deployment and a Job
# into Pods, that SIGTERM tears everything down, and that a crashed Node.js parent takes the harness
# (and its controller manager) with it. Exits non-zero with a message on the first failure.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ready_timeout=240 # seconds; kube-apiserver /readyz needs up to ~2 min on 2 busy cores
pod_timeout=120
stop_timeout=60
namespace=harness-smoke

fail() {
  echo "kube-harness-smoke: FAIL: $*" >&2
  if [[ -n "${log:-}" && -f "$log" ]]; then
    echo "---- last lines of $log ----" >&2
    tail -n 40 "$log" >&2
  fi
  exit 1
}
say() { echo "kube-harness-smoke: $*" >&2; }
command -v curl >/dev/null || fail "curl is not installed"
command -v node >/dev/null || fail "node is not installed (used to read JSON)"

binary="$("$root/scripts/kube-harness-build.sh" | tail -n 1)"
[[ -x "$binary" ]] || fail "build script did not print an executable path (got '$binary')"

work="$(mktemp -d -t kube-harness-smoke.XXXXXX)"
harness_pid=""
cleanup() {
  # SIGTERM first: a SIGKILLed harness cannot remove its etcd data from /dev/shm.
  if [[ -n "$harness_pid" ]] && kill -TERM "$harness_pid" 2>/dev/null; then
    for _ in $(seq 1 120); do alive "$harness_pid" || break; sleep 0.25; done
    kill -KILL "$harness_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

json_field() { # file field
  node -e 'const v = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))[process.argv[2]];
    if (v === undefined) process.exit(3); console.log(v)' "$1" "$2"
}
# json_stdin EXPR: evaluates EXPR with j = the JSON document on stdin, and prints the result
json_stdin() { node -e 'let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => { const j = JSON.parse(s); console.log(eval(process.argv[1])); })' "$1"; }
item_count() { json_stdin 'j.items.length'; }
# pid is alive and not a zombie
alive() { [[ -e "/proc/$1" ]] && ! grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null; }
rss() { awk '/^VmRSS/ { printf "%d MiB", $2 / 1024 }' "/proc/$1/status"; }

wait_for_ready_file() { # ready-file pid
  local deadline=$((SECONDS + ready_timeout))
  until [[ -f "$1" ]]; do
    alive "$2" || fail "harness (pid $2) exited before writing $1"
    ((SECONDS < deadline)) || fail "no $1 within ${ready_timeout}s"
    sleep 0.5
  done
}

wait_gone() { # pid what
  local deadline=$((SECONDS + stop_timeout))
  while alive "$1"; do
    ((SECONDS < deadline)) || fail "$2 (pid $1) still running ${stop_timeout}s after it should have stopped"
    sleep 0.25
  done
}

# ---- 1. start and reach the apiserver -------------------------------------------------------------
cluster="$work/cluster"
log="$work/harness.log"
started=$SECONDS
"$binary" serve --dir "$cluster" >"$work/stdout" 2>"$log" &
harness_pid=$!
wait_for_ready_file "$cluster/ready.json" "$harness_pid"
say "ready file after $((SECONDS - started))s"
grep -qx READY "$work/stdout" || fail "harness did not print a READY line on stdout (got: $(cat "$work/stdout"))"

ready="$cluster/ready.json"
server="$(json_field "$ready" server)"
[[ "$(json_field "$ready" pid)" == "$harness_pid" ]] || fail "ready.json pid is not the harness pid $harness_pid"
[[ "$server" =~ ^https://127\.0\.0\.1:[0-9]+$ ]] || fail "ready.json server '$server' is not https://127.0.0.1:PORT"
kcm_pid="$(json_field "$ready" kcmPid)"
work_dir="$(json_field "$ready" workDir)"
kubeconfig="$(json_field "$ready" kubeconfig)"
[[ -f "$kubeconfig" ]] || fail "kubeconfig $kubeconfig does not exist"
grep -q "server: $server" "$kubeconfig" || fail "kubeconfig does not name server $server"
alive "$kcm_pid" || fail "kube-controller-manager (pid $kcm_pid) is not running"

api() { # method path [json-body]
  local args=(--silent --show-error --fail-with-body --max-time 30
    --cacert "$(json_field "$ready" caFile)"
    --cert "$(json_field "$ready" clientCertFile)" --key "$(json_field "$ready" clientKeyFile)"
    -X "$1" "$server$2")
  if [[ $# -ge 3 ]]; then args+=(-H 'Content-Type: application/json' --data "$3"); fi
  curl "${args[@]}"
}

# The build stamps the apiserver with the k8s.io/kubernetes version that go.mod pins.
pinned="$(cd "$root/test/kube-harness" && GOTOOLCHAIN=local go list -m -f '{{.Version}}' k8s.io/kubernetes)"
response="$(api GET /version)" || fail "GET /version: $response"
version="$(echo "$response" | json_stdin 'j.gitVersion')"
[[ "$version" == "$pinned" ]] || fail "GET /version says gitVersion '$version', expected the pinned $pinned"
say "GET /version: $version"
response="$(api POST /apis/authentication.k8s.io/v1/selfsubjectreviews \
  '{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"}')" || fail "SelfSubjectReview: $response"
user="$(echo "$response" | json_stdin 'j.status.userInfo.username + " " + j.status.userInfo.groups.join(",")')"
[[ "$user" == "harness-admin "*system:masters* ]] || fail "the admin client cert authenticates as '$user', not harness-admin in system:masters"

out="$(api POST /api/v1/namespaces "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"$namespace\"}}")" ||
  fail "create namespace $namespace: $out"

wait_for_pods() { # label-selector what
  local deadline=$((SECONDS + pod_timeout)) count
  while true; do
    count="$(api GET "/api/v1/namespaces/$namespace/pods?labelSelector=$1" | item_count)" ||
      fail "list pods with $1"
    ((count > 0)) && break
    ((SECONDS < deadline)) || fail "no Pod for the $2 within ${pod_timeout}s: is kube-controller-manager running?"
    sleep 0.5
  done
  say "$2 created $count pod(s) after $((SECONDS - deadline + pod_timeout))s"
}

# ---- 2. the controller manager turns workloads into Pods -------------------------------------------
deployment='{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"smoke"},
  "spec":{"replicas":1,"selector":{"matchLabels":{"app":"smoke"}},
  "template":{"metadata":{"labels":{"app":"smoke"}},
  "spec":{"containers":[{"name":"main","image":"busybox","command":["sleep","3600"]}]}}}}'
out="$(api POST "/apis/apps/v1/namespaces/$namespace/deployments" "$deployment")" || fail "create Deployment: $out"
wait_for_pods "app%3Dsmoke" "Deployment (via its ReplicaSet)"

job='{"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"smoke"},
  "spec":{"template":{"spec":{"restartPolicy":"Never",
  "containers":[{"name":"main","image":"busybox","command":["true"]}]}}}}'
out="$(api POST "/apis/batch/v1/namespaces/$namespace/jobs" "$job")" || fail "create Job: $out"
wait_for_pods "batch.kubernetes.io%2Fjob-name%3Dsmoke" "Job"

sleep 5
say "idle RSS: harness $(rss "$harness_pid"), kube-controller-manager $(rss "$kcm_pid")"

# ---- 3. SIGTERM stops everything and removes what the harness made -----------------------------------
kill -TERM "$harness_pid"
stopping=$SECONDS
status=0
wait "$harness_pid" || status=$?
harness_pid=""
((status == 0)) || fail "harness exited with status $status after SIGTERM"
say "harness stopped in $((SECONDS - stopping))s"
wait_gone "$kcm_pid" "kube-controller-manager"
[[ ! -e "$work_dir" ]] || fail "harness left its work dir $work_dir"
for file in ready.json admin.kubeconfig admin.key; do
  [[ ! -e "$cluster/$file" ]] || fail "harness left $cluster/$file"
done
if curl --silent --insecure --max-time 5 "$server/version" >/dev/null; then fail "$server still answers"; fi

# ---- 4. a crashed Node.js parent takes the harness with it -----------------------------------------
cluster="$work/orphan"
log="$work/orphan.log"
# The parent copies the ready file (the harness removes it when it exits) and then crashes with SIGKILL,
# with no chance to clean up. Both of the harness's output streams are pipes into the parent, as a test
# runner would capture them, so after the crash every log line the harness writes meets a closed pipe.
status=0
{
  node -e '
  const fs = require("fs");
  const [binary, dir, log, copy] = process.argv.slice(1);
  const child = require("child_process").spawn(binary, ["serve", "--dir", dir], { stdio: ["ignore", "pipe", "pipe"] });
  child.stderr.pipe(fs.createWriteStream(log));
  child.stdout.on("data", (d) => {
    if (!String(d).includes("READY")) return;
    fs.copyFileSync(dir + "/ready.json", copy);
    process.kill(process.pid, "SIGKILL");
  });
  child.on("exit", (code) => { console.log("harness exited early with", code); process.exit(1); });
' "$binary" "$cluster" "$log" "$work/orphan-ready.json"
} 2>/dev/null || status=$? # the braces keep bash from reporting the intended "Killed"
((status == 128 + 9)) || fail "the Node.js parent was expected to die by SIGKILL, but its status was $status"
orphan_pid="$(json_field "$work/orphan-ready.json" pid)"
orphan_kcm="$(json_field "$work/orphan-ready.json" kcmPid)"
orphan_work="$(json_field "$work/orphan-ready.json" workDir)"
wait_gone "$orphan_pid" "harness whose parent died"
wait_gone "$orphan_kcm" "kube-controller-manager of the harness whose parent died"
[[ ! -e "$orphan_work" ]] || fail "orphaned harness left its work dir $orphan_work"
[[ ! -e "$cluster/ready.json" ]] || fail "orphaned harness left $cluster/ready.json"
say "harness and kube-controller-manager exited after their Node.js parent was killed"

echo "kube-harness-smoke: 1 passed, 0 failed"
