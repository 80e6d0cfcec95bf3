/* global require, process, console, setInterval, Buffer */
/* eslint-disable @typescript-eslint/no-require-imports -- a plain Node.js script copied into an image */
// Stand-in for DataKit's logfwd sidecar (pubrepo.guance.com/datakit/logfwd), following its contract:
// LOGFWD_JSON_CONFIG is an array of instances {datakit_addr, loggings: [{logfiles, source, tags}]}; each
// logfile (a path or a dir/*.ext pattern) is tailed from its start and every new line is sent to the
// DataKit at datakit_addr. The real logfwd speaks a websocket protocol to port 9533; this one POSTs JSON
// to http://<datakit_addr>/logfwd, which the tier's fake DataKit records.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const http = require('node:http');

const POLL_MS = 500;
const instances = JSON.parse(process.env.LOGFWD_JSON_CONFIG || '[]');
const offsets = new Map();

function matches(pattern) {
  const dir = path.dirname(pattern);
  const base = path.basename(pattern);
  if (!base.includes('*')) return fs.existsSync(pattern) ? [pattern] : [];
  const [prefix, suffix] = base.split('*');
  try {
    return fs
      .readdirSync(dir)
      .filter((name) => name.startsWith(prefix) && name.endsWith(suffix))
      .map((name) => path.join(dir, name));
  } catch {
    return [];
  }
}

function send(address, body) {
  const [host, port] = address.split(':');
  const request = http.request({
    host,
    port: Number(port),
    method: 'POST',
    path: '/logfwd',
    headers: { 'content-type': 'application/json' },
  });
  request.on('error', (error) => console.error(`logfwd: send to ${address}: ${error.message}`));
  request.end(JSON.stringify(body));
}

function poll() {
  for (const instance of instances) {
    for (const logging of instance.loggings || []) {
      for (const pattern of logging.logfiles || []) {
        for (const file of matches(pattern)) {
          const from = offsets.get(file) || 0;
          const size = fs.statSync(file).size;
          if (size <= from) continue;
          const fd = fs.openSync(file, 'r');
          const buffer = Buffer.alloc(size - from);
          fs.readSync(fd, buffer, 0, buffer.length, from);
          fs.closeSync(fd);
          const text = buffer.toString('utf8');
          const complete = text.lastIndexOf('\n') + 1;
          if (complete === 0) continue;
          offsets.set(file, from + Buffer.byteLength(text.slice(0, complete)));
          const lines = text.slice(0, complete).split('\n').filter(Boolean);
          send(instance.datakit_addr, {
            source: logging.source,
            tags: logging.tags || {},
            file,
            pod_name: process.env.LOGFWD_POD_NAME || process.env.POD_NAME,
            pod_namespace: process.env.LOGFWD_POD_NAMESPACE || process.env.POD_NAMESPACE,
            lines,
          });
        }
      }
    }
  }
}

console.log(`logfwd stand-in: ${instances.length} instance(s): ${JSON.stringify(instances)}`);
setInterval(poll, POLL_MS);
process.on('SIGTERM', () => process.exit(0));
