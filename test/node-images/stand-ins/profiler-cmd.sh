# Stand-in for the profiler images' scheduler (async-profiler, py-spy): it reports the processes it can
# see — the app's, through the pod's shared process namespace — every few seconds, as the real one must
# find the app's process to profile it.
echo "datakit-profiler stand-in: DK_AGENT_HOST=$DK_AGENT_HOST DK_AGENT_PORT=$DK_AGENT_PORT"
while true; do
  echo "--- visible processes"
  ps -o pid,user,args
  sleep 5
done
