// Upgrading from the upstream Go operator on a real node (SPEC §12.1), both paths of the manual, with the
// real kubectl and helm: (a) `kubectl apply -f deploy/datakit-operator.yaml` over a reconstruction of
// upstream 1.5.18's plain-manifest objects, (b) `helm upgrade` from a release of a reconstruction of
// upstream's chart with that release's own `helm get values -a`. On each, the upgrade succeeds (the
// Deployment's immutable selector is upstream's), the webhook's Service never loses its last endpoint
// during the rolling update, and a new pod is injected by our operator. (c) `helm uninstall` plus the
// README's clean-up command leave nothing of ours behind.
//
// The stand-ins for the Go operator's pods run busybox (test/node/fixtures/upstream-1.5.18): what matters
// is the objects the upgrade meets. Each step starts from whatever the earlier journeys left (or nothing).

import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { join } from 'node:path';
import { checkServerIdentity } from 'node:tls';
import { describe, it } from 'node:test';
import { pollUntil } from '../../e2e/support/wait.ts';
import { listPods, waitForReadyPods, type PodView } from '../support/pods.ts';
import { DDTRACE_INIT_CONTAINER, waitForWebhook } from '../support/webhook.ts';
import { DATAKIT_NAMESPACE, MANIFEST, TLS_SECRET, WEBHOOK_CONFIG, helmCommands, type Env } from './shared.ts';

const FIXTURES = 'test/node/fixtures/upstream-1.5.18';
const UPSTREAM_MANIFEST = `${FIXTURES}/datakit-operator.yaml`;
const UPSTREAM_CHART = `${FIXTURES}/chart`;
const CHART = 'charts/datakit-operator';
const RELEASE = 'datakit-operator';
const SERVICE = 'datakit-operator';
const DEPLOYMENT = 'deployment/datakit-operator';
/** Upstream's pods carry `app` on both paths; ours keep it (and add the recommended labels). */
const UPSTREAM_POD_SELECTOR = 'app=datakit-operator';
/** Upstream's container name; ours is datakit-operator. */
const UPSTREAM_CONTAINER = 'operator';
const OUR_CONTAINER = 'datakit-operator';
const ELECTION_LABEL = 'election.datakits.io/managed=true';
/**
 * What the operator creates at run time and neither `helm uninstall` nor `kubectl delete -f` removes
 * today: the README's clean-up command (section "Upgrading from the Go operator").
 */
const CLEAN_UP: readonly (readonly string[])[] = [
  ['-n', DATAKIT_NAMESPACE, 'delete', 'secret', TLS_SECRET, '--ignore-not-found'],
  ['-n', DATAKIT_NAMESPACE, 'delete', 'lease', '-l', ELECTION_LABEL, '--ignore-not-found'],
];
const ROLLOUT_TIMEOUT = '240s';
const GONE_TIMEOUT = '180s';
const GONE_TIMEOUT_MS = 180_000;
const ENDPOINT_POLL_MS = 500;
/** Bounds the endpoint watch (count, not time): a stuck rollout fails on its own timeout first. */
const MAX_ENDPOINT_SAMPLES = 1_000;
/** A value upstream's `env` map carries through the upgrade (values rendered as strings). */
const ENV_MARK = { name: 'DK_UPGRADED_FROM', value: '1.5.18' };
/**
 * Upstream's values run ONE replica: on a starved machine a failed liveness probe restarts it and the
 * webhook has no endpoint until it is Ready again (the NOTES' trap), so allow for one restart.
 */
const WEBHOOK_TIMEOUT_MS = 180_000;
const PROBE_ANNOTATION = 'admission.datakit/java-lib.version=';
const ELECTION_PORT = 9543;
const SERVING_NAME = `${SERVICE}.${DATAKIT_NAMESPACE}.svc`;

interface EndpointSliceList {
  items: { endpoints?: { addresses: string[]; conditions?: { ready?: boolean } }[] }[];
}

