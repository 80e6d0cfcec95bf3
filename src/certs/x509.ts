// A minimal X.509 v3 writer (RFC 5280) for the embedded default's ephemeral certificates: EC P-256 keys
// from node's crypto, ecdsa-with-SHA256 signatures, DER written here. It exists so that the embedded
// default starts fast: a P-256 key takes well under a millisecond where an RSA-2048 one takes 0.1–1 s
// (prime search, random), and it needs neither node-forge (which has no ECDSA) nor its load time.
// kube-apiserver (Go), curl (OpenSSL) and node all accept P-256 serving certificates.

import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';

export interface CertificateOptions {
  readonly subjectCommonName: string;
  /** The subject's public key (the certificate's SPKI). */
  readonly publicKey: KeyObject;
  /** Self-signed when omitted. */
  readonly issuer?: { readonly commonName: string; readonly publicKey: KeyObject };
  readonly signingKey: KeyObject;
  readonly serial: Buffer;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** A CA certificate (keyCertSign) or a TLS server one (serverAuth, SANs). */
  readonly ca: boolean;
  /** DNS names and IP addresses (told apart by their syntax); server certificates only. */
  readonly subjectAltNames?: readonly string[];
}

export interface EcKeyPair {
  readonly publicKey: KeyObject;
  readonly privateKey: KeyObject;
}

export function generateEcKeyPair(): EcKeyPair {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' });
}

/** The certificate as PEM. */
export function writeCertificate(options: CertificateOptions): string {
  const issuer = options.issuer ?? { commonName: options.subjectCommonName, publicKey: options.publicKey };
  const extensions = [
    extension(OID.basicConstraints, true, sequence(...(options.ca ? [DER_TRUE] : []))),
    extension(
      OID.keyUsage,
      true,
      namedBits(
        options.ca
          ? [KEY_USAGE.digitalSignature, KEY_USAGE.keyCertSign, KEY_USAGE.cRLSign]
          : [KEY_USAGE.digitalSignature],
      ),
    ),
    ...(options.ca
      ? []
      : [
          extension(OID.extKeyUsage, false, sequence(objectIdentifier(OID.serverAuth))),
          extension(OID.subjectAltName, false, sequence(...(options.subjectAltNames ?? []).map(generalName))),
        ]),
    extension(OID.subjectKeyIdentifier, false, octetString(keyIdentifier(options.publicKey))),
    ...(options.issuer
      ? [
          extension(
            OID.authorityKeyIdentifier,
            false,
            sequence(tlv(CONTEXT_PRIMITIVE_0, keyIdentifier(issuer.publicKey))),
          ),
        ]
      : []),
  ];
  const tbs = sequence(
    tlv(CONTEXT_CONSTRUCTED_0, integer(Buffer.from([2]))), // v3
    integer(options.serial),
    ECDSA_WITH_SHA256,
    name(issuer.commonName),
    sequence(time(options.notBefore), time(options.notAfter)),
    name(options.subjectCommonName),
    options.publicKey.export({ type: 'spki', format: 'der' }),
    tlv(CONTEXT_CONSTRUCTED_3, sequence(...extensions)),
  );
  const signature = sign('sha256', tbs, options.signingKey); // DER ECDSA-Sig-Value for an EC key
  const der = sequence(tbs, ECDSA_WITH_SHA256, bitString(signature));
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

const OID = {
  commonName: '2.5.4.3',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  subjectAltName: '2.5.29.17',
  subjectKeyIdentifier: '2.5.29.14',
  authorityKeyIdentifier: '2.5.29.35',
  serverAuth: '1.3.6.1.5.5.7.3.1',
} as const;

const KEY_USAGE = { digitalSignature: 0, keyCertSign: 5, cRLSign: 6 } as const;

const TAG = {
  boolean: 0x01,
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  oid: 0x06,
  utf8String: 0x0c,
  sequence: 0x30,
  set: 0x31,
  utcTime: 0x17,
  generalizedTime: 0x18,
} as const;
const CONTEXT_PRIMITIVE_0 = 0x80;
const CONTEXT_CONSTRUCTED_0 = 0xa0;
const CONTEXT_CONSTRUCTED_3 = 0xa3;
/** GeneralName dNSName [2] IA5String and iPAddress [7] OCTET STRING, both implicit. */
const GENERAL_NAME_DNS = 0x82;
const GENERAL_NAME_IP = 0x87;

function tlv(tag: number, content: Buffer): Buffer {
  const length = content.length;
  if (length < 0x80) return Buffer.concat([Buffer.from([tag, length]), content]);
  const lengthBytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) lengthBytes.unshift(rest % 256);
  return Buffer.concat([Buffer.from([tag, 0x80 | lengthBytes.length, ...lengthBytes]), content]);
}

function sequence(...items: Buffer[]): Buffer {
  return tlv(TAG.sequence, Buffer.concat(items));
}

