// The install of issue 6 on a real API server, minus the kubelet: the chart rendered for a namespace of its
// own, every object applied as rendered (the Deployment only by dry run: nothing here runs its pods), and
// in place of its two replicas two operator processes started at the same moment, with a token of the
// chart's ServiceAccount (so with exactly the RBAC the chart grants) and the rendered ConfigMap's
// jsonconfig as their --config. They must end with one Secret, serve the same certificate, write its CA
// into the caBundle, and be called by the API server through the Service for a pod they mutate.

import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { after, before, describe, it } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import type { Pod } from '../../../src/podspec/types.ts';
import { renderChart, theOne, type KubeObject } from '../../install/support.ts';
import { ANNOTATION_JAVA_LIB, DDTRACE_INIT_CONTAINER, freePort, ROOT } from '../support/environment.ts';
import { KubeClient } from '../support/kube-client.ts';
import { admissionsIn, isAdmissionEntry, type LogEntry } from '../support/operator-log.ts';
import { OperatorProcess } from '../support/operator-process.ts';
import { collectionPath, isNamespaced, objectPath } from '../support/rendered-objects.ts';
import { E2E_RUN_LABEL } from '../support/run-names.ts';
import {
  mintServiceAccountToken,
  serviceAccountKubeconfig,
  type ServiceAccountRef,
} from '../support/service-account-kubeconfig.ts';
import { pollUntil } from '../support/wait.ts';
import { containerNames } from '../support/webhook-view.ts';
import type { Environment } from './shared.ts';

/** The manual's release name: it gives the object names of SPEC §12 (Secret datakit-operator-tls, ...). */
const MANUAL_RELEASE = 'datakit-operator';
const SPEC_SECRET_NAME = 'datakit-operator-tls';
const TLS_SECRET_TYPE = 'kubernetes.io/tls';
const INSTALL_LABEL = 'e2e.datakit/install';
const SECRET_CREATED_PREFIX = 'created Secret';
const LOST_RACE_PREFIX = 'another replica created the TLS Secret first';
/** What the operator logs when the API server refuses it (api-status.ts, the election's access review). */
const REFUSAL = /HTTP 40[13]\b|\bforbidden\b|was refused|may not /i;
const RBAC_EFFECTIVE_TIMEOUT_MS = 30_000;
const CA_WRITTEN_TIMEOUT_MS = 60_000;
const READYZ_PATH = '/readyz';

interface RenderedConfig {
  server_listen?: string;
  health_listen?: string;
  tls?: { mode?: string; secret_name?: string; webhook_config_name?: string };
  [key: string]: unknown;
}

interface SecretObject {
  readonly type?: string;
  readonly metadata: { readonly name: string };
  readonly data?: Readonly<Record<string, string>>;
}

interface WebhookObject {
  readonly webhooks?: {
    clientConfig: { service?: { port?: number }; caBundle?: string };
    namespaceSelector?: unknown;
  }[];
}

interface Replica {
  readonly process: OperatorProcess;
  readonly mainPort: number;
  readonly healthPort: number;
}

