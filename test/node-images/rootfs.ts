// Root filesystem pieces the tier's images are made of, all from this machine: Debian's busybox-static
// (a shell and the usual tools in one static binary) and the Node.js runtime that runs this repository
// (its binary plus the shared libraries it links, found with ldd).

import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  cpSync,
  mkdirSync,
  realpathSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';

export const BUSYBOX = '/bin/busybox'; // Debian busybox-static
/** The non-root user of the operator image (the official node image's `node`, as the chart expects). */
export const NODE_USER_ID = 1000;

/** /etc files every image has: root, the node user and nobody, so that `id` and `ps` show names. */
export function addEtc(rootfs: string): void {
  mkdirSync(join(rootfs, 'etc'), { recursive: true });
  writeFileSync(
    join(rootfs, 'etc/passwd'),
    `root:x:0:0:root:/root:/bin/sh\nnode:x:${NODE_USER_ID}:${NODE_USER_ID}:node:/home/node:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n`,
  );
  writeFileSync(join(rootfs, 'etc/group'), `root:x:0:\nnode:x:${NODE_USER_ID}:\nnogroup:x:65534:\n`);
  for (const dir of ['tmp', 'root', 'proc', 'sys', 'dev']) mkdirSync(join(rootfs, dir), { recursive: true });
  chmodSync(join(rootfs, 'tmp'), 0o1777);
}

/** busybox in /bin with a link per applet (sh, ls, ps, nc, httpd, ...). */
export function addBusybox(rootfs: string): void {
  const bin = join(rootfs, 'bin');
  mkdirSync(bin, { recursive: true });
  copyFileSync(BUSYBOX, join(bin, 'busybox'));
  chmodSync(join(bin, 'busybox'), 0o755);
  const applets = execFileSync(BUSYBOX, ['--list'], { encoding: 'utf8' }).split('\n').filter(Boolean);
  for (const applet of applets.sort()) {
    if (applet !== 'busybox') symlinkSync('busybox', join(bin, applet));
  }
  addEtc(rootfs);
}

/** The node binary that runs this process, and every library it links, at the same paths. */
export function addNodeRuntime(rootfs: string): void {
  const node = realpathSync(process.execPath);
  copyInto(rootfs, node, '/usr/bin/node');
  const ldd = execFileSync('ldd', [node], { encoding: 'utf8' });
  for (const line of ldd.split('\n')) {
    // "libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x...)" or "/lib64/ld-linux-x86-64.so.2 (0x...)"
    const match = /(?:=>\s*)?(\/\S+)\s+\(0x/.exec(line);
    if (match?.[1]) copyInto(rootfs, realpathSync(match[1]), match[1]);
  }
}

/** Copies a host file to `target` inside the rootfs. */
export function copyInto(rootfs: string, source: string, target: string): void {
  const destination = join(rootfs, target);
  mkdirSync(dirname(destination), { recursive: true });
  cpSync(source, destination, { dereference: true });
}

/** Writes an executable script into the rootfs. */
export function addScript(rootfs: string, target: string, text: string): void {
  const destination = join(rootfs, target);
  mkdirSync(dirname(destination), { recursive: true });
  writeFileSync(destination, text, { mode: 0o755 });
}
