// Renewal of the self-managed certificate, end to end but on a fake clock: two replicas (the real
// self-managed source, client-node against the fake API server, each behind the real main listener) reach
// the renewal point together; exactly one writes the Secret, both serve the new certificate to NEW
// connections at once, and an HTTP/2 connection opened before the renewal keeps working on the old one.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { connect, type ClientHttp2Session } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { KubeConfig } from '@kubernetes/client-node';
import { openSelfManagedTls, type SelfManagedTls } from '../../src/certs/self-managed.ts';
import { buildSecretStore } from '../../src/kube/secrets.ts';
import { buildWebhookConfigClient } from '../../src/kube/webhook-config.ts';
import { buildMainListener, type MainListener } from '../../src/server/https.ts';
import { buildLogger } from '../../src/server/logger.ts';
import { captureLogs } from '../http/log-capture.ts';
import { h2Request, LOOPBACK, waitFor } from '../http/support.ts';
import { startFakeApiServer, type FakeApiServer } from './fake-api-server.ts';
import {
  ADMISSION_GROUP,
  readShippedInstall,
  WEBHOOK_CONFIGURATIONS,
  type ShippedInstall,
} from './cluster-objects.ts';

const DAY = 24 * 60 * 60 * 1000;

interface Replica {
  readonly tls: SelfManagedTls;
  readonly listener: MainListener;
  readonly port: number;
}

/**
 * The certificate a NEW connection gets. Not verified: a pair issued on the fake clock is not valid yet by
 * the real one; the exact fingerprint is what is compared.
 */
function fingerprintServed(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect(
      { host: LOOPBACK, port, rejectUnauthorized: false, ALPNProtocols: ['h2'] },
      () => {
        resolve(socket.getPeerCertificate().fingerprint256);
        socket.destroy();
      },
    );
    socket.on('error', reject);
  });
}

function fingerprintOf(pem: string): string {
  return new X509Certificate(pem).fingerprint256;
}

describe('self-managed certificate renewal across replicas', { timeout: 60_000 }, () => {
  let install: ShippedInstall;
  let api: FakeApiServer;
  const clock = { now: new Date() };
  const replicas: Replica[] = [];

  const kubeConfig = (): KubeConfig => {
    const config = new KubeConfig();
    config.loadFromOptions({
      clusters: [{ name: 'fake', server: api.url, skipTLSVerify: true }],
      users: [{ name: 'operator', token: 'token' }],
      contexts: [{ name: 'fake', cluster: 'fake', user: 'operator' }],
      currentContext: 'fake',
    });
    return config;
  };

  const startReplica = async (pollMs = 0): Promise<Replica> => {
    const { destination } = captureLogs();
    const logger = buildLogger({ level: 'info', destination });
    const config = kubeConfig();
    const opened = await openSelfManagedTls({
      secrets: buildSecretStore(config, install.namespace),
      webhookConfigs: buildWebhookConfigClient(config),
      names: {
        namespace: install.namespace,
        secretName: install.secretName,
        serviceName: install.serviceHost.split('.')[0] ?? '',
        webhookConfigName: install.webhookConfiguration.metadata.name,
      },
      logger,
      now: () => clock.now,
      pollMs,
    });
    if (!opened.ok) assert.fail(opened.error.message);
    const listener = buildMainListener(
      opened.value,
      (_request, response) => {
        response.statusCode = 200;
        response.end('ok');
      },
      logger,
    );
    const address: AddressInfo = await listener.listen(LOOPBACK, 0);
    const replica = { tls: opened.value, listener, port: address.port };
    replicas.push(replica);
    return replica;
  };

  const secretWrites = (): number =>
    api.requests.filter(
      (r) => r.resource === 'secrets' && (r.verb === 'create' || r.verb === 'update') && r.status < 300,
    ).length;

  before(async () => {
    install = readShippedInstall();
    api = await startFakeApiServer({ rbac: install.rbac });
    api.seed(ADMISSION_GROUP, WEBHOOK_CONFIGURATIONS, install.webhookConfiguration);
  });
  after(async () => {
    for (const { tls, listener } of replicas) {
      await listener.close(0);
      tls.close();
    }
    await api?.close();
  });

  it('renews once, reloads every replica in place, and keeps an open HTTP/2 connection working', async () => {
    const [a, b] = await Promise.all([startReplica(), startReplica()]);
    assert.ok(a && b);
    const ca = a.tls.caPem();
    const original = a.tls.current().cert;
    assert.equal(b.tls.current().cert, original);
    assert.equal(secretWrites(), 1);
    const patchesBefore = api.requests.filter((r) => r.verb === 'patch').length;

    // Opened before the renewal, verified as the API server would: the caBundle CA and the Service name.
    const existing = await new Promise<ClientHttp2Session>((resolve, reject) => {
      const session = connect(`https://${LOOPBACK}:${b.port}`, { ca, servername: install.serviceHost });
      session.once('connect', () => resolve(session));
      session.once('error', reject);
    });
    try {
      assert.equal((await h2Request(existing, { method: 'GET', path: '/' })).status, 200);

      clock.now = new Date(new Date(new X509Certificate(original).validTo).getTime() - 29 * DAY);
      await Promise.all([a.tls.reconcile(), b.tls.reconcile()]);

      assert.equal(secretWrites(), 2, 'exactly one replica wrote the renewed certificate');
      const renewed = a.tls.current().cert;
      assert.notEqual(renewed, original);
      assert.equal(b.tls.current().cert, renewed);
      for (const replica of [a, b]) {
        assert.equal(await fingerprintServed(replica.port), fingerprintOf(renewed));
      }
      assert.equal(
        api.requests.filter((r) => r.verb === 'patch').length,
        patchesBefore,
        'same CA: caBundle untouched',
      );

      assert.equal((await h2Request(existing, { method: 'GET', path: '/' })).status, 200);
      assert.equal(existing.closed, false);
      const stillServed = (existing.socket as unknown as TLSSocket).getPeerCertificate().fingerprint256;
      assert.equal(stillServed, fingerprintOf(original), 'the open connection keeps its handshake');
    } finally {
      existing.close();
    }
  });

  it('a polling replica picks up a certificate that another one wrote, without being asked', async () => {
    const poller = await startReplica(50);
    const [writer] = replicas;
    assert.ok(writer);
    clock.now = new Date(
      new Date(new X509Certificate(writer.tls.current().cert).validTo).getTime() - 1 * DAY,
    );
    await writer.tls.reconcile();
    const renewed = writer.tls.current().cert;
    await waitFor(
      () => poller.tls.current().cert === renewed,
      'the poller to reload the renewed certificate',
    );
    assert.equal(await fingerprintServed(poller.port), fingerprintOf(renewed));
  });
});