export function installJourney(env: Environment): void {
  describe('the rendered install: two operators with the ServiceAccount’s RBAC behind the Service', () => {
    let namespace = '';
    let appNamespace = '';
    let objects: KubeObject[] = [];
    let secretName = '';
    let webhookConfigPath = '';
    let serviceHost = '';
    /** The main port of the operator the applied webhook names. */
    let servedPort = 0;
    let account: ServiceAccountRef | undefined;
    let accountClient: KubeClient | undefined;
    const replicas: Replica[] = [];
    const applied: KubeObject[] = [];

    let cleanedUp = false;
    // Runs in `after`, and again at the environment's close only if `after` did not finish it.
    const cleanUp = async (): Promise<void> => {
      if (cleanedUp) return;
      const e = env();
      const problems: string[] = [];
      const attempt = async (what: string, step: () => Promise<unknown>): Promise<void> => {
        try {
          await step();
        } catch (error) {
          problems.push(`${what}: ${(error as Error).message}`);
        }
      };
      await attempt('stop the operators', () => Promise.all(replicas.map(({ process }) => process.stop())));
      accountClient?.close();
      // The namespaces take the namespaced objects with them; the cluster-scoped ones need deleting.
      for (const object of applied.filter((candidate) => !isNamespaced(candidate)).reverse()) {
        await attempt(`delete ${object.kind} ${object.metadata.name}`, () =>
          e.client.delete(objectPath(object, namespace)),
        );
      }
      for (const name of [appNamespace, namespace].filter((candidate) => candidate !== '')) {
        await attempt(`delete namespace ${name}`, () => e.client.delete(`/api/v1/namespaces/${name}`));
      }
      if (problems.length > 0) throw new Error(`install journey clean-up:\n${problems.join('\n')}`);
      cleanedUp = true;
    };

    before(async () => {
      const e = env();
      e.onClose('clean up the install journey', cleanUp);
      namespace = await e.namespace('install');
      // The main webhook skips it (opt-out label); the applied webhook selects it (its own label).
      appNamespace = await e.namespace('install-apps', {
        webhookOff: true,
        labels: { [INSTALL_LABEL]: e.names.run },
      });
      // On a cluster of its own the run installs under the manual's release name; on a shared one, under a
      // name of its own, so that its cluster-scoped objects never replace a real installation's.
      const release = e.cluster.disposable ? MANUAL_RELEASE : `${e.names.webhookConfiguration}-install`;
      objects = renderChart({ release, namespace });

      const rejected: string[] = [];
      for (const object of objects) {
        const reply = await e.client.request('POST', collectionPath(object, namespace), {
          body: object,
          query: { dryRun: 'All' },
        });
        if (reply.status !== 201) {
          rejected.push(
            `${object.kind} ${object.metadata.name}: HTTP ${reply.status} ${JSON.stringify(reply.body)}`,
          );
        }
      }
      assert.deepEqual(rejected, [], 'the API server accepts every rendered object as it is');

      const config = JSON.parse(
        (theOne(objects, 'ConfigMap') as unknown as { data: Record<string, string> }).data['jsonconfig'] ??
          '',
      ) as RenderedConfig;
      secretName = config.tls?.secret_name ?? '';
      const webhookConfiguration = theOne(objects, 'MutatingWebhookConfiguration');
      webhookConfigPath = objectPath(webhookConfiguration, namespace);
      const service = theOne(objects, 'Service');
      serviceHost = `${service.metadata.name}.${namespace}.svc`;
      const serviceAccount = theOne(objects, 'ServiceAccount');
      account = { namespace, name: serviceAccount.metadata.name };

      const ports = await Promise.all(
        [0, 1].map(async () => ({
          mainPort: await freePort(e.settings.listenHost),
          healthPort: await freePort('127.0.0.1'),
        })),
      );
      const served = ports[0]!;
      servedPort = served.mainPort;
      for (const object of objects) {
        if (object.kind === 'Deployment') continue;
        const local = localObject(object, {
          service: e.settings.listenHost === '127.0.0.1' ? 'localhost' : e.settings.webhookHost,
          webhookPort: served.mainPort,
          namespaceLabel: { [INSTALL_LABEL]: e.names.run },
        });
        await e.client.create(collectionPath(local, namespace), local);
        applied.push(local);
      }

      const token = await mintServiceAccountToken(e.client, account);
      const kubeconfig = join(e.workDir, 'install-service-account.kubeconfig');
      await writeFile(kubeconfig, serviceAccountKubeconfig(e.cluster.kubeconfig, account, token), {
        mode: 0o600,
      });
      const accountConfig = new KubeConfig();
      accountConfig.loadFromFile(kubeconfig);
      accountClient = await KubeClient.fromKubeConfig(accountConfig);
      await waitUntilGranted(accountClient, [
        `/api/v1/namespaces/${namespace}/secrets/${secretName}`,
        webhookConfigPath,
      ]);

      const starts = await Promise.allSettled(
        ports.map(async ({ mainPort, healthPort }, index) => {
          const configFile = join(e.workDir, `install-${index}.json`);
          // The only local change: two processes on one host cannot both listen on 9543 and 9544.
          const local: RenderedConfig = {
            ...config,
            server_listen: `${e.settings.listenHost}:${mainPort}`,
            health_listen: `127.0.0.1:${healthPort}`,
          };
          await writeFile(configFile, JSON.stringify(local, null, 2));
          const process = await OperatorProcess.start({
            label: `install replica ${index}`,
            root: ROOT,
            kubeconfig,
            configFile,
            caOut: join(e.workDir, `install-${index}-ca.crt`),
            healthPort,
          });
          replicas.push({ process, mainPort, healthPort });
        }),
      );
      const failed = starts.find((start) => start.status === 'rejected');
      if (failed) throw failed.reason;
    });

    after(cleanUp);

    it('runs the operators as the chart’s ServiceAccount, which may not do what an admin may', async () => {
      for (const path of ['/api/v1/namespaces', `/api/v1/namespaces/${namespace}/secrets`]) {
        const reply = await accountClient!.request('GET', path);
        assert.equal(reply.status, 403, `GET ${path} as the ServiceAccount`);
      }
    });

    it('two processes starting together end with ONE TLS Secret, created by one of them', async (t) => {
      if (env().cluster.disposable) assert.equal(secretName, SPEC_SECRET_NAME);
      for (const { process } of replicas) assert.equal(process.startLine()?.['tlsMode'], 'self-managed');
      const secrets = await env().client.list<SecretObject>(`/api/v1/namespaces/${namespace}/secrets`);
      const tls = secrets.filter((secret) => secret.type === TLS_SECRET_TYPE).map((s) => s.metadata.name);
      assert.deepEqual(tls, [secretName]);
      const creations = replicas.flatMap(({ process }) =>
        process.entries.filter((entry) => entry.msg?.startsWith(SECRET_CREATED_PREFIX)),
      );
      assert.equal(creations.length, 1, replicas.map(({ process }) => process.describe()).join('\n'));
      // A real API server does not make both see "no Secret" every time (test/install forces that race).
      const lostRace = replicas.some(({ process }) =>
        process.entries.some((entry) => entry.msg?.startsWith(LOST_RACE_PREFIX)),
      );
      t.diagnostic(lostRace ? 'both raced to create it: one create got 409' : 'the second found it created');
    });

    it('both processes serve the certificate of that Secret, valid for the Service’s name', async () => {
      const data = await secretData(env().client, namespace, secretName);
      const expected = new X509Certificate(data['tls.crt'] ?? '').fingerprint256;
      const host = env().settings.listenHost === '0.0.0.0' ? '127.0.0.1' : env().settings.listenHost;
      const fingerprints = await Promise.all(
        replicas.map(({ mainPort }) => servedFingerprint(host, mainPort, data['ca.crt'] ?? '', serviceHost)),
      );
      assert.deepEqual(fingerprints, [expected, expected]);
    });

    it('writes the Secret’s CA into the caBundle of every webhook of the applied configuration', async () => {
      const data = await secretData(env().client, namespace, secretName);
      const bundles = await pollUntil(
        async () => {
          const stored = await env().client.get<WebhookObject>(webhookConfigPath);
          const found = (stored.webhooks ?? []).map((webhook) => webhook.clientConfig.caBundle ?? '');
          return found.length > 0 && found.every((bundle) => bundle !== '') ? found : undefined;
        },
        { timeoutMs: CA_WRITTEN_TIMEOUT_MS, what: `the caBundle of ${webhookConfigPath}` },
      );
      assert.deepEqual(
        bundles.map((bundle) => Buffer.from(bundle, 'base64').toString('utf8')),
        bundles.map(() => data['ca.crt']),
      );
    });

    it('the API server calls the webhook through the Service, trusts it, and the pod comes back mutated', async () => {
      const e = env();
      await e.waitForWebhook(appNamespace);
      const name = 'installed-webhook';
      const pod: Pod = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name,
          labels: { [E2E_RUN_LABEL]: e.names.run },
          annotations: { [ANNOTATION_JAVA_LIB]: '' },
        },
        spec: { containers: [{ name: 'app', image: 'busybox' }] },
      };
      const created = (await e.createPod(appNamespace, pod)).body;
      assert.deepStrictEqual(containerNames(created), { init: [DDTRACE_INIT_CONTAINER], app: ['app'] });
      const served = replicas.find(({ mainPort }) => mainPort === servedPort);
      assert.ok(served, 'the operator behind the Service runs');
      await served.process.waitForEntry(
        (entry) => isAdmissionEntry(entry) && entry.namespace === appNamespace && entry.pod === name,
        `the admission of ${name}`,
      );
      assert.deepStrictEqual(
        admissionsIn(e.operator.process.entries, appNamespace),
        [],
        'the main operator was asked',
      );
    });

    it('neither process was refused anything by the API server, and both report ready', async () => {
      for (const { process, healthPort } of replicas) {
        const refusals = process.entries.filter((entry: LogEntry) => REFUSAL.test(JSON.stringify(entry)));
        assert.deepEqual(refusals, [], `${process.options.label} logged refusals`);
        const reply = await fetch(`http://127.0.0.1:${healthPort}${READYZ_PATH}`);
        await reply.body?.cancel();
        assert.equal(reply.status, 200, `${process.options.label} ${READYZ_PATH}`);
      }
    });
  });
}

