import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { setImmediate as turn } from 'node:timers/promises';
import { buildLogger } from '../server/logger.ts';
import { captureLogs } from '../../test/http/log-capture.ts';
import type { SecretStore, SecretToWrite, StoredSecret } from '../kube/secrets.ts';
import type { JsonPatchOperation, WebhookConfigClient } from '../kube/webhook-config.ts';
import {
  certificateBundleSecretData,
  issueCertificateBundle,
  servingSubjectAltNames,
  splitCertificates,
} from './certificate-bundle.ts';
import { openSelfManagedTls, type SelfManagedNames, type SelfManagedTls } from './self-managed.ts';
import type { TlsMaterial } from './tls-material.ts';

const DAY = 24 * 60 * 60 * 1000;
const START = new Date('2030-01-01T00:00:00Z');
const NAMES: SelfManagedNames = {
  namespace: 'datakit',
  secretName: 'datakit-operator-tls',
  serviceName: 'datakit-operator',
  webhookConfigName: 'datakit-operator-mutation',
};

/** A Secret store with the API server's optimistic concurrency; every call yields, so callers interleave. */
class MemorySecrets implements SecretStore {
  secret: StoredSecret | undefined;
  writes = 0;
  private version = 0;
  failGetWith: Error | undefined;

  async get(): Promise<StoredSecret | undefined> {
    await turn();
    if (this.failGetWith) throw this.failGetWith;
    return this.secret;
  }
  async create(secret: SecretToWrite) {
    await turn();
    if (this.secret) return { written: false as const };
    return { written: true as const, secret: this.store(secret) };
  }
  async replace(secret: SecretToWrite, resourceVersion: string) {
    await turn();
    if (!this.secret || this.secret.resourceVersion !== resourceVersion) return { written: false as const };
    return { written: true as const, secret: this.store(secret) };
  }
  private store(secret: SecretToWrite): StoredSecret {
    this.writes++;
    this.secret = {
      name: secret.name,
      type: secret.type,
      resourceVersion: String(++this.version),
      data: { ...secret.data },
    };
    return this.secret;
  }
}

class MemoryWebhookConfigs implements WebhookConfigClient {
  exists = true;
  resourceVersion = 1;
  caBundles: (string | undefined)[] = [undefined, undefined];
  patches = 0;

