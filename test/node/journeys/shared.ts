// What every journey gets: the running node environment (it exists once the tier's `before` hook ran).

import type { NodeEnvironment } from '../support/environment.ts';

export type Env = () => NodeEnvironment;

/** The manual's namespace and object names (deploy/datakit-operator.yaml). */
export const DATAKIT_NAMESPACE = 'datakit';
export const OPERATOR_SELECTOR = 'app.kubernetes.io/name=datakit-operator';
export const OPERATOR_REPLICAS = 2;
export const TLS_SECRET = 'datakit-operator-tls';
export const WEBHOOK_CONFIG = 'datakit-operator-mutation';
export const MANIFEST = 'deploy/datakit-operator.yaml';
