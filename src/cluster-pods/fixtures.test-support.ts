// A pod as the API server lists it, for the unit tests of this folder.

export function apiServerPod(
  namespace: string,
  name: string,
  nodeName: string | undefined,
): Record<string, unknown> {
  return {
    metadata: {
      name,
      namespace,
      uid: `uid-${namespace}-${name}`,
      resourceVersion: '7',
      creationTimestamp: '2026-01-01T00:00:00Z',
      labels: { app: name },
      annotations: {
        'kubectl.kubernetes.io/last-applied-configuration': '{"huge":"json"}',
        'team.example/owner': 'web',
      },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `${name}-rs`, uid: 'rs-uid' }],
      managedFields: [{ manager: 'kube-controller-manager', fieldsV1: { 'f:spec': {} } }],
    },
    spec: {
      ...(nodeName !== undefined ? { nodeName } : {}),
      hostNetwork: true,
      hostPID: false,
      containers: [
        {
          name: 'app',
          image: 'nginx:1.27',
          env: [{ name: 'PASSWORD', value: 'secret' }],
          ports: [{ containerPort: 80, protocol: 'TCP' }],
        },
        { name: 'sidecar', image: 'busybox' },
      ],
      volumes: [{ name: 'data', emptyDir: {} }],
    },
    status: {
      phase: 'Running',
      hostIP: '10.0.0.1',
      podIP: '10.1.0.5',
      podIPs: [{ ip: '10.1.0.5' }],
      startTime: '2026-01-01T00:00:05Z',
      containerStatuses: [{ name: 'app', ready: true }],
    },
  };
}
