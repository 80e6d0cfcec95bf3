// logfwd over a directory the app already mounts (SPEC §7): with reuse_exist_volume true the sidecar
// mounts the app's own volume read-only; with false logfwd is skipped with a warning (never a duplicate
// mountPath). The API server accepts both results.

import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Pod } from '../../../src/podspec/types.ts';
import { ANNOTATION_WARNINGS } from '../support/environment.ts';
import { E2E_RUN_LABEL } from '../support/run-names.ts';
import { containerNames } from '../support/webhook-view.ts';
import { assertMatchesPrediction, findContainer, type Environment } from './shared.ts';

const APP_VOLUME = 'applogs';
const LOG_DIRECTORY = '/var/log';
const LOGFWD_INSTANCES = JSON.stringify([
  {
    datakit_addr: 'datakit-service.datakit.svc:9533',
    loggings: [{ logfiles: ['/var/log/*.log'], source: 'app' }],
  },
]);

function podWithLogVolume(name: string, run: Record<string, string>): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: run, annotations: { 'admission.datakit/logfwd.instances': LOGFWD_INSTANCES } },
    spec: {
      containers: [
        { name: 'app', image: 'busybox', volumeMounts: [{ name: APP_VOLUME, mountPath: LOG_DIRECTORY }] },
      ],
      volumes: [{ name: APP_VOLUME, emptyDir: {} }],
    },
  };
}

export function existingLogVolumeJourney(env: Environment): void {
  describe('an existing /var/log volume with reuse_exist_volume true and false', () => {
    let namespace = '';
    const run = (): Record<string, string> => ({ [E2E_RUN_LABEL]: env().names.run });

    before(async () => {
      namespace = await env().namespace('varlog');
    });

    it('reuse_exist_volume true: the sidecar mounts the existing volume read-only, and the API server accepts it', async () => {
      await env().operator.useConfig({ logfwd: { options: { reuse_exist_volume: 'true' } } });
      const request = podWithLogVolume('reuse-true', run());
      const prediction = await env().predict(request, namespace);
      const created = await env().createPod(namespace, request);
      const pod = created.body;
      assert.equal(created.status, 201);
      assert.deepStrictEqual(containerNames(pod).app, ['app', 'datakit-logfwd']);
      const sidecarMounts = findContainer(pod, 'datakit-logfwd').volumeMounts ?? [];
      assert.deepStrictEqual(
        sidecarMounts.filter((mount) => mount.mountPath === LOG_DIRECTORY),
        [{ name: APP_VOLUME, mountPath: LOG_DIRECTORY, readOnly: true }],
      );
      assert.deepStrictEqual(
        pod.spec?.volumes?.map((volume) => volume.name),
        [APP_VOLUME],
        'no new volume for a directory that is already mounted',
      );
      assertMatchesPrediction(pod, prediction, 'reuse_exist_volume true');
    });

    it('reuse_exist_volume false: logfwd is skipped with a warning, and the API server accepts the pod', async () => {
      await env().operator.useConfig({ logfwd: { options: { reuse_exist_volume: 'false' } } });
      const request = podWithLogVolume('reuse-false', run());
      const prediction = await env().predict(request, namespace);
      const created = await env().createPod(namespace, request);
      const pod = created.body;
      assert.equal(created.status, 201);
      assert.deepStrictEqual(containerNames(pod).app, ['app']);
      assert.match(pod.metadata?.annotations?.[ANNOTATION_WARNINGS] ?? '', /reuse_exist_volume/);
      const fromWebhook = created.warnings.filter((warning) => warning.startsWith('datakit-operator: '));
      assert.ok(
        fromWebhook.some((warning) => warning.includes('reuse_exist_volume')),
        `the client should see the webhook's warning; got ${JSON.stringify(created.warnings)}`,
      );
      assert.deepStrictEqual(fromWebhook, prediction.warnings);
      assertMatchesPrediction(pod, prediction, 'reuse_exist_volume false');
    });
  });
}
