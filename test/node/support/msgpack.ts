// A MessagePack decoder for what dd-trace sends to the agent's /v0.4/traces (arrays of arrays of span
// maps): enough of the format to read the spans the fake DataKit receives. No dependency for a test double.

export type MsgpackValue =
  null | boolean | number | bigint | string | Buffer | MsgpackValue[] | { [key: string]: MsgpackValue };

export function decodeMsgpack(data: Buffer): MsgpackValue {
  const reader = { data, offset: 0 };
  const value = read(reader);
  if (reader.offset !== data.length)
    throw new Error(`msgpack: ${data.length - reader.offset} trailing bytes`);
  return value;
}

interface Reader {
  data: Buffer;
  offset: number;
}

function take(reader: Reader, length: number): Buffer {
  if (reader.offset + length > reader.data.length) throw new Error('msgpack: truncated');
  const slice = reader.data.subarray(reader.offset, reader.offset + length);
  reader.offset += length;
  return slice;
}

function uint(reader: Reader, bytes: 1 | 2 | 4 | 8): number {
  const b = take(reader, bytes);
  return bytes === 1
    ? b.readUInt8()
    : bytes === 2
      ? b.readUInt16BE()
      : bytes === 4
        ? b.readUInt32BE()
        : Number(b.readBigUInt64BE());
}

function int(reader: Reader, bytes: 1 | 2 | 4 | 8): number {
  const b = take(reader, bytes);
  return bytes === 1
    ? b.readInt8()
    : bytes === 2
      ? b.readInt16BE()
      : bytes === 4
        ? b.readInt32BE()
        : Number(b.readBigInt64BE());
}

function array(reader: Reader, length: number): MsgpackValue[] {
  return Array.from({ length }, () => read(reader));
}

function map(reader: Reader, length: number): { [key: string]: MsgpackValue } {
  const out: { [key: string]: MsgpackValue } = {};
  for (let i = 0; i < length; i++) out[String(read(reader))] = read(reader);
  return out;
}

function read(reader: Reader): MsgpackValue {
  const byte = uint(reader, 1);
  if (byte <= 0x7f) return byte;
  if (byte >= 0xe0) return byte - 0x100;
  if ((byte & 0xf0) === 0x80) return map(reader, byte & 0x0f);
  if ((byte & 0xf0) === 0x90) return array(reader, byte & 0x0f);
  if ((byte & 0xe0) === 0xa0) return take(reader, byte & 0x1f).toString('utf8');
  switch (byte) {
    case 0xc0:
      return null;
    case 0xc2:
      return false;
    case 0xc3:
      return true;
    case 0xc4:
      return Buffer.from(take(reader, uint(reader, 1)));
    case 0xc5:
      return Buffer.from(take(reader, uint(reader, 2)));
    case 0xc6:
      return Buffer.from(take(reader, uint(reader, 4)));
    case 0xca:
      return take(reader, 4).readFloatBE();
    case 0xcb:
      return take(reader, 8).readDoubleBE();
    case 0xcc:
      return uint(reader, 1);
    case 0xcd:
      return uint(reader, 2);
    case 0xce:
      return uint(reader, 4);
    case 0xcf:
      return uint(reader, 8);
    case 0xd0:
      return int(reader, 1);
    case 0xd1:
      return int(reader, 2);
    case 0xd2:
      return int(reader, 4);
    case 0xd3:
      return int(reader, 8);
    case 0xd9:
      return take(reader, uint(reader, 1)).toString('utf8');
    case 0xda:
      return take(reader, uint(reader, 2)).toString('utf8');
    case 0xdb:
      return take(reader, uint(reader, 4)).toString('utf8');
    case 0xdc:
      return array(reader, uint(reader, 2));
    case 0xdd:
      return array(reader, uint(reader, 4));
    case 0xde:
      return map(reader, uint(reader, 2));
    case 0xdf:
      return map(reader, uint(reader, 4));
    default:
      throw new Error(`msgpack: unsupported type byte 0x${byte.toString(16)}`);
  }
}
