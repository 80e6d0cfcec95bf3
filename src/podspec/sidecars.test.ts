import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { findSidecar, placeSidecar, resolveSidecarPlacement, supportsNativeSidecars } from './sidecars.ts';
import type { Pod, ServerVersion, SidecarMode } from './types.ts';

const job = (restartPolicy: string): Pod => ({ spec: { restartPolicy, containers: [{ name: 'app' }] } });
const v = (minor: number): ServerVersion => ({ major: 1, minor });

const cases: {
  name: string;
  mode: SidecarMode;
  pod: Pod;
  version: ServerVersion | undefined;
  placement: 'container' | 'native';
  warns: boolean;
}[] = [
  {
    name: 'auto: a long-running pod gets a regular container',
    mode: 'auto',
    pod: job('Always'),
    version: v(30),
    placement: 'container',
    warns: false,
  },
  {
    name: 'auto: a pod without restartPolicy (defaults to Always) gets a regular container',
    mode: 'auto',
    pod: { spec: {} },
    version: v(30),
    placement: 'container',
    warns: false,
  },
  {
    name: 'auto: a Job pod (Never) on 1.29 gets a native sidecar',
    mode: 'auto',
    pod: job('Never'),
    version: v(29),
    placement: 'native',
    warns: false,
  },
  {
    name: 'auto: a Job pod (OnFailure) on 1.30 gets a native sidecar',
    mode: 'auto',
    pod: job('OnFailure'),
    version: v(30),
    placement: 'native',
    warns: false,
  },
  {
    name: 'auto: a Job pod on 1.28 gets a container and a warning',
    mode: 'auto',
    pod: job('Never'),
    version: v(28),
    placement: 'container',
    warns: true,
  },
  {
    name: 'auto: a Job pod on an unknown server gets a container and a warning',
    mode: 'auto',
    pod: job('Never'),
    version: undefined,
    placement: 'container',
    warns: true,
  },
  {
    name: 'auto: Kubernetes 2.0 counts as new enough',
    mode: 'auto',
    pod: job('Never'),
    version: { major: 2, minor: 0 },
    placement: 'native',
    warns: false,
  },
  {
    name: 'native: honoured on an unknown server',
    mode: 'native',
    pod: job('Always'),
    version: undefined,
    placement: 'native',
    warns: false,
  },
  {
    name: 'native: falls back to a container on 1.28, with a warning',
    mode: 'native',
    pod: job('Always'),
    version: v(28),
    placement: 'container',
    warns: true,
  },
  {
    name: 'container: always a container',
    mode: 'container',
    pod: job('Always'),
    version: v(31),
    placement: 'container',
    warns: false,
  },
  {
    name: 'container: a Job pod is warned that it will not complete',
    mode: 'container',
    pod: job('Never'),
    version: v(31),
    placement: 'container',
    warns: true,
  },
];

describe('resolveSidecarPlacement', () => {
  for (const { name, mode, pod, version, placement, warns } of cases) {
    it(name, () => {
      const decision = resolveSidecarPlacement(mode, pod, version, 'datakit-logfwd');
      assert.equal(decision.placement, placement);
      assert.equal(decision.warning !== undefined, warns, decision.warning);
      if (decision.warning) assert.match(decision.warning, /datakit-logfwd/);
    });
  }
});

describe('supportsNativeSidecars', () => {
  it('is unknown without a version', () => assert.equal(supportsNativeSidecars(undefined), undefined));
  it('starts at 1.29', () => {
    assert.equal(supportsNativeSidecars(v(28)), false);
    assert.equal(supportsNativeSidecars(v(29)), true);
  });
});

describe('placeSidecar', () => {
  it('places a regular container among the app containers, unchanged', () => {
    const sidecar = { name: 'side' };
    assert.deepEqual(placeSidecar(sidecar, 'container'), { list: 'containers', container: sidecar });
  });
  it('places a native sidecar among the init containers with restartPolicy Always', () => {
    const sidecar = Object.freeze({ name: 'side' });
    assert.deepEqual(placeSidecar(sidecar, 'native'), {
      list: 'initContainers',
      container: { name: 'side', restartPolicy: 'Always' },
    });
  });
  it('finds a sidecar wherever an earlier pass put it', () => {
    const pod: Pod = { spec: { initContainers: [{ name: 'side' }], containers: [{ name: 'app' }] } };
    assert.equal(findSidecar(pod, 'side')?.name, 'side');
    assert.equal(findSidecar(pod, 'app')?.name, 'app');
    assert.equal(findSidecar(pod, 'none'), undefined);
  });
});