interface LocalOverrides {
  /** Where the API server dials the webhook's Service: this machine. */
  readonly service: string;
  readonly webhookPort: number;
  readonly namespaceLabel: Readonly<Record<string, string>>;
}

/**
 * The few changes a cluster without kubelet, kube-proxy or pod network needs; everything else is applied
 * exactly as rendered:
 * - Service: the API server dials a ClusterIP Service at its cluster IP, which routes nowhere here; an
 *   ExternalName Service of the same name makes it dial this machine while still verifying the
 *   certificate for `<service>.<namespace>.svc`.
 * - the webhook's service port: with ExternalName the API server dials that port directly, and the
 *   operators cannot both listen on it (nor, unprivileged, on 443), so it names the first operator's port.
 * - the webhook's namespaceSelector: the chart's selects every namespace not opted out, on an API server
 *   every other journey shares; and the journey's own namespace must opt out of the main webhook, which
 *   the chart's selector would also skip. So it selects the journey's namespace by a label of its own.
 */
function localObject(object: KubeObject, overrides: LocalOverrides): KubeObject {
  if (object.kind === 'Service') {
    return {
      apiVersion: object.apiVersion,
      kind: object.kind,
      metadata: object.metadata,
      spec: { type: 'ExternalName', externalName: overrides.service },
    };
  }
  if (object.kind === 'MutatingWebhookConfiguration') {
    const local = structuredClone(object) as KubeObject & WebhookObject;
    for (const webhook of local.webhooks ?? []) {
      assert.ok(webhook.clientConfig.service, 'the rendered webhook calls a Service');
      webhook.clientConfig.service.port = overrides.webhookPort;
      webhook.namespaceSelector = { matchLabels: { ...overrides.namespaceLabel } };
    }
    return local;
  }
  return object;
}

