// The images of the real-node tier, each built here from this machine's files (no registry is reachable).
// Names are those the manual's manifests and the operator's default config use, so that they run as
// written: the kubelet finds the image present and pulls nothing (imagePullPolicy IfNotPresent or Never).
// Stand-ins follow the real images' contracts (what the operator relies on), not their contents.

import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ImageRuntimeConfig } from './oci-archive.ts';
import { addBusybox, addEtc, addNodeRuntime, addScript, copyInto, NODE_USER_ID } from './rootfs.ts';

const STAND_INS = new URL('./stand-ins/', import.meta.url).pathname;
const PATH_ENV = 'PATH=/usr/local/bin:/usr/bin:/bin';

/** What an image build needs from outside: the built pause binary, dd-trace, the operator's files. */
export interface ImageInputs {
  readonly pauseBinary: string;
  /** A directory holding node_modules/dd-trace and its dependencies. */
  readonly ddTraceDir: string;
  /** The operator's /app: package.json, package-lock.json, dist/, production node_modules/. */
  readonly operatorAppDir: string;
}

export interface ImageDefinition {
  readonly name: string;
  /** More names for the same image: the profiler annotations' versions become the image's tag. */
  readonly aliases?: readonly string[];
  /** The archive's file name in the images directory. */
  readonly file: string;
  readonly fill: (rootfs: string, inputs: ImageInputs) => void;
  readonly config: ImageRuntimeConfig;
}

export const OPERATOR_IMAGE = 'pubrepo.guance.com/datakit-operator/datakit-operator:0.1.0';
export const NODEJS_APP_IMAGE = 'localhost/datakit-test/nodejs-app:1';
export const BUSYBOX_IMAGE = 'docker.io/library/busybox:latest';

/** A busybox copy-lib.sh image: `sh copy-lib.sh /datadog-lib` from the working directory /datadog-init. */
function initImage(
  fillLib: (workdir: string, inputs: ImageInputs) => void,
  copy: string,
): ImageDefinition['fill'] {
  return (rootfs, inputs) => {
    addBusybox(rootfs);
    fillLib(join(rootfs, 'datadog-init'), inputs);
    addScript(
      rootfs,
      '/datadog-init/copy-lib.sh',
      `# copies the agent into the shared volume $1\nset -e\n${copy}\n`,
    );
  };
}

function profilerImage(): ImageDefinition['fill'] {
  return (rootfs) => {
    addBusybox(rootfs);
    // The injected command is `bash cmd.sh` from the working directory /app/datakit-profiler, which is the
    // shared emptyDir (so the image's own files there are hidden). bash then looks for cmd.sh in $PATH
    // (bash manual, "Shell Scripts"), which is where this image keeps it; busybox has no bash, so
    // /bin/bash is a small script that does the same lookup and runs the script with busybox sh.
    addScript(rootfs, '/bin/bash', readFileSync(join(STAND_INS, 'bash-lookup.sh'), 'utf8'));
    addScript(rootfs, '/usr/local/bin/cmd.sh', readFileSync(join(STAND_INS, 'profiler-cmd.sh'), 'utf8'));
  };
}

function sleepingApp(binary: string): ImageDefinition['fill'] {
  return (rootfs) => {
    addBusybox(rootfs);
    addScript(rootfs, `/usr/local/bin/${binary}`, readFileSync(join(STAND_INS, 'sleeping-app.sh'), 'utf8'));
  };
}

