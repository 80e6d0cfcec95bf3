// Builders for the pods and AdmissionReviews of the corpus. Shapes follow what a ReplicaSet controller
// sends (the manual's example review), so that parse and stringify costs are realistic.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export const ANNOTATION_JAVA_LIB = 'admission.datakit/java-lib.version';
export const ANNOTATION_JAVA_PROFILER = 'admission.datakit/java-profiler.version';
export const ANNOTATION_LOGFWD_INSTANCES = 'admission.datakit/logfwd.instances';
export const ANNOTATION_CONTAINER_NAMES = 'admission.datakit/container-names';

/** The DataKit address of the manual's logfwd examples. */
export const DATAKIT_ADDRESS = 'datakit-service.datakit.svc:9533';

/** A namespace no config rule matches. */
export const PLAIN_NAMESPACE = 'shop';

export interface ContainerShape {
  readonly envs?: number;
  readonly mounts?: number;
}

/** An application container with `envs` envs and `mounts` mounts of the volumes `data-0..`. */
export function appContainer(name: string, shape: ContainerShape = {}): JsonObject {
  const env: Json[] = Array.from({ length: shape.envs ?? 0 }, (_, index) => ({
    name: `APP_SETTING_${index}`,
    value: `value-${index}`,
  }));
  const volumeMounts: Json[] = Array.from({ length: shape.mounts ?? 0 }, (_, index) => ({
    name: `data-${index}`,
    mountPath: `/data/${index}`,
  }));
  return {
    name,
    image: 'registry.example.com/shop/app:1.4.2',
    ports: [{ containerPort: 8080, protocol: 'TCP' }],
    ...(env.length > 0 ? { env } : {}),
    resources: { requests: { cpu: '100m', memory: '128Mi' } },
    ...(volumeMounts.length > 0 ? { volumeMounts } : {}),
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    imagePullPolicy: 'IfNotPresent',
  };
}

export function emptyDirVolumes(count: number): Json[] {
  return Array.from({ length: count }, (_, index) => ({ name: `data-${index}`, emptyDir: {} }));
}

/** `count` containers app-0.. of the same shape. */
export function appContainers(count: number, shape: ContainerShape = {}): JsonObject[] {
  return Array.from({ length: count }, (_, index) => appContainer(`app-${index}`, shape));
}

export interface PodShape {
  readonly namespace?: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
  readonly containers: readonly JsonObject[];
  readonly volumes?: readonly Json[];
  /** Extra metadata fields (e.g. managedFields). */
  readonly metadata?: JsonObject;
}

export function pod(shape: PodShape): JsonObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: 'shop-7bd8dd85f-',
      namespace: shape.namespace ?? PLAIN_NAMESPACE,
      labels: { app: 'shop', 'pod-template-hash': '7bd8dd85f', ...shape.labels },
      ...(shape.annotations ? { annotations: { ...shape.annotations } } : {}),
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: 'shop-7bd8dd85f',
          uid: '6c1d2c34-58f4-4c6e-9a34-6a4d8f9f1b11',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
      ...shape.metadata,
    },
    spec: {
      containers: [...shape.containers],
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      serviceAccountName: 'default',
      schedulerName: 'default-scheduler',
      enableServiceLinks: true,
      ...(shape.volumes ? { volumes: [...shape.volumes] } : {}),
    },
  };
}

export const REVIEW_UID = '7f0b2a4c-1f7e-4c55-9a6c-1d2b3c4d5e6f';

/** A pod CREATE review as the API server sends it. */
export function podCreateReview(object: JsonObject): JsonObject {
  const metadata = object.metadata as JsonObject;
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: REVIEW_UID,
      kind: { group: '', version: 'v1', kind: 'Pod' },
      resource: { group: '', version: 'v1', resource: 'pods' },
      requestKind: { group: '', version: 'v1', kind: 'Pod' },
      requestResource: { group: '', version: 'v1', resource: 'pods' },
      namespace: (metadata.namespace as string | undefined) ?? PLAIN_NAMESPACE,
      operation: 'CREATE',
      userInfo: {
        username: 'system:serviceaccount:kube-system:replicaset-controller',
        groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system', 'system:authenticated'],
      },
      object,
      oldObject: null,
      dryRun: false,
      options: { apiVersion: 'meta.k8s.io/v1', kind: 'CreateOptions' },
    },
  };
}

/** The logfwd.instances annotation value: one instance per entry of `instances`, each a list of logfiles. */
export function logfwdInstances(instances: readonly (readonly string[])[]): string {
  return JSON.stringify(
    instances.map((logfiles, index) => ({
      datakit_addr: DATAKIT_ADDRESS,
      loggings: [{ logfiles, source: `app-${index}` }],
    })),
  );
}
