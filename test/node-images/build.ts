// Builds every image of the real-node tier as an OCI archive into --out (one .tar per image), from the
// pause binary (scripts/kube-node-build.sh), dd-trace from the npm registry (cached in .cache/) and this
// repository's operator. Usage: node --import tsx test/node-images/build.ts --out DIR --pause BINARY

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { IMAGES, type ImageInputs } from './images.ts';
import { writeOciArchive } from './oci-archive.ts';
import { BUSYBOX } from './rootfs.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const CACHE = join(ROOT, '.cache', 'node-images');
/** The version in the operator's default js_agent_image tag (deploy/datakit-operator.yaml). */
export const DD_TRACE_VERSION = '5.102.0';

/** dd-trace and its dependencies, installed once by npm into the cache (optional native add-ons left out). */
function ddTrace(): string {
  const dir = join(CACHE, `dd-trace-${DD_TRACE_VERSION}`);
  if (existsSync(join(dir, 'node_modules', 'dd-trace', 'package.json'))) return dir;
  const partial = `${dir}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  execFileSync(
    'npm',
    [
      'install',
      '--prefix',
      partial,
      '--no-save',
      '--no-package-lock',
      '--ignore-scripts',
      '--omit=optional',
      '--no-audit',
      '--no-fund',
      `dd-trace@${DD_TRACE_VERSION}`,
    ],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  rmSync(dir, { recursive: true, force: true });
  cpSync(partial, dir, { recursive: true });
  rmSync(partial, { recursive: true, force: true });
  return dir;
}

/** The operator's /app as the Dockerfile's runtime stage has it: compiled now, production deps only. */
function operatorApp(): string {
  const dir = join(CACHE, 'operator-app');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json', '--outDir', join(dir, 'dist')], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  for (const file of ['package.json', 'package-lock.json']) cpSync(join(ROOT, file), join(dir, file));
  // What `npm ci --omit=dev` installs: the production dependency tree as npm resolved it here.
  const paths = execFileSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], {
    cwd: ROOT,
    encoding: 'utf8',
  })
    .split('\n')
    .filter((path) => path.startsWith(join(ROOT, 'node_modules')));
  for (const path of paths) {
    cpSync(path, join(dir, relative(ROOT, path)), { recursive: true, dereference: true });
  }
  return dir;
}

/** Everything the images are made of: when it is unchanged, the archives of the last build are reused. */
const INPUT_DIRS = ['test/node-images', 'src'];
const INPUT_FILES = ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json'];
const STAMP = '.inputs.sha256';

function filesUnder(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((entry) => {
      const path = join(dir, entry);
      return statSync(path).isDirectory() ? filesUnder(path) : [path];
    });
}

function inputsHash(pause: string): string {
  const hash = createHash('sha256');
  const files = [
    ...INPUT_DIRS.flatMap((dir) => filesUnder(join(ROOT, dir))),
    ...INPUT_FILES.map((file) => join(ROOT, file)),
    pause,
    process.execPath,
    BUSYBOX,
  ];
  for (const file of files) hash.update(`${relative(ROOT, file)}\0`).update(readFileSync(file));
  return hash.update(DD_TRACE_VERSION).digest('hex');
}

function main(): void {
  const { values } = parseArgs({ options: { out: { type: 'string' }, pause: { type: 'string' } } });
  if (!values.out || !values.pause) throw new Error('usage: build.ts --out DIR --pause BINARY');
  const out = values.out;
  const inputs = inputsHash(values.pause);
  const stamp = join(out, STAMP);
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === inputs) {
    process.stderr.write(`node-images: up to date in ${out}\n`);
    console.log(out);
    return;
  }
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const parts: ImageInputs = {
    pauseBinary: values.pause,
    ddTraceDir: ddTrace(),
    operatorAppDir: operatorApp(),
  };
  for (const image of IMAGES) {
    const rootfs = mkdtempSync(join(CACHE, 'rootfs-'));
    try {
      image.fill(rootfs, parts);
      const names = [image.name, ...(image.aliases ?? [])];
      const digest = writeOciArchive(names, rootfs, image.config, join(out, image.file));
      process.stderr.write(`node-images: ${names.join(', ')} ${digest}\n`);
    } finally {
      rmSync(rootfs, { recursive: true, force: true });
    }
  }
  writeFileSync(stamp, inputs);
  console.log(out);
}

main();
