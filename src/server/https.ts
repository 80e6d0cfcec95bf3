// The main listener: TLS only, HTTP/2 with HTTP/1.1 fallback (the kube-apiserver speaks h2 to webhooks
// when offered; curl and older clients speak HTTP/1.1), TLS >= 1.2. A certificate change applies to new
// handshakes through setSecureContext, so rotation never drops an open connection. Closing is graceful:
// stop accepting, let in-flight requests finish, end idle connections, and give up at a deadline.

import {
  createSecureServer,
  type Http2SecureServer,
  type Http2Session,
  type IncomingHttpHeaders,
  type ServerHttp2Stream,
} from 'node:http2';
import type { AddressInfo } from 'node:net';
import { disableNagle, listenOn } from './listen.ts';
import type { TLSSocket } from 'node:tls';
import type { Logger } from 'pino';
import type { TlsSource } from '../certs/tls-material.ts';
import type { HttpRequest, HttpResponse } from '../http/http-types.ts';
import { DEFAULT_CONNECTION_LIMITS, type ConnectionLimits } from './connection-limits.ts';
import { answerHttp1ClientError } from './http1-client-errors.ts';
import { openExchange } from './http2-exchange.ts';
import { Http2RequestTimeouts, guardHttp2Session, type ClientErrorSink } from './http2-guards.ts';
import { Http1Connections } from './http1-drain.ts';
import { applyHttp1Limits } from './http1-limits.ts';

export interface MainListener {
  readonly server: Http2SecureServer;
  listen(host: string | undefined, port: number): Promise<AddressInfo>;
  /**
   * Stops accepting, lets in-flight requests finish, then resolves. After `deadlineMs` whatever is still
   * open is destroyed. Safe to call more than once.
   */
  close(deadlineMs: number): Promise<void>;
}

export interface MainListenerOptions {
  readonly limits?: ConnectionLimits;
  /** Told about every client the listener itself refused or cut (for the metric). */
  readonly onClientError?: ClientErrorSink;
}

export function buildMainListener(
  tls: TlsSource,
  handle: (request: HttpRequest, response: HttpResponse) => void,
  logger: Logger,
  options: MainListenerOptions = {},
): MainListener {
  const limits = options.limits ?? DEFAULT_CONNECTION_LIMITS;
  const onClientError = options.onClientError ?? (() => {});
  const initial = tls.current();
  const server = createSecureServer({
    allowHTTP1: true,
    minVersion: 'TLSv1.2',
    cert: initial.cert,
    key: initial.key,
    settings: { maxConcurrentStreams: limits.maxConcurrentStreams },
  });
  applyHttp1Limits(server, limits);
  const unsubscribe = tls.onChange((material) => {
    try {
      server.setSecureContext({ cert: material.cert, key: material.key });
      logger.info('main listener now serves the new certificate to new connections');
    } catch (error) {
      logger.error({ err: error }, 'the new certificate was refused; new connections keep the previous one');
    }
  });

  disableNagle(server);

  const requestTimeouts = new Http2RequestTimeouts(limits, onClientError);
  const sockets = new Set<TLSSocket>();
  const sessions = new Set<Http2Session>();
  let draining = false;
  const http1 = new Http1Connections();
  server.on('secureConnection', (socket: TLSSocket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    if (socket.alpnProtocol !== 'h2') http1.add(socket);
  });
  server.on('session', (session: Http2Session) => {
    guardHttp2Session(session, limits, onClientError, logger);
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
    if (draining) session.close();
  });
  // HTTP/1.1 requests only: HTTP/2 streams are served on the stream (http2-exchange.ts). node adds its own
  // 'stream' listener, its compatibility layer, as soon as anything listens for 'request'; it goes, or
  // every stream would be answered twice.
  server.on('request', (request: HttpRequest, response: HttpResponse) => {
    http1.track(request, response);
    handle(request, response);
  });
  for (const listener of server.listeners('stream')) {
    server.removeListener('stream', listener as (...args: unknown[]) => void);
  }
  server.on('stream', (stream: ServerHttp2Stream, headers: IncomingHttpHeaders) => {
    // A stream's error must never crash the process; the client is gone and the stream is destroyed.
    stream.on('error', (error: Error) => logger.debug({ err: error }, 'HTTP/2 stream error'));
    const exchange = openExchange(stream, headers);
    if (exchange === undefined) return;
    requestTimeouts.watch(exchange.request, exchange.response);
    handle(exchange.request, exchange.response);
  });

  // Misbehaving clients must cost a log line at most: none of these may crash the process.
  server.on('sessionError', (error: Error) => logger.debug({ err: error }, 'HTTP/2 session error'));
  server.on('tlsClientError', (error: Error) => logger.debug({ err: error }, 'TLS handshake failed'));
  server.on('clientError', (error: Error, socket: TLSSocket) => {
    logger.debug({ err: error }, 'HTTP/1.1 client error');
    const reason = answerHttp1ClientError(error, socket);
    if (reason !== undefined) onClientError(reason);
  });
  server.setTimeout(limits.idleTimeoutMs);

  let closing: Promise<void> | undefined;
  return {
    server,
    listen(host, port) {
      return listenOn(server, host, port);
    },
    close(deadlineMs) {
      closing ??= new Promise<void>((resolve) => {
        draining = true;
        unsubscribe();
        const deadline = setTimeout(() => {
          logger.warn(
            { openConnections: sockets.size, deadlineMs },
            'shutdown deadline reached; closing the remaining connections',
          );
          for (const session of sessions) session.destroy();
          http1.destroyAll();
          for (const socket of sockets) socket.destroy();
        }, deadlineMs);
        deadline.unref();
        // node's close() would destroy the HTTP/1.1 connections that are idle at this instant, resetting
        // the next request a keep-alive client sends on them; they drain through http1 instead.
        (server as unknown as { closeIdleConnections: () => void }).closeIdleConnections = () => {};
        server.close(() => {
          clearTimeout(deadline);
          http1.stop();
          requestTimeouts.stop();
          resolve();
        });
        http1.drain();
        // HTTP/2 sessions get GOAWAY: the client opens no new streams here, and the streams already
        // open finish normally.
        for (const session of sessions) session.close();
      });
      return closing;
    },
  };
}
