import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Container } from '../../podspec/types.ts';
import { containerMountConflict, initContainerDifference, runsAsRootWhileForbidden } from './checks.ts';

const desired: Container = {
  name: 'datakit-otel-lib-init',
  image: 'ghcr.io/open-telemetry/opentelemetry-operator/autoinstrumentation-java:2.29.0',
  imagePullPolicy: 'Always',
  command: ['cp', '/javaagent.jar', '/otel-auto-instrumentation-java/javaagent.jar'],
  volumeMounts: [{ name: 'datakit-otel-auto-instrument', mountPath: '/otel-auto-instrumentation-java' }],
  resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
  securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
};

describe('initContainerDifference', () => {
  const cases: readonly { name: string; existing: Container; difference: RegExp | undefined }[] = [
    { name: 'our own container is compatible', existing: structuredClone(desired), difference: undefined },
    {
      name: 'fields the API server adds do not matter',
      existing: { ...structuredClone(desired), terminationMessagePath: '/dev/termination-log' },
      difference: undefined,
    },
    {
      name: 'quantities in canonical form are the same amounts',
      existing: {
        ...structuredClone(desired),
        resources: { requests: { cpu: '0.1', memory: '64Mi' }, limits: { cpu: '500m', memory: '0.5Gi' } },
      },
      difference: undefined,
    },
    {
      name: 'a securityContext that sets more than ours is compatible',
      existing: {
        ...structuredClone(desired),
        securityContext: { ...desired.securityContext, runAsUser: 1000 },
      },
      difference: undefined,
    },
    {
      name: 'another image',
      existing: { ...structuredClone(desired), image: 'busybox:1' },
      difference: /image/,
    },
    { name: 'args added', existing: { ...structuredClone(desired), args: ['-v'] }, difference: /args/ },
    {
      name: 'another pull policy',
      existing: { ...structuredClone(desired), imagePullPolicy: 'IfNotPresent' },
      difference: /imagePullPolicy/,
    },
    {
      name: 'other resources',
      existing: { ...structuredClone(desired), resources: { limits: { cpu: '1' } } },
      difference: /resources/,
    },
    {
      name: 'a securityContext that drops less',
      existing: { ...structuredClone(desired), securityContext: { allowPrivilegeEscalation: false } },
      difference: /securityContext/,
    },
    {
      name: 'our volume mounted twice',
      existing: {
        ...structuredClone(desired),
        volumeMounts: [
          { name: 'datakit-otel-auto-instrument', mountPath: '/otel-auto-instrumentation-java' },
          { name: 'datakit-otel-auto-instrument', mountPath: '/other' },
        ],
      },
      difference: /does not mount exactly/,
    },
    {
      name: 'our mount read-only',
      existing: {
        ...structuredClone(desired),
        volumeMounts: [
          {
            name: 'datakit-otel-auto-instrument',
            mountPath: '/otel-auto-instrumentation-java',
            readOnly: true,
          },
        ],
      },
      difference: /does not mount exactly/,
    },
  ];
  for (const { name, existing, difference } of cases) {
    it(name, () => {
      const found = initContainerDifference(existing, desired);
      if (difference === undefined) assert.equal(found, undefined);
      else assert.match(found ?? '', difference);
    });
  }
});

describe('runsAsRootWhileForbidden', () => {
  const cases = [
    { context: {}, forbidden: false },
    { context: { runAsNonRoot: false }, forbidden: false },
    { context: { runAsNonRoot: true }, forbidden: true },
    { context: { runAsNonRoot: true, runAsUser: 0 }, forbidden: true },
    { context: { runAsNonRoot: true, runAsUser: 1000 }, forbidden: false },
    { context: { runAsUser: 0 }, forbidden: false },
  ];
  for (const { context, forbidden } of cases) {
    it(`${JSON.stringify(context)} → ${forbidden}`, () =>
      assert.equal(runsAsRootWhileForbidden(context), forbidden));
  }
});

describe('containerMountConflict', () => {
  const path = '/otel-auto-instrumentation-java';
  it('accepts no mount and our own mount', () => {
    assert.equal(containerMountConflict({ name: 'a' }, path), undefined);
    const ours = { name: 'a', volumeMounts: [{ name: 'datakit-otel-auto-instrument', mountPath: path }] };
    assert.equal(containerMountConflict(ours, path), undefined);
  });
  it('refuses a subPathExpr on our mount and a device at our path', () => {
    const expr = {
      name: 'a',
      volumeMounts: [{ name: 'datakit-otel-auto-instrument', mountPath: path, subPathExpr: '$(POD)' }],
    };
    assert.match(containerMountConflict(expr, path) ?? '', /subPath/);
    const device = { name: 'a', volumeDevices: [{ name: 'disk', devicePath: path }] };
    assert.match(containerMountConflict(device, path) ?? '', /volumeDevice/);
  });
});
