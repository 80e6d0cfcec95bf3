// One entry of the corpus: an AdmissionReview body (generated on demand: some are megabytes) and the
// config it is answered under.

import type { ConfigName } from './configs.ts';

export type ItemKind = 'typical' | 'adversarial';

export interface CorpusItem {
  readonly name: string;
  readonly kind: ItemKind;
  readonly config: ConfigName;
  /** One line for the output: what the item is. */
  readonly description: string;
  /** Measured over HTTP with h2load too (the typical items). */
  readonly overHttp?: boolean;
  body(): string;
}
