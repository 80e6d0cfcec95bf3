// The real-node tier (`npm run test:node`, root and Linux only): the manual's journeys as written, with
// the real kubectl and helm, against the harness control plane plus one real node — a kubelet, containerd
// and runc, kube-scheduler and kube-proxy (test/kube-node) — running locally built images
// (test/node-images). One node serves every journey, in order; they share the operator installed first.

import { after, before, describe } from 'node:test';
import { failOpenJourney } from './journeys/fail-open.ts';
import { helmLifecycleJourney } from './journeys/helm-lifecycle.ts';
import { loggingLogfwdJourney } from './journeys/logging-logfwd.ts';
import { manualInstallJourney } from './journeys/manual-install.ts';
import { nginxJavaJourney } from './journeys/nginx-java.ts';
import { nodejsTracesJourney } from './journeys/nodejs-traces.ts';
import { nativeSidecarJobJourney } from './journeys/native-sidecar-job.ts';
import { oneNodePerMachineJourney } from './journeys/one-node-per-machine.ts';
import { profilersJourney } from './journeys/profilers.ts';
import { upgradeFromGoOperatorJourney } from './journeys/upgrade-from-go-operator.ts';
import { NodeEnvironment } from './support/environment.ts';

/** A cold run builds the harness and the kubelet from Go modules: many minutes on 2 cores. */
const SETUP_TIMEOUT_MS = 60 * 60_000;
const TEARDOWN_TIMEOUT_MS = 5 * 60_000;

describe('datakit-operator on a real node', () => {
  let environment: NodeEnvironment | undefined;
  const started = performance.now();

  before(
    async () => {
      environment = await NodeEnvironment.open();
      const t = environment.timings;
      report(
        `packages ${seconds(t.packagesSeconds)}, harness build ${seconds(t.harnessBuildSeconds)}, ` +
          `node build ${seconds(t.nodeBuildSeconds)}, images ${seconds(t.imagesSeconds)}, ` +
          `node ready after ${seconds(t.nodeStartSeconds)}`,
      );
    },
    { timeout: SETUP_TIMEOUT_MS },
  );

  after(
    async () => {
      try {
        await environment?.close();
      } finally {
        report(`node tier wall time ${seconds((performance.now() - started) / 1000)}`);
      }
    },
    { timeout: TEARDOWN_TIMEOUT_MS },
  );

  const env = (): NodeEnvironment => {
    if (!environment) throw new Error('the node did not start: see the failure of the before hook');
    return environment;
  };

  oneNodePerMachineJourney(env);
  manualInstallJourney(env);
  nginxJavaJourney(env);
  nodejsTracesJourney(env);
  loggingLogfwdJourney(env);
  profilersJourney(env);
  nativeSidecarJobJourney(env);
  failOpenJourney(env);
  helmLifecycleJourney(env);
  upgradeFromGoOperatorJourney(env);
});

function seconds(value: number): string {
  return `${value.toFixed(1)} s`;
}

function report(line: string): void {
  process.stderr.write(`node tier: ${line}\n`);
}
