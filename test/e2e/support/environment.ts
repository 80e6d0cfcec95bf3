// Everything the journeys share, set up once: the cluster, an API client, the main operator (a child
// process serving a certificate for the webhook host), its webhook registration with the production
// settings, and the namespaces of the run. `openEnvironment` undoes whatever it did if a step fails, and
// `close` tears everything down whatever state the journeys left.

import { KubeConfig } from '@kubernetes/client-node';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseVersionInfo } from '../../../src/kube/server-version.ts';
import type { Pod, ServerVersion } from '../../../src/podspec/types.ts';
import { openCluster, type OpenCluster } from './cluster.ts';
import { KubeClient, type ApiReply } from './kube-client.ts';
import { MainOperator } from './main-operator.ts';
import { predictAdmission, type Prediction } from './prediction.ts';
import { buildRunNames, E2E_RUN_LABEL, newRunId, WEBHOOK_OPT_OUT_LABEL, type RunNames } from './run-names.ts';
import { writeServingCertificate } from './serving-cert.ts';
import { resolveE2eSettings, type E2eSettings } from './settings.ts';
import { pollUntil } from './wait.ts';
import { registerWebhook, unregisterWebhook, webhookUrl } from './webhook-registration.ts';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export const ANNOTATION_INJECTED = 'admission.datakit/injected';
export const ANNOTATION_WARNINGS = 'admission.datakit/warnings';
export const ANNOTATION_JAVA_LIB = 'admission.datakit/java-lib.version';
export const DDTRACE_INIT_CONTAINER = 'datakit-lib-init';
/** Pod Security admission: the injected profiler needs SYS_ADMIN and a hostPath, as the manual says. */
const POD_SECURITY_ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce';
/** Metadata the API server writes at creation, after mutating admission: the webhook never sees it. */
const SET_AFTER_ADMISSION = ['uid', 'creationTimestamp', 'resourceVersion', 'managedFields', 'generation'];
const WEBHOOK_READY_TIMEOUT_MS = 90_000;
const PODS_TIMEOUT_MS = 120_000;
const NAMESPACE_READY_TIMEOUT_MS = 60_000;

export interface EnvironmentTimings {
  buildSeconds?: number;
  apiServerStartSeconds?: number;
  webhookReadySeconds?: number;
}

export interface NamespaceOptions {
  /** Labelled admission.datakit/enabled=false: the webhook's namespaceSelector skips it. */
  readonly webhookOff?: boolean;
  readonly labels?: Readonly<Record<string, string>>;
}

export function podsPath(namespace: string): string {
  return `/api/v1/namespaces/${namespace}/pods`;
}

export class E2eEnvironment {
  private readonly namespaces = new Map<string, string>();
  private readonly teardown: { what: string; run: () => Promise<void> }[] = [];
  readonly timings: EnvironmentTimings = {};
  cluster!: OpenCluster;
  client!: KubeClient;
  serverVersion!: ServerVersion;
  gitVersion = '';
  operator!: MainOperator;
  /** Dry-run creations here show the pod exactly as the API server would hand it to the webhook. */
  webhookOffNamespace = '';
  probeNamespace = '';
  operatorNamespace = '';

  private constructor(
    readonly settings: E2eSettings,
    readonly names: RunNames,
    readonly workDir: string,
  ) {}

  static async open(env: NodeJS.ProcessEnv = process.env): Promise<E2eEnvironment> {
    const settings = resolveE2eSettings(env);
    const workDir = await mkdtemp(join(tmpdir(), 'dko-e2e-'));
    const environment = new E2eEnvironment(settings, buildRunNames(newRunId()), workDir);
    environment.onClose(`remove ${workDir}`, () => rm(workDir, { recursive: true, force: true }));
    try {
      await environment.setUp();
    } catch (error) {
      await environment.close().catch(() => undefined);
      throw error;
    }
    return environment;
  }

  /** Journeys add their own clean-up (a second operator, a second webhook); it runs before the rest. */
  onClose(what: string, run: () => Promise<void>): void {
    this.teardown.push({ what, run });
  }