export const IMAGES: readonly ImageDefinition[] = [
  {
    name: 'registry.k8s.io/pause:3.10',
    file: 'pause.tar',
    fill: (rootfs, inputs) => copyInto(rootfs, inputs.pauseBinary, '/pause'),
    config: { Entrypoint: ['/pause'] },
  },
  {
    name: BUSYBOX_IMAGE,
    file: 'busybox.tar',
    fill: (rootfs) => addBusybox(rootfs),
    config: { Cmd: ['sh'], Env: [PATH_ENV] },
  },
  {
    // Stand-in for nginx:1.22 (the manual's DDTrace example): busybox httpd serving on port 80.
    name: 'docker.io/library/nginx:1.22',
    file: 'nginx.tar',
    fill: (rootfs) => {
      addBusybox(rootfs);
      addScript(rootfs, '/usr/share/nginx/html/index.html', 'nginx stand-in\n');
    },
    config: { Entrypoint: ['httpd', '-f', '-p', '80', '-h', '/usr/share/nginx/html'], Env: [PATH_ENV] },
  },
  {
    // Stand-in for the Java agent image: the contract is copy-lib.sh; the jar is a placeholder.
    name: 'pubrepo.guance.com/datakit-operator/dd-lib-java-init:v1.30.1-guance',
    file: 'dd-lib-java-init.tar',
    fill: initImage(
      (workdir) => addScript(workdir, '/dd-java-agent.jar', 'placeholder agent\n'),
      'cp dd-java-agent.jar "$1/"',
    ),
    config: { WorkingDir: '/datadog-init', Env: [PATH_ENV] },
  },
  {
    // Datadog's dd-lib-js-init contract with the real dd-trace from the npm registry.
    name: 'pubrepo.guance.com/datakit-operator/dd-lib-js-init:5.102.0',
    file: 'dd-lib-js-init.tar',
    fill: initImage(
      (workdir, inputs) =>
        cpSync(join(inputs.ddTraceDir, 'node_modules'), join(workdir, 'node_modules'), { recursive: true }),
      'cp -r node_modules "$1/"',
    ),
    config: { WorkingDir: '/datadog-init', Env: [PATH_ENV] },
  },
  {
    name: 'pubrepo.guance.com/datakit/logfwd:1.28.1',
    file: 'logfwd.tar',
    fill: (rootfs) => {
      addEtc(rootfs);
      addNodeRuntime(rootfs);
      copyInto(rootfs, join(STAND_INS, 'logfwd.cjs'), '/logfwd/logfwd.cjs');
    },
    config: { Entrypoint: ['/usr/bin/node', '/logfwd/logfwd.cjs'], Env: [PATH_ENV] },
  },
  {
    name: 'pubrepo.guance.com/datakit-operator/async-profiler:0.1.0',
    // examples/movies-java-profiler.yaml asks for java-profiler.version "0.4.4"
    aliases: ['pubrepo.guance.com/datakit-operator/async-profiler:0.4.4'],
    file: 'async-profiler.tar',
    fill: profilerImage(),
    config: { WorkingDir: '/app/datakit-profiler', Env: [PATH_ENV] },
  },
  {
    name: 'pubrepo.guance.com/datakit-operator/py-spy:0.1.0',
    // examples/movies-python-profiler.yaml asks for python-profiler.version "latest"
    aliases: ['pubrepo.guance.com/datakit-operator/py-spy:latest'],
    file: 'py-spy.tar',
    fill: profilerImage(),
    config: { WorkingDir: '/app/datakit-profiler', Env: [PATH_ENV] },
  },
  {
    name: 'docker.io/zhangyicloud/movies-java:latest',
    file: 'movies-java.tar',
    fill: sleepingApp('java'),
    config: { Entrypoint: ['java', '-jar', '/app/movies.jar'], Env: [PATH_ENV] },
  },
  {
    name: 'docker.io/zhangyicloud/movies-python:latest',
    file: 'movies-python.tar',
    fill: sleepingApp('gunicorn'),
    config: { Entrypoint: ['gunicorn'], Env: [PATH_ENV] },
  },
  {
    name: NODEJS_APP_IMAGE,
    file: 'nodejs-app.tar',
    fill: (rootfs) => {
      addEtc(rootfs);
      addNodeRuntime(rootfs);
      copyInto(rootfs, join(STAND_INS, 'nodejs-app.cjs'), '/app/server.js');
    },
    config: { Entrypoint: ['/usr/bin/node', '/app/server.js'], Env: [PATH_ENV], WorkingDir: '/app' },
  },
  {
    // What the Dockerfile describes, without docker: node, the compiled dist/ and the production
    // dependencies in /app, run as uid 1000 (the chart's runAsUser) from a root filesystem it cannot write.
    name: OPERATOR_IMAGE,
    file: 'datakit-operator.tar',
    fill: (rootfs, inputs) => {
      addEtc(rootfs);
      addNodeRuntime(rootfs);
      cpSync(inputs.operatorAppDir, join(rootfs, 'app'), { recursive: true });
      writeFileSync(join(rootfs, 'etc/hostname'), '');
    },
    config: {
      Entrypoint: ['node', 'dist/main.js'],
      Cmd: ['serve'],
      Env: [PATH_ENV, 'NODE_ENV=production'],
      User: `${NODE_USER_ID}:${NODE_USER_ID}`,
      WorkingDir: '/app',
      ExposedPorts: { '9543/tcp': {}, '9544/tcp': {} },
    },
  },
];
