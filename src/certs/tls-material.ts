// What the main listener needs from a certificate source: the current PEM pair, and a signal when it
// changes so that new TLS handshakes use the new pair while open connections carry on.

export interface TlsMaterial {
  /** PEM: the serving certificate, optionally followed by intermediates. */
  readonly cert: string;
  /** PEM: the serving certificate's private key. */
  readonly key: string;
}

export interface TlsSource {
  current(): TlsMaterial;
  /** Calls `listener` with every new pair; returns the function that unsubscribes. */
  onChange(listener: (material: TlsMaterial) => void): () => void;
  /** Stops watching (files mode); a no-op for a fixed pair. */
  close(): void;
}

/** A source whose pair never changes (the ephemeral certificate). */
export function fixedTlsSource(material: TlsMaterial): TlsSource {
  return {
    current: () => material,
    onChange: () => () => {},
    close: () => {},
  };
}