const DER_TRUE = tlv(TAG.boolean, Buffer.from([0xff]));
const ECDSA_WITH_SHA256 = sequence(objectIdentifier(OID.ecdsaWithSha256)); // no parameters (RFC 5758)

/** A non-negative INTEGER, minimally encoded as DER requires. */
function integer(unsigned: Buffer): Buffer {
  let start = 0;
  while (start < unsigned.length - 1 && unsigned[start] === 0) start++;
  const bytes = unsigned.subarray(start);
  const first = bytes[0] ?? 0;
  return tlv(
    TAG.integer,
    first >= 0x80 || bytes.length === 0 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes,
  );
}

function objectIdentifier(dotted: string): Buffer {
  const [first = 0, second = 0, ...rest] = dotted.split('.').map(Number);
  const bytes: number[] = [];
  for (const arc of [first * 40 + second, ...rest]) {
    const base128: number[] = [arc & 0x7f];
    for (let value = Math.floor(arc / 128); value > 0; value = Math.floor(value / 128)) {
      base128.unshift(0x80 | (value & 0x7f));
    }
    bytes.push(...base128);
  }
  return tlv(TAG.oid, Buffer.from(bytes));
}

function octetString(bytes: Buffer): Buffer {
  return tlv(TAG.octetString, bytes);
}

function bitString(bytes: Buffer): Buffer {
  return tlv(TAG.bitString, Buffer.concat([Buffer.from([0]), bytes]));
}

/** A NamedBitList BIT STRING (keyUsage): trailing zero bits dropped, as DER wants. */
function namedBits(bits: readonly number[]): Buffer {
  const highest = Math.max(...bits);
  const bytes = Buffer.alloc(Math.floor(highest / 8) + 1);
  for (const bit of bits)
    bytes[Math.floor(bit / 8)] = (bytes[Math.floor(bit / 8)] ?? 0) | (0x80 >> (bit % 8));
  const unused = 7 - (highest % 8);
  return tlv(TAG.bitString, Buffer.concat([Buffer.from([unused]), bytes]));
}

function name(commonName: string): Buffer {
  return sequence(
    tlv(
      TAG.set,
      sequence(objectIdentifier(OID.commonName), tlv(TAG.utf8String, Buffer.from(commonName, 'utf8'))),
    ),
  );
}

/** RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050; seconds, always Z. */
function time(date: Date): Buffer {
  const iso = date.toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
  const digits = iso.slice(0, 19).replace(/[-:T]/g, '') + 'Z';
  const year = date.getUTCFullYear();
  return year >= 1950 && year < 2050
    ? tlv(TAG.utcTime, Buffer.from(digits.slice(2), 'ascii'))
    : tlv(TAG.generalizedTime, Buffer.from(digits, 'ascii'));
}

function extension(oid: string, critical: boolean, value: Buffer): Buffer {
  return sequence(objectIdentifier(oid), ...(critical ? [DER_TRUE] : []), octetString(value));
}

function generalName(entry: string): Buffer {
  return isIPv4(entry) || isIPv6(entry)
    ? tlv(GENERAL_NAME_IP, ipAddressBytes(entry))
    : tlv(GENERAL_NAME_DNS, Buffer.from(entry, 'ascii'));
}

/** RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey bits (for EC, the uncompressed point). */
function keyIdentifier(publicKey: KeyObject): Buffer {
  const jwk = publicKey.export({ format: 'jwk' });
  const point = Buffer.concat([
    Buffer.from([0x04]),
    Buffer.from(jwk.x ?? '', 'base64url'),
    Buffer.from(jwk.y ?? '', 'base64url'),
  ]);
  return createHash('sha1').update(point).digest();
}

/** 4 bytes for IPv4, 16 for IPv6 (with `::` and a trailing dotted quad expanded). */
export function ipAddressBytes(address: string): Buffer {
  if (isIPv4(address)) return Buffer.from(address.split('.').map(Number));
  let text = address;
  const groupsOfV4: number[] = [];
  const lastColon = text.lastIndexOf(':');
  const last = text.slice(lastColon + 1);
  if (isIPv4(last)) {
    const [a = 0, b = 0, c = 0, d = 0] = last.split('.').map(Number);
    groupsOfV4.push(a * 256 + b, c * 256 + d);
    text = text.slice(0, text.endsWith('::' + last) ? lastColon + 1 : lastColon);
  }
  const [headText = '', tailText] = text.split('::');
  const parse = (part: string): number[] => (part === '' ? [] : part.split(':').map((h) => parseInt(h, 16)));
  const head = parse(headText);
  const tail = [...(tailText === undefined ? [] : parse(tailText)), ...groupsOfV4];
  const zeros = tailText === undefined ? 0 : 8 - head.length - tail.length;
  const groups = [...head, ...new Array<number>(zeros).fill(0), ...tail];
  const bytes = Buffer.alloc(16);
  groups.forEach((group, index) => bytes.writeUInt16BE(group, index * 2));
  return bytes;
}
