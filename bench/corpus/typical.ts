// The everyday pods: the manual's java example, the untargeted pod (the common case, SPEC §15) and two
// large but legitimate pods with every feature.

import { readFileSync } from 'node:fs';
import { JAVA_REVIEW_EXAMPLE } from '../paths.ts';
import type { CorpusItem } from './item.ts';
import {
  ANNOTATION_JAVA_LIB,
  ANNOTATION_JAVA_PROFILER,
  ANNOTATION_LOGFWD_INSTANCES,
  appContainers,
  emptyDirVolumes,
  logfwdInstances,
  pod,
  podCreateReview,
  PLAIN_NAMESPACE,
  type JsonObject,
} from './pods.ts';

const ENVS_PER_CONTAINER = 40;
const MOUNTS_PER_CONTAINER = 5;

/** The logfwd example: one instance, one glob in one directory. */
const TYPICAL_LOGFWD = logfwdInstances([['/var/log/app/*.log']]);

/** Compact, as the API server sends it (the file is pretty-printed for people). */
function javaExample(): string {
  return JSON.stringify(JSON.parse(readFileSync(JAVA_REVIEW_EXAMPLE, 'utf8')));
}

/** The java example without its annotation, in a namespace no rule matches: the same pod, untargeted. */
function untargeted(): string {
  const review = JSON.parse(javaExample()) as { request: { namespace: string; object: JsonObject } };
  const metadata = review.request.object.metadata as JsonObject;
  delete metadata.annotations;
  metadata.namespace = PLAIN_NAMESPACE;
  review.request.namespace = PLAIN_NAMESPACE;
  return JSON.stringify(review);
}

export const TYPICAL_ITEMS: readonly CorpusItem[] = [
  {
    name: 'java-pod',
    kind: 'typical',
    config: 'typical',
    overHttp: true,
    description: 'examples/admission-review-java.json (manual nginx pod, java-lib.version "")',
    body: javaExample,
  },
  {
    name: 'untargeted-pod',
    kind: 'typical',
    config: 'typical',
    overHttp: true,
    description: 'the same pod without annotation, namespace matched by no rule',
    body: untargeted,
  },
  {
    name: '10c-40e-5m-all',
    kind: 'typical',
    config: 'typical',
    overHttp: true,
    description: '10 containers x 40 envs x 5 mounts, ddtrace + logfwd + profiler',
    body: () =>
      JSON.stringify(
        podCreateReview(
          pod({
            annotations: {
              [ANNOTATION_JAVA_LIB]: '',
              [ANNOTATION_LOGFWD_INSTANCES]: TYPICAL_LOGFWD,
              [ANNOTATION_JAVA_PROFILER]: '',
            },
            containers: appContainers(10, { envs: ENVS_PER_CONTAINER, mounts: MOUNTS_PER_CONTAINER }),
            volumes: emptyDirVolumes(MOUNTS_PER_CONTAINER),
          }),
        ),
      ),
  },
  {
    name: '100c-40e-java',
    kind: 'typical',
    config: 'typical',
    overHttp: true,
    description: '100 containers x 40 envs, ddtrace java',
    body: () =>
      JSON.stringify(
        podCreateReview(
          pod({
            annotations: { [ANNOTATION_JAVA_LIB]: '' },
            containers: appContainers(100, { envs: ENVS_PER_CONTAINER }),
          }),
        ),
      ),
  },
];
