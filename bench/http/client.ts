// Single requests from the bench itself (not the load generator): checking that a server answers
// allowed:true, waiting for readiness, timing one adversarial request, probing the health port.

import { request as httpRequest, Agent as HttpAgent } from 'node:http';
import { request as httpsRequest } from 'node:https';

export const ADMISSION_PATH = '/v1/webhooks/inject';

export interface Answer {
  readonly status: number;
  readonly text: string;
  readonly ms: number;
}

/** One POST of a review over HTTPS/1.1 on a fresh connection; rejects on a network error or the timeout. */
export function postReview(port: number, body: string, timeoutMs: number): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const request = httpsRequest(
      {
        host: '127.0.0.1',
        port,
        path: ADMISSION_PATH,
        method: 'POST',
        // The servers present self-signed certificates; trust is not what is measured.
        rejectUnauthorized: false,
        agent: false,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        timeout: timeoutMs,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            text: Buffer.concat(chunks).toString('utf8'),
            ms: performance.now() - started,
          }),
        );
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on('error', reject);
    request.end(body);
  });
}

/** Whether an answer is a 200 allowed review echoing the uid: every webhook answer must be. */
export function isAllowedAnswer(answer: Answer, uid: string): boolean {
  if (answer.status !== 200) return false;
  try {
    const response = (JSON.parse(answer.text) as { response?: { uid?: unknown; allowed?: unknown } })
      .response;
    return response?.allowed === true && response.uid === uid;
  } catch {
    return false;
  }
}

const healthAgent = new HttpAgent({ keepAlive: true, maxSockets: 1 });

export function getHealth(port: number, path: string, timeoutMs = 5_000): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      { host: '127.0.0.1', port, path, agent: healthAgent, timeout: timeoutMs },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    request.on('timeout', () => request.destroy(new Error('health probe timed out')));
    request.on('error', reject);
    request.end();
  });
}

/** Between probes: often enough to see a 50 ms block, rarely enough not to load the server core. */
const PROBE_INTERVAL_MS = 5;

export interface Probe {
  /** Stops probing; resolves to the longest probe round trip (ms), which bounds the event-loop block. */
  stop(): Promise<number>;
}

/** Probes the operator's health listener (same process and event loop as the webhook) back to back. */
export function probeEventLoop(healthPort: number): Probe {
  let running = true;
  let longest = 0;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      await getHealth(healthPort, '/healthz', 120_000).catch(() => 0);
      longest = Math.max(longest, performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, PROBE_INTERVAL_MS));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return longest;
    },
  };
}