  async close(): Promise<void> {
    const problems: string[] = [];
    for (const step of this.teardown.splice(0).reverse()) {
      try {
        await step.run();
      } catch (error) {
        problems.push(`${step.what}: ${(error as Error).message}`);
      }
    }
    if (problems.length > 0) throw new Error(`teardown problems:\n${problems.join('\n')}`);
  }

  private async setUp(): Promise<void> {
    const clusterDir = join(this.workDir, 'cluster');
    await mkdir(clusterDir);
    this.cluster = await openCluster(this.settings.cluster, ROOT, clusterDir);
    this.onClose(`stop ${this.cluster.description}`, () => this.cluster.close());
    this.timings.buildSeconds = this.cluster.timings.buildSeconds;
    this.timings.apiServerStartSeconds = this.cluster.timings.startSeconds;

    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromFile(this.cluster.kubeconfig);
    this.client = await KubeClient.fromKubeConfig(kubeConfig);
    this.onClose('close the API client', async () => this.client.close());
    if (!this.cluster.disposable) this.onClose('delete the run namespaces', () => this.deleteRunNamespaces());

    const info = await this.client.get<{ major?: string; minor?: string; gitVersion?: string }>('/version');
    const version = parseVersionInfo(info);
    if (!version) throw new Error(`the API server's /version has no usable version: ${JSON.stringify(info)}`);
    this.serverVersion = version;
    this.gitVersion = info.gitVersion ?? '';

    this.operatorNamespace = await this.namespace('system');
    this.probeNamespace = await this.namespace('probe');
    this.webhookOffNamespace = await this.namespace('webhook-off', { webhookOff: true });

    const certDir = join(this.workDir, 'certs');
    await mkdir(certDir);
    const sans = [...new Set([this.settings.webhookHost, '127.0.0.1', 'localhost'])];
    const cert = await writeServingCertificate(certDir, sans, new Date());
    const [mainPort, healthPort] = [await freePort(this.settings.listenHost), await freePort('127.0.0.1')];
    const listen = this.settings.listenHost;
    this.operator = new MainOperator(
      {
        serverListen: `${listen}:${mainPort}`,
        healthListen: `${listen}:${healthPort}`,
        namespace: this.operatorNamespace,
        tls: { mode: 'files', cert_file: cert.certFile, key_file: cert.keyFile },
      },
      mainPort,
      {
        label: 'the main operator',
        root: ROOT,
        kubeconfig: this.cluster.kubeconfig,
        configFile: join(this.workDir, 'operator.json'),
        caOut: join(this.workDir, 'main-ca.crt'),
        healthPort,
      },
    );
    this.onClose('stop the main operator', () => this.operator.stop());
    await this.operator.start();

    const registered = performance.now();
    await registerWebhook(this.client, {
      name: this.names.webhookConfiguration,
      labels: this.names.labels,
      clientConfig: { url: webhookUrl(this.settings.webhookHost, mainPort) },
      caPem: cert.caPem,
    });
    if (!this.cluster.disposable) {
      this.onClose('delete the webhook configuration', () =>
        unregisterWebhook(this.client, this.names.webhookConfiguration),
      );
    }
    await this.waitForWebhook();
    this.timings.webhookReadySeconds = (performance.now() - registered) / 1000;
  }

