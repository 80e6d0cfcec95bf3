// What the main listener needs from a certificate source: the current PEM pair, and a signal when it
// changes so that new TLS handshakes use the new pair while open connections carry on.

import { fixedValue, type Reloadable } from '../reload/reloadable.ts';

export interface TlsMaterial {
  /** PEM: the serving certificate, optionally followed by intermediates. */
  readonly cert: string;
  /** PEM: the serving certificate's private key. */
  readonly key: string;
}

/** The serving pair now and as it changes; `close` stops watching (files mode). */
export type TlsSource = Reloadable<TlsMaterial>;

/** A source whose pair never changes (the ephemeral certificate). */
export function fixedTlsSource(material: TlsMaterial): TlsSource {
  return fixedValue(material);
}
