// fast-check generators of valid Pods as the API server would send them to the webhook: unique
// container and volume names, unique mount paths per container, every mount naming a volume. They mix
// in what makes injection hard: existing agent variables, DD_TAGS, valueFrom, mesh proxies, native
// sidecars, mounts and block devices at the operator's paths, annotations valid and invalid. Shared by the property tests
// and the real-cluster tier (which creates the generated pods through a real API server).

import fc from 'fast-check';
import type { Container, EnvVar, Pod, Volume, VolumeMount } from '../../src/podspec/types.ts';

const dnsLabel = fc.stringMatching(/^[a-z]([a-z0-9-]{0,10}[a-z0-9])?$/);

const envName = fc.constantFrom(
  'JAVA_TOOL_OPTIONS',
  'PYTHONPATH',
  'NODE_OPTIONS',
  'DD_TAGS',
  'DD_AGENT_HOST',
  'POD_NAME',
  'NODE_NAME',
  'DD_SERVICE',
  'APP_MODE',
  'LOG_LEVEL',
  'HOME_DIR',
);

const literalValue = fc.oneof(
  fc.constantFrom('', '-Xmx512m', '/app/lib', '--max-old-space-size=256', 'team:payments,host:x', 'a:b'),
  fc.string({ maxLength: 12 }),
  fc.constant('$(POD_NAME)-suffix'),
);

const envVar: fc.Arbitrary<EnvVar> = fc.oneof(
  fc.record({ name: envName, value: literalValue }),
  fc.record({
    name: envName,
    valueFrom: fc.constant({ fieldRef: { fieldPath: 'status.hostIP' } }),
  }),
  fc.record({
    name: envName,
    valueFrom: fc.constant({ configMapKeyRef: { name: 'settings', key: 'value' } }),
  }),
);

function uniqueBy<T>(items: T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

// The operator's own path and volume name appear rarely, so most pods exercise injection itself.
const mountPath = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.constantFrom('/data', '/var/log', '/var/log/', '/tmp', '/cache', '/etc/config'),
  },
  { weight: 1, arbitrary: fc.constant('/datadog-lib') },
);
// Raw block devices at the paths the operator mounts now and then: an injected mount there would make the
// pod invalid (SPEC §15).
export const DEVICE_VOLUME_NAME = 'block-disk';
const devicePath = fc.option(
  fc.constantFrom('/datadog-lib', '/var/log', '/var/log/app', '/tmp', '/app/datakit-profiler', '/dev/xvdb'),
  { nil: undefined, freq: 6 },
);
const volumeName = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom('data', 'logs', 'scratch', 'config') },
  { weight: 1, arbitrary: fc.constant('datakit-auto-instrument') },
);

function containerArbitrary(name: fc.Arbitrary<string>): fc.Arbitrary<Container> {
  return fc
    .record(
      {
        name,
        image: fc.constantFrom('nginx:1.22', 'registry.example.com/team/app:2.1', 'busybox'),
        env: fc.array(envVar, { maxLength: 5 }),
        mounts: fc.array(fc.record({ volume: volumeName, path: mountPath }), { maxLength: 3 }),
        runAsNonRoot: fc.option(fc.boolean(), { nil: undefined }),
        extra: fc.option(fc.constant({ futureField: { keep: [1, 'two'] } }), { nil: undefined }),
        device: devicePath,
      },
      { requiredKeys: ['name', 'image', 'env', 'mounts'] },
    )
    .map(({ name: containerName, image, env, mounts, runAsNonRoot, extra, device }) => {
      const container: Container = { name: containerName, image };
      const uniqueEnv = uniqueBy(env, (item) => item.name);
      if (uniqueEnv.length > 0) container.env = uniqueEnv;
      const uniqueMounts: VolumeMount[] = uniqueBy(mounts, (item) => item.path).map(({ volume, path }) => ({
        name: volume,
        mountPath: path,
      }));
      if (uniqueMounts.length > 0) container.volumeMounts = uniqueMounts;
      if (device !== undefined && !uniqueMounts.some((mount) => mount.mountPath === device)) {
        container.volumeDevices = [{ name: DEVICE_VOLUME_NAME, devicePath: device }];
      }
      if (runAsNonRoot !== undefined) container.securityContext = { runAsNonRoot };
      if (extra) Object.assign(container, extra);
      return container;
    });
}

