// The shipped install, minus the kubelet: two operator processes (in-process servers) start at once
// against a fake API server that holds the manifest's MutatingWebhookConfiguration and enforces the
// manifest's RBAC, with the manifest's ConfigMap as their --config. They must end with ONE Secret, serve
// the same certificate, put its CA into caBundle, and be trusted by a client that knows only that
// caBundle and the Service's DNS name, which is what the kube-apiserver does.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { startServer, type RunningServer } from '../../src/app/serve.ts';
import { captureLogs, type CapturedLog } from '../http/log-capture.ts';
import { healthRequest, LOOPBACK, metricValue } from '../http/support.ts';
import { startFakeApiServer, type FakeApiServer } from './fake-api-server.ts';
import {
  ADMISSION_GROUP,
  readShippedInstall,
  WEBHOOK_CONFIGURATIONS,
  type ShippedInstall,
} from './cluster-objects.ts';

const SECRET_TIMEOUT_MS = 60_000;
const CERTIFICATE_RESOURCES: ReadonlySet<string> = new Set(['secrets', WEBHOOK_CONFIGURATIONS]);
const READ_VERBS: ReadonlySet<string> = new Set(['get', 'list', 'watch']);

interface Replica {
  readonly server: RunningServer;
  readonly logs: CapturedLog[];
}

function servedCertificate(port: number, caBundle: string, servername: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect(
      { host: LOOPBACK, port, ca: caBundle, servername, ALPNProtocols: ['h2'] },
      () => {
        const certificate = socket.getPeerX509Certificate();
        socket.destroy();
        if (certificate === undefined) reject(new Error('no peer certificate'));
        else resolve(certificate.toString());
      },
    );
    socket.on('error', reject);
  });
}