export function upgradeFromGoOperatorJourney(env: Env): void {
  const kubectl = (): ReturnType<Env>['kubectl'] => env().kubectl;
  const { helmOk } = helmCommands(env);

  /** Ready endpoints of the webhook's Service, as kube-proxy and the API server see them. */
  const readyEndpoints = async (): Promise<number> => {
    const slices = await kubectl().json<EndpointSliceList>(
      'get',
      'endpointslices',
      '-n',
      DATAKIT_NAMESPACE,
      '-l',
      `kubernetes.io/service-name=${SERVICE}`,
    );
    return slices.items
      .flatMap((slice) => slice.endpoints ?? [])
      .filter((endpoint) => endpoint.conditions?.ready !== false).length;
  };

  /**
   * Runs the upgrade, then follows the rollout while sampling the Service's ready endpoints; returns the
   * samples (every one must be above zero: the old pods serve until the new ones are ready).
   */
  const upgradeWatchingEndpoints = async (upgrade: () => Promise<void>): Promise<number[]> => {
    const samples = [await readyEndpoints()];
    assert.ok(samples[0]! > 0, 'the upstream pods are endpoints before the upgrade');
    /** Samples until `work` settles (bounded in count), then returns its outcome. */
    const sampleWhile = async <T>(work: Promise<T>): Promise<T> => {
      let settled = false;
      const watched = work.finally(() => (settled = true));
      // Handled below, after the sampling: not an unhandled rejection meanwhile.
      watched.catch(() => undefined);
      while (!settled && samples.length < MAX_ENDPOINT_SAMPLES) {
        samples.push(await readyEndpoints());
        await new Promise((resolve) => setTimeout(resolve, ENDPOINT_POLL_MS));
      }
      return watched;
    };
    await sampleWhile(upgrade());
    const finished = await sampleWhile(
      kubectl().run('rollout', 'status', DEPLOYMENT, '-n', DATAKIT_NAMESPACE, `--timeout=${ROLLOUT_TIMEOUT}`),
    );
    assert.equal(finished.code, 0, finished.stdout + finished.stderr);
    samples.push(await readyEndpoints());
    return samples;
  };

  /** Our operator's pods only (the upstream container is gone), Ready; returns them. */
  const ourPodsReady = async (count: number): Promise<PodView[]> => {
    const pods = await waitForReadyPods(kubectl(), DATAKIT_NAMESPACE, UPSTREAM_POD_SELECTOR, count);
    for (const pod of pods)
      assert.deepEqual(
        pod.spec.containers.map((c) => c.name),
        [OUR_CONTAINER],
        `${pod.metadata.name} runs our operator, not the upstream stand-in`,
      );
    return pods;
  };

  /** A real (not dry-run) pod asking for the Java agent, created after the upgrade: injected? */
  const newPodInjected = async (name: string): Promise<string[]> => {
    await kubectl().ok('delete', 'pod', name, '-n', 'default', '--ignore-not-found', '--wait=true');
    const pod = await kubectl().json<PodView>(
      'run',
      name,
      '-n',
      'default',
      '--image=docker.io/library/nginx:1.22',
      '--restart=Never',
      `--annotations=${PROBE_ANNOTATION}`,
    );
    await kubectl().ok('delete', 'pod', name, '-n', 'default', '--wait=false');
    return (pod.spec.initContainers ?? []).map((c) => c.name);
  };

  /** What to look at when our operator does not take over: its logs and the objects routing to it. */
  const operatorState = async (): Promise<string> => {
    const parts = await Promise.all([
      kubectl().run('logs', '-n', DATAKIT_NAMESPACE, '-l', UPSTREAM_POD_SELECTOR, '--tail=40', '--prefix'),
      kubectl().run(
        'logs',
        '-n',
        DATAKIT_NAMESPACE,
        '-l',
        UPSTREAM_POD_SELECTOR,
        '--tail=40',
        '--prefix',
        '--previous',
      ),
      kubectl().run('get', 'service,endpointslices', '-n', DATAKIT_NAMESPACE, '-o', 'yaml'),
      kubectl().run('get', 'mutatingwebhookconfiguration', WEBHOOK_CONFIG, '-o', 'yaml'),
      kubectl().run('get', 'pods', '-n', DATAKIT_NAMESPACE, '-o', 'wide'),
    ]);
    return parts.map((part) => part.stdout + part.stderr).join('\n---\n');
  };
  const webhookServes = async (): Promise<void> => {
    try {
      await waitForWebhook(kubectl(), WEBHOOK_TIMEOUT_MS);
    } catch (error) {
      const state = await operatorState();
      await writeFile(join(env().dir, 'upgrade-failure.txt'), state);
      throw new Error(`${(error as Error).message}\n${state}`, { cause: error });
    }
  };

  const ensureNamespace = async (): Promise<void> => {
    const created = await kubectl().run('create', 'namespace', DATAKIT_NAMESPACE);
    if (created.code !== 0 && !/AlreadyExists/.test(created.stderr))
      throw new Error(`kubectl create namespace failed: ${created.stderr}`);
  };

  /** Removes any install of ours (an earlier journey's), then the run-time objects: a clean namespace. */
  const removeEarlierInstalls = async (): Promise<void> => {
    const releases = await helmOk('-n', DATAKIT_NAMESPACE, 'list', '-q');
    if (releases.split('\n').includes(RELEASE))
      await helmOk('uninstall', RELEASE, '-n', DATAKIT_NAMESPACE, '--wait', '--timeout', GONE_TIMEOUT);
    await kubectl().ok(
      'delete',
      '-f',
      MANIFEST,
      '--ignore-not-found',
      '--wait=true',
      `--timeout=${GONE_TIMEOUT}`,
    );
    await pollUntil(
      async () =>
        (await listPods(kubectl(), DATAKIT_NAMESPACE, UPSTREAM_POD_SELECTOR)).length === 0 ? true : undefined,
      { timeoutMs: GONE_TIMEOUT_MS, intervalMs: 1000, what: `no pod ${UPSTREAM_POD_SELECTOR} left` },
    );
    for (const args of CLEAN_UP) await kubectl().ok(...args);
  };

  /** One DataKit campaign against an operator pod, so that an election Lease exists (SPEC §10.1). */
  const campaign = async (pod: PodView & { status: { podIP?: string } }): Promise<string> => {
    const secret = await kubectl().json<{ data: Record<string, string> }>(
      'get',
      'secret',
      TLS_SECRET,
      '-n',
      DATAKIT_NAMESPACE,
    );
    const ca = Buffer.from(secret.data['ca.crt'] ?? '', 'base64');
    const host = pod.status.podIP;
    assert.ok(host, `${pod.metadata.name} has a pod IP`);
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host,
          port: ELECTION_PORT,
          method: 'POST',
          path: '/v1/dk-election?token=upgrade-journey&namespace=upgrade&id=datakit-1',
          ca,
          servername: SERVING_NAME,
          checkServerIdentity: (_host, certificate) => checkServerIdentity(SERVING_NAME, certificate),
          timeout: 10_000,
        },
        (response) => {
          let body = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (body += chunk));
          response.on('end', () => resolve(body));
        },
      );
      req.on('timeout', () => req.destroy(new Error('the election campaign timed out')));
      req.on('error', reject);
      req.end();
    });
  };

  const leftovers = async (): Promise<string[]> => {
    const found: string[] = [];
    const webhook = await kubectl().run('get', 'mutatingwebhookconfiguration', WEBHOOK_CONFIG);
    if (webhook.code === 0) found.push(`MutatingWebhookConfiguration ${WEBHOOK_CONFIG}`);
    const secret = await kubectl().run('get', 'secret', TLS_SECRET, '-n', DATAKIT_NAMESPACE);
    if (secret.code === 0) found.push(`Secret ${TLS_SECRET}`);
    const names = async (...args: string[]): Promise<string[]> =>
      (await kubectl().ok(...args, '-o', 'name')).split('\n').filter((line) => line !== '');
    found.push(...(await names('get', 'lease', '-n', DATAKIT_NAMESPACE, '-l', ELECTION_LABEL)));
    found.push(
      ...(await names(
        'get',
        'deployment,replicaset,pod,service,configmap,serviceaccount,poddisruptionbudget,role,rolebinding',
        '-n',
        DATAKIT_NAMESPACE,
        '-l',
        `app.kubernetes.io/instance=${RELEASE}`,
      )),
    );
    found.push(
      ...(await names(
        'get',
        'clusterrole,clusterrolebinding',
        '-l',
        `app.kubernetes.io/instance=${RELEASE}`,
      )),
    );
    return found;
  };

  describe('upgrading from the Go operator (SPEC §12.1)', () => {
    it('Go operator, kubectl path: the manual’s apply over upstream 1.5.18’s objects succeeds, endpoints throughout, a new pod injected', async () => {
      await ensureNamespace();
      await removeEarlierInstalls();
      await kubectl().ok('apply', '-f', UPSTREAM_MANIFEST);
      const [standIn] = await waitForReadyPods(kubectl(), DATAKIT_NAMESPACE, UPSTREAM_POD_SELECTOR, 1);
      assert.deepEqual(
        standIn!.spec.containers.map((c) => c.name),
        [UPSTREAM_CONTAINER],
      );
      const samples = await upgradeWatchingEndpoints(async () => {
        await kubectl().ok('apply', '-f', MANIFEST);
      });
      assert.deepEqual(
        samples.filter((count) => count === 0),
        [],
        `the Service had no ready endpoint during the upgrade: ${samples.join(' ')}`,
      );
      const selector = await kubectl().ok(
        'get',
        DEPLOYMENT,
        '-n',
        DATAKIT_NAMESPACE,
        '-o',
        'jsonpath={.spec.selector.matchLabels}',
      );
      assert.deepEqual(JSON.parse(selector), { app: 'datakit-operator' });
      await ourPodsReady(2);
      await webhookServes();
      assert.deepEqual(await newPodInjected('upgrade-kubectl-probe'), [DDTRACE_INIT_CONTAINER]);
    });

    it('Go operator, Helm path: helm upgrade from a release of the upstream chart with its `helm get values -a` succeeds, endpoints throughout, a new pod injected', async () => {
      await ensureNamespace();
      await removeEarlierInstalls();
      await helmOk(
        'install',
        RELEASE,
        UPSTREAM_CHART,
        '-n',
        DATAKIT_NAMESPACE,
        '--set-string',
        `env.${ENV_MARK.name}=${ENV_MARK.value}`,
      );
      await waitForReadyPods(kubectl(), DATAKIT_NAMESPACE, UPSTREAM_POD_SELECTOR, 1);
      // The manual's commands, as written.
      const values = await helmOk('-n', DATAKIT_NAMESPACE, 'get', 'values', RELEASE, '-a', '-o', 'yaml');
      assert.match(values, /^admissionregistration:/m);
      assert.match(values, /^autoscaling:/m);
      const valuesFile = join(env().dir, 'upstream-release-values.yaml');
      await writeFile(valuesFile, values);
      let notes = '';
      const samples = await upgradeWatchingEndpoints(async () => {
        notes = await helmOk('upgrade', RELEASE, CHART, '-n', DATAKIT_NAMESPACE, '-f', valuesFile);
      });
      assert.deepEqual(
        samples.filter((count) => count === 0),
        [],
        `the Service had no ready endpoint during the upgrade: ${samples.join(' ')}`,
      );
      assert.match(notes, /admissionregistration\.webhooks\.caBundle no longer applies/);
      assert.match(notes, /UPGRADE TRAP: replicaCount 1 with the PodDisruptionBudget/);
      const list = await helmOk('-n', DATAKIT_NAMESPACE, 'list');
      assert.match(
        list,
        new RegExp(`^${RELEASE}\\s+${DATAKIT_NAMESPACE}\\s+2\\s+.*\\sdeployed\\s`, 'm'),
        list,
      );
      const [pod] = await ourPodsReady(1);
      const mark = pod!.spec.containers[0]!.env?.find((e) => e.name === ENV_MARK.name);
      assert.deepEqual(mark, ENV_MARK, "upstream's env map reaches our operator");
      await webhookServes();
      assert.deepEqual(await newPodInjected('upgrade-helm-probe'), [DDTRACE_INIT_CONTAINER]);
      // An election Lease, so that the uninstall below has one to leave or remove.
      const [running] = await listPods(kubectl(), DATAKIT_NAMESPACE, UPSTREAM_POD_SELECTOR);
      const answer = await campaign(running as PodView & { status: { podIP?: string } });
      assert.match(answer, /"status":"success"/, answer);
    });

    it('Go operator, uninstall: helm uninstall and the README’s clean-up command leave nothing of ours behind', async () => {
      const readme = await readFile('README.md', 'utf8');
      for (const args of CLEAN_UP)
        assert.ok(
          readme.includes(`kubectl ${args.join(' ')}`),
          `the README documents: kubectl ${args.join(' ')}`,
        );
      const before = await leftovers();
      assert.ok(before.length > 0, 'the Helm release of the journey above is installed');
      await helmOk('uninstall', RELEASE, '-n', DATAKIT_NAMESPACE, '--wait', '--timeout', GONE_TIMEOUT);
      for (const args of CLEAN_UP) await kubectl().ok(...args);
      let left: string[] = [];
      try {
        await pollUntil(
          async () => {
            left = await leftovers();
            return left.length === 0 ? true : undefined;
          },
          { timeoutMs: GONE_TIMEOUT_MS, intervalMs: 1000, what: 'nothing of ours left in the cluster' },
        );
      } catch (error) {
        throw new Error(`${(error as Error).message}; still there: ${left.join(', ')}`, { cause: error });
      }
    });
  });
}