/** RBAC objects take effect in the authorizer a moment after they are stored. */
async function waitUntilGranted(client: KubeClient, paths: readonly string[]): Promise<void> {
  await pollUntil(
    async () => {
      const statuses = await Promise.all(
        paths.map(async (path) => (await client.request('GET', path)).status),
      );
      return statuses.every((status) => status === 200 || status === 404) ? true : undefined;
    },
    {
      timeoutMs: RBAC_EFFECTIVE_TIMEOUT_MS,
      intervalMs: 250,
      what:
        `the ServiceAccount to be allowed to GET ${paths.join(' and ')} ` +
        '(a rule missing from the chart’s RBAC, or RBAC not yet in effect)',
    },
  );
}

async function secretData(
  client: KubeClient,
  namespace: string,
  name: string,
): Promise<Record<string, string>> {
  const secret = await client.get<SecretObject>(`/api/v1/namespaces/${namespace}/secrets/${name}`);
  return Object.fromEntries(
    Object.entries(secret.data ?? {}).map(([key, value]) => [
      key,
      Buffer.from(value, 'base64').toString('utf8'),
    ]),
  );
}

/** The SHA-256 fingerprint of the certificate served on `port`, verified against `ca` for `servername`. */
function servedFingerprint(host: string, port: number, ca: string, servername: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({ host, port, ca, servername }, () => {
      const certificate = socket.getPeerX509Certificate();
      socket.destroy();
      if (certificate === undefined) reject(new Error(`no peer certificate on ${host}:${port}`));
      else resolve(certificate.fingerprint256);
    });
    socket.on('error', reject);
  });
}
