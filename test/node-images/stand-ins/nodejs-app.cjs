/* global require, process, console, setInterval */
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose: dd-trace's --require hooks */
// A Node.js app for the DDTrace journey: an HTTP server that calls itself once a second, so that the
// dd-trace the injection loads (NODE_OPTIONS=--require=/datadog-lib/node_modules/dd-trace/init) has
// requests to trace and sends the spans to the agent named by DD_AGENT_HOST / DD_TRACE_AGENT_PORT.
'use strict';
const http = require('node:http');

const PORT = 8080;
const loaded = Object.keys(require.cache).some((file) => file.includes('/dd-trace/'));
console.log(`nodejs app: dd-trace loaded: ${loaded}; NODE_OPTIONS=${process.env.NODE_OPTIONS}`);

http
  .createServer((request, response) => response.end('ok\n'))
  .listen(PORT, () => {
    setInterval(() => {
      http.get(`http://127.0.0.1:${PORT}/ping`, (response) => response.resume()).on('error', () => {});
    }, 1000);
  });
process.on('SIGTERM', () => process.exit(0));