// Mostly valid log paths, so logfwd is often injected; a relative path now and then must be refused.
const logFile = fc.oneof(
  {
    weight: 20,
    arbitrary: fc.constantFrom(
      '/var/log/app/*.log',
      '/var/log/1.log',
      '/var/log/',
      '/data/logs/**/*.log',
      '/tmp/app.log',
    ),
  },
  { weight: 1, arbitrary: fc.constant('relative/path.log') },
);
const characterEncoding = fc.oneof(
  { weight: 20, arbitrary: fc.constantFrom('', 'utf-8', 'gbk') },
  { weight: 1, arbitrary: fc.constant('latin-1') },
);
const logfwdInstances = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .array(
        fc.record({
          datakit_addr: fc.constant('datakit-service.datakit.svc:9533'),
          loggings: fc.array(
            fc.record({
              logfiles: fc.array(logFile, { minLength: 1, maxLength: 3 }),
              source: fc.constantFrom('app', 'nginx'),
              character_encoding: characterEncoding,
            }),
            { minLength: 1, maxLength: 2 },
          ),
        }),
        { minLength: 1, maxLength: 2 },
      )
      .map((instances) => JSON.stringify(instances)),
  },
  { weight: 1, arbitrary: fc.constantFrom('not json', '{}', '[]', '[{"loggings":[]}]') },
);

const annotationEntries = fc.array(
  fc.oneof(
    fc.tuple(
      fc.constantFrom(
        'admission.datakit/java-lib.version',
        'admission.datakit/python-lib.version',
        'admission.datakit/nodejs-lib.version',
        'admission.datakit/js-lib.version',
        'admission.datakit/otel-java-lib.version',
        'admission.datakit/otel-nodejs-lib.version',
      ),
      fc.constantFrom('', 'v1.36.2-guance', 'latest', 'not a tag!'),
    ),
    fc.tuple(
      fc.constantFrom(
        'admission.datakit/enabled',
        'admission.datakit/ddtrace.enabled',
        'admission.datakit/otel.enabled',
      ),
      fc.constantFrom('true', 'false', '0', '1', 'F', 'maybe'),
    ),
    fc.tuple(
      fc.constant('admission.datakit/container-names'),
      fc.constantFrom('app', 'app,c1', 'missing', ''),
    ),
    fc.tuple(
      fc.constantFrom(
        'admission.datakit/java-profiler.version',
        'admission.datakit/python-profiler.version',
        'admission.datakit/golang-profiler.version',
      ),
      fc.constantFrom('', 'latest', '0.4.4', 'bad tag'),
    ),
    fc.tuple(fc.constant('admission.datakit/logfwd.instances'), logfwdInstances),
    fc.tuple(
      fc.constantFrom('admission.datakit/logfwd.enabled', 'admission.datakit/profiler.enabled'),
      fc.constantFrom('false', 'true'),
    ),
    fc.tuple(fc.constantFrom('team.example.com/owner', 'note'), fc.string({ maxLength: 10 })),
  ),
  { maxLength: 5 },
);

const labels = fc.dictionary(
  fc.constantFrom('app', 'tier', 'service', 'env', 'admission.datakit/profile'),
  fc.constantFrom('web', 'log-output', 'middleware-redis', 'backend', 'prod', ''),
  { maxKeys: 3 },
);

export interface GeneratedPod {
  readonly pod: Pod;
  /** The namespace of the AdmissionRequest (the pod may omit metadata.namespace). */
  readonly namespace: string;
}

