// The real-cluster tier (`npm run test:e2e`): the operator as a separate process behind a
// MutatingWebhookConfiguration with the production settings, against a real kube-apiserver with etcd and
// the controller manager (test/kube-harness, built and started here) or an existing cluster
// (E2E_KUBECONFIG; see support/settings.ts). One environment serves every journey, in this order: the
// journeys that stop the main operator or start a second one come last.

import { after, before, describe } from 'node:test';
import { clusterApisJourney } from './journeys/cluster-apis.ts';
import { dryRunJourney } from './journeys/dry-run.ts';
import { electionJourney } from './journeys/election.ts';
import { existingLogVolumeJourney } from './journeys/existing-log-volume.ts';
import { generatedPodsJourney } from './journeys/generated-pods.ts';
import { globalRulesJourney } from './journeys/global-rules.ts';
import { installJourney } from './journeys/install.ts';
import { manualDeploymentsJourney } from './journeys/manual-deployments.ts';
import { nativeSidecarJobJourney } from './journeys/native-sidecar-job.ts';
import { operatorDownJourney } from './journeys/operator-down.ts';
import { optOutJourney } from './journeys/opt-out.ts';
import { selfManagedTlsJourney } from './journeys/self-managed-tls.ts';
import { E2eEnvironment } from './support/environment.ts';

/** A cold harness build takes many minutes on 2 cores; the build script caches the binary. */
const SETUP_TIMEOUT_MS = 90 * 60_000;
const TEARDOWN_TIMEOUT_MS = 5 * 60_000;

describe('datakit-operator on a real API server', () => {
  let environment: E2eEnvironment | undefined;
  const started = performance.now();

  before(
    async () => {
      environment = await E2eEnvironment.open();
      const { timings } = environment;
      report(
        `${environment.cluster.description}; Kubernetes ${environment.gitVersion}; ` +
          `harness build ${seconds(timings.buildSeconds)}, apiserver start ${seconds(timings.apiServerStartSeconds)}, ` +
          `operator start ${seconds(environment.operator.startSeconds[0])}, ` +
          `webhook effective after ${seconds(timings.webhookReadySeconds)}`,
      );
    },
    { timeout: SETUP_TIMEOUT_MS },
  );

  after(
    async () => {
      try {
        await environment?.close();
      } finally {
        report(`e2e wall time ${seconds((performance.now() - started) / 1000)}`);
      }
    },
    { timeout: TEARDOWN_TIMEOUT_MS },
  );

  const env = (): E2eEnvironment => {
    if (!environment)
      throw new Error('the e2e environment did not start: see the failure of the before hook');
    return environment;
  };

  manualDeploymentsJourney(env);
  globalRulesJourney(env);
  optOutJourney(env);
  nativeSidecarJobJourney(env);
  existingLogVolumeJourney(env);
  dryRunJourney(env);
  generatedPodsJourney(env);
  electionJourney(env);
  clusterApisJourney(env);
  installJourney(env);
  operatorDownJourney(env);
  selfManagedTlsJourney(env);
});

function seconds(value: number | undefined): string {
  return value === undefined ? 'n/a' : `${value.toFixed(1)} s`;
}

function report(line: string): void {
  process.stderr.write(`e2e: ${line}\n`);
}
