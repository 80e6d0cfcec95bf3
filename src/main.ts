#!/usr/bin/env node
// The `datakit-operator` bin: argv and the process in, an exit code out.

import { runCli } from './cli/run.ts';

const code = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
});
// Explicit: once a command is done (serve: after its graceful shutdown) nothing may keep the process up.
// stdout/stderr writes to files and pipes are synchronous on Linux, so nothing printed is lost.
process.exit(code);