  /** Creates `dko-e2e-<run>-<purpose>` once (labelled with the run) and returns its name. */
  async namespace(purpose: string, options: NamespaceOptions = {}): Promise<string> {
    const name = this.names.namespace(purpose);
    if (this.namespaces.has(name)) return name;
    const labels: Record<string, string> = {
      ...this.names.labels,
      [POD_SECURITY_ENFORCE_LABEL]: 'privileged',
      ...options.labels,
    };
    if (options.webhookOff) labels[WEBHOOK_OPT_OUT_LABEL] = 'false';
    await this.client.create('/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name, labels },
    });
    await this.waitUntilPodsAccepted(name);
    this.namespaces.set(name, name);
    return name;
  }

  /**
   * In a real cluster a new namespace refuses pods until the controller manager has created its
   * `default` ServiceAccount; a dry-run pod shows when it is ready (at once in the harness, which has
   * neither that admission plugin nor that controller).
   */
  private async waitUntilPodsAccepted(namespace: string): Promise<void> {
    const probe: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { generateName: 'namespace-probe-', labels: { ...this.names.labels } },
      spec: { containers: [{ name: 'probe', image: 'busybox' }] },
    };
    await pollUntil(
      async () => ((await this.createPod(namespace, probe, { dryRun: true })) ? true : undefined),
      {
        timeoutMs: NAMESPACE_READY_TIMEOUT_MS,
        intervalMs: 500,
        what: `namespace ${namespace} to accept pods`,
      },
    );
  }

  async createPod(namespace: string, pod: Pod, options: { dryRun?: boolean } = {}): Promise<ApiReply<Pod>> {
    return this.client.create<Pod>(podsPath(namespace), pod, options.dryRun ? { dryRun: 'All' } : undefined);
  }

  /**
   * The pod as the API server hands it to the webhook in `namespace`: decoded, defaulted and through the
   * built-in admission plugins. Obtained by a dry-run create in the namespace the webhook skips, then
   * stripped of what the API server sets only after admission.
   */
  async webhookInput(pod: Pod, namespace: string): Promise<Pod> {
    const request = structuredClone(pod);
    request.metadata = { ...request.metadata, namespace: this.webhookOffNamespace };
    const seen = (await this.createPod(this.webhookOffNamespace, request, { dryRun: true })).body;
    if (
      seen.metadata?.annotations?.[ANNOTATION_INJECTED] !== pod.metadata?.annotations?.[ANNOTATION_INJECTED]
    ) {
      throw new Error(
        `${this.webhookOffNamespace} reached the webhook (the pod came back with ${ANNOTATION_INJECTED}): ` +
          'its namespaceSelector no longer skips namespaces labelled admission.datakit/enabled=false',
      );
    }
    const metadata: Record<string, unknown> = { ...seen.metadata, namespace };
    for (const key of SET_AFTER_ADMISSION) delete metadata[key];
    if (pod.metadata?.name === undefined) delete metadata['name'];
    const input: Pod = { ...seen, metadata };
    delete input['status'];
    return input;
  }

  /** What the pure core does to `pod` created in `namespace`, under the operator's current configuration. */
  async predict(pod: Pod, namespace: string): Promise<Prediction> {
    const input = await this.webhookInput(pod, namespace);
    return predictAdmission(input, namespace, this.operator.config(), this.serverVersion);
  }

  /** Waits until `selector` selects at least `count` pods in `namespace` (controllers create them). */
  async waitForPods(namespace: string, selector: string, count = 1): Promise<Pod[]> {
    return pollUntil(
      async () => {
        const pods = await this.client.list<Pod>(podsPath(namespace), selector);
        return pods.length >= count ? pods : undefined;
      },
      {
        timeoutMs: PODS_TIMEOUT_MS,
        intervalMs: 500,
        what: `${count} pod(s) matching ${selector} in ${namespace}`,
      },
    );
  }

  /**
   * Webhook configurations take effect asynchronously: dry-run a pod that asks for DDTrace until it comes
   * back mutated (as Kubernetes' own e2e does).
   */
  async waitForWebhook(namespace = this.probeNamespace): Promise<void> {
    await pollUntil(
      async () => {
        const pod = (await this.createPod(namespace, probePod(this.names.labels), { dryRun: true })).body;
        const init = pod.spec?.initContainers ?? [];
        return init.some((container) => container.name === DDTRACE_INIT_CONTAINER) ? true : undefined;
      },
      {
        timeoutMs: WEBHOOK_READY_TIMEOUT_MS,
        intervalMs: 500,
        what: `a probe pod in ${namespace} to come back mutated`,
      },
    );
  }

  private async deleteRunNamespaces(): Promise<void> {
    const selector = `${E2E_RUN_LABEL}=${this.names.run}`;
    const namespaces = await this.client.list<{ metadata: { name: string } }>('/api/v1/namespaces', selector);
    await Promise.all(namespaces.map((ns) => this.client.delete(`/api/v1/namespaces/${ns.metadata.name}`)));
  }
}

export function probePod(labels: Readonly<Record<string, string>>): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: 'webhook-probe-',
      labels: { ...labels },
      annotations: { [ANNOTATION_JAVA_LIB]: '' },
    },
    spec: { containers: [{ name: 'probe', image: 'busybox' }] },
  };
}

/** A port nobody listens on right now (the operator binds it a moment later). */
export function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
