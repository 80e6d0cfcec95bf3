import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { listenAddressesOverlap, parseListenAddress, type ListenAddress } from './listen-address.ts';
import { err, ok } from '../errors/result.ts';

describe('parseListenAddress', () => {
  const cases: readonly [text: string, expected: ListenAddress | string][] = [
    ['0.0.0.0:9543', { host: '0.0.0.0', port: 9543 }],
    [':9543', { host: '', port: 9543 }],
    ['localhost:1', { host: 'localhost', port: 1 }],
    ['[::]:65535', { host: '::', port: 65535 }],
    ['[fe80::1%eth0]:80', { host: 'fe80::1%eth0', port: 80 }],
    ['0.0.0.0', 'expected host:port, [ipv6]:port or :port'],
    ['::1:80', 'expected host:port, [ipv6]:port or :port'],
    ['host:', 'the port must be a number from 1 to 65535'],
    ['host:0', 'the port must be a number from 1 to 65535'],
    ['host:65536', 'the port must be a number from 1 to 65535'],
    ['host:http', 'the port must be a number from 1 to 65535'],
    ['host:-1', 'the port must be a number from 1 to 65535'],
    ['ho st:80', 'expected host:port, [ipv6]:port or :port'],
  ];
  for (const [text, expected] of cases) {
    it(`reads ${JSON.stringify(text)}`, () => {
      const parsed = parseListenAddress(text);
      assert.deepEqual(parsed, typeof expected === 'string' ? err(expected) : ok(expected));
    });
  }
});

describe('listenAddressesOverlap', () => {
  const cases: readonly [a: string, b: string, expected: boolean][] = [
    [':80', ':80', true],
    ['0.0.0.0:80', '127.0.0.1:80', true],
    ['[::]:80', '127.0.0.1:80', true],
    ['127.0.0.1:80', '127.0.0.1:80', true],
    ['127.0.0.1:80', '127.0.0.2:80', false],
    [':80', ':81', false],
  ];
  for (const [a, b, expected] of cases) {
    it(`${a} and ${b} ${expected ? 'overlap' : 'do not overlap'}`, () => {
      const left = parseListenAddress(a);
      const right = parseListenAddress(b);
      assert.ok(left.ok && right.ok);
      assert.equal(listenAddressesOverlap(left.value, right.value), expected);
    });
  }
});
