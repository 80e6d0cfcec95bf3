// Self-managed TLS (SPEC §11), the mode `tls.mode: auto` picks for an operator with Kubernetes access and
// no certificate files: it creates its CA and serving pair in a Secret and writes the CA into its webhook
// configuration's caBundle. The main webhook of this tier cannot use it (the API server calls a URL on
// 127.0.0.1, a name the self-managed certificate does not cover), so this journey runs a second operator
// behind a Service, as in a cluster: an ExternalName Service pointing at this host lets the API server
// dial it while verifying the certificate for `datakit-operator.<namespace>.svc`.

import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Pod } from '../../../src/podspec/types.ts';
import { DDTRACE_INIT_CONTAINER, freePort, ROOT } from '../support/environment.ts';
import { admissionsIn, isAdmissionEntry } from '../support/operator-log.ts';
import { buildOperatorConfigDocument } from '../support/operator-config.ts';
import { OperatorProcess } from '../support/operator-process.ts';
import { E2E_RUN_LABEL } from '../support/run-names.ts';
import { pollUntil } from '../support/wait.ts';
import {
  readWebhookConfiguration,
  registerWebhook,
  unregisterWebhook,
  WEBHOOK_PATH,
} from '../support/webhook-registration.ts';
import { containerNames } from '../support/webhook-view.ts';
import type { Environment } from './shared.ts';

const SERVICE_NAME = 'datakit-operator';
const SECRET_NAME = 'datakit-operator-tls';
const SELF_MANAGED_LABEL = 'e2e.datakit/self-managed';
const CA_WRITTEN_TIMEOUT_MS = 60_000;

interface SecretObject {
  readonly type?: string;
  readonly data?: Readonly<Record<string, string>>;
}

export function selfManagedTlsJourney(env: Environment): void {
  describe('self-managed TLS: a second operator behind a Service, with tls.mode auto', () => {
    let operatorNamespace = '';
    let appNamespace = '';
    let webhookName = '';
    let operator: OperatorProcess | undefined;

    before(async () => {
      const e = env();
      operatorNamespace = await e.namespace('sm-system');
      // The main webhook skips it (opt-out label); the second webhook selects it (its own label).
      appNamespace = await e.namespace('sm-apps', {
        webhookOff: true,
        labels: { [SELF_MANAGED_LABEL]: e.names.run },
      });
      webhookName = `${e.names.webhookConfiguration}-self-managed`;
      const [mainPort, healthPort] = [await freePort(e.settings.listenHost), await freePort('127.0.0.1')];
      const loopback = e.settings.listenHost === '127.0.0.1';

      await e.client.create(`/api/v1/namespaces/${operatorNamespace}/services`, {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: SERVICE_NAME, labels: e.names.labels },
        spec: { type: 'ExternalName', externalName: loopback ? 'localhost' : e.settings.webhookHost },
      });
      await registerWebhook(e.client, {
        name: webhookName,
        labels: e.names.labels,
        clientConfig: {
          service: { namespace: operatorNamespace, name: SERVICE_NAME, path: WEBHOOK_PATH, port: mainPort },
        },
        namespaceSelector: { matchLabels: { [SELF_MANAGED_LABEL]: e.names.run } },
      });
      e.onClose(`delete ${webhookName}`, () => unregisterWebhook(e.client, webhookName));

      const configFile = join(e.workDir, 'self-managed.json');
      const document = buildOperatorConfigDocument(
        {
          serverListen: `${e.settings.listenHost}:${mainPort}`,
          healthListen: `127.0.0.1:${healthPort}`,
          namespace: operatorNamespace,
          tls: {
            mode: 'auto',
            cert_file: join(e.workDir, 'no-such-dir', 'tls.crt'),
            key_file: join(e.workDir, 'no-such-dir', 'tls.key'),
            service_name: SERVICE_NAME,
            secret_name: SECRET_NAME,
            webhook_config_name: webhookName,
          },
        },
        { ddtrace: { enabled_namespaces: [{ namespace: appNamespace, language: 'java' }] } },
      );
      await writeFile(configFile, JSON.stringify(document, null, 2));
      operator = await OperatorProcess.start({
        label: 'the self-managed operator',
        root: ROOT,
        kubeconfig: e.cluster.kubeconfig,
        configFile,
        caOut: join(e.workDir, 'self-managed-ca.crt'),
        healthPort,
      });
      e.onClose('stop the self-managed operator', async () => void (await operator?.stop()));
    });

    after(async () => {
      await operator?.stop();
    });

    it('tls.mode auto with Kubernetes access and no certificate files picks self-managed', () => {
      assert.equal(operator?.startLine()?.['tlsMode'], 'self-managed', operator?.describe());
    });

    it('keeps its CA and serving pair in a Secret and writes the CA into its webhook caBundle', async () => {
      const secret = await env().client.get<SecretObject>(
        `/api/v1/namespaces/${operatorNamespace}/secrets/${SECRET_NAME}`,
      );
      assert.equal(secret.type, 'kubernetes.io/tls');
      for (const key of ['tls.crt', 'tls.key', 'ca.crt'])
        assert.ok(secret.data?.[key], `the Secret lacks ${key}`);
      const serving = new X509Certificate(Buffer.from(secret.data!['tls.crt']!, 'base64'));
      assert.match(
        serving.subjectAltName ?? '',
        new RegExp(`DNS:${SERVICE_NAME}\\.${operatorNamespace}\\.svc(,|$)`),
      );
      const caBundle = await pollUntil(
        async () =>
          (await readWebhookConfiguration(env().client, webhookName))?.webhooks?.[0]?.clientConfig?.caBundle,
        { timeoutMs: CA_WRITTEN_TIMEOUT_MS, what: `the caBundle of ${webhookName}` },
      );
      assert.equal(caBundle, secret.data!['ca.crt']);
    });

    it('the API server calls it through the Service, trusts its certificate, and the pod is injected', async () => {
      await env().waitForWebhook(appNamespace);
      const pod: Pod = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'through-service', labels: { [E2E_RUN_LABEL]: env().names.run } },
        spec: { containers: [{ name: 'app', image: 'busybox' }] },
      };
      const created = (await env().createPod(appNamespace, pod)).body;
      assert.deepStrictEqual(containerNames(created), { init: [DDTRACE_INIT_CONTAINER], app: ['app'] });
      await operator!.waitForEntry(
        (entry) =>
          isAdmissionEntry(entry) && entry.namespace === appNamespace && entry.pod === 'through-service',
        'the admission of the pod',
      );
      assert.deepStrictEqual(
        admissionsIn(env().operator.process.entries, appNamespace),
        [],
        'the main operator was asked',
      );
    });
  });
}
