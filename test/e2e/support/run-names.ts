// Names of everything one e2e run creates. Each run has its own id so that runs against an existing
// cluster never collide with each other or with a real installation, and so that teardown deletes only
// what this run made.

import { randomBytes } from 'node:crypto';

/** Label on every namespace and workload the run creates; its value is the run id. */
export const E2E_RUN_LABEL = 'e2e.datakit/run';
/** The namespace label of SPEC §12 that keeps the webhook away from a namespace. */
export const WEBHOOK_OPT_OUT_LABEL = 'admission.datakit/enabled';
const NAME_PREFIX = 'dko-e2e';
const MAX_NAME_LENGTH = 63;

export interface RunNames {
  readonly run: string;
  /** `dko-e2e-<run>-`: what every namespace of the run starts with. */
  readonly namespacePrefix: string;
  /** `e2e.datakit/run=<run>`: selects the run's pods. */
  readonly runSelector: string;
  /** `dko-e2e-<run>-<purpose>`: a namespace for one purpose of this run. */
  namespace(purpose: string): string;
  /** The MutatingWebhookConfiguration (cluster-scoped) the run registers for its main operator. */
  readonly webhookConfiguration: string;
  /** Labels for everything the run creates. */
  readonly labels: Readonly<Record<string, string>>;
}

/** Six lowercase alphanumerics: valid inside DNS labels and label values. */
export function newRunId(): string {
  return BigInt(`0x${randomBytes(8).toString('hex')}`)
    .toString(36)
    .padStart(6, '0')
    .slice(-6);
}

export function buildRunNames(run: string): RunNames {
  const prefix = `${NAME_PREFIX}-${run}`;
  return {
    run,
    namespacePrefix: `${prefix}-`,
    runSelector: `${E2E_RUN_LABEL}=${run}`,
    namespace(purpose) {
      const name = `${prefix}-${purpose}`;
      if (name.length > MAX_NAME_LENGTH || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name)) {
        throw new Error(
          `namespace name ${JSON.stringify(name)} is not a valid DNS label: shorten "${purpose}"`,
        );
      }
      return name;
    },
    webhookConfiguration: prefix,
    labels: { [E2E_RUN_LABEL]: run },
  };
}
