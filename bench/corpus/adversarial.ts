// The adversarial corpus (SPEC §15): requests any user allowed to create a Pod can send. Each one
// targets a step that would be quadratic, backtracking or recursive if written naively. All bodies stay
// under the server's 3 MiB limit so that the HTTP part measures the same requests.

import type { CorpusItem } from './item.ts';
import {
  ANNOTATION_CONTAINER_NAMES,
  ANNOTATION_JAVA_LIB,
  ANNOTATION_LOGFWD_INSTANCES,
  appContainer,
  appContainers,
  logfwdInstances,
  pod,
  podCreateReview,
  type Json,
  type JsonObject,
  type PodShape,
} from './pods.ts';

const KIB = 1024;
const MIB = 1024 * KIB;

/** Nesting depth of the deep-JSON item: far beyond any recursion limit, about 1 MB of brackets. */
export const DEEP_JSON_LEVELS = 500_000;
const DEEP_PLACEHOLDER = '__bench_deep_json__';

function review(shape: PodShape): string {
  return JSON.stringify(podCreateReview(pod(shape)));
}

function java(shape: Omit<PodShape, 'containers'> & { containers?: readonly JsonObject[] }): string {
  return review({
    ...shape,
    annotations: { [ANNOTATION_JAVA_LIB]: '', ...shape.annotations },
    containers: shape.containers ?? [appContainer('app')],
  });
}

function range<T>(count: number, make: (index: number) => T): T[] {
  return Array.from({ length: count }, (_, index) => make(index));
}

/** A label value like 'a-backend-a-backend-…' of about `bytes` bytes: matches `*-backend-*` but not `-v2`. */
function backendLabel(bytes: number): string {
  const unit = 'a-backend-';
  return unit.repeat(Math.ceil(bytes / unit.length)).slice(0, bytes - 1) + 'x';
}

/** A java pod whose managedFields hold an array nested `levels` deep (built as text: stringify would overflow). */
function deepJson(levels: number, targeted: boolean): string {
  const metadata = {
    managedFields: [{ manager: 'bench', fieldsType: 'FieldsV1', fieldsV1: DEEP_PLACEHOLDER }],
  };
  const text = targeted ? java({ metadata }) : review({ metadata, containers: [appContainer('app')] });
  return text.replace(JSON.stringify(DEEP_PLACEHOLDER), '['.repeat(levels) + ']'.repeat(levels));
}

/** Directories nested one inside the other: covering-directory computations see every prefix pair. */
function nestedDirectories(count: number): string[] {
  return range(count, (index) => `/var/log/${'d/'.repeat(index + 1)}app.log`);
}

function logfwd(instances: readonly (readonly string[])[], extra: Partial<PodShape> = {}): string {
  return review({
    containers: [appContainer('app')],
    ...extra,
    annotations: { [ANNOTATION_LOGFWD_INSTANCES]: logfwdInstances(instances), ...extra.annotations },
  });
}

function adversarial(
  name: string,
  description: string,
  body: () => string,
  config: CorpusItem['config'] = 'typical',
): CorpusItem {
  return { name, kind: 'adversarial', config, description, body };
}

export const ADVERSARIAL_ITEMS: readonly CorpusItem[] = [
  adversarial('logfwd-5000-dirs', 'logfwd: one instance, 5,000 logfiles in 5,000 directories', () =>
    logfwd([range(5_000, (index) => `/var/log/dir-${index}/app.log`)]),
  ),
  adversarial('logfwd-10000-instances', 'logfwd: 10,000 instances, 1.3 MB: over the annotation limit', () =>
    logfwd(range(10_000, () => ['/var/log/app/*.log'])),
  ),
  adversarial('logfwd-2000-instances', 'logfwd: 2,000 instances, 230 KB: within the annotation limit', () =>
    logfwd(range(2_000, () => ['/var/log/app/*.log'])),
  ),
  adversarial('1000c-x-1000-log-dirs', '1,000 containers x logfwd with 1,000 log directories', () =>
    logfwd([range(1_000, (index) => `/var/log/dir-${index}/app.log`)], { containers: appContainers(1_000) }),
  ),
  adversarial('logfwd-500-nested-dirs', 'logfwd: 500 directories each inside the previous one', () =>
    logfwd([nestedDirectories(500)]),
  ),
  adversarial('logfwd-3000-relative', 'logfwd: 3,000 relative log paths', () =>
    logfwd([range(3_000, (index) => `logs/app-${index}.log`)]),
  ),
  adversarial(
    'logfwd-volume-names-taken',
    'logfwd 100 dirs; pod has 5,000 volumes/containers with its names',
    () =>
      logfwd([range(100, (index) => `/var/log/dir-${index}/app.log`)], {
        containers: [
          appContainer('app'),
          ...range(2_000, (index) =>
            appContainer(index === 0 ? 'datakit-logfwd' : `datakit-logfwd-${index + 1}`),
          ),
        ],
        volumes: range(5_000, (index): Json => ({ name: `datakit-logfwd-volume-${index}`, emptyDir: {} })),
      }),
  ),
  adversarial(
    'glob-label-100KB',
    `label app = 100 KB 'a-backend-…' vs selector app=*-backend-*-v2`,
    () => review({ labels: { app: backendLabel(100 * KIB) }, containers: [appContainer('app')] }),
    'glob-selector',
  ),
  adversarial(
    'glob-label-300KB',
    `label app = 300 KB 'a-backend-…' vs selector app=*-backend-*-v2`,
    () => review({ labels: { app: backendLabel(300 * KIB) }, containers: [appContainer('app')] }),
    'glob-selector',
  ),
  adversarial(
    'config-120-ref-envs',
    'java pod; config has 120 ddtrace envs all referencing each other',
    () => java({}),
    'referencing-envs',
  ),
  adversarial('container-names-30000', 'java; container-names lists 30,000 names', () =>
    java({
      annotations: { [ANNOTATION_CONTAINER_NAMES]: range(30_000, (index) => `app-${index}`).join(',') },
      containers: appContainers(2),
    }),
  ),
  adversarial('1000-containers-java', '1,000 plain containers, ddtrace java', () =>
    java({ containers: appContainers(1_000) }),
  ),
  adversarial(
    'deep-json-500k-java',
    `java pod; managedFields holds an array nested ${DEEP_JSON_LEVELS} deep`,
    () => deepJson(DEEP_JSON_LEVELS, true),
  ),
  adversarial('deep-json-500k-plain', `untargeted pod with the same ${DEEP_JSON_LEVELS}-deep array`, () =>
    deepJson(DEEP_JSON_LEVELS, false),
  ),
  adversarial('annotation-1MiB', 'java pod with one 1 MiB annotation value', () =>
    java({ annotations: { 'example.com/blob': 'x'.repeat(MIB) } }),
  ),
  adversarial('same-name-envs-10000', 'java; one container with 10,000 envs all named DD_AGENT_HOST', () =>
    java({
      containers: [
        {
          ...appContainer('app'),
          env: range(10_000, (index) => ({ name: 'DD_AGENT_HOST', value: `h-${index}` })),
        },
      ],
    }),
  ),
  adversarial('dd-tags-5000-refs', 'java; container DD_TAGS with 5,000 $(X) references', () =>
    java({
      containers: [
        {
          ...appContainer('app'),
          env: [
            ...range(100, (index) => ({ name: `X${index}`, value: `v${index}` })),
            { name: 'DD_TAGS', value: range(5_000, (index) => `t${index}:$(X${index % 200})`).join(',') },
          ],
        },
      ],
    }),
  ),
];
