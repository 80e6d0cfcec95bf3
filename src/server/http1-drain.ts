// HTTP/1.1 keep-alive connections during a graceful shutdown. HTTP/2 has GOAWAY; HTTP/1.1 has only
// `Connection: close` on a response. node's own close() destroys every connection that is idle at that
// instant, so a client that sends its next request a moment later (a busy API server always does) gets
// a reset instead of an answer. Here, once draining, every response says `Connection: close`, and a
// connection is closed by us only after it has been quiet for a grace period (or at the deadline).

import type { Socket } from 'node:net';
import type { HttpRequest, HttpResponse } from '../http/http-types.ts';

/** While draining, a connection with no request for this long is closed. */
export const DRAIN_IDLE_GRACE_MS = 1_000;
const SWEEP_EVERY_MS = 100;

interface ConnectionState {
  inFlight: number;
  idleSince: number;
  readonly responses: Set<HttpResponse>;
}

export class Http1Connections {
  readonly #connections = new Map<Socket, ConnectionState>();
  #draining = false;
  #sweep: NodeJS.Timeout | undefined;

  /** A new HTTP/1.1 connection (not an HTTP/2 one: those drain through GOAWAY). */
  add(socket: Socket): void {
    this.#connections.set(socket, { inFlight: 0, idleSince: performance.now(), responses: new Set() });
    socket.once('close', () => this.#connections.delete(socket));
  }

  /** Called for every request before its handler. */
  track(request: HttpRequest, response: HttpResponse): void {
    const socket = (request as HttpRequest & { socket?: Socket }).socket;
    const state = socket === undefined ? undefined : this.#connections.get(socket);
    if (state === undefined) return;
    state.inFlight += 1;
    state.responses.add(response);
    if (this.#draining) response.setHeader('connection', 'close');
    let done = false;
    const finished = (): void => {
      if (done) return;
      done = true;
      state.inFlight -= 1;
      state.idleSince = performance.now();
      state.responses.delete(response);
    };
    response.once('finish', finished);
    response.once('close', finished);
  }

  get size(): number {
    return this.#connections.size;
  }

  /** From now on every response closes its connection; quiet connections are closed after the grace. */
  drain(idleGraceMs = DRAIN_IDLE_GRACE_MS): void {
    if (this.#draining) return;
    this.#draining = true;
    for (const state of this.#connections.values()) {
      for (const response of state.responses) {
        if (!response.headersSent) response.setHeader('connection', 'close');
      }
    }
    this.#sweep = setInterval(() => this.#closeQuiet(idleGraceMs), SWEEP_EVERY_MS);
    this.#sweep.unref();
  }

  /** The deadline: whatever is still open is cut. */
  destroyAll(): void {
    this.stop();
    for (const socket of this.#connections.keys()) socket.destroy();
  }

  stop(): void {
    if (this.#sweep !== undefined) clearInterval(this.#sweep);
    this.#sweep = undefined;
  }

  #closeQuiet(idleGraceMs: number): void {
    const now = performance.now();
    for (const [socket, state] of this.#connections) {
      if (state.inFlight === 0 && now - state.idleSince >= idleGraceMs) socket.end();
    }
    if (this.#connections.size === 0) this.stop();
  }
}
