import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ProfilerConfig } from '../../config/types.ts';
import { buildProfilerContainer } from './sidecar-container.ts';

function configWith(envs: ProfilerConfig['envs']): ProfilerConfig {
  return Object.freeze({
    enabled_namespaces: [],
    enabled_labelselectors: [],
    options: { sidecar_mode: 'auto', mount_host_localtime: true },
    images: { java_profiler_image: 'j:1', python_profiler_image: 'p:1', golang_profiler_image: 'g:1' },
    envs,
    resources: Object.freeze({ limits: Object.freeze({ cpu: '500m', memory: '512Mi' }) }),
  }) as ProfilerConfig;
}

const MOUNTS = [{ name: 'datakit-profiler-volume', mountPath: '/app/datakit-profiler' }];

describe('buildProfilerContainer', () => {
  it('runs cmd.sh from the shared working directory with ptrace and perf capabilities', () => {
    const container = buildProfilerContainer('repo/async-profiler:0.4.4', configWith([]), MOUNTS);
    assert.deepEqual(container, {
      name: 'datakit-profiler',
      image: 'repo/async-profiler:0.4.4',
      command: ['bash', 'cmd.sh'],
      workingDir: '/app/datakit-profiler',
      volumeMounts: MOUNTS,
      resources: { limits: { cpu: '500m', memory: '512Mi' } },
      securityContext: { capabilities: { add: ['SYS_PTRACE', 'SYS_ADMIN'] } },
    });
  });

  it('gives the pod its own, editable copy of the frozen configured resources', () => {
    const config = configWith([]);
    const container = buildProfilerContainer('i:1', config, MOUNTS);
    assert.notEqual(container.resources, config.resources);
    assert.equal(Object.isFrozen(container.resources?.limits), false);
  });

  it('turns placeholders into valueFrom and keeps literal envs in config order', () => {
    const container = buildProfilerContainer(
      'i:1',
      configWith([
        { name: 'DK_AGENT_HOST', value: '{fieldRef:status.hostIP}' },
        { name: 'DK_PROFILE_SCHEDULE', value: '0 * * * *' },
        { name: 'MEMORY', value: '{resourceFieldRef:limits.memory}' },
      ]),
      MOUNTS,
    );
    assert.deepEqual(container.env, [
      { name: 'DK_AGENT_HOST', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } },
      { name: 'DK_PROFILE_SCHEDULE', value: '0 * * * *' },
      {
        name: 'MEMORY',
        valueFrom: { resourceFieldRef: { containerName: 'datakit-profiler', resource: 'limits.memory' } },
      },
    ]);
  });

  it('moves an env after the env its $(NAME) reference names', () => {
    const container = buildProfilerContainer(
      'i:1',
      configWith([
        { name: 'DK_PROFILE_ENV', value: 'prod-$(NODE_NAME)' },
        { name: 'NODE_NAME', value: '{fieldRef:spec.nodeName}' },
      ]),
      MOUNTS,
    );
    assert.deepEqual(
      container.env?.map((env) => env.name),
      ['NODE_NAME', 'DK_PROFILE_ENV'],
    );
  });
});