  async readCaBundles() {
    await turn();
    if (!this.exists) return undefined;
    return {
      resourceVersion: String(this.resourceVersion),
      webhooks: this.caBundles.map((caBundle, i) => ({ name: `w${i}`, caBundle })),
    };
  }
  async patch(_name: string, operations: readonly JsonPatchOperation[]) {
    await turn();
    if (!this.exists) return 'missing' as const;
    const [guard, ...edits] = operations;
    if (guard?.value !== String(this.resourceVersion)) return 'conflict' as const;
    for (const edit of edits) {
      const index = Number(/^\/webhooks\/(\d+)\//.exec(edit.path)?.[1]);
      this.caBundles[index] = edit.value;
    }
    this.resourceVersion++;
    this.patches++;
    return 'patched' as const;
  }
  decodedBundles(): string[] {
    return this.caBundles.map((value) => Buffer.from(value ?? '', 'base64').toString('utf8'));
  }
}

interface Replica {
  readonly tls: SelfManagedTls;
  readonly reloads: TlsMaterial[];
  readonly logs: ReturnType<typeof captureLogs>['lines'];
}

async function openReplica(
  secrets: SecretStore,
  webhookConfigs: WebhookConfigClient,
  clock: { now: Date },
): Promise<Replica> {
  const { destination, lines } = captureLogs();
  const opened = await openSelfManagedTls({
    secrets,
    webhookConfigs,
    names: NAMES,
    logger: buildLogger({ level: 'debug', destination }),
    now: () => clock.now,
    pollMs: 0,
  });
  if (!opened.ok) assert.fail(opened.error.message);
  const reloads: TlsMaterial[] = [];
  opened.value.onChange((material) => reloads.push(material));
  return { tls: opened.value, reloads, logs: lines };
}

function notAfter(pem: string): number {
  return new Date(new X509Certificate(pem).validTo).getTime();
}

describe('self-managed TLS', () => {
  it('creates the Secret when it is absent, serves its pair and puts its CA in every caBundle', async () => {
    const secrets = new MemorySecrets();
    const webhooks = new MemoryWebhookConfigs();
    const { tls } = await openReplica(secrets, webhooks, { now: START });
    assert.equal(secrets.writes, 1);
    assert.equal(secrets.secret?.type, 'kubernetes.io/tls');
    assert.equal(secrets.secret?.data['tls.crt'], tls.current().cert);
    const served = new X509Certificate(tls.current().cert);
    for (const name of servingSubjectAltNames('datakit-operator', 'datakit'))
      assert.equal(served.checkHost(name), name);
    assert.deepEqual(webhooks.decodedBundles(), [tls.caPem(), tls.caPem()]);
    assert.equal(tls.caPem(), secrets.secret?.data['ca.crt']);
    tls.close();
  });

  it('ends with ONE Secret when several replicas start at once, all serving its pair', async () => {
    const secrets = new MemorySecrets();
    const webhooks = new MemoryWebhookConfigs();
    const clock = { now: START };
    const replicas = await Promise.all([1, 2, 3].map(() => openReplica(secrets, webhooks, clock)));
    assert.equal(secrets.writes, 1);
    for (const { tls } of replicas) {
      assert.equal(tls.current().cert, secrets.secret?.data['tls.crt']);
      tls.close();
    }
    assert.ok(
      replicas.some(({ logs }) =>
        logs.some((line) => /another replica created the TLS Secret first/.test(line.msg)),
      ),
    );
    assert.deepEqual(webhooks.decodedBundles(), [
      secrets.secret?.data['ca.crt'],
      secrets.secret?.data['ca.crt'],
    ]);
  });

  it('adopts a valid existing Secret without writing it, and never rewrites an equal caBundle', async () => {
    const secrets = new MemorySecrets();
    const webhooks = new MemoryWebhookConfigs();
    const first = await openReplica(secrets, webhooks, { now: START });
    const patchesAfterFirst = webhooks.patches;
    const second = await openReplica(secrets, webhooks, { now: START });
    await second.tls.reconcile();
    await first.tls.reconcile();
    assert.equal(secrets.writes, 1);
    assert.equal(webhooks.patches, patchesAfterFirst);
    assert.equal(second.tls.current().cert, first.tls.current().cert);
    first.tls.close();
    second.tls.close();
  });

  it('replaces a Secret that does not hold a usable bundle, and says why', async () => {
    const secrets = new MemorySecrets();
    secrets.secret = {
      name: NAMES.secretName,
      type: 'kubernetes.io/tls',
      resourceVersion: '7',
      data: { 'tls.crt': 'junk' },
    };
    const { tls, logs } = await openReplica(secrets, new MemoryWebhookConfigs(), { now: START });
    assert.equal(secrets.writes, 1);
    assert.equal(secrets.secret.data['tls.crt'], tls.current().cert);
    assert.ok(logs.some((line) => line.level === 'warn' && /has no tls\.key.*replacing it/.test(line.msg)));
    tls.close();
  });

  it('renews 30 days before expiry exactly once across replicas, and every replica reloads the new pair', async () => {
    const secrets = new MemorySecrets();
    const webhooks = new MemoryWebhookConfigs();
    const clock = { now: START };
    const [a, b] = await Promise.all([
      openReplica(secrets, webhooks, clock),
      openReplica(secrets, webhooks, clock),
    ]);
    assert.ok(a && b);
    const original = a.tls.current();
    const caBefore = a.tls.caPem();

    clock.now = new Date(notAfter(original.cert) - 31 * DAY);
    await Promise.all([a.tls.reconcile(), b.tls.reconcile()]);
    assert.equal(secrets.writes, 1, 'nothing is renewed 31 days before expiry');
    assert.deepEqual([a.reloads.length, b.reloads.length], [0, 0]);

    clock.now = new Date(notAfter(original.cert) - 29 * DAY);
    await Promise.all([a.tls.reconcile(), b.tls.reconcile()]);
    assert.equal(secrets.writes, 2, 'exactly one replica renews');
    const renewed = secrets.secret?.data['tls.crt'];
    assert.notEqual(renewed, original.cert);
    assert.deepEqual([a.tls.current().cert, b.tls.current().cert], [renewed, renewed]);
    assert.deepEqual([a.reloads.length, b.reloads.length], [1, 1]);
    assert.equal(notAfter(renewed ?? ''), clock.now.getTime() + 365 * DAY);
    assert.equal(a.tls.caPem(), caBefore, 'the CA is kept when only the serving certificate is due');
    a.tls.close();
    b.tls.close();
  });

  it('rotates a CA close to expiry, keeping the old CA in the caBundle while it is valid', async () => {
    const secrets = new MemorySecrets();
    const webhooks = new MemoryWebhookConfigs();
    const clock = { now: START };
    const replica = await openReplica(secrets, webhooks, clock);
    const oldCa = replica.tls.caPem();
    clock.now = new Date(notAfter(oldCa) - 100 * DAY);
    await replica.tls.reconcile();
    const cas = splitCertificates(replica.tls.caPem());
    assert.equal(cas.length, 2);
    assert.equal(cas[1], oldCa);
    assert.deepEqual(webhooks.decodedBundles(), [replica.tls.caPem(), replica.tls.caPem()]);
    const served = new X509Certificate(replica.tls.current().cert);
    assert.ok(served.checkIssued(new X509Certificate(cas[0] ?? '')));
    replica.tls.close();
  });

  it('picks up a Secret written elsewhere (another replica, a deletion and re-creation)', async () => {
    const secrets = new MemorySecrets();
    const webhooks = new MemoryWebhookConfigs();
    const replica = await openReplica(secrets, webhooks, { now: START });
    const replacement = issueCertificateBundle(servingSubjectAltNames('datakit-operator', 'datakit'), START);
    await secrets.replace(
      {
        name: NAMES.secretName,
        type: 'kubernetes.io/tls',
        labels: {},
        data: certificateBundleSecretData(replacement),
      },
      secrets.secret?.resourceVersion ?? '',
    );
    await replica.tls.reconcile();
    assert.deepEqual(replica.tls.current(), replacement.serving);
    assert.deepEqual(replica.reloads, [replacement.serving]);
    assert.deepEqual(webhooks.decodedBundles(), [replacement.caCerts, replacement.caCerts]);

    secrets.secret = undefined;
    await replica.tls.reconcile();
    assert.ok(secrets.secret, 'a deleted Secret is created again');
    assert.equal(replica.tls.current().cert, (secrets.secret as StoredSecret).data['tls.crt']);
    replica.tls.close();
  });

  it('keeps serving when the webhook configuration is missing, warns once, and fills it in once it exists', async () => {
    const secrets = new MemorySecrets();
    const webhooks = new MemoryWebhookConfigs();
    webhooks.exists = false;
    const replica = await openReplica(secrets, webhooks, { now: START });
    await replica.tls.reconcile();
    await replica.tls.reconcile();
    const warnings = replica.logs.filter((line) => line.level === 'warn' && /does not exist/.test(line.msg));
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]?.msg ?? '', /MutatingWebhookConfiguration datakit-operator-mutation/);
    webhooks.exists = true;
    await replica.tls.reconcile();
    assert.deepEqual(webhooks.decodedBundles(), [replica.tls.caPem(), replica.tls.caPem()]);
    replica.tls.close();
  });