export const podArbitrary: fc.Arbitrary<GeneratedPod> = fc
  .record({
    namespace: fc.constantFrom('default', 'testns', 'team-a', 'default-foo', 'middleware'),
    omitNamespace: fc.boolean(),
    name: fc.option(dnsLabel, { nil: undefined }),
    labels,
    annotations: annotationEntries,
    containers: fc.array(containerArbitrary(fc.constantFrom('app', 'c1', 'c2', 'worker', 'web')), {
      minLength: 1,
      maxLength: 3,
    }),
    proxy: fc.constantFrom(undefined, 'istio-proxy', 'linkerd-proxy'),
    initContainers: fc.array(containerArbitrary(fc.constantFrom('init-a', 'init-b', 'istio-init')), {
      maxLength: 2,
    }),
    nativeSidecar: fc.boolean(),
    restartPolicy: fc.constantFrom(undefined, 'Always', 'OnFailure', 'Never'),
    podRunAsNonRoot: fc.option(fc.boolean(), { nil: undefined }),
  })
  .map((input) => {
    const containers = uniqueBy(input.containers, (container) => container.name);
    if (input.proxy) containers.push({ name: input.proxy, image: 'proxy:1' });
    const initContainers = uniqueBy(input.initContainers, (container) => container.name).filter(
      (container) => !containers.some((other) => other.name === container.name),
    );
    if (input.nativeSidecar && initContainers[0]) initContainers[0].restartPolicy = 'Always';
    const usedVolumes = new Set(
      [...containers, ...initContainers].flatMap((container) =>
        (container.volumeMounts ?? []).map((m) => m.name),
      ),
    );
    const volumes: Volume[] = [...usedVolumes].sort().map((name) => ({ name, emptyDir: {} }));
    if ([...containers, ...initContainers].some((container) => container.volumeDevices !== undefined)) {
      volumes.push({ name: DEVICE_VOLUME_NAME, persistentVolumeClaim: { claimName: DEVICE_VOLUME_NAME } });
    }

    const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: {}, spec: { containers } };
    const metadata = pod.metadata!;
    const spec = pod.spec!;
    if (input.name) metadata.name = input.name;
    else metadata.generateName = 'generated-';
    if (!input.omitNamespace) metadata.namespace = input.namespace;
    if (Object.keys(input.labels).length > 0) metadata.labels = input.labels;
    if (input.annotations.length > 0) metadata.annotations = Object.fromEntries(input.annotations);
    if (initContainers.length > 0) spec.initContainers = initContainers;
    if (volumes.length > 0) spec.volumes = volumes;
    if (input.restartPolicy) spec.restartPolicy = input.restartPolicy;
    if (input.podRunAsNonRoot !== undefined) spec.securityContext = { runAsNonRoot: input.podRunAsNonRoot };
    // Through JSON, as the API server sends it (fast-check builds some objects without a prototype).
    return { pod: JSON.parse(JSON.stringify(pod)) as Pod, namespace: input.namespace };
  });

/** Configs the properties run under: the defaults, and global rules that hit many generated pods. */
export const configDocuments: readonly unknown[] = [
  {},
  {
    admission_inject: {
      ddtrace: {
        enabled_namespaces: [{ namespace: 'team-.*', language: 'python' }],
        enabled_labelselectors: [
          { labelselector: 'app in (web, log-output)', language: 'java' },
          { labelselector: 'app=middleware*', language: 'nodejs' },
        ],
      },
    },
  },
  {
    admission_inject: {
      logfwd: { options: { reuse_exist_volume: 'true', sidecar_mode: 'auto' } },
      profiler: {
        enabled_namespaces: [{ namespace: 'middleware', language: 'python' }],
        enabled_labelselectors: [{ labelselector: 'tier=backend', language: 'java' }],
      },
      ddtrace: {
        enabled_namespaces: [{ namespace: '*', language: 'java' }],
        envs: {
          DD_TAGS: 'pod_name:$(POD_NAME),host:$(NODE_NAME)',
          POD_NAME: '{fieldRef:metadata.name}',
          NODE_NAME: '{fieldRef:spec.nodeName}',
          MEM: '{resourceFieldRef:limits.memory}',
        },
      },
    },
  },
];
