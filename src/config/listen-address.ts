// Listen addresses as the upstream Go config writes them (`host:port`, `[v6]:port`, `:port`), parsed at load
// so that a typo is a config error naming the key rather than an EADDRNOTAVAIL at start-up.

import { err, ok, type Result } from '../errors/result.ts';

export interface ListenAddress {
  /** Empty for `:port` (every interface); an IPv6 host is given without its brackets. */
  readonly host: string;
  readonly port: number;
}

const BRACKETED_IPV6 = /^\[(?<host>[0-9A-Fa-f:.]+(?:%[A-Za-z0-9_.-]+)?)\]:(?<port>[^:]*)$/;
const HOST_AND_PORT = /^(?<host>[A-Za-z0-9.-]*):(?<port>[^:]*)$/;
const MAX_PORT = 65535;

const EVERY_INTERFACE = new Set(['', '0.0.0.0', '::']);

/** The error is the reason only: the caller names the key the text came from. */
export function parseListenAddress(text: string): Result<ListenAddress, string> {
  const groups = (BRACKETED_IPV6.exec(text) ?? HOST_AND_PORT.exec(text))?.groups;
  const host = groups?.['host'];
  const portText = groups?.['port'];
  if (host === undefined || portText === undefined) {
    return err('expected host:port, [ipv6]:port or :port');
  }
  const port = /^[0-9]{1,5}$/.test(portText) ? Number(portText) : NaN;
  if (!(port >= 1 && port <= MAX_PORT)) {
    return err(`the port must be a number from 1 to ${MAX_PORT}`);
  }
  return ok({ host, port });
}

/** Whether two listeners would try to bind the same socket (same port, and one host covers the other). */
export function listenAddressesOverlap(a: ListenAddress, b: ListenAddress): boolean {
  if (a.port !== b.port) return false;
  return a.host === b.host || EVERY_INTERFACE.has(a.host) || EVERY_INTERFACE.has(b.host);
}