describe('the shipped install with self-managed certificates', { timeout: SECRET_TIMEOUT_MS }, () => {
  let install: ShippedInstall;
  let api: FakeApiServer;
  let dir: string;
  let configFile: string;
  let kubeconfig: string;
  const replicas: Replica[] = [];

  const startReplica = async (): Promise<Replica> => {
    const { destination, lines } = captureLogs();
    const started = await startServer({
      env: { POD_NAMESPACE: install.namespace },
      configFile,
      kubeconfig,
      mainListen: { host: LOOPBACK, port: 0 },
      healthListen: { host: LOOPBACK, port: 0 },
      caOutPath: join(dir, 'unused-ca.crt'),
      logDestination: destination,
    });
    if (!started.ok) assert.fail(`${started.error.message}\n${lines.map((line) => line.msg).join('\n')}`);
    const replica = { server: started.value, logs: lines };
    replicas.push(replica);
    return replica;
  };

  const secretData = (): Record<string, string> => {
    const stored = api.get('', 'secrets', install.namespace, install.secretName);
    assert.ok(stored, `Secret ${install.secretName} exists`);
    const data = stored['data'] as Record<string, string>;
    return Object.fromEntries(
      Object.entries(data).map(([key, value]) => [key, Buffer.from(value, 'base64').toString('utf8')]),
    );
  };
  const caBundles = (): string[] => {
    const stored = api.get(
      ADMISSION_GROUP,
      WEBHOOK_CONFIGURATIONS,
      undefined,
      install.webhookConfiguration.metadata.name,
    );
    const webhooks = (stored?.['webhooks'] ?? []) as { clientConfig: { caBundle?: string } }[];
    return webhooks.map((webhook) =>
      Buffer.from(webhook.clientConfig.caBundle ?? '', 'base64').toString('utf8'),
    );
  };

  before(async () => {
    install = readShippedInstall();
    dir = await mkdtemp(join(tmpdir(), 'dko-install-'));
    configFile = join(dir, 'config.json');
    await writeFile(configFile, install.jsonconfig);
    const secretPath = `/api/v1/namespaces/${install.namespace}/secrets/${install.secretName}`;
    api = await startFakeApiServer({
      rbac: install.rbac,
      // Both replicas must see "no Secret" before either creates one: the race, every time.
      barrier: { match: (method, path) => method === 'GET' && path === secretPath, parties: 2 },
    });
    api.seed(ADMISSION_GROUP, WEBHOOK_CONFIGURATIONS, install.webhookConfiguration);
    kubeconfig = await api.writeKubeconfig(join(dir, 'kubeconfig'));
  });
  after(async () => {
    await Promise.all(replicas.map(({ server }) => server.close()));
    await api?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('two replicas starting at once end with ONE Secret: the loser of the create race serves the winner’s', async () => {
    const [first, second] = await Promise.all([startReplica(), startReplica()]);
    assert.ok(first && second);
    assert.equal(first.server.tlsMode, 'self-managed');
    assert.equal(second.server.tlsMode, 'self-managed');
    const creates = api.requests
      .filter((r) => r.resource === 'secrets' && r.verb === 'create')
      .map((r) => r.status);
    assert.deepEqual(creates.sort(), [201, 409]);
    const logs = [...first.logs, ...second.logs].map((line) => line.msg);
    assert.equal(logs.filter((msg) => msg.startsWith('created Secret')).length, 1);
    assert.equal(logs.filter((msg) => /another replica created the TLS Secret first/.test(msg)).length, 1);

    const data = secretData();
    assert.deepEqual(Object.keys(data).sort(), ['ca.crt', 'ca.key', 'tls.crt', 'tls.key']);
    const expected = new X509Certificate(data['tls.crt'] ?? '').toString();
    for (const { server } of [first, second]) {
      assert.equal(
        await servedCertificate(server.mainPort, data['ca.crt'] ?? '', install.serviceHost),
        expected,
      );
    }
  });

  it('writes the CA into the caBundle of every webhook, which is all a client needs to trust every replica', async () => {
    const data = secretData();
    assert.deepEqual(caBundles(), [data['ca.crt']]);
    const [caBundle = ''] = caBundles();
    for (const { server } of replicas) {
      const served = new X509Certificate(
        await servedCertificate(server.mainPort, caBundle, install.serviceHost),
      );
      assert.equal(served.checkHost(install.serviceHost), install.serviceHost);
      assert.equal(
        served.checkHost(`${install.serviceHost}.cluster.local`),
        `${install.serviceHost}.cluster.local`,
      );
    }
  });

  it('needs no permission beyond the shipped RBAC', () => {
    const refused = api.requests.filter((r) => r.status === 403);
    assert.deepEqual(refused, []);
    assert.ok(
      api.requests.some(
        (r) => r.resource === WEBHOOK_CONFIGURATIONS && r.verb === 'patch' && r.status === 200,
      ),
    );
  });

  it('a replica started later adopts the Secret without writing anything', async () => {
    const certificateWrites = (): number =>
      api.requests.filter((r) => CERTIFICATE_RESOURCES.has(r.resource) && !READ_VERBS.has(r.verb)).length;
    const writesBefore = certificateWrites();
    const late = await startReplica();
    assert.equal(certificateWrites(), writesBefore);
    const data = secretData();
    assert.equal(
      await servedCertificate(late.server.mainPort, data['ca.crt'] ?? '', install.serviceHost),
      new X509Certificate(data['tls.crt'] ?? '').toString(),
    );
  });

  it("reports the served certificate's expiry on /metrics", async () => {
    const [replica] = replicas;
    assert.ok(replica);
    const reply = await healthRequest(replica.server.healthPort, 'GET', '/metrics');
    const expiry = metricValue(
      reply.body,
      'datakit_operator_certificate_expiry_timestamp_seconds{mode="self-managed"}',
    );
    const notAfter = new Date(new X509Certificate(secretData()['tls.crt'] ?? '').validTo).getTime() / 1000;
    assert.equal(expiry, notAfter);
  });
});

describe('the self-managed certificate without the permissions it needs', () => {
  it('refuses to start and says that RBAC is the problem', async () => {
    const install = readShippedInstall();
    const dir = await mkdtemp(join(tmpdir(), 'dko-install-'));
    const api = await startFakeApiServer({ rbac: { ...install.rbac, namespacedRules: [] } });
    try {
      const configFile = join(dir, 'config.json');
      await writeFile(configFile, install.jsonconfig);
      const { destination } = captureLogs();
      const started = await startServer({
        env: { POD_NAMESPACE: install.namespace },
        configFile,
        kubeconfig: await api.writeKubeconfig(join(dir, 'kubeconfig')),
        mainListen: { host: LOOPBACK, port: 0 },
        healthListen: { host: LOOPBACK, port: 0 },
        logDestination: destination,
      });
      if (started.ok) await started.value.close();
      assert.equal(started.ok, false);
      if (!started.ok) {
        assert.equal(started.error.code, 'DKO_ERR_TLS');
        assert.match(
          started.error.message,
          new RegExp(`reading Secret ${install.namespace}/${install.secretName} was refused \\(HTTP 403`),
        );
        assert.match(started.error.message, /RBAC/);
      }
    } finally {
      await api.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