  it('refuses to start when the Secret cannot be read, with the reason', async () => {
    const secrets = new MemorySecrets();
    secrets.failGetWith = new Error('connect ECONNREFUSED 10.0.0.1:443');
    const { destination } = captureLogs();
    const opened = await openSelfManagedTls({
      secrets,
      webhookConfigs: new MemoryWebhookConfigs(),
      names: NAMES,
      logger: buildLogger({ level: 'info', destination }),
      now: () => START,
      pollMs: 0,
    });
    assert.equal(opened.ok, false);
    if (!opened.ok) {
      assert.equal(opened.error.code, 'DKO_ERR_TLS');
      assert.match(
        opened.error.message,
        /reading Secret datakit\/datakit-operator-tls failed: connect ECONNREFUSED/,
      );
    }
  });

  it('keeps the current pair and logs an error when a later check fails', async () => {
    const secrets = new MemorySecrets();
    const replica = await openReplica(secrets, new MemoryWebhookConfigs(), { now: START });
    const before = replica.tls.current();
    secrets.failGetWith = new Error('socket hang up');
    await replica.tls.reconcile();
    assert.deepEqual(replica.tls.current(), before);
    assert.ok(
      replica.logs.some((line) => line.level === 'error' && /keeping the current certificate/.test(line.msg)),
    );
    replica.tls.close();
  });
});
