// The manual's Helm install on a real node: the kubectl install is removed first (Helm refuses to adopt
// objects it did not create), then `helm install datakit-operator charts/datakit-operator -n datakit
// --create-namespace`, `helm -n datakit list`, `helm upgrade` (a rolling update of the operator during
// which every pod created is injected: no admission lost) and `helm uninstall` — the same pods injected
// in between, and none after.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pollUntil } from '../../e2e/support/wait.ts';
import { waitForReadyPods } from '../support/pods.ts';
import { DDTRACE_INIT_CONTAINER, waitForWebhook } from '../support/webhook.ts';
import {
  DATAKIT_NAMESPACE,
  MANIFEST,
  OPERATOR_REPLICAS,
  OPERATOR_SELECTOR,
  WEBHOOK_CONFIG,
  helmCommands,
  type Env,
} from './shared.ts';

const RELEASE = 'datakit-operator';
const CHART = 'charts/datakit-operator';
const APPS = 'helm-apps';
const APP_SELECTOR = 'app=nginx';
const ROLLOUT_TIMEOUT = '240s';
/** Dry-run pods created during the rolling update: bounded in number and pace. */
const MAX_PROBES = 120;
const PROBE_PAUSE_MS = 500;
const UNINSTALL_EFFECTIVE_MS = 60_000;

export function helmLifecycleJourney(env: Env): void {
  const { helmOk } = helmCommands(env);
  /** A server-side dry-run pod asking for the Java agent: does the webhook inject it now? */
  const injected = async (): Promise<boolean> => {
    const { kubectl } = env();
    const pod = await kubectl.json<{ spec: { initContainers?: { name: string }[] } }>(
      'run',
      'helm-probe',
      '-n',
      APPS,
      '--image=busybox',
      '--restart=Never',
      '--dry-run=server',
      '--annotations=admission.datakit/java-lib.version=',
    );
    return (pod.spec.initContainers ?? []).some((c) => c.name === DDTRACE_INIT_CONTAINER);
  };

  describe('the manual’s Helm install, upgrade and uninstall', () => {
    it('installs the chart: operator pods Ready, an app pod injected', async () => {
      const { kubectl } = env();
      await kubectl.ok('delete', '-f', MANIFEST, '--wait=true', '--timeout=180s');
      await kubectl.ok(
        'wait',
        '--for=delete',
        'pod',
        '-n',
        DATAKIT_NAMESPACE,
        '-l',
        OPERATOR_SELECTOR,
        '--timeout=180s',
      );
      await helmOk('install', RELEASE, CHART, '-n', DATAKIT_NAMESPACE, '--create-namespace');
      const list = await helmOk('-n', DATAKIT_NAMESPACE, 'list');
      assert.match(
        list,
        new RegExp(`^${RELEASE}\\s+${DATAKIT_NAMESPACE}\\s+1\\s+.*\\sdeployed\\s`, 'm'),
        list,
      );
      await waitForReadyPods(kubectl, DATAKIT_NAMESPACE, OPERATOR_SELECTOR, OPERATOR_REPLICAS);
      await waitForWebhook(kubectl);
      await kubectl.ok('create', 'namespace', APPS);
      await kubectl.ok('apply', '-n', APPS, '-f', 'examples/nginx-java.yaml');
      const [pod] = await waitForReadyPods(kubectl, APPS, APP_SELECTOR, 1);
      assert.deepEqual(
        pod!.spec.initContainers?.map((c) => c.name),
        [DDTRACE_INIT_CONTAINER],
      );
    });

    /** Whether the webhook injected each pod created during the upgrade's rolling update. */
    let duringRollout: boolean[] = [];

    it('upgrades with a rolling update; the recreated app pod is injected', async () => {
      const { kubectl } = env();
      await helmOk(
        'upgrade',
        RELEASE,
        CHART,
        '-n',
        DATAKIT_NAMESPACE,
        '--set-string',
        'podAnnotations.upgraded=yes',
      );
      const rollout = kubectl.run(
        'rollout',
        'status',
        'deployment/datakit-operator',
        '-n',
        DATAKIT_NAMESPACE,
        `--timeout=${ROLLOUT_TIMEOUT}`,
      );
      let done = false;
      void rollout.then(() => (done = true));
      const results: boolean[] = (duringRollout = []);
      while (!done && results.length < MAX_PROBES) {
        results.push(await injected());
        await new Promise((resolve) => setTimeout(resolve, PROBE_PAUSE_MS));
      }
      const finished = await rollout;
      assert.equal(finished.code, 0, finished.stderr);
      assert.ok(results.length > 0, 'pods were created during the rolling update');
      const list = await helmOk('-n', DATAKIT_NAMESPACE, 'list');
      assert.match(list, new RegExp(`^${RELEASE}\\s+${DATAKIT_NAMESPACE}\\s+2\\s`, 'm'), list);
      await kubectl.ok('delete', 'pod', '-n', APPS, '-l', APP_SELECTOR, '--wait=true', '--timeout=120s');
      const [pod] = await waitForReadyPods(kubectl, APPS, APP_SELECTOR, 1);
      assert.deepEqual(
        pod!.spec.initContainers?.map((c) => c.name),
        [DDTRACE_INIT_CONTAINER],
        'the recreated app pod is injected by the upgraded operator',
      );
    });

    // On SIGTERM the operator keeps accepting for a few seconds in a cluster (readiness already off),
    // because kube-proxy sends the API server's new connections to the old pod until its endpoint is
    // gone; without that, a pod created in the window was admitted uninjected (fail-open).
    it('loses no admission during that rolling update (every pod created meanwhile is injected)', () => {
      assert.ok(duringRollout.length > 0, 'pods were created during the rolling update');
      assert.deepEqual(
        duringRollout
          .map((ok, index) => (ok ? 'injected' : `pod ${index} not injected`))
          .filter((r) => r !== 'injected'),
        [],
        `${duringRollout.length} pods created during the rollout`,
      );
    });

    it('uninstalls: the webhook is gone and new pods are created as they are', async () => {
      const { kubectl } = env();
      await helmOk('uninstall', RELEASE, '-n', DATAKIT_NAMESPACE, '--wait', '--timeout', '180s');
      const webhook = await kubectl.run('get', 'mutatingwebhookconfiguration', WEBHOOK_CONFIG);
      assert.notEqual(webhook.code, 0, 'the webhook configuration was removed');
      // The API server drops the removed configuration asynchronously.
      await pollUntil(async () => ((await injected()) ? undefined : true), {
        timeoutMs: UNINSTALL_EFFECTIVE_MS,
        intervalMs: 1000,
        what: 'a new pod to be created without injection',
      });
      const list = await helmOk('-n', DATAKIT_NAMESPACE, 'list', '-q');
      assert.equal(list.trim(), '');
    });
  });
}
