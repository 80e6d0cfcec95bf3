// Pods that anyone allowed to create a Pod could send to make the webhook slow or its answer too large
// (SPEC §15), for the handler's limit tests.

import type { Pod } from '../../src/podspec/types.ts';

const LOGFWD = 'admission.datakit/logfwd.instances';
const CONTAINER_NAMES = 'admission.datakit/container-names';
const JAVA = 'admission.datakit/java-lib.version';

function podWith(annotations: Record<string, string>, containerCount = 1): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'hostile', namespace: 'default', annotations },
    spec: {
      containers: Array.from({ length: containerCount }, (_, i) => ({
        name: i === 0 ? 'app' : `app-${i}`,
        image: 'nginx',
      })),
    },
  };
}

function logfwdAnnotation(instances: readonly (readonly string[])[]): string {
  return JSON.stringify(
    instances.map((logfiles) => ({
      datakit_addr: 'datakit-service.datakit.svc:9533',
      loggings: [{ logfiles }],
    })),
  );
}

/** One instance whose files lie in `count` different directories. */
export function logfilesInManyDirectories(count: number): Pod {
  const logfiles = Array.from({ length: count }, (_, i) => `/var/log/d${i}/app.log`);
  return podWith({ [LOGFWD]: logfwdAnnotation([logfiles]) });
}

/** `count` instances reading the same directory. */
export function manyLogfwdInstances(count: number): Pod {
  return podWith({ [LOGFWD]: logfwdAnnotation(Array.from({ length: count }, () => ['/var/log/app/*.log'])) });
}

/** `count` relative paths: every one is a problem to report. */
export function manyRelativeLogPaths(count: number): Pod {
  const logfiles = Array.from({ length: count }, (_, i) => `logs/${i}.log`);
  return podWith({ [LOGFWD]: logfwdAnnotation([logfiles]) });
}

/** A container-names annotation naming `count` containers the pod does not have. */
export function manyContainerNames(count: number): Pod {
  const names = Array.from({ length: count }, (_, i) => `missing-${i}`).join(',');
  return podWith({ [JAVA]: '', [CONTAINER_NAMES]: names });
}

/** `containers` containers, each mounting `directories` volumes, with logfwd reading all those directories. */
export function containersTimesDirectories(containers: number, directories: number): Pod {
  const pod = podWith(
    {
      [LOGFWD]: logfwdAnnotation([Array.from({ length: directories }, (_, i) => `/var/log/d${i}/*.log`)]),
    },
    containers,
  );
  const spec = pod.spec!;
  spec.volumes = Array.from({ length: directories }, (_, i) => ({ name: `v${i}`, emptyDir: {} }));
  for (const container of spec.containers ?? []) {
    container.volumeMounts = Array.from({ length: directories }, (_, i) => ({
      name: `v${i}`,
      mountPath: `/mnt/d${i}`,
    }));
  }
  return pod;
}
