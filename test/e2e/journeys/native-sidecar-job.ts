// sidecar_mode auto (SPEC §9): a Job's pod gets logfwd as a native sidecar (an init container with
// restartPolicy Always) when the API server is at least 1.29, which the operator learns from /version.

import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { formatServerVersion } from '../../../src/kube/server-version.ts';
import { E2E_RUN_LABEL } from '../support/run-names.ts';
import { containerNames } from '../support/webhook-view.ts';
import {
  assertMatchesPrediction,
  createWorkload,
  findContainer,
  podFromTemplate,
  type Environment,
  type Workload,
} from './shared.ts';

const NATIVE_SIDECARS_SINCE = { major: 1, minor: 29 };
const JOB_NAME_LABEL = 'batch.kubernetes.io/job-name';
const LOGFWD_INSTANCES = JSON.stringify([
  {
    datakit_addr: 'datakit-service.datakit.svc:9533',
    loggings: [{ logfiles: ['/var/log/job/*.log'], source: 'job' }],
  },
]);

function logfwdJob(run: Record<string, string>): Workload {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'report', labels: run },
    spec: {
      backoffLimit: 0,
      template: {
        metadata: { labels: run, annotations: { 'admission.datakit/logfwd.instances': LOGFWD_INSTANCES } },
        spec: {
          restartPolicy: 'Never',
          containers: [{ name: 'worker', image: 'busybox', command: ['true'] }],
        },
      },
    },
  };
}

export function nativeSidecarJobJourney(env: Environment): void {
  describe('a Job with logfwd in sidecar_mode auto', () => {
    let namespace = '';

    before(async () => {
      await env().operator.useConfig({ logfwd: { options: { sidecar_mode: 'auto' } } });
      namespace = await env().namespace('job');
    });

    it('the operator discovered the API server version at start', () => {
      const started = env().operator.process.startLine();
      assert.ok(started, 'no start-up line in the operator log');
      assert.equal(started['serverVersion'], formatServerVersion(env().serverVersion));
    });

    it('gets a native sidecar on this server version', async (t) => {
      const { major, minor } = env().serverVersion;
      const native =
        major > NATIVE_SIDECARS_SINCE.major ||
        (major === NATIVE_SIDECARS_SINCE.major && minor >= NATIVE_SIDECARS_SINCE.minor);
      t.diagnostic(
        `API server ${env().gitVersion}: native sidecars ${native ? 'supported' : 'not supported'}`,
      );
      const job = logfwdJob({ [E2E_RUN_LABEL]: env().names.run });
      await createWorkload(env(), namespace, job);
      const [pod] = await env().waitForPods(namespace, `${JOB_NAME_LABEL}=${job.metadata.name}`);
      assert.ok(pod);
      if (native) {
        assert.deepStrictEqual(containerNames(pod), { init: ['datakit-logfwd'], app: ['worker'] });
        assert.equal(findContainer(pod, 'datakit-logfwd', 'initContainers').restartPolicy, 'Always');
      } else {
        assert.deepStrictEqual(containerNames(pod), { init: [], app: ['worker', 'datakit-logfwd'] });
      }
      assert.equal(pod.spec?.restartPolicy, 'Never', 'the webhook never changes restartPolicy');
      assertMatchesPrediction(pod, await env().predict(podFromTemplate(job, pod), namespace), 'the Job pod');
    });
  });
}
