// `datakit_operator_certificate_expiry_timestamp_seconds`: when the certificate the main listener serves
// expires, whichever TLS source is active (SPEC §11), so that an alert can fire long before a failed
// rotation turns into API-server errors. Read at scrape time from the source, so a reload shows at once.

import { Gauge, type Registry } from 'prom-client';
import { certificateNotAfter } from '../certs/certificate-bundle.ts';
import type { TlsSource } from '../certs/tls-material.ts';

export const CERTIFICATE_EXPIRY_METRIC = 'datakit_operator_certificate_expiry_timestamp_seconds';

export function registerCertificateExpiryGauge(registry: Registry, source: TlsSource, mode: string): void {
  let lastCert: string | undefined;
  let lastSeconds: number | undefined;
  new Gauge({
    name: CERTIFICATE_EXPIRY_METRIC,
    help: 'Expiry (notAfter, Unix seconds) of the serving certificate of the main listener, by TLS mode.',
    labelNames: ['mode'] as const,
    registers: [registry],
    collect() {
      const { cert } = source.current();
      if (cert !== lastCert) {
        lastCert = cert;
        const notAfter = certificateNotAfter(cert);
        lastSeconds = notAfter === undefined ? undefined : Math.floor(notAfter.getTime() / 1000);
      }
      this.reset();
      if (lastSeconds !== undefined) this.set({ mode }, lastSeconds);
    },
  });
}
