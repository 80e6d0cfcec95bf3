// Loaded into the operator child process with `--import`: when the test process dies without stopping it
// (SIGKILL, a crash), the operator must not stay behind listening on its port. Being re-parented (to init
// or a subreaper) is the sign, whatever way the parent died; SIGTERM then runs the normal shutdown.

const POLL_MS = 500;
const parent = process.ppid;

setInterval(() => {
  if (process.ppid !== parent) process.kill(process.pid, 'SIGTERM');
}, POLL_MS).unref();
